#!/bin/bash
# mip4-ha with the real AAA (stock freeDiameterd + aaa_naf.fdx, static MN-AAA
# key source) over TLS (plain TCP in the asan flavour, see below): first registration with RFC 3957 key generation,
# checked by rrq.py, which derives the MN-HA key from the nonce itself and
# verifies the reply with it; re-registration served locally (no second AMR);
# retransmissions while the AMR is out send one AMR; replayed requests never
# reach the AAA (133); wrong MN-HA key → 131; AAA reject → 144 without keeping
# anything; deregistration; no key in any log; SIGTERM exit 0.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-ha.sh"
it_setup ha-aaa

HA_PORT=$(it_port 22020)
AAA_PORT=$(it_port 22021) # TLS on AAA_PORT+1
# In the asan flavour Diameter runs over plain TCP: libfdcore 1.2.1's TLS
# teardown writes through a buffer GnuTLS has already freed (heap-use-after-free
# in fd_tls_rcvthr_core -> gnutls_bye when a connection closes), which ASan
# aborts on at shutdown, in mip4-ha as in the stock freeDiameterd.  The normal
# flavour runs this test over TLS.
tls=$IT_DIR/pki
[ "$FLAVOUR" = asan ] && tls=
[ -n "$tls" ] && it_pki "$tls" aaa.home.lab ha.home.lab
ha_aaa_start aaa "$AAA_PORT" $tls
[ -n "$tls" ] && it_wait_tcp $((AAA_PORT + 1))
{
	printf 'log_level = "debug"\n'
	ha_diameter_section "$AAA_PORT" $tls
} | ha_conf "$IT_DIR/ha.conf" "$HA_PORT"
ha_start ha "$IT_DIR/ha.conf"
pid=$(it_pid ha)
if [ -n "$tls" ]; then
	it_check "HA reports AAA over TLS" grep -q 'AAA over TLS' "$IT_DIR/ha.log"
	it_check "the AAA sees the HA over TLS" grep -q "Connected to 'ha.home.lab' (TCP,TLS" "$IT_DIR/aaa.log"
else
	it_check "HA reports AAA over plain TCP (asan flavour)" grep -q 'AAA over plain TCP' "$IT_DIR/ha.log"
fi
it_check "mip4-ha listens on no TCP port (libfdcore without servers)" bash -c "! ss -Hltnp | grep -q 'pid=$pid,'"

MN=(--nai "$HA_NAI" --aaa-spi 256 --aaa-key "$HA_AAA_KEY" --coa 192.0.2.20 --state "$IT_DIR/mn.json")

rrq first "${MN[@]}" --home 10.1.0.20 --keygen 1000 || it_fail "no reply to the first registration"
it_eq "first registration: code" 0 "$(rrq_field first code)"
it_eq "first registration: NAI, KeyGen Reply, MN-HA auth in that order" 131,43,32 "$(rrq_field first exts)"
it_eq "first registration: KeyGen Reply" "lifetime:3600,aaa_spi:256,ha_spi:1000,alg:2,replay:2,nonce_len:16" \
	"$(rrq_field first keyrep)"
it_eq "first registration: MN-HA auth under the MN SPI" 1000 "$(rrq_field first spi)"
it_eq "first registration: reply verifies with the key rrq.py derived from the nonce" ok "$(rrq_field first auth)"
it_eq "AMR sent" 1 "$(ha_stat ha aaa.sent)"
it_eq "AMA 2001 counted" 1 "$(ha_stat ha aaa.result_codes.2001)"
it_eq "registration via AAA counted" 1 "$(ha_stat ha registrations_aaa)"
it_check "outcome logged with AAA latency" grep -Eq "info: registration mn=$HA_NAI home=10.1.0.20 coa=192.0.2.20 code=0 lifetime=600 via=aaa aaa_ms=[0-9.]+" "$IT_DIR/ha.log"

rrq rereg --state "$IT_DIR/mn.json" --nai "$HA_NAI" --coa 192.0.2.21 || it_fail "no reply to the re-registration"
it_eq "re-registration with the new SA: code" 0 "$(rrq_field rereg code)"
it_eq "re-registration: signed with the AAA key" ok "$(rrq_field rereg auth)"
it_eq "re-registration: no AMR" 1 "$(ha_stat ha aaa.sent)"
it_eq "re-registration served locally" 1 "$(ha_stat ha registrations_local)"

rrq wrongkey --state "$IT_DIR/mn.json" --nai "$HA_NAI" --corrupt || it_fail "no reply"
it_eq "wrong MN-HA authenticator: 131" 131 "$(rrq_field wrongkey code)"
it_eq "131 signed with the SA" ok "$(rrq_field wrongkey auth)"

# Replays: neither reaches the AAA.
rrq old "${MN[@]}" --home 10.1.0.20 --keygen 1001 --ident-offset -60 || it_fail "no reply"
it_eq "replayed (old) first registration: 133" 133 "$(rrq_field old code)"
it_eq "133 signed with the SA the MN holds" ok "$(rrq_field old auth)"
rrq same "${MN[@]}" --home 10.1.0.20 --keygen 1001 --replay --coa 192.0.2.99 || it_fail "no reply"
it_eq "KeyGen request reusing the accepted identification: 133" 133 "$(rrq_field same code)"
rrq unknown_old "${MN[@]}" --home 10.1.0.30 --keygen 1002 --ident-offset -60 --state "$IT_DIR/other.json" || it_fail "no reply"
it_eq "replayed first registration of an MN without SA: 133" 133 "$(rrq_field unknown_old code)"
it_eq "… unsigned (no SA)" none "$(rrq_field unknown_old auth)"
it_eq "replays never reached the AAA" 1 "$(ha_stat ha aaa.sent)"
it_eq "binding not moved by the replays" 192.0.2.21 \
	"$(ha_ctl ha bindings | python3 -c 'import json,sys; print(json.load(sys.stdin)["bindings"][0]["care_of_address"])')"

# Three copies of one first registration at once: one AMR.
rrq triple --nai "$HA_NAI" --aaa-spi 256 --aaa-key "$HA_AAA_KEY" --home 10.1.0.22 --keygen 1003 --count 3 \
	--state "$IT_DIR/mn22.json" || it_fail "no reply"
it_eq "retransmitted first registration: accepted" 0 "$(rrq_field triple code)"
it_eq "retransmissions: one AMR" 2 "$(ha_stat ha aaa.sent)"
dups=$(( $(ha_stat ha retransmissions_pending) + $(ha_stat ha retransmissions_replayed) ))
it_eq "retransmissions: the two copies were recognised" 2 "$dups"
replies=$(sed -n 's/^replies=//p' "$IT_DIR/triple.out")
it_eq "retransmissions: replies = 1 + copies answered from the cached reply" \
	$((1 + $(ha_stat ha retransmissions_replayed))) "$replies"
it_check "all replies identical" bash -c "test \$(grep '^code=' '$IT_DIR/triple.out' | sed 's/ from=.*//' | sort -u | wc -l) -eq 1"

# AAA reject: wrong MN-AAA key.
rrq reject --nai "$HA_NAI" --aaa-spi 256 --aaa-key ffffffffffffffffffffffffffffffff --home 10.1.0.23 --keygen 1004 \
	--state "$IT_DIR/mn23.json" || it_fail "no reply"
it_eq "AAA reject: 144" 144 "$(rrq_field reject code)"
it_eq "144 without MN-HA auth (no SA)" none "$(rrq_field reject auth)"
it_eq "144 echoes the NAI" "$HA_NAI" "$(rrq_field reject nai)"
it_eq "AMA 4001 counted" 1 "$(ha_stat ha aaa.result_codes.4001)"
it_check "nothing kept for the rejected MN" bash -c "! '$HA_CTL' -s '$IT_DIR/ctl.sock' bindings | grep -q 10.1.0.23"
it_eq "SAs: the two keyed MNs only" 2 "$(ha_stat ha sas_active)"

# Home address 0.0.0.0: the AAA assigns one; the SA and binding follow it.
rrq assign "${MN[@]}" --home 0.0.0.0 --keygen 1005 --state "$IT_DIR/mnA.json" || it_fail "no reply"
assigned=$(rrq_field assign home)
it_eq "home address assigned by the AAA: accepted" 0 "$(rrq_field assign code)"
it_check "assigned address $assigned from the AAA's pool" bash -c "[[ '$assigned' =~ ^10\.1\.5\.(1[0-9]|20)$ ]]"
it_eq "assigned address: reply verifies" ok "$(rrq_field assign auth)"
rrq assign_rereg --state "$IT_DIR/mnA.json" --nai "$HA_NAI" || it_fail "no reply"
it_eq "re-registration of the assigned address, locally" 0 "$(rrq_field assign_rereg code)"
it_eq "assigned address: bindings" 3 "$(ha_stat ha bindings_active)"

rrq dereg --state "$IT_DIR/mn.json" --nai "$HA_NAI" --lifetime 0 --coa 10.1.0.20 || it_fail "no reply"
it_eq "deregistration: code" 0 "$(rrq_field dereg code)"
it_eq "deregistration: two bindings left" 2 "$(ha_stat ha bindings_active)"
it_check "metrics: AMA result codes" bash -c "'$HA_CTL' -s '$IT_DIR/ctl.sock' metrics | grep -q 'mip4ha_aaa_results_total{result_code=\"2001\"} 3'"

it_stop ha 20
it_eq "SIGTERM: exit status" 0 "$IT_RC"
key=$(python3 -c "import json; print(json.load(open('$IT_DIR/mn.json'))['key'])")
it_check "derived MN-HA key known to the test" test ${#key} -eq 40
it_check "no MN-HA key in the HA log (even at debug)" bash -c "! grep -qi '$key' '$IT_DIR/ha.log'"
it_check "no MN-AAA key in the HA log" bash -c "! grep -qi '$HA_AAA_KEY' '$IT_DIR/ha.log'"
