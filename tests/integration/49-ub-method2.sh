#!/bin/bash
# Method 2 from K/OP: mip4-mn --subscriber --method 2 runs Ub with the lab BSF
# (which gets its vector from the lab HSS over Zh), then registers with the HA
# as NAF, which fetches Ks_NAF for that Ub session over Zn.  The key both sides
# use is checked against Ks_NAF computed here from K, OP and the B-TID's RAND by
# an independent MILENAGE (Python, AES from the openssl command, itself checked
# against TS 35.208 set 1) and the TS 33.220 KDF; rrq.py, keyed with that
# Python key for a second subscriber bootstrapped with --ub-only, registers
# too; a new Ub run of the first subscriber re-keys its address.
LAB_GBA=ub
. "$(dirname "$0")/lib-zn.sh"
zn_setup ub-method2 2
e2e_start hss bsf
it_wait_log bsf "CONNECTED TO '$LAB_HSS_ID'" 30
e2e_start aaa ha

# ub_ks_naf IMPI BTID: Ks_NAF for the HA's NAF_Id from IMPI's K and OP in the
# HSS's subscriber file and the RAND of BTID (MILENAGE f3/f4, TS 35.206 §4.1).
ub_ks_naf() {
	python3 - "$LAB_SUBS_HSS" "$1" "$2" "$LAB_HA_ID" "$LAB_HA_UA_ID" <<'PY'
import base64, hashlib, hmac, subprocess, sys
subs, impi, btid, fqdn, ua = sys.argv[1:]

def aes(k, b):
    return subprocess.run(["openssl", "enc", "-aes-128-ecb", "-nopad", "-K", k.hex()],
                          input=b, capture_output=True, check=True).stdout

def xor(a, b):
    return bytes(x ^ y for x, y in zip(a, b))

def ck_ik(k, op, rand):
    opc = xor(aes(k, op), op)
    temp = aes(k, xor(rand, opc))
    t = xor(temp, opc)
    ck = xor(aes(k, xor(t[4:] + t[:4], bytes(15) + b"\x02")), opc)
    ik = xor(aes(k, xor(t[8:] + t[:8], bytes(15) + b"\x04")), opc)
    return ck, ik

# TS 35.208 test set 1 first: the check of this independent MILENAGE.
ck, ik = ck_ik(bytes.fromhex("465b5ce8b199b49faa5f0a2ee238a6bc"),
               bytes.fromhex("cdc202d5123e20f62b6d676ac72cb318"),
               bytes.fromhex("23553cbe9637a89d218ae64dae47bf35"))
if (ck + ik).hex() != "b40ba9a3c58b2a05bbf0d987b21bf8cb" "f769bcd751044604127672711c6d3441":
    sys.exit("MILENAGE self-check against TS 35.208 set 1 failed")
for line in open(subs):
    f = line.split()
    if f and f[0] == impi:
        kv = dict(x.split("=", 1) for x in f[1:])
        rand = base64.b64decode(btid.split("@")[0])
        ck, ik = ck_ik(bytes.fromhex(kv["k"]), bytes.fromhex(kv["op"]), rand)
        s = b"\x01"
        for p in (b"gba-me", rand, impi.encode(), fqdn.encode() + bytes.fromhex(ua)):
            s += p + len(p).to_bytes(2, "big")
        print(hmac.new(ck + ik, s, hashlib.sha256).hexdigest())
        break
PY
}

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
