#!/bin/bash
# aaa_naf with the gba-local and static key sources: success (every answer AVP),
# authenticate-only, wrong key, unknown NAI and B-TID, expired bootstrap, NAF-Id
# mismatch, home address assignment and stability per IMPI across re-bootstrap,
# pool exhaustion.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-aaa.sh"
it_setup aaa-local

aport=$(it_port 21000)
cport=$(it_port 21010)
now=$(date +%s)
store=$IT_DIR/bootstrap.store
b1=$(aaa_store_add "$store" bsf.lab alice@ims.lab $((now + 86400)))
b2=$(aaa_store_add "$store" bsf.lab bob@ims.lab $((now + 86400)))
b1b=$(aaa_store_add "$store" bsf.lab alice@ims.lab $((now + 86400)))   # alice bootstraps again
bexp=$(aaa_store_add "$store" bsf.lab carol@ims.lab $((now - 10)))
bshort=$(aaa_store_add "$store" bsf.lab dave@ims.lab $((now + 100)))
b3=$(aaa_store_add "$store" bsf.lab erin@ims.lab $((now + 86400)))
grep -v "$bexp" "$store" >"$IT_DIR/mn.store"; chmod 600 "$IT_DIR/mn.store"
echo "$bexp alice@ims.lab $(grep "$bexp" "$store" | cut -d' ' -f3-4) $((now + 86400))" >>"$IT_DIR/mn.store"
unknown=$(aaa_store_add "$IT_DIR/mn.store" bsf.lab mallory@ims.lab $((now + 86400)))

cat >"$IT_DIR/aaa-naf.conf" <<X
naf-fqdn = "$AAA_NAF_FQDN"
ua-id = "$AAA_UA"
key-sources = {"static", "gba-local"}
key-lifetime = 3600
registration-lifetime = 500
home-agent-address = "127.0.0.1"
static "mn1@static.lab" {
	spi = 300
	secret = "mn-aaa-secret-of-mn1"
}
gba-local {
	store = "$store"
}
pool "small" {
	first = "10.77.0.10"
	last = "10.77.0.12"
}
X
chmod 600 "$IT_DIR/aaa-naf.conf"
aaa_fd_aaa "$IT_DIR/aaa.conf" "$aport" "$IT_DIR/aaa-naf.conf"
aaa_fd_client "$IT_DIR/client.conf" "$cport" "$aport"
it_freediameterd aaa "$IT_DIR/aaa.conf"
it_wait_log aaa "aaa_naf: ready"
it_check "NAF_Id logged in hex" grep -q "aaa_naf: NAF_Id $(printf '%s' "$AAA_NAF_FQDN" | xxd -p)$AAA_UA " "$IT_DIR/aaa.log"

gba() { aaa_client "$1" --store "$IT_DIR/mn.store" --naf-fqdn "$AAA_NAF_FQDN" --ua-id "$AAA_UA" "${@:2}"; }

# 1. gba-local success: every AVP of the AMA.
gba ok --btid "$b1"
o=$IT_DIR/ok.out
it_eq "gba-local: Result-Code" 2001 "$(aaa_field "$o" 0 rc)"
it_eq "Auth-Application-Id" 2 "$(aaa_field "$o" 0 auth_app)"
it_eq "MIP-MN-to-HA-MSA present" 1 "$(aaa_field "$o" 0 mn_ha_msa)"
it_eq "MIP-HA-to-MN-MSA present" 1 "$(aaa_field "$o" 0 ha_mn_msa)"
it_eq "MIP-Algorithm-Type in both MSAs" 2/2 "$(aaa_field "$o" 0 alg)"
it_eq "MIP-Replay-Mode in both MSAs" 2/2 "$(aaa_field "$o" 0 replay)"
it_eq "MIP-MN-HA-SPI = MN SPI of the KeyGen Request" 4096 "$(aaa_field "$o" 0 mn_ha_spi)"
it_eq "MIP-nonce length" 16 "$(aaa_field "$o" 0 nonce_len)"
it_eq "MIP-Session-Key length (HMAC-SHA1)" 20 "$(aaa_field "$o" 0 keylen)"
it_eq "session key = what the MN derives from the nonce" yes "$(aaa_field "$o" 0 keymatch)"
it_eq "MIP-MSA-Lifetime" 3600 "$(aaa_field "$o" 0 msa_life)"
it_eq "Authorization-Lifetime (capped by registration-lifetime)" 500 "$(aaa_field "$o" 0 auth_life)"
it_eq "Auth-Session-State" NO_STATE_MAINTAINED "$(aaa_field "$o" 0 session_state)"
it_eq "MIP-Home-Agent-Address" 127.0.0.1 "$(aaa_field "$o" 0 haaddr)"
it_eq "MIP-Mobile-Node-Address from the pool" 10.77.0.10 "$(aaa_field "$o" 0 mnaddr)"
it_eq "no MIP-Reg-Reply (co-located)" 0 "$(aaa_field "$o" 0 reg_reply)"
it_check "key never printed in the AAA log" bash -c "! grep -qi 'session-key\|ks_naf.*[0-9a-f]\{32\}' '$IT_DIR/aaa.log'"

# 2. Two requests for one B-TID: fresh nonce and key each time, same address.
gba twice --btid "$b1" -n 2
it_check "two nonces, two keys" test "$(aaa_field "$IT_DIR/twice.out" 0 keyfp)" != "$(aaa_field "$IT_DIR/twice.out" 1 keyfp)"
it_eq "same IMPI, same address" 10.77.0.10 "$(aaa_field "$IT_DIR/twice.out" 1 mnaddr)"

# 3. Re-bootstrap (new B-TID, same IMPI) keeps the address; another IMPI gets another.
gba reboot --btid "$b1b"
it_eq "alice after re-bootstrap: Result-Code" 2001 "$(aaa_field "$IT_DIR/reboot.out" 0 rc)"
it_eq "alice after re-bootstrap keeps her address" 10.77.0.10 "$(aaa_field "$IT_DIR/reboot.out" 0 mnaddr)"
gba bob --btid "$b2"
it_eq "bob gets the next address" 10.77.0.11 "$(aaa_field "$IT_DIR/bob.out" 0 mnaddr)"

# 4. A requested home address is echoed, not assigned.
gba fixed --btid "$b2" --home-addr 192.0.2.77
it_eq "requested home address echoed" 192.0.2.77 "$(aaa_field "$IT_DIR/fixed.out" 0 mnaddr)"

# 5. Authenticate only (no KeyGen Request): 2001 without MSAs.
gba authonly --btid "$b2" -C no-keyreq
it_eq "no KeyGen Request: Result-Code" 2001 "$(aaa_field "$IT_DIR/authonly.out" 0 rc)"
it_eq "no KeyGen Request: no MN-to-HA MSA" 0 "$(aaa_field "$IT_DIR/authonly.out" 0 mn_ha_msa)"
it_eq "no KeyGen Request: no HA-to-MN MSA" 0 "$(aaa_field "$IT_DIR/authonly.out" 0 ha_mn_msa)"

# 6. Key lifetime capped at the bootstrap's remaining life (~100 s).
gba short --btid "$bshort" --home-addr 192.0.2.6
ml=$(aaa_field "$IT_DIR/short.out" 0 msa_life); al=$(aaa_field "$IT_DIR/short.out" 0 auth_life)
it_check "MIP-MSA-Lifetime capped by the GBA key ($ml s)" test "$ml" -le 100 -a "$ml" -ge 90
it_check "Authorization-Lifetime <= MIP-MSA-Lifetime ($al s)" test "$al" -le "$ml"

# 7. Failures.
gba wrong --btid "$b1" -C wrong-key
it_eq "wrong key: Result-Code" 4001 "$(aaa_field "$IT_DIR/wrong.out" 0 rc)"
it_eq "wrong key: Error-Message" "authentication rejected: MN-AAA authenticator mismatch" "$(aaa_err "$IT_DIR/wrong.out" 0)"
it_eq "wrong key: no MSA" 0 "$(aaa_field "$IT_DIR/wrong.out" 0 ha_mn_msa)"
gba unknown --btid "$unknown"
it_eq "unknown B-TID: Result-Code" 4001 "$(aaa_field "$IT_DIR/unknown.out" 0 rc)"
it_eq "unknown B-TID: Error-Message" "authentication rejected: unknown B-TID" "$(aaa_err "$IT_DIR/unknown.out" 0)"
gba expired --btid "$bexp"
it_eq "expired bootstrap: Result-Code" 4001 "$(aaa_field "$IT_DIR/expired.out" 0 rc)"
it_eq "expired bootstrap: Error-Message" "authentication rejected: B-TID expired: bootstrap again" "$(aaa_err "$IT_DIR/expired.out" 0)"
aaa_client nafid --store "$IT_DIR/mn.store" --naf-fqdn other.home.lab --ua-id "$AAA_UA" --btid "$b1"
it_eq "MN with another NAF FQDN: 4001" 4001 "$(aaa_field "$IT_DIR/nafid.out" 0 rc)"
aaa_client uaid --store "$IT_DIR/mn.store" --naf-fqdn "$AAA_NAF_FQDN" --ua-id ff00000002 --btid "$b1"
it_eq "MN with another Ua id: 4001" 4001 "$(aaa_field "$IT_DIR/uaid.out" 0 rc)"

# 8. static key source.
aaa_client static --nai mn1@static.lab --secret mn-aaa-secret-of-mn1 --spi 300 --home-addr 192.0.2.5
it_eq "static: Result-Code" 2001 "$(aaa_field "$IT_DIR/static.out" 0 rc)"
it_eq "static: session key = the MN's derivation" yes "$(aaa_field "$IT_DIR/static.out" 0 keymatch)"
it_eq "static: no GBA cap, MIP-MSA-Lifetime" 3600 "$(aaa_field "$IT_DIR/static.out" 0 msa_life)"
it_eq "static: home address echoed" 192.0.2.5 "$(aaa_field "$IT_DIR/static.out" 0 mnaddr)"
aaa_client staticwrong --nai mn1@static.lab --secret not-the-secret --spi 300 --home-addr 192.0.2.5
it_eq "static, wrong secret: 4001" 4001 "$(aaa_field "$IT_DIR/staticwrong.out" 0 rc)"
aaa_client staticspi --nai mn1@static.lab --secret mn-aaa-secret-of-mn1 --spi 301 --home-addr 192.0.2.5
it_eq "static, unknown SPI: 4001" 4001 "$(aaa_field "$IT_DIR/staticspi.out" 0 rc)"
aaa_client nobody --nai nobody@static.lab --secret x --spi 300 --home-addr 192.0.2.5
it_eq "unknown NAI: 4001" 4001 "$(aaa_field "$IT_DIR/nobody.out" 0 rc)"
it_eq "unknown NAI: Error-Message" "authentication rejected: unknown NAI (not a B-TID)" "$(aaa_err "$IT_DIR/nobody.out" 0)"

# 9. Pool exhaustion: the third owner takes the last address, the fourth is refused.
gba erin --btid "$b3"
it_eq "third owner: last address" 10.77.0.12 "$(aaa_field "$IT_DIR/erin.out" 0 mnaddr)"
gba dave --btid "$bshort"
it_eq "pool exhausted: Result-Code" 5012 "$(aaa_field "$IT_DIR/dave.out" 0 rc)"
it_eq "pool exhausted: Error-Message" "home address pool exhausted" "$(aaa_err "$IT_DIR/dave.out" 0)"
gba alice3 --btid "$b1"
it_eq "existing owner still served when the pool is full" 10.77.0.10 "$(aaa_field "$IT_DIR/alice3.out" 0 mnaddr)"

aaa_stop aaa
it_check "AMR counters logged at exit" grep -q "aaa_naf: AMR [0-9]*: success" "$IT_DIR/aaa.log"
