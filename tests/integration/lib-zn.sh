# Helpers for the method 2 tests (45-49-ha-zn-*.sh): the lab of lib-e2e.sh with
# LAB_METHOD2=1, so that mip4-ha has the BSF as a second Diameter peer (role
# bsf) and a zn section, and the BSF knows the HA as a NAF.
LAB_METHOD2=1
. "$(dirname "${BASH_SOURCE[0]}")/lib-e2e.sh"

# zn_setup NAME N_MNS: e2e_setup, and the mip4-mn options of method 2.
zn_setup() {
	e2e_setup "$1" "$2"
	mapfile -t ZN_MN_ARGS < <(lab_mn2_args)
}

# zn_mn OUT ARGS...: mip4-mn --method 2 (--json); output in $IT_DIR/OUT.json,
# stderr in OUT.err; sets ZN_RC.
zn_mn() {
	local out=$1; shift
	"$LAB_MN" "${ZN_MN_ARGS[@]}" --json "$@" >"$IT_DIR/$out.json" 2>"$IT_DIR/$out.err"
	ZN_RC=$?
	it_log "mip4-mn --method 2 $* -> exit $ZN_RC: $(tail -n 1 "$IT_DIR/$out.json")"
}

# zn_codes OUT: the reply codes of a run, in order, on one line.
zn_codes() { e2e_outcomes "$1" .code | tr '\n' ' ' | sed 's/ $//'; }

# zn_ks_naf BTID: Ks_NAF of BTID's entry in the MN store for the HA's NAF_Id,
# computed here with Python's hmac (TS 33.220 Annex B.2/B.3), apart from the
# project's C code: the independent side of every key check.
zn_ks_naf() {
	python3 - "$LAB_MN_STORE" "$1" "$LAB_HA_ID" "$LAB_HA_UA_ID" <<'PY'
import hashlib, hmac, sys
store, btid, fqdn, ua = sys.argv[1:]
for line in open(store):
    f = line.split()
    if len(f) == 5 and f[0] == btid:
        ks, rand, impi = bytes.fromhex(f[3]), bytes.fromhex(f[2]), f[1].encode()
        naf_id = fqdn.encode() + bytes.fromhex(ua)
        s = b"\x01"
        for p in (b"gba-me", rand, impi, naf_id):
            s += p + len(p).to_bytes(2, "big")
        print(hmac.new(ks, s, hashlib.sha256).hexdigest())
        break
PY
}

# zn_fp HEX: mip4-mn's key fingerprint of a key (first 8 octets of SHA-256).
zn_fp() { python3 -c 'import hashlib, sys; print(hashlib.sha256(bytes.fromhex(sys.argv[1])).hexdigest()[:16])' "$1"; }

# zn_naf_id_hex: the HA's NAF_Id as the BSF logs it.
zn_naf_id_hex() { printf '%s' "$LAB_HA_ID" | od -An -tx1 | tr -d ' \n'; printf '%s' "$LAB_HA_UA_ID"; }

# zn_birs NAME BTID: BIRs for BTID from the HA in the BSF log NAME.
zn_birs() { e2e_count_fixed "$1" "B-TID $2 NAF-Id $(zn_naf_id_hex):"; }
