#!/bin/bash
# Traffic through a foreign agent: CN -> HA => fa1 -> MN and back through the
# reverse tunnel (RFC 3024).  The node registers through fa1 asking for T; the
# HA tunnels to fa1's care-of address, fa1 delivers the inner datagram to the
# node's link-layer address, and tunnels what the node sends back to the HA.
# Pings from the CN all answered; captures on fa1's link to the HA (IP-in-IP
# both ways, nothing else of the node's) and on the visited link (plain
# datagrams); the FA's and the HA's data plane counters.  Then what fa1 must
# refuse, each counted by reason: IP-in-IP for the node from another host than
# its HA, and the node's home address from another link-layer address.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-ha.sh"
. "$(dirname "$0")/lib-fa.sh"
it_setup fa-traffic
fa_lab_setup

printf 'data_plane = "tun"\nreverse_tunnel = true\n' | fa_ha_conf "$IT_DIR/ha.conf"
fa_fa_conf "$IT_DIR/fa1.conf" v1 <<<'reverse-tunnel = true'
fa_capture cap fa1 "$IT_DIR/fa1.pcapng" v1 up0
fa_start_ha ha "$IT_DIR/ha.conf"
fa_start_fa fa1 fa1 "$IT_DIR/fa1.conf"
it_wait_log fa1 'data plane: delivery on v1 .*reverse tunnelling' 10
it_start mn ip netns exec "$FA_NS-mn" $(fa_env) "$FA_MN_BIN" --fa br0 --ha "$FA_HA_ADDR" --home-addr "$FA_HOME" \
	--static-spi 300 --static-key "$FA_MN_HA_KEY" --json -v --reregs 0 --stay 300 --reverse
it_wait_cmd 15 "bound through fa1 with T" bash -c "'$HA_CTL' -s '$IT_DIR/ha.sock' bindings |
	jq -e '.bindings[0].care_of_address == \"$FA1_COA\"'"
it_wait_cmd 5 "fa1 forwards for the visitor" bash -c "'$HA_CTL' -s '$IT_DIR/fa1.sock' stats |
	jq -e '.dataplane.visitors == 1 and .dataplane.routing_rules == 1'"
it_check "fa1: blackhole rule for the node's datagrams from v1" bash -c \
	"ip netns exec '$FA_NS-fa1' ip rule show | grep -q 'from $FA_HOME iif v1 .*blackhole'"
# The foreign agent is the node's router on the visited link (RFC 5944 §4.2.2).
fa_ns mn ip route add default via "$FA1_COA" dev br0 onlink

n=20
PROBE="$IT_ROOT/$BUILD/tools/mip4-probe"
fa_ns cn "$PROBE" echo "$FA_HOME" -c $n -i 50 -W 2000 >"$IT_DIR/echo.json" 2>&1
sed 's/^/    echo: /' "$IT_DIR/echo.json"
it_check "every echo answered through HA => fa1 -> MN and back" jq -e --argjson n $n \
	'.sent == $n and .received == $n' "$IT_DIR/echo.json"

fa_stats() { "$HA_CTL" -s "$IT_DIR/$1.sock" stats >"$IT_DIR/$1-stats.json"; }
fa_stats fa1
fa_stats ha
jq -c .dataplane "$IT_DIR/fa1-stats.json" | sed 's/^/    fa1: /'
it_check "fa1: $n delivered, $n reverse-tunnelled, nothing dropped" jq -e --argjson n $n \
	'.dataplane.delivered_packets >= $n and .dataplane.reverse_tunnelled_packets >= $n and
	 (([.dataplane.drops[]] | add) // 0) == 0' "$IT_DIR/fa1-stats.json"
it_check "HA: the echoes tunnelled to fa1, the replies decapsulated" jq -e --argjson n $n \
	'.dataplane.encapsulated_packets >= $n and .dataplane.decapsulated_packets >= $n' "$IT_DIR/ha-stats.json"

# Refused at fa1: tunnelled by the CN instead of the HA; the home address from
# a stranger's link-layer address on the visited link.
fa_ns cn python3 - "$FA1_COA" "$FA_HOME" <<'PY' || it_fail "cannot send the forged tunnel datagram"
import socket, struct, sys
def csum(b):
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while s >> 16: s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff
def ip(src, dst, proto, payload):
    h = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(payload), 1, 0, 64, proto, 0,
                    socket.inet_aton(src), socket.inet_aton(dst))
    return h[:10] + struct.pack("!H", csum(h)) + h[12:] + payload
inner = ip("192.0.2.2", sys.argv[2], 17, struct.pack("!HHHH", 9, 9, 8, 0))
s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_RAW)
for _ in range(3):
    s.sendto(ip("192.0.2.2", sys.argv[1], 4, inner), (sys.argv[1], 0))
PY
fa1_mac=$(fa_ns fa1 cat /sys/class/net/v1/address)
fa_ns mn python3 - "$fa1_mac" "$FA_HOME" <<'PY' || it_fail "cannot send the forged link-layer datagram"
import socket, struct, sys
def csum(b):
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while s >> 16: s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff
h = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 28, 1, 0, 64, 17, 0, socket.inet_aton(sys.argv[2]),
                socket.inet_aton("192.0.2.2"))
pkt = h[:10] + struct.pack("!H", csum(h)) + h[12:] + struct.pack("!HHHH", 9, 9, 8, 0)
eth = bytes.fromhex(sys.argv[1].replace(":", "")) + bytes.fromhex("02deadbeef01") + b"\x08\x00"
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
s.bind(("p1", 0))
for _ in range(3):
    s.send(eth + pkt)
PY
it_wait_cmd 5 "fa1 counted both refusals" bash -c "'$HA_CTL' -s '$IT_DIR/fa1.sock' stats |
	jq -e '.dataplane.drops[\"wrong-home-agent\"] == 3 and .dataplane.drops[\"wrong-link-address\"] == 3'"
it_check "metrics: drops by reason" bash -c "'$HA_CTL' -s '$IT_DIR/fa1.sock' metrics |
	grep -q 'mip4fa_dataplane_drops_total{reason=\"wrong-home-agent\"} 3'"

it_stop cap 5
on() { # IFACE FILTER: how many captured frames match
	tshark -r "$IT_DIR/fa1.pcapng" -Y "frame.interface_name == \"$1\" && ($2)" 2>>"$IT_DIR/tshark.err" | wc -l
}
it_check "up0: the HA's tunnel to the care-of address carries the echoes" \
	test "$(on up0 "ip.src == $FA_HA_ADDR && ip.dst == $FA1_COA && ip.proto == 4 && icmp.type == 8")" -ge $n
it_check "up0: the reverse tunnel carries the replies" \
	test "$(on up0 "ip.src == $FA1_COA && ip.dst == $FA_HA_ADDR && ip.proto == 4 && icmp.type == 0")" -ge $n
it_check "up0: no reply left fa1 outside the tunnel" \
	test "$(on up0 "ip.proto == 1 && ip.src == $FA_HOME && !(ip.proto == 4)")" -eq 0
it_check "v1: the echoes delivered plain to the node" \
	test "$(on v1 "ip.dst == $FA_HOME && icmp.type == 8 && !(ip.proto == 4)")" -ge $n
it_check "v1: nothing forged reached the node's link from fa1" \
	test "$(on v1 "udp.port == 9 && ip.dst == $FA_HOME")" -eq 0

it_stop mn 10
it_eq "mip4-mn: deregistered on SIGTERM" 0 "$IT_RC"
it_wait_cmd 5 "fa1 forgot the visitor's forwarding state" bash -c "'$HA_CTL' -s '$IT_DIR/fa1.sock' stats |
	jq -e '.dataplane.visitors == 0 and .dataplane.routing_rules == 0'"
it_stop fa1 10
it_eq "mip4-fa SIGTERM: exit status" 0 "$IT_RC"
it_check "no routing rule of ours left in fa1" bash -c "! ip netns exec '$FA_NS-fa1' ip rule show | grep -q blackhole"
