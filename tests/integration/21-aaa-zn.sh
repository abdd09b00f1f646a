#!/bin/bash
# aaa_naf with the zn key source against the lab BSF (bsf_lab.fdx in a second
# freeDiameterd, TLS between AAA and BSF, plain TCP in the ASan flavour): cold and warm cache, coalescing of
# concurrent misses into one BIR, unknown B-TID (5403) with negative caching,
# expired bootstrap, home address stable per IMPI across re-bootstrap.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-aaa.sh"
it_setup aaa-zn

aport=$(it_port 21020)
bport=$(it_port 21030)
cport=$(it_port 21040)
now=$(date +%s)
store=$IT_DIR/bsf.store
b1=$(aaa_store_add "$store" bsf.lab alice@ims.lab $((now + 86400)))
b2=$(aaa_store_add "$store" bsf.lab bob@ims.lab $((now + 86400)))
b1b=$(aaa_store_add "$store" bsf.lab alice@ims.lab $((now + 86400)))
bcoal=$(aaa_store_add "$store" bsf.lab carol@ims.lab $((now + 86400)))
bexp=$(aaa_store_add "$store" bsf.lab dave@ims.lab $((now - 5)))
cp "$store" "$IT_DIR/mn.store"
sed -i "s/ $((now - 5))\$/ $((now + 86400))/" "$IT_DIR/mn.store"   # the MN still believes in it
unknown=$(aaa_store_add "$IT_DIR/mn.store" bsf.lab mallory@ims.lab $((now + 86400)))

it_pki "$IT_DIR/pki" aaa.home.lab bsf.bsf.lab client.home.lab >/dev/null
cat >"$IT_DIR/bsf-lab.conf" <<X
store = "$store"
naf-allow = {"$AAA_NAF_FQDN:$AAA_UA"}
delay-ms = 300
X
cat >"$IT_DIR/aaa-naf.conf" <<X
naf-fqdn = "$AAA_NAF_FQDN"
key-sources = {"zn"}
home-agent-address = "127.0.0.1"
zn {
	timeout-ms = 3000
	negative-ttl = 30
}
pool "lab" {
	first = "10.77.1.1"
	last = "10.77.1.100"
}
X
aaa_fd_bsf "$IT_DIR/bsf.conf" "$bport" "$IT_DIR/bsf-lab.conf" "$IT_DIR/pki"
aaa_fd_aaa "$IT_DIR/aaa.conf" "$aport" "$IT_DIR/aaa-naf.conf" "$IT_DIR/pki" \
	"$(aaa_bsf_connect "$bport")"
aaa_fd_client "$IT_DIR/client.conf" "$cport" "$aport"
it_freediameterd bsf "$IT_DIR/bsf.conf"
it_wait_log bsf "bsf_lab: ready: 5 bootstrap entries"
it_freediameterd aaa "$IT_DIR/aaa.conf"
aaa_wait_bsf_peer
if [ "$FLAVOUR" = asan ]; then
	it_check "AAA-BSF link is on the BSF's plain TCP port $bport (ASan flavour)" \
		bash -c "ss -Htn state established '( dport = :$bport )' | grep -q 127.0.0.1"
else
	it_check "AAA-BSF link is on the BSF's TLS port $((bport + 1))" \
		bash -c "ss -Htn state established '( dport = :$((bport + 1)) )' | grep -q 127.0.0.1"
fi

gba() { aaa_client "$1" --store "$IT_DIR/mn.store" --naf-fqdn "$AAA_NAF_FQDN" "${@:2}"; }

# Cold: one BIR, the BSF's delay shows in the latency.
gba cold --btid "$b1"
it_eq "zn cold: Result-Code" 2001 "$(aaa_field "$IT_DIR/cold.out" 0 rc)"
it_eq "zn cold: session key = the MN's derivation" yes "$(aaa_field "$IT_DIR/cold.out" 0 keymatch)"
it_eq "zn cold: no MIP-MN-HA-SPI (default)" - "$(aaa_field "$IT_DIR/cold.out" 0 mn_ha_spi)"
it_eq "zn cold: address" 10.77.1.1 "$(aaa_field "$IT_DIR/cold.out" 0 mnaddr)"
lat=$(aaa_field "$IT_DIR/cold.out" 0 latency_ms)
it_check "zn cold: waited for the BSF (latency $lat ms >= 300)" awk -v l="$lat" 'BEGIN { exit !(l >= 300) }'
it_eq "one BIR so far" 1 "$(aaa_birs)"

# Warm: served from the cache, no second BIR, no BSF delay.
gba warm --btid "$b1" -n 5
it_eq "zn warm: 5 successes" 5 "$(aaa_summary "$IT_DIR/warm.out" ok)"
it_eq "zn warm: every key matches" 5 "$(grep -c 'keymatch=yes' "$IT_DIR/warm.out")"
lat=$(aaa_field "$IT_DIR/warm.out" 4 latency_ms)
it_check "zn warm: no BSF round trip (latency $lat ms < 250)" awk -v l="$lat" 'BEGIN { exit !(l < 250) }'
it_eq "cache hits: still one BIR" 1 "$(aaa_birs)"

# Coalescing: 8 concurrent AMRs for a cold B-TID produce exactly one BIR.
gba coal --btid "$bcoal" -n 8 -w 8
it_eq "coalesced: 8 successes" 8 "$(aaa_summary "$IT_DIR/coal.out" ok)"
it_eq "coalesced: exactly one more BIR" 2 "$(aaa_birs)"
it_eq "coalesced: one BIR for that B-TID" 1 "$(grep -cF "B-TID $bcoal " "$IT_DIR/bsf.log")"

# Unknown B-TID: 5403 from the BSF → 4001; the refusal is cached.
gba unknown --btid "$unknown"
it_eq "unknown B-TID: Result-Code" 4001 "$(aaa_field "$IT_DIR/unknown.out" 0 rc)"
it_eq "unknown B-TID: Error-Message" "authentication rejected: BSF answered 5403" "$(aaa_err "$IT_DIR/unknown.out" 0)"
it_check "BSF answered 5403" grep -qF "B-TID $unknown NAF-Id $(printf '%s' "$AAA_NAF_FQDN" | xxd -p)$AAA_UA: 5403 (unknown)" "$IT_DIR/bsf.log"
gba unknown2 --btid "$unknown"
it_eq "unknown B-TID again: 4001" 4001 "$(aaa_field "$IT_DIR/unknown2.out" 0 rc)"
it_eq "negative cache: no new BIR" 3 "$(aaa_birs)"

# Expired bootstrap at the BSF: 5403 → 4001.
gba expired --btid "$bexp"
it_eq "expired B-TID: Result-Code" 4001 "$(aaa_field "$IT_DIR/expired.out" 0 rc)"
it_check "BSF answered 5403 (expired)" grep -qF "B-TID $bexp NAF-Id $(printf '%s' "$AAA_NAF_FQDN" | xxd -p)$AAA_UA: 5403 (expired)" "$IT_DIR/bsf.log"

# Wrong key with a zn key: 4001.
gba wrong --btid "$b1" -C wrong-key
it_eq "zn, wrong key: 4001" 4001 "$(aaa_field "$IT_DIR/wrong.out" 0 rc)"

# Re-bootstrap: new B-TID, same IMPI (from the BIA's User-Name) → same address.
gba bob --btid "$b2"
it_eq "bob: next address" 10.77.1.3 "$(aaa_field "$IT_DIR/bob.out" 0 mnaddr)"
gba reboot --btid "$b1b"
it_eq "alice re-bootstrapped: Result-Code" 2001 "$(aaa_field "$IT_DIR/reboot.out" 0 rc)"
it_eq "alice re-bootstrapped: same address" 10.77.1.1 "$(aaa_field "$IT_DIR/reboot.out" 0 mnaddr)"

aaa_stop aaa
it_check "Zn counters at exit: 1 coalesced group, hits counted" \
	grep -Eq "Zn lookups [0-9]+: hits [1-9][0-9]*, negative hits 1, coalesced 7" "$IT_DIR/aaa.log"
aaa_stop bsf
