#!/bin/bash
# The HA's data-plane policy between network namespaces (tools/netlab-env.sh),
# registrations by rrq.py (the independent client) with static SAs:
# - reverse_tunnel = false: mip4-mn --tun --reverse-tunnel gets 137 (and says
#   so in its exit status), rrq.py's request with T too, the same without T 0;
# - reverse_tunnel = true, 10.23.1.5 registered with T (care-of address
#   198.51.100.2) and 10.23.1.6 without T (198.51.100.3): IP-in-IP datagrams
#   injected from mn with (a) an outer source that is not the care-of address,
#   (b) an inner source without a binding, (c) the inner source of the binding
#   without T, and (d) everything right: only (d) reaches cn (tshark on cn's
#   link), the drop counters say why for (a)-(c), the bindings' tunnel_refused
#   counters move;
# - a binding that is never deregistered (lifetime 3 s) expires: its route and
#   proxy ARP entry go, and cn's datagrams to it are no longer tunnelled.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-ha.sh"
. "$(dirname "$0")/lib-dp.sh"
it_setup dp-policy
dp_lab_setup 61
A=10.23.1.5 B=10.23.1.6 C=10.23.1.7 NOBODY=10.23.1.99
COA_A=$NL_MN_A COA_B=198.51.100.3 SPOOF=198.51.100.77
ip -n "$NL_MN" addr add "$COA_B/24" dev "$NL_IF_A"
ip -n "$NL_MN" addr add "$SPOOF/24" dev "$NL_IF_A"

# T refused where reverse tunnelling is off.
{ dp_sa "$A"; dp_sa "$B"; dp_sa "$C"; } | dp_ha_conf "$IT_DIR/ha-no-t.conf" false
dp_start_ha ha1 "$IT_DIR/ha-no-t.conf"
timeout 60 ip netns exec "$NL_MN" "$MN_BIN" --ha "$NL_HA_ADDR" --bind "$COA_A" --home-addr "$A" \
	--static-spi 300 --static-key "$HA_STATIC_KEY" --lifetime 60 --tun --reverse-tunnel --json >"$IT_DIR/mn-t.out" 2>&1
rc=$?
cat "$IT_DIR/mn-t.out"
it_eq "mip4-mn --tun --reverse-tunnel: exit status" 1 "$rc"
it_eq "mip4-mn --tun --reverse-tunnel: reply code" 137 "$(jq -r 'select(.phase == "initial") | .code' "$IT_DIR/mn-t.out")"
out=$(dp_rrq --bind "$COA_A" --coa "$COA_A" --home "$A" --flags T --lifetime 60)
echo "$out"
it_check "the same from rrq.py: 137" grep -q '^code=137 ' <<<"$out"
it_eq "HA: two 137 counted" 2 "$(dp_stat '.denied["137"]')"
it_eq "no binding after 137" null "$(dp_binding "$A" .care_of_address)"
it_check "no route and no proxy entry after 137" bash -c "[ -z \"\$(ip -n '$NL_HA' route show proto $DP_RTPROT; ip -n '$NL_HA' neigh show proxy)\" ]"
out=$(dp_rrq --bind "$COA_A" --coa "$COA_A" --home "$A" --lifetime 60)
echo "$out"
it_check "the same request without T: 0, authenticated" grep -q '^code=0 .*auth=ok' <<<"$out"
it_check "HA log: 137 for T" grep -q "home=$A .*code=137" "$IT_DIR/ha1.log"
it_stop ha1
it_eq "mip4-ha exit status" 0 "$IT_RC"

# Spoofing against reverse tunnelling.
{ dp_sa "$A"; dp_sa "$B"; dp_sa "$C"; } | dp_ha_conf "$IT_DIR/ha.conf" true
dp_start_ha ha "$IT_DIR/ha.conf"
out=$(dp_rrq --bind "$COA_A" --coa "$COA_A" --home "$A" --flags T --lifetime 120)
it_check "$A registered with T" grep -q '^code=0 ' <<<"$out"
out=$(dp_rrq --bind "$COA_B" --coa "$COA_B" --home "$B" --lifetime 120)
it_check "$B registered without T" grep -q '^code=0 ' <<<"$out"
it_eq "$A: reverse_tunnel" true "$(dp_binding "$A" .reverse_tunnel)"
it_eq "$B: reverse_tunnel" false "$(dp_binding "$B" .reverse_tunnel)"

it_start cap ip netns exec "$NL_CN" dumpcap -q -i home0 -f "udp portrange 9001-9004" -w "$IT_DIR/cn.pcapng"
it_wait_cmd 15 "capture on cn's home0 started" test -s "$IT_DIR/cn.pcapng"
inject() { # OUTER_SRC INNER_SRC PORT
	ip netns exec "$NL_MN" python3 "$IT_ROOT/tests/integration/ipip_inject.py" --device "$NL_IF_A" \
		--outer-src "$1" --outer-dst "$NL_HA_ADDR" --inner-src "$2" --inner-dst "$NL_CN_ADDR" --dport "$3" --count 5
}
drops() { dp_stat ".dataplane.drops[\"$1\"]"; }
decap0=$(dp_stat .dataplane.decapsulated_packets)
inject "$SPOOF" "$A" 9001
inject "$COA_A" "$NOBODY" 9002
inject "$COA_B" "$B" 9003
inject "$COA_A" "$A" 9004
it_wait_cmd 10 "the HA decapsulated the 5 good datagrams" \
	bash -c "[ \"\$('$HA_CTL' -s '$IT_DIR/ctl.sock' stats | jq .dataplane.decapsulated_packets)\" -ge $((decap0 + 5)) ]"
it_eq "(a) outer source not the care-of address: wrong-care-of-address" 5 "$(drops wrong-care-of-address)"
it_eq "(b) inner source without a binding: unknown-source" 5 "$(drops unknown-source)"
it_eq "(c) binding without T: no-reverse-tunnel" 5 "$(drops no-reverse-tunnel)"
it_eq "(d) decapsulated: exactly the 5 good ones" $((decap0 + 5)) "$(dp_stat .dataplane.decapsulated_packets)"
it_eq "no other drop reason moved" 15 "$(dp_stat '[.dataplane.drops[]] | add')"
it_eq "$A: tunnel_refused (the spoofed outer source)" 5 "$(dp_binding "$A" .tunnel_refused)"
it_eq "$B: tunnel_refused (no T)" 5 "$(dp_binding "$B" .tunnel_refused)"
it_wait_cmd 10 "cn received the good datagrams" \
	bash -c "[ \"\$(tshark -r '$IT_DIR/cn.pcapng' -Y 'udp.dstport == 9004' 2>/dev/null | wc -l)\" -ge 5 ]"
it_stop cap
tsh() { tshark -r "$IT_DIR/cn.pcapng" -Y "$1" 2>/dev/null | wc -l; }
it_eq "cn: the 5 good datagrams, from $A" 5 "$(tsh "udp.dstport == 9004 && ip.src == $A")"
it_eq "cn: nothing of (a), (b), (c)" 0 "$(tsh "udp.dstport >= 9001 && udp.dstport <= 9003")"

# Expiry without deregistration.
out=$(dp_rrq --bind "$COA_A" --coa "$COA_A" --home "$C" --lifetime 3)
it_check "$C registered for 3 s" grep -q '^code=0 lifetime=3 ' <<<"$out"
it_check "$C: route to $NL_TUN, protocol $DP_RTPROT" dp_route "$C"
it_check "$C: proxy ARP on $NL_HOME_IF" dp_proxy "$C"
expired0=$(dp_stat .bindings_expired)
it_wait_cmd 10 "$C's binding expired" bash -c "[ \"\$('$HA_CTL' -s '$IT_DIR/ctl.sock' bindings | jq '[.bindings[] | select(.home_address == \"$C\")] | length')\" = 0 ]"
it_eq "bindings_expired counted it" $((expired0 + 1)) "$(dp_stat .bindings_expired)"
it_check "after expiry: no route for $C" bash -c "! ip -n '$NL_HA' route show proto $DP_RTPROT | grep -q '^$C '"
it_check "after expiry: no proxy ARP entry for $C" bash -c "! ip -n '$NL_HA' neigh show proxy | grep -q '^$C '"
it_check "the other bindings' entries stay" dp_proxy "$A"
encap0=$(dp_stat .dataplane.encapsulated_packets)
nl_cn "$PROBE" send "$C:9005" --rate 100 -c 20 >"$IT_DIR/send-c.out" 2>&1
cat "$IT_DIR/send-c.out"
it_eq "cn sent 20 datagrams to $C" 20 "$(dp_jf "$IT_DIR/send-c.out" .sent)"
it_eq "none of them tunnelled" "$encap0" "$(dp_stat .dataplane.encapsulated_packets)"
it_log "data plane: $(dp_stat -c .dataplane)"

it_stop ha
it_eq "mip4-ha exit status" 0 "$IT_RC"
it_check "HA stopped: no route of protocol $DP_RTPROT" bash -c "[ -z \"\$(ip -n '$NL_HA' route show proto $DP_RTPROT)\" ]"
it_check "HA stopped: no proxy ARP entry" bash -c "[ -z \"\$(ip -n '$NL_HA' neigh show proxy)\" ]"
