#!/bin/bash
# Method 2 (TR 33.822 §7.3.3), the HA as NAF: a node's first registration makes
# the HA fetch Ks_NAF from the BSF (one BIR, no AMR), check the request with it
# and sign the reply with it; mip4-mn checks that reply with the Ks_NAF it
# derives itself, and its key is the one Python derives from the store here.
# Re-registrations are local; another address of the same B-TID is served from
# the warm Zn cache (no BIR); a client with no code in common (rrq.py) keyed
# with the Python Ks_NAF registers too; another subscriber cannot take an
# address (129); no log holds a key.
. "$(dirname "$0")/lib-zn.sh"
zn_setup ha-zn-register 3
e2e_start bsf aaa ha
it_check "HA: one AAA and one BSF peer" grep -q "diameter: peer bsf.lab.example, role bsf" "$IT_DIR/ha.log"
it_check "HA: ready once both peers are open" \
	grep -Eq "ready: .*Diameter peers open: (aaa.lab.example \(aaa\), bsf.lab.example \(bsf\)|bsf.lab.example \(bsf\), aaa.lab.example \(aaa\))" "$IT_DIR/ha.log"
it_check "HA: NAF_Id logged in hex" grep -q "zn: method 2 (HA as NAF), NAF_Id $(zn_naf_id_hex), MN-HA SPI 33822" "$IT_DIR/ha.log"

mapfile -t btid < <(awk '{print $1}' "$LAB_MN_STORE")
ks0=$(zn_ks_naf "${btid[0]}")
it_check "Python derived Ks_NAF (64 hex digits)" bash -c "[[ '$ks0' =~ ^[0-9a-f]{64}$ ]]"

cat >"$IT_DIR/step.sh" <<X
#!/bin/bash
"$LAB_CTLBIN" -s "$LAB_CTL" stats >"$IT_DIR/stats-\$MIP4_MN_PHASE.json" &&
"$LAB_CTLBIN" -s "$LAB_CTL" bindings >"$IT_DIR/bindings-\$MIP4_MN_PHASE.json"
X
chmod +x "$IT_DIR/step.sh"
zn_mn first -v --btid "${btid[0]}" --reregs 2 --no-dereg --step-cmd "$IT_DIR/step.sh"
it_eq "mip4-mn exit status" 0 "$ZN_RC"
it_eq "codes: first registration, two re-registrations" "0 0 0" "$(zn_codes first)"
it_eq "mip4-mn's Ks_NAF is Python's (fingerprint)" "$(zn_fp "$ks0")" "$(e2e_outcomes first '.key_fp' | sort -u)"
it_check "transcript: the reply verified with Ks_NAF" grep -q "MN-HA authenticator verified with Ks_NAF (SPI 33822, HMAC-SHA1" "$IT_DIR/first.err"
s=$IT_DIR/stats-initial.json
it_eq "first registration: via Zn" 1 "$(jq -r .registrations_zn "$s")"
it_eq "first registration: one BIR" 1 "$(jq -r .zn.birs "$s")"
it_eq "first registration: no AMR" 0 "$(jq -r .aaa.sent "$s")"
it_eq "BSF: one BIR from the HA for the B-TID, answered 2001" 1 \
	"$(e2e_count_fixed bsf "B-TID ${btid[0]} NAF-Id $(zn_naf_id_hex): 2001")"
b=$IT_DIR/bindings-initial.json
it_eq "binding: home address" "$LAB_HA_HOME" "$(jq -r '.bindings[0].home_address' "$b")"
it_eq "binding: SA from Zn" zn "$(jq -r '.bindings[0].sa' "$b")"
it_eq "binding: SPI" 33822 "$(jq -r '.bindings[0].spi' "$b")"
it_eq "binding: algorithm" hmac-sha1 "$(jq -r '.bindings[0].algorithm' "$b")"
it_check "HA log: via=zn" grep -Eq "registration mn=${btid[0]//+/\\+} home=$LAB_HA_HOME .* code=0 .*via=zn zn_ms=" "$IT_DIR/ha.log"
s=$IT_DIR/stats-rereg.json
it_eq "re-registrations: served locally" 2 "$(jq -r .registrations_local "$s")"
it_eq "re-registrations: still one BIR" 1 "$(jq -r .zn.birs "$s")"

# The same B-TID at another address: no association there, the key is cached.
zn_mn warm --btid "${btid[0]}" --home-addr 10.23.128.50 --reregs 0 --no-dereg
it_eq "warm cache: accepted" 0 "$(zn_codes warm)"
it_eq "warm cache: no new BIR" 1 "$(e2e_stat .zn.birs)"
it_eq "warm cache: one hit" 1 "$(e2e_stat .zn.hits)"
it_eq "warm cache: two registrations via Zn" 2 "$(e2e_stat .registrations_zn)"

# rrq.py keyed with the Python Ks_NAF of the second B-TID.
ks1=$(zn_ks_naf "${btid[1]}")
python3 "$IT_ROOT/tests/integration/rrq.py" --port "$LAB_HA_PORT" --home 10.23.128.60 --coa 127.0.0.1 \
	--nai "${btid[1]}" --spi 33822 --alg sha1 --key "$ks1" --lifetime 120 >"$IT_DIR/rrq.out" 2>&1
it_eq "rrq.py keyed with Python's Ks_NAF: exit status" 0 "$?"
it_check "rrq.py: accepted, reply verified with that key ($(cat "$IT_DIR/rrq.out"))" \
	grep -Eq "^code=0 lifetime=120 home=10.23.128.60 .*spi=33822 auth=ok" "$IT_DIR/rrq.out"
python3 "$IT_ROOT/tests/integration/rrq.py" --port "$LAB_HA_PORT" --home 10.23.128.61 --coa 127.0.0.1 \
	--nai "${btid[1]}" --spi 33822 --alg sha1 --key "${ks1:0:40}" >"$IT_DIR/rrq20.out" 2>&1
it_check "rrq.py keyed with the first 20 octets only: 131 ($(cat "$IT_DIR/rrq20.out"))" \
	grep -Eq "^code=131 .*auth=none" "$IT_DIR/rrq20.out"

# Another subscriber asks for the first node's address: 129, signed with its own key.
zn_mn thief --btid "${btid[2]}" --home-addr "$LAB_HA_HOME" --reregs 0 --no-dereg --retries 0
it_eq "another subscriber's address: 129" 129 "$(zn_codes thief)"
it_eq "the refusal was authenticated (no bad reply)" 0 "$(e2e_summary thief .bad_auth)"
it_eq "the owner's binding stays" 127.0.0.1 \
	"$(e2e_ctl bindings | jq -r ".bindings[] | select(.home_address == \"$LAB_HA_HOME\") | .care_of_address")"

it_eq "HA: no AMR in this whole run" 0 "$(e2e_stat .aaa.sent)"
ks=$(awk '{print $4}' "$LAB_MN_STORE" | tr '\n' '|' | sed 's/|$//')
it_check "no log holds Ks or Ks_NAF" bash -c "! grep -Eqi '$ks|$ks0|$ks1' '$IT_DIR'/*.log '$IT_DIR'/*.err"
e2e_check_capture
