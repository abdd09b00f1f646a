#!/bin/bash
# Method 2 from K/OP: mip4-mn --subscriber --method 2 runs Ub with the lab BSF
# (which gets its vector from the lab HSS over Zh), then registers with the HA
# as NAF, which fetches Ks_NAF for that Ub session over Zn.  The key both sides
# use is checked against Ks_NAF computed here from K, OP and the B-TID's RAND by
# an independent MILENAGE and the TS 33.220 KDF (ksnaf.py); rrq.py, keyed with that
# Python key for a second subscriber bootstrapped with --ub-only, registers
# too; a new Ub run of the first subscriber re-keys its address.
LAB_GBA=ub
. "$(dirname "$0")/lib-zn.sh"
zn_setup ub-method2 2
e2e_start hss bsf
it_wait_log bsf "CONNECTED TO '$LAB_HSS_ID'" 30
e2e_start aaa ha

# ub_ks_naf IMPI BTID: Ks_NAF for the HA's NAF_Id, by ksnaf.py (its own MILENAGE).
ub_ks_naf() { python3 "$IT_ROOT/tests/integration/ksnaf.py" "$LAB_SUBS_HSS" "$1" "$2" "$LAB_HA_ID" "$LAB_HA_UA_ID"; }

# reg_codes OUT: the registration reply codes of a run (not its Ub lines).
reg_codes() { jq -r 'select(.summary == null and .phase != "ub") | .code' "$IT_DIR/$1.json" | tr '\n' ' ' | sed 's/ $//'; }

impi0=mn000000@ims.lab.example impi1=mn000001@ims.lab.example
cat >"$IT_DIR/step.sh" <<X
#!/bin/bash
"$LAB_CTLBIN" -s "$LAB_CTL" stats >"$IT_DIR/stats-\$MIP4_MN_PHASE.json"
X
chmod +x "$IT_DIR/step.sh"
zn_mn first -v --impi "$impi0" --reregs 1 --no-dereg --step-cmd "$IT_DIR/step.sh"
it_eq "mip4-mn exit status" 0 "$ZN_RC"
it_eq "Ub: one bootstrap, 200 after one challenge" "200 1 0" \
	"$(jq -r 'select(.phase == "ub" and .summary == null) | "\(.status) \(.challenges) \(.resyncs)"' "$IT_DIR/first.json")"
btid0=$(jq -r 'select(.phase == "ub" and .summary == null) | .btid' "$IT_DIR/first.json")
it_check "B-TID from the BSF ($btid0)" bash -c "[[ '$btid0' =~ ^[A-Za-z0-9+/]{22}==@$LAB_BSF_DOMAIN\$ ]]"
it_eq "registration codes: first, re-registration" "0 0" "$(reg_codes first)"
it_eq "NAI = the B-TID from Ub" "$btid0" "$(jq -r 'select(.phase == "initial") | .nai' "$IT_DIR/first.json")"
ks0=$(ub_ks_naf "$impi0" "$btid0")
it_check "Python Ks_NAF from K/OP (64 hex digits)" bash -c "[[ '$ks0' =~ ^[0-9a-f]{64}$ ]]"
it_eq "Ub run's Ks_NAF (HA's NAF_Id) is Python's" "$(zn_fp "$ks0")" \
	"$(jq -r 'select(.phase == "ub" and .summary == null) | .ks_naf_fp' "$IT_DIR/first.json")"
it_eq "the MN-HA key the reply verified with is Python's Ks_NAF" "$(zn_fp "$ks0")" \
	"$(jq -r 'select(.key_fp) | .key_fp' "$IT_DIR/first.json" | sort -u)"
it_check "transcript: Ub, then the reply verified with Ks_NAF" \
	grep -q "MN-HA authenticator verified with Ks_NAF (SPI 33822, HMAC-SHA1" "$IT_DIR/first.err"
s=$IT_DIR/stats-initial.json
it_eq "HA: first registration via Zn" 1 "$(jq -r .registrations_zn "$s")"
it_eq "HA: one BIR, no AMR" "1 0" "$(jq -r '"\(.zn.birs) \(.aaa.sent)"' "$s")"
it_eq "HA: re-registration local" 1 "$(jq -r .registrations_local "$IT_DIR/stats-rereg.json")"
it_eq "BSF: the HA's BIR for the Ub B-TID answered 2001" 1 \
	"$(e2e_count_fixed bsf "B-TID $btid0 NAF-Id $(zn_naf_id_hex): 2001")"
it_eq "HSS: one MAR for the subscriber" 1 "$(grep -c "hss_lab: MAR #[0-9]* IMPI $impi0: 2001" "$IT_DIR/hss.log")"

# A second subscriber bootstraps on Ub only; rrq.py (no code shared with the
# project) registers with the Ks_NAF Python derives from K/OP.
zn_mn ub1 --ub-only --impi "$impi1"
it_eq "--ub-only: exit status" 0 "$ZN_RC"
btid1=$(jq -r 'select(.phase == "ub" and .summary == null) | .btid' "$IT_DIR/ub1.json")
ks1=$(ub_ks_naf "$impi1" "$btid1")
python3 "$IT_ROOT/tests/integration/rrq.py" --port "$LAB_HA_PORT" --home 10.23.128.70 --coa 127.0.0.1 \
	--nai "$btid1" --spi 33822 --alg sha1 --key "$ks1" --lifetime 120 >"$IT_DIR/rrq.out" 2>&1
it_check "rrq.py keyed with Python's Ks_NAF: accepted, reply verified ($(cat "$IT_DIR/rrq.out"))" \
	grep -Eq "^code=0 lifetime=120 home=10.23.128.70 .*spi=33822 auth=ok" "$IT_DIR/rrq.out"

# The first subscriber bootstraps again (new RAND, new B-TID): same IMPI, so
# the HA re-keys its address with the new Ks_NAF; then deregisters.
zn_mn again --impi "$impi0" --reregs 0
it_eq "second Ub run: exit status" 0 "$ZN_RC"
btid0b=$(jq -r 'select(.phase == "ub" and .summary == null) | .btid' "$IT_DIR/again.json")
it_check "a new B-TID ($btid0b)" [ "$btid0b" != "$btid0" ]
it_eq "registration and deregistration accepted" "0 0" "$(reg_codes again)"
it_eq "the key is Python's Ks_NAF for the new RAND" "$(zn_fp "$(ub_ks_naf "$impi0" "$btid0b")")" \
	"$(jq -r 'select(.key_fp) | .key_fp' "$IT_DIR/again.json" | sort -u)"
it_eq "HA: a BIR per B-TID (3), still no AMR" "3 0" "$(e2e_stat '"\(.zn.birs) \(.aaa.sent)"')"
it_eq "HA: binding of the first subscriber gone after deregistration" 0 \
	"$(e2e_ctl bindings | jq "[.bindings[] | select(.home_address == \"$LAB_HA_HOME\")] | length")"

ks=$(awk '{ for (i = 2; i <= NF; i++) if ($i ~ /^(k|op)=/) print substr($i, index($i, "=") + 1) }' "$LAB_SUBS_HSS" | tr '\n' '|')
it_check "no log holds K, OP or Ks_NAF" bash -c "! grep -Eqi '${ks}$ks0|$ks1' '$IT_DIR'/*.log '$IT_DIR'/*.err"
e2e_check_capture
