#!/bin/bash
# mip4-ha against the RFC texts the issue-14 review found it breaking:
#  - CER Host-IP-Address is the address the HA talks to its AAA from (here
#    127.0.0.1), or diameter.host_ip_address; the HA starts in a namespace with
#    nothing but loopback (libfdcore alone refuses: no non-loopback address);
#  - reserved SPIs (RFC 5944 §1.6): a KeyGen Request for an MN SPI below 256, or
#    an MN-AAA SPI below 256 other than CHAP_SPI, is answered 134, no AMR sent;
#  - a cached reply answers only a copy of the request that is still the latest
#    accepted one (RFC 5944 §5.7): after a re-registration and a deregistration
#    the old first registration is a replay, 133, no AMR, no binding revived;
#    while it is current, the copy gets the cached reply and the log line gives
#    that reply's code, lifetime and path.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-ha.sh"
. "$(dirname "$0")/lib-aaa.sh"
it_setup ha-conformance

HA_PORT=$(it_port 22100)
AAA_PORT=$(it_port 22110)

# 1. Loopback only: a namespace of our own, AAA and HA inside, the CER on the wire.
it_netns mip4-34
{
	printf 'ALLOW_IPSEC *.home.lab\n' >"$IT_DIR/ns-acl.conf"
	(umask 077; printf 'naf-fqdn = "aaa.home.lab"\nkey-sources = {"static"}\nstatic "x@home.lab" { spi = 300 secret = "x" }\n' >"$IT_DIR/ns-naf.conf")
	it_fd_conf "$IT_DIR/ns-aaa.conf" aaa.home.lab home.lab "$AAA_PORT" <<X
LoadExtension = "$IT_ROOT/$BUILD/dict/dict_mip4.fdx";
LoadExtension = "$IT_ROOT/$BUILD/dict/dict_zn.fdx";
LoadExtension = "$IT_ROOT/$BUILD/aaa-naf/aaa_naf.fdx" : "$IT_DIR/ns-naf.conf";
LoadExtension = "/usr/lib/freeDiameter/acl_wl.fdx" : "$IT_DIR/ns-acl.conf";
X
}
it_check "the namespace has no address but loopback" bash -c "! ip -n '$IT_NS' -4 addr | grep inet | grep -vq 127.0.0.1"
it_start nscap ip netns exec "$IT_NS" dumpcap -q -i lo -f "tcp port $AAA_PORT" -w "$IT_DIR/ns.pcapng"
it_wait_cmd 15 "capture in the namespace started" test -s "$IT_DIR/ns.pcapng"
it_start nsaaa ip netns exec "$IT_NS" env ${MIP4_PRELOAD:+LD_PRELOAD="$MIP4_PRELOAD"} \
	ASAN_OPTIONS=detect_leaks=0:detect_odr_violation=0:abort_on_error=1 freeDiameterd -c "$IT_DIR/ns-aaa.conf"
it_wait_log nsaaa 'aaa_naf: ready' 30
ha_diameter_section "$AAA_PORT" | ha_conf "$IT_DIR/ns-ha.conf" "$HA_PORT"
sed -i "s|ctl.sock|ns-ctl.sock|" "$IT_DIR/ns-ha.conf"
it_start nsha ip netns exec "$IT_NS" env ASAN_OPTIONS=abort_on_error=1 \
	LSAN_OPTIONS=suppressions="$(ha_lsan_supp)" "$HA_BIN" -f "$IT_DIR/ns-ha.conf"
it_wait_log nsha 'notice: ready:' 60
it_check "loopback-only namespace: the HA started and its peer is open" grep -q 'Diameter peer open: aaa.home.lab' "$IT_DIR/nsha.log"
it_check "the HA logs what its CER advertises" grep -q 'diameter: CER Host-IP-Address 127.0.0.1' "$IT_DIR/nsha.log"
it_stop nsha 20
it_eq "HA in the namespace: exit status" 0 "$IT_RC"
# A second HA naming its address explicitly.
sed -i "s|^\ttimeout_ms|\thost_ip_address = \"198.51.100.7\"\n\ttimeout_ms|" "$IT_DIR/ns-ha.conf"
it_start nsha2 ip netns exec "$IT_NS" env ASAN_OPTIONS=abort_on_error=1 \
	LSAN_OPTIONS=suppressions="$(ha_lsan_supp)" "$HA_BIN" -f "$IT_DIR/ns-ha.conf"
it_wait_log nsha2 'notice: ready:' 60
it_stop nsha2 20
it_eq "HA with host_ip_address: exit status" 0 "$IT_RC"
sleep 0.3
it_stop nscap 10
aaa_stop nsaaa
cers=$(tshark -r "$IT_DIR/ns.pcapng" -d "tcp.port==$AAA_PORT,diameter" \
	-Y 'diameter.cmd.code == 257 && diameter.flags.request == 1 && diameter.Origin-Host == "ha.home.lab"' \
	-T fields -e diameter.Host-IP-Address.IPv4 2>/dev/null)
it_eq "CERs of the two HAs: Host-IP-Address = the address in use, then the configured one" \
	"127.0.0.1 198.51.100.7" "$(echo $cers)"

# 2. The rest on the test's loopback.
ha_aaa_start aaa "$AAA_PORT"
ha_diameter_section "$AAA_PORT" | ha_conf "$IT_DIR/ha.conf" "$HA_PORT"
ha_start ha "$IT_DIR/ha.conf"
MN=(--nai "$HA_NAI" --aaa-spi 256 --aaa-key "$HA_AAA_KEY" --coa 192.0.2.20)

rrq spi100 "${MN[@]}" --home 10.1.0.40 --keygen 100 --state "$IT_DIR/x.json" || it_fail "no reply"
it_eq "KeyGen Request for MN SPI 100: 134" 134 "$(rrq_field spi100 code)"
rrq aaaspi "${MN[@]}" --aaa-spi 17 --home 10.1.0.40 --keygen 1000 --state "$IT_DIR/x.json" || it_fail "no reply"
it_eq "MN-AAA SPI 17: 134" 134 "$(rrq_field aaaspi code)"
it_eq "reserved SPIs: no AMR" 0 "$(ha_stat ha aaa.sent)"
it_eq "reserved SPIs: no SA" 0 "$(ha_stat ha sas_active)"

ident=$(python3 -c 'import time; print(hex((int(time.time()) + 2208988800) << 32))')
FIRST=("${MN[@]}" --home 10.1.0.40 --keygen 1000 --ident "$ident")
rrq first "${FIRST[@]}" --state "$IT_DIR/mn.json" || it_fail "no reply"
it_eq "first registration accepted" 0 "$(rrq_field first code)"
rrq copy "${FIRST[@]}" --state "$IT_DIR/copy.json" || it_fail "no reply"
it_eq "a copy while it is the latest: the cached reply" 0 "$(rrq_field copy code)"
it_eq "… with the KeyGen Reply the MN can use" ok "$(rrq_field copy auth)"
it_eq "one AMR for both" 1 "$(ha_stat ha aaa.sent)"
it_check "the cached reply's log line: its code, lifetime and path" \
	grep -q "info: registration mn=$HA_NAI home=10.1.0.40 coa=192.0.2.20 code=0 lifetime=600 via=aaa cached-reply (retransmission)" "$IT_DIR/ha.log"
rrq rereg --state "$IT_DIR/mn.json" --nai "$HA_NAI" --coa 192.0.2.21 || it_fail "no reply"
it_eq "re-registration" 0 "$(rrq_field rereg code)"
rrq dereg --state "$IT_DIR/mn.json" --nai "$HA_NAI" --lifetime 0 --coa 10.1.0.40 || it_fail "no reply"
it_eq "deregistration" 0 "$(rrq_field dereg code)"
cp "$IT_DIR/mn.json" "$IT_DIR/replay.json"
rrq replay "${FIRST[@]}" --state "$IT_DIR/replay.json" || it_fail "no reply"
it_eq "the old first registration after both: 133" 133 "$(rrq_field replay code)"
it_eq "… without a KeyGen Reply" 131,32 "$(rrq_field replay exts)"
it_eq "… signed with the key the MN holds" ok "$(rrq_field replay auth)"
it_eq "still one AMR" 1 "$(ha_stat ha aaa.sent)"
it_eq "no binding revived" 0 "$(ha_stat ha bindings_active)"
it_eq "answered from the cache once" 1 "$(ha_stat ha retransmissions_replayed)"
it_stop ha 20
it_eq "SIGTERM: exit status" 0 "$IT_RC"
aaa_stop aaa
