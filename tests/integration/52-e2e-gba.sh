#!/bin/bash
# GBA life cycle seen from the MN: B-TID re-bootstrap (new B-TID for the same
# IMPI: new key, same home address); expired bootstrap → 144, then success after
# the MN's one re-bootstrap; a bootstrap that stays expired → 144; NAF_Id
# mismatch between MN and AAA (FQDN or Ua id) → 144.
. "$(dirname "$0")/lib-e2e.sh"
e2e_setup e2e-gba 3

# Bootstraps the BSF knows from the start but the MN gets only later (a new Ub
# run for mn000000), an expired and a fresh one for "old000000", and an expired
# one alone for "gone000000".
mkstore() { "$LAB_MN" --make-store 1 --bsf-domain "$LAB_BSF_DOMAIN" --append "$@" >>"$IT_DIR/setup.log" 2>&1 ||
	it_fail "make-store $*"; }
mkstore --first 0 --expiry 90000 --out-mn "$IT_DIR/rebootstrap.store" --out-bsf "$LAB_BSF_STORE"
mkstore --impi-prefix old --expiry -60 --out-mn "$LAB_MN_STORE" --out-bsf "$LAB_BSF_STORE"
mkstore --impi-prefix old --expiry 86400 --out-mn "$LAB_MN_STORE" --out-bsf "$LAB_BSF_STORE"
mkstore --impi-prefix gone --expiry -60 --out-mn "$LAB_MN_STORE" --out-bsf "$LAB_BSF_STORE"
e2e_start bsf aaa ha
e2e_wait_peer 1

impi0=mn000000@ims.lab.example
e2e_mn first --impi $impi0 --no-dereg --reregs 0
it_eq "first registration of $impi0" 0 "$(e2e_outcomes first .code)"
home=$(e2e_outcomes first .home)
fp1=$(e2e_outcomes first .key_fp)
btid1=$(e2e_outcomes first .nai)

cat "$IT_DIR/rebootstrap.store" >>"$LAB_MN_STORE"
btid2=$(e2e_btid $impi0)
it_check "re-bootstrap gave a new B-TID" [ "$btid2" != "$btid1" ]
e2e_mn second --impi $impi0 --reregs 1
it_eq "registration with the new B-TID" "0 0 0" "$(e2e_outcomes second .code | tr '\n' ' ' | sed 's/ $//')"
it_eq "NAI is the new B-TID" "$btid2" "$(e2e_outcomes second 'select(.phase == "initial") | .nai')"
it_eq "same home address after re-bootstrap" "$home" "$(e2e_outcomes second 'select(.phase == "initial") | .home')"
fp2=$(e2e_outcomes second 'select(.phase == "initial") | .key_fp')
it_check "new MN-HA key ($fp1 -> $fp2)" [ -n "$fp2" -a "$fp2" != "$fp1" ]
it_eq "BSF asked for the new B-TID" 1 "$(e2e_count_fixed bsf "B-TID $btid2 ")"

# Expired bootstrap: 144, then the MN reads its store again and succeeds.
old_exp=$(awk '$2 == "old000000@ims.lab.example" && $5 < systime() { print $1 }' "$LAB_MN_STORE")
old_new=$(e2e_btid old000000@ims.lab.example)
e2e_mn expired -v --btid "$old_exp" --reregs 0
it_eq "expired bootstrap: accepted after the re-bootstrap" 0 "$E2E_RC"
it_eq "one re-bootstrap" 1 "$(e2e_summary expired .rebootstraps)"
it_eq "accepted with the fresh B-TID" "$old_new" "$(e2e_outcomes expired 'select(.phase == "initial") | .nai')"
it_check "MN saw 144 for the expired B-TID" grep -q "RRP code 144" "$IT_DIR/expired.err"
it_eq "BSF answered 5403 for the expired B-TID" 1 "$(e2e_count_fixed bsf "B-TID $old_exp NAF-Id 6161612e6c61622e6578616d706c65ff00000001: 5403")"
it_check "HA logged 144 for the expired B-TID" grep -qF "mn=$old_exp home=0.0.0.0 coa=127.0.0.1 code=144" "$IT_DIR/ha.log"

# Still expired after the re-bootstrap: the final answer is 144.
e2e_mn gone --impi gone000000@ims.lab.example --reregs 0
it_eq "stays expired: exit status" 1 "$E2E_RC"
it_eq "stays expired: final code 144" 144 "$(e2e_outcomes gone .code)"
it_eq "stays expired: one re-bootstrap, then no more" 1 "$(e2e_summary gone .rebootstraps)"

# NAF_Id mismatch: the MN derives Ks_NAF for another NAF_Id than the AAA asks the BSF for.
btid_c=$(e2e_btid mn000002@ims.lab.example)
aaa_4001=$(e2e_stat '.aaa.result_codes["4001"] // 0')
e2e_mn naf_fqdn --btid "$btid_c" --naf-fqdn naf.other.example --reregs 0
it_eq "NAF FQDN mismatch: 144" 144 "$(e2e_outcomes naf_fqdn .code)"
e2e_mn naf_ua --btid "$btid_c" --ua-id 0100000002 --reregs 0
it_eq "Ua id mismatch: 144" 144 "$(e2e_outcomes naf_ua .code)"
it_eq "AAA answered 4001 to each try (2 runs x 2 tries)" $((aaa_4001 + 4)) "$(e2e_stat '.aaa.result_codes["4001"]')"
e2e_mn naf_ok --btid "$btid_c" --reregs 0 --no-dereg
it_eq "the same bootstrap with the right NAF_Id: accepted" 0 "$(e2e_outcomes naf_ok .code)"
it_eq "HA bindings: only mn000002's (the others deregistered or refused)" 1 "$(e2e_stat .bindings_active)"
e2e_check_capture
