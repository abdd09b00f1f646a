#!/bin/bash
# Method 1 from K/OP, the whole chain: mip4-mn --subscriber runs Ub with the lab
# BSF (vector from the lab HSS over Zh), then its first registration goes
# through the AAA/NAF (AMR, BIR for the Ub B-TID, AMA) and the reply verifies
# with the MN-HA key mip4-mn derives; Ks_NAF is the one ksnaf.py computes from
# K/OP apart from the project's code, and rrq.py keyed with that key registers
# a second subscriber itself.  A USIM whose SEQ_MS is ahead of the HSS answers
# with AUTS and the HSS resynchronises (one more challenge, then 200).  A store
# made from Ub runs feeds --load, and --load --subscriber bootstraps itself.
# With the HSS down the BSF answers 503 and keeps nothing, while sessions
# already made keep serving Zn.
LAB_GBA=ub
. "$(dirname "$0")/lib-e2e.sh"
e2e_setup ub-chain 3
impi0=mn000000@ims.lab.example impi1=mn000001@ims.lab.example impi2=mn000002@ims.lab.example
# Subscriber 2's USIM has accepted SEQ 100 for every IND: the HSS's first vector is old to it.
ahead=$(printf '000000000064%.0s,' {1..32})
sed -i "s/^\\($impi2 .*\\)\$/\\1 seq-ms=${ahead%,}/" "$LAB_SUBS_MN"
e2e_start hss bsf
it_wait_log bsf "CONNECTED TO '$LAB_HSS_ID'" 30
e2e_start aaa ha

ks_naf() { python3 "$IT_ROOT/tests/integration/ksnaf.py" "$LAB_SUBS_HSS" "$1" "$2" "$LAB_NAF_FQDN" "$LAB_UA_ID"; }
ub_line() { jq -r "select(.phase == \"ub\" and .summary == null) | $2" "$IT_DIR/$1.json"; }
reg_codes() { jq -r 'select(.summary == null and .phase != "ub") | .code' "$IT_DIR/$1.json" | tr '\n' ' ' | sed 's/ $//'; }
naf_hex=$(printf '%s' "$LAB_NAF_FQDN" | od -An -tx1 | tr -d ' \n')$LAB_UA_ID

cat >"$IT_DIR/step.sh" <<X
#!/bin/bash
"$LAB_CTLBIN" -s "$LAB_CTL" stats >"$IT_DIR/stats-\$MIP4_MN_PHASE.json"
X
chmod +x "$IT_DIR/step.sh"
e2e_mn first -v --impi "$impi0" --reregs 1 --step-cmd "$IT_DIR/step.sh"
it_eq "mip4-mn exit status" 0 "$E2E_RC"
it_eq "Ub: 200 after one challenge, no resynchronisation" "200 1 0" "$(ub_line first '"\(.status) \(.challenges) \(.resyncs)"')"
btid0=$(ub_line first .btid)
it_eq "first registration, re-registration, deregistration" "0 0 0" "$(reg_codes first)"
it_eq "NAI = the B-TID from Ub" "$btid0" "$(jq -r 'select(.phase == "initial") | .nai' "$IT_DIR/first.json")"
ks0=$(ks_naf "$impi0" "$btid0")
it_check "ksnaf.py: Ks_NAF from K/OP (64 hex digits)" bash -c "[[ '$ks0' =~ ^[0-9a-f]{64}$ ]]"
it_eq "Ub run's Ks_NAF for the AAA's NAF_Id is ksnaf.py's" \
	"$(python3 -c 'import hashlib, sys; print(hashlib.sha256(bytes.fromhex(sys.argv[1])).hexdigest()[:16])' "$ks0")" \
	"$(ub_line first .ks_naf_fp)"
it_check "transcript: the reply verified with the key from the KeyGen Reply" grep -q "MN-HA authenticator verified" "$IT_DIR/first.err"
it_eq "HA: one AMR for the first registration" 1 "$(jq -r .aaa.sent "$IT_DIR/stats-initial.json")"
it_eq "HA: the re-registration without the AAA" 1 "$(jq -r .aaa.sent "$IT_DIR/stats-rereg.json")"
it_eq "BSF: the AAA's BIR for the Ub B-TID answered 2001" 1 "$(e2e_count_fixed bsf "B-TID $btid0 NAF-Id $naf_hex: 2001")"

# rrq.py (no code in common with the project): MN-AAA keyed with ksnaf.py's
# Ks_NAF of a subscriber bootstrapped with --ub-only; it derives the MN-HA key
# from the KeyGen Reply itself and checks the reply with it.
e2e_mn ub1 --ub-only --impi "$impi1"
it_eq "--ub-only: exit status" 0 "$E2E_RC"
btid1=$(ub_line ub1 .btid)
python3 "$IT_ROOT/tests/integration/rrq.py" --port "$LAB_HA_PORT" --coa 127.0.0.1 --nai "$btid1" \
	--keygen 4096 --aaa-spi 256 --aaa-key "$(ks_naf "$impi1" "$btid1")" >"$IT_DIR/rrq.out" 2>&1
it_check "rrq.py with ksnaf.py's Ks_NAF: accepted, reply verified ($(cat "$IT_DIR/rrq.out"))" \
	grep -Eq "^code=0 .*auth=ok" "$IT_DIR/rrq.out"

# SQN resynchronisation: AUTS, the HSS resets SQN_HE, a second challenge, 200.
e2e_mn resync -v --impi "$impi2" --reregs 0 --no-dereg
it_eq "resync: mip4-mn exit status" 0 "$E2E_RC"
it_eq "resync: 200 after two challenges, one resynchronisation" "200 2 1" "$(ub_line resync '"\(.status) \(.challenges) \(.resyncs)"')"
it_eq "resync: registered" 0 "$(reg_codes resync)"
it_check "HSS: SQN_HE reset from AUTS" grep -Eq "hss_lab: MAR #[0-9]+ IMPI $impi2: .*resync: SQN_HE [0-9a-f]{12} -> SQN_MS" "$IT_DIR/hss.log"
sqn=$(awk -v i="$impi2" '$1 == i { for (f = 2; f <= NF; f++) if ($f ~ /^sqn=/) print substr($f, 5) }' "$LAB_SUBS_HSS")
it_check "HSS file: SQN past the USIM's SEQ 100 ($sqn)" bash -c "(( (16#$sqn >> 5) > 100 ))"

# Every mode takes Ub bootstraps: a store made from Ub runs (--make-store
# --subscriber, no BSF copy: the BSF keeps the sessions) for the load
# generator, and --load --subscriber itself.
"$LAB_MN" --make-store 2 "${E2E_MN_ARGS[@]:2}" --out-mn "$IT_DIR/ub.store" >"$IT_DIR/make-store.out" 2>&1
it_eq "--make-store from Ub runs: exit status" 0 "$?"
it_eq "... two entries whose B-TIDs the BSF issued" 2 \
	"$(awk '{ print $1 }' "$IT_DIR/ub.store" | while read -r b; do grep -cF "200 (bootstrapped: B-TID $b," "$IT_DIR/bsf.log"; done | grep -c '^1$')"
it_eq "... mode 0600" 600 "$(stat -c %a "$IT_DIR/ub.store")"
"$LAB_MN" --ha "$LAB_HA_ADDR:$LAB_HA_PORT" --naf-fqdn "$LAB_NAF_FQDN" --ua-id "$LAB_UA_ID" --store "$IT_DIR/ub.store" \
	--load --json >"$IT_DIR/load-store.json" 2>"$IT_DIR/load-store.err"
it_eq "--load --store from Ub runs: both nodes registered" "2 2" "$(e2e_summary load-store '"\(.sent) \(.accepted)"')"
e2e_mn load-ub --load --mns 3
it_eq "--load --subscriber: three Ub bootstraps" 3 "$(jq -r 'select(.phase == "ub" and .summary == null and .status == 200) | .btid' "$IT_DIR/load-ub.json" | sort -u | wc -l)"
it_eq "--load --subscriber: three registrations accepted" 3 "$(jq -r 'select(.summary and .phase != "ub") | .accepted' "$IT_DIR/load-ub.json")"

# The HSS down: 503, nothing kept; a session made before (a B-TID the AAA has
# not asked for yet) still serves Zn.
e2e_mn ub1b --ub-only --impi "$impi1"
btid1b=$(ub_line ub1b .btid)
made=$(grep -c "IMPI $impi0: 200 (bootstrapped" "$IT_DIR/bsf.log")
it_stop hss 30
e2e_mn down --ub-only --impi "$impi0"
it_eq "HSS down: Ub answered 503" 503 "$(ub_line down .status)"
it_check "BSF: 503, HSS unavailable" grep -Eq "bsf_lab: Ub #[0-9]+ .* IMPI $impi0: 503 \(initial request: HSS unavailable" "$IT_DIR/bsf.log"
it_eq "HSS down: no bootstrap made" "$made" "$(grep -c "IMPI $impi0: 200 (bootstrapped" "$IT_DIR/bsf.log")"
python3 "$IT_ROOT/tests/integration/rrq.py" --port "$LAB_HA_PORT" --coa 127.0.0.1 --nai "$btid1b" \
	--keygen 4097 --aaa-spi 256 --aaa-key "$(ks_naf "$impi1" "$btid1b")" >"$IT_DIR/rrq-down.out" 2>&1
it_check "HSS down: a B-TID bootstrapped before registers ($(cat "$IT_DIR/rrq-down.out"))" \
	grep -Eq "^code=0 .*auth=ok" "$IT_DIR/rrq-down.out"
it_eq "HSS down: ... its BIR answered 2001 from the BSF's session" 1 "$(e2e_count_fixed bsf "B-TID $btid1b NAF-Id $naf_hex: 2001")"

ks=$(awk '{ for (i = 2; i <= NF; i++) if ($i ~ /^(k|op)=/) print substr($i, index($i, "=") + 1) }' "$LAB_SUBS_HSS" | tr '\n' '|')
it_check "no log holds K, OP or Ks_NAF" bash -c "! grep -Eqi '${ks}$ks0' '$IT_DIR'/*.log '$IT_DIR'/*.err"
e2e_check_capture
