#!/bin/bash
# The data plane between network namespaces (tools/netlab-env.sh: cn on the
# home link, ha, mn with two visited links): mip4-mn --tun registers with T,
# 100 pings cn -> home address come back; on the HA's visited link each request
# is IP-in-IP from the HA to the care-of address and each reply IP-in-IP from
# the care-of address to the HA (tshark); a 1500-octet ping with DF gets
# "fragmentation needed" with MTU 1480 (link - 20); SIGUSR1 moves the node to
# its second link (binding and traffic follow); SIGTERM deregisters: the HA's
# route (its own protocol) and proxy ARP entry are gone, cn's pings are no
# longer answered.  Pings come from tools/mip4-probe (no ping binary here).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-ha.sh"
. "$(dirname "$0")/lib-dp.sh"
it_setup dp-tunnel
dp_lab_setup 60

HOME_ADDR=10.23.1.5
RTPROT=$DP_RTPROT
dp_sa "$HOME_ADDR" | dp_ha_conf "$IT_DIR/ha.conf" true
dp_start_ha ha "$IT_DIR/ha.conf"

it_start capa ip netns exec "$NL_HA" dumpcap -q -i "$NL_HA_IF_A" -f "ip proto 4 or icmp" -w "$IT_DIR/visit-a.pcapng"
it_wait_cmd 15 "capture on $NL_HA_IF_A started" test -s "$IT_DIR/visit-a.pcapng"

# A default route on the visited link that beats the node's own (metric 10):
# what the node sends from its home address must still take the tunnel (its
# rule on the source address, table 159).
ip -n "$NL_MN" route add default via "$NL_HA_A" dev "$NL_IF_A" metric 1
it_start mn ip netns exec "$NL_MN" env ASAN_OPTIONS=abort_on_error=1 "$(dp_lsan)" "$MN_BIN" --ha "$NL_HA_ADDR" \
	--bind "$NL_MN_A" --home-addr "$HOME_ADDR" --static-spi 300 --static-key "$HA_STATIC_KEY" --lifetime 120 \
	--tun --reverse-tunnel --handover "$NL_IF_B"
binding_coa() {
	"$HA_CTL" -s "$IT_DIR/ctl.sock" bindings | grep -q "\"care_of_address\":\"$1\".*\"reverse_tunnel\":true"
}
it_wait_cmd 30 "binding with care-of address $NL_MN_A and T" binding_coa "$NL_MN_A"
it_wait_cmd 15 "home address on the MN's TUN device" bash -c "ip -n '$NL_MN' -4 addr show dev mip4mn0 | grep -q '$HOME_ADDR/32'"

it_check "MN: rule from $HOME_ADDR to table 159" bash -c "ip -n '$NL_MN' rule show | grep -q 'from $HOME_ADDR lookup 159'"
it_check "MN: default route through its TUN device in table 159" bash -c "ip -n '$NL_MN' route show table 159 | grep -q '^default dev mip4mn0'"
it_check "HA: route $HOME_ADDR/32 via $NL_TUN, protocol $RTPROT" bash -c "ip -n '$NL_HA' route show proto $RTPROT | grep -q '^$HOME_ADDR dev $NL_TUN'"
it_check "HA: proxy ARP for $HOME_ADDR on $NL_HOME_IF" bash -c "ip -n '$NL_HA' neigh show proxy | grep -q '^$HOME_ADDR dev $NL_HOME_IF'"

nl_cn "$PROBE" echo "$HOME_ADDR" -c 100 -i 10 -W 2000 >"$IT_DIR/ping.out" 2>&1
cat "$IT_DIR/ping.out"
it_eq "100 pings sent" 100 "$(dp_jf "$IT_DIR/ping.out" .sent)"
it_eq "100 replies" 100 "$(dp_jf "$IT_DIR/ping.out" .received)"

nl_cn "$PROBE" echo "$HOME_ADDR" -c 1 -s 1472 --df -W 2000 >"$IT_DIR/ping-df.out" 2>&1
cat "$IT_DIR/ping-df.out"
it_eq "1500 octets with DF: fragmentation needed" 1 "$(dp_jf "$IT_DIR/ping-df.out" .icmp_errors.fragmentation_needed)"
it_eq "fragmentation needed: next-hop MTU = link - 20" 1480 "$(dp_jf "$IT_DIR/ping-df.out" .icmp_errors.mtu)"

it_stop capa
tsh() { tshark -r "$IT_DIR/visit-a.pcapng" -Y "$1" 2>/dev/null | wc -l; }
it_eq "echo requests tunnelled HA -> CoA" 100 "$(tsh "ip.proto == 4 && ip.src == $NL_HA_ADDR && ip.dst == $NL_MN_A && icmp.type == 8 && ip.dst == $HOME_ADDR")"
it_eq "echo replies reverse-tunnelled CoA -> HA from the home address" 100 "$(tsh "ip.proto == 4 && ip.src == $NL_MN_A && ip.dst == $NL_HA_ADDR && icmp.type == 0 && ip.src == $HOME_ADDR")"

it_log "data plane: $(dp_stat -c .dataplane)"
it_check "stats: >= 100 encapsulated" test "$(dp_stat .dataplane.encapsulated_packets)" -ge 100
it_check "stats: >= 100 decapsulated" test "$(dp_stat .dataplane.decapsulated_packets)" -ge 100
it_check "stats: one fragmentation needed sent" test "$(dp_stat .dataplane.icmp_sent.fragmentation_needed)" -ge 1
it_check "bindings: per-binding counters" bash -c "'$HA_CTL' -s '$IT_DIR/ctl.sock' bindings | grep -q '\"tunnel_mtu\":1480,\"encapsulated_packets\":[1-9]'"

# Handover to the second visited link.
it_signal mn USR1
it_wait_cmd 15 "binding moved to $NL_MN_B" binding_coa "$NL_MN_B"
nl_cn "$PROBE" echo "$HOME_ADDR" -c 20 -i 10 -W 2000 >"$IT_DIR/ping-b.out" 2>&1
cat "$IT_DIR/ping-b.out"
it_eq "after the move: 20 replies" 20 "$(dp_jf "$IT_DIR/ping-b.out" .received)"

# Deregistration.
it_stop mn
it_eq "mip4-mn exit status after SIGTERM and deregistration" 0 "$IT_RC"
# mip4-ctl joins the pages: one object with the count.
no_binding() { "$HA_CTL" -s "$IT_DIR/ctl.sock" bindings | grep -q '"count":0}'; }
it_wait_cmd 15 "binding gone" no_binding
it_check "HA: no route of protocol $RTPROT left" bash -c "[ -z \"\$(ip -n '$NL_HA' route show proto $RTPROT)\" ]"
it_check "HA: no proxy ARP entry left" bash -c "! ip -n '$NL_HA' neigh show proxy | grep -q '$HOME_ADDR'"
it_check "MN: no route of protocol 159 left" bash -c "[ -z \"\$(ip -n '$NL_MN' route show proto 159)\" ]"
it_check "MN: no rule of protocol 159 left" bash -c "! ip -n '$NL_MN' rule show | grep -q 'lookup 159'"
it_check "MN: table 159 empty" bash -c "[ -z \"\$(ip -n '$NL_MN' route show table 159)\" ]"
nl_cn "$PROBE" echo "$HOME_ADDR" -c 1 -W 1500 >"$IT_DIR/ping-gone.out" 2>&1
cat "$IT_DIR/ping-gone.out"
it_eq "after deregistration: no reply" 0 "$(dp_jf "$IT_DIR/ping-gone.out" .received)"

it_stop ha
it_eq "mip4-ha exit status after SIGTERM" 0 "$IT_RC"
it_check "HA stopped: no route of protocol $RTPROT" bash -c "[ -z \"\$(ip -n '$NL_HA' route show proto $RTPROT)\" ]"
