#!/bin/bash
# aaa_naf with the gba-local and static key sources: success (every answer AVP),
# authenticate-only, wrong key, unknown NAI and B-TID, expired bootstrap, NAF-Id
# mismatch, home address assignment and stability per IMPI across re-bootstrap,
# pool exhaustion; assignments kept across an AAA restart by the pool state file.
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
pool-state-file = "$IT_DIR/pool.state"
X
chmod 600 "$IT_DIR/aaa-naf.conf"
aaa_fd_aaa "$IT_DIR/aaa.conf" "$aport" "$IT_DIR/aaa-naf.conf"
aaa_fd_client "$IT_DIR/client.conf" "$cport" "$aport"
it_freediameterd aaa "$IT_DIR/aaa.conf"
it_wait_log aaa "aaa_naf: ready"
it_check "state file: none yet, 0 assignments loaded" grep -q "aaa_naf: 0 home address assignment(s) loaded from $IT_DIR/pool.state" "$IT_DIR/aaa.log"
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
it_eq "MIP-MN-HA-SPI left out by default (not an RFC 4004 AVP, see 25-aaa-conformance)" - "$(aaa_field "$o" 0 mn_ha_spi)"
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

# 10. Restart with the same state file: every owner keeps its address, a new
# owner gets a free one (the pool grows by one address so that one is free).
it_eq "state file: one line per assignment" "alice@ims.lab 10.77.0.10
bob@ims.lab 10.77.0.11
erin@ims.lab 10.77.0.12" "$(cat "$IT_DIR/pool.state")"
it_eq "state file mode" 600 "$(stat -c %a "$IT_DIR/pool.state")"
bnew=$(aaa_store_add "$store" bsf.lab frank@ims.lab $((now + 86400)))
grep -F "$bnew" "$store" >>"$IT_DIR/mn.store"
sed -i 's/last = "10.77.0.12"/last = "10.77.0.13"/' "$IT_DIR/aaa-naf.conf"
it_freediameterd aaa2 "$IT_DIR/aaa.conf"
it_wait_log aaa2 "aaa_naf: ready"
it_check "restart: 3 assignments loaded" grep -q "aaa_naf: 3 home address assignment(s) loaded from $IT_DIR/pool.state" "$IT_DIR/aaa2.log"
gba newowner --btid "$bnew"
it_eq "restart: a new IMPI gets the free address, none recorded for another" 10.77.0.13 "$(aaa_field "$IT_DIR/newowner.out" 0 mnaddr)"
gba alice4 --btid "$b1b"
it_eq "restart: alice keeps her address" 10.77.0.10 "$(aaa_field "$IT_DIR/alice4.out" 0 mnaddr)"
gba bob2 --btid "$b2"
it_eq "restart: bob keeps his address" 10.77.0.11 "$(aaa_field "$IT_DIR/bob2.out" 0 mnaddr)"
it_eq "restart: only the new assignment was appended" "frank@ims.lab 10.77.0.13" "$(tail -n 1 "$IT_DIR/pool.state")"
it_eq "restart: state file lines" 4 "$(wc -l <"$IT_DIR/pool.state")"
aaa_stop aaa2

# 11. A state file "other" may read, or one with a bad line, is refused with one
# line naming it; without the option the AAA warns that assignments will not
# survive a restart.
refused() { # NAME DESCRIPTION EXPECTED-ERROR
	it_start "$1" env ${MIP4_PRELOAD:+LD_PRELOAD="$MIP4_PRELOAD"} \
		ASAN_OPTIONS=detect_leaks=0:detect_odr_violation=0:abort_on_error=1 freeDiameterd -c "$IT_DIR/aaa.conf"
	# Exited, or (asan flavour) shut down and stuck in exit(): see aaa_stop in lib-aaa.sh.
	it_wait_cmd 60 "$2: freeDiameterd gives up" bash -c "! kill -0 $(it_pid "$1") 2>/dev/null ||
		{ [ '$FLAVOUR' = asan ] && grep -q 'freeDiameterd framework is stopping' '$IT_DIR/$1.log'; }"
	it_stop "$1" 5
	it_check "$2: AAA refused to start (status $IT_RC)" test "$IT_RC" -ne 0
	it_check "$2: one-line error naming the state file" grep -qF "ERROR  aaa_naf: $3" "$IT_DIR/$1.log"
}
chmod 604 "$IT_DIR/pool.state"
refused aaa3 "world-readable state file" \
	"$IT_DIR/pool.state: holds subscriber identities but is accessible by other (mode 0604): refusing; chmod o-rwx"
chmod 600 "$IT_DIR/pool.state"
cp "$IT_DIR/pool.state" "$IT_DIR/pool.state.good"
echo "mallory@ims.lab 10.77.0.11" >>"$IT_DIR/pool.state"
refused aaa4 "address assigned twice" "$IT_DIR/pool.state:5: address 10.77.0.11 is assigned twice"
mv "$IT_DIR/pool.state.good" "$IT_DIR/pool.state"
sed -i '/^pool-state-file/d' "$IT_DIR/aaa-naf.conf"
it_freediameterd aaa5 "$IT_DIR/aaa.conf"
it_wait_log aaa5 "aaa_naf: ready"
it_check "no state file: restart warning logged" grep -q "aaa_naf: no pool-state-file: home address assignments will not survive a restart" "$IT_DIR/aaa5.log"
aaa_stop aaa5
