#!/bin/bash
# The foreign agent under junk and restarted.  A node registers through fa1 and
# stays (mip4-mn --stay).  Junk at fa1 from the visited link (random datagrams
# to port 434, truncated and malformed requests, an unknown extension below
# 128, replies sent as requests) and from the home agent's side (random
# "replies" to the care-of address): counted by reason, a 70 for what deserves
# one, and an independent client still registers.  fa1 is then restarted: the
# node sees the sequence number start again (RFC 5944 §2.4.4), registers again
# and is back in the new visitor list; on SIGTERM it deregisters.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-ha.sh"
. "$(dirname "$0")/lib-fa.sh"
it_setup fa-restart
fa_lab_setup

fa_ha_conf "$IT_DIR/ha.conf" <<X
sa "10.1.128.6" {
	spi = 300
	key = "$FA_MN_HA_KEY"
}
X
fa_fa_conf "$IT_DIR/fa1.conf" v1
fa_start_ha ha "$IT_DIR/ha.conf"
fa_start_fa fa1 fa1 "$IT_DIR/fa1.conf"
it_start mn ip netns exec "$FA_NS-mn" $(fa_env) "$FA_MN_BIN" --fa br0 --ha "$FA_HA_ADDR" --home-addr "$FA_HOME" \
	--static-spi 300 --static-key "$FA_MN_HA_KEY" --json -v --reregs 0 --stay 300
visitors() { "$HA_CTL" -s "$IT_DIR/fa1.sock" visitors | jq -r '[.visitors[].home_address] | sort | join(" ")'; }
it_wait_cmd 10 "the node in fa1's visitor list" bash -c "'$HA_CTL' -s '$IT_DIR/fa1.sock' visitors | jq -e '.count == 1'"

# Junk from the visited link.
junk_py='
import random, socket, struct, sys
rnd = random.Random(7)
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_BINDTODEVICE, b"br0")
s.bind(("10.1.0.5", 0))
fa = (sys.argv[1], 434)
fixed = struct.pack("!BBH4s4s4sQ", 1, 0, 300, socket.inet_aton("10.1.0.5"), socket.inet_aton("10.1.0.1"),
                    socket.inet_aton(sys.argv[1]), 1)
for i in range(200):
    s.sendto(bytes(rnd.getrandbits(8) for _ in range(rnd.randrange(0, 200))), fa)
for i in range(50):
    s.sendto(b"\x01" + bytes(rnd.getrandbits(8) for _ in range(rnd.randrange(0, 60))), fa)
s.sendto(fixed[:10], fa)                          # shorter than the fixed part
s.sendto(fixed + bytes([131, 40]) + b"x" * 5, fa)  # NAI running past the end: 70
s.sendto(fixed + bytes([99, 2, 0, 0]), fa)        # unknown type below 128: dropped
s.sendto(b"\x03" + fixed[1:], fa)                  # a reply sent to the agent
'
fa_ns mn python3 -c "$junk_py" "$FA1_COA"
# Junk replies at the care-of address from the home agent's side.
fa_ns ha python3 -c '
import random, socket, sys
rnd = random.Random(9)
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
for i in range(100):
    s.sendto(b"\x03" + bytes(rnd.getrandbits(8) for _ in range(rnd.randrange(0, 80))), (sys.argv[1], 434))
' "$FA1_COA"
it_wait_cmd 10 "junk counted" bash -c "[ \"\$('$HA_CTL' -s '$IT_DIR/fa1.sock' stats | jq '.replies')\" -ge 100 ]"
fa_ctl fa1 stats >"$IT_DIR/junk-stats.json"
it_check "still running after the junk" it_running fa1
it_check "malformed requests counted by reason" jq -e '.malformed["truncated-fixed"] >= 1 and .malformed["ext-unknown"] >= 1 and
	.malformed["ext-truncated"] >= 1 and .malformed["bad-type"] >= 1' "$IT_DIR/junk-stats.json"
it_check "a 70 for the malformed request that deserves one" jq -e '.denied["70"] >= 1' "$IT_DIR/junk-stats.json"
it_check "junk replies counted" jq -e '(.replies_dropped | add) >= 100' "$IT_DIR/junk-stats.json"
it_eq "the node is still a visitor" "$FA_HOME" "$(visitors)"
fa_rrq after --home 10.1.128.6 --bind 10.1.128.6 --lifetime 300 || it_fail "no reply after the junk"
it_eq "another node registers after the junk" 0 "$(fa_field after code)"
it_eq "two visitors" "$FA_HOME 10.1.128.6" "$(visitors)"

# Restart fa1: the node re-registers through the restarted agent.
it_stop fa1 10
it_eq "mip4-fa SIGTERM: exit status" 0 "$IT_RC"
fa_start_fa fa1b fa1 "$IT_DIR/fa1.conf"
it_wait_log mn 'foreign agent 198.51.100.1: .*\(restarted\)' 10
it_wait_cmd 10 "the node back in the restarted agent's visitor list" bash -c "'$HA_CTL' -s '$IT_DIR/fa1.sock' visitors | jq -e '.count == 1'"
it_eq "only the node that noticed the restart" "$FA_HOME" "$(visitors)"
it_stop mn 10
it_eq "mip4-mn: every step accepted" 0 "$IT_RC"
it_eq "mip4-mn: registration, re-registration after the restart, deregistration" \
	"initial:0:$FA1_COA rereg:0:$FA1_COA dereg:0:$FA1_COA" \
	"$(grep '^{' "$IT_DIR/mn.log" | jq -r 'select(.summary != true) | "\(.phase):\(.code):\(.fa)"' | tr '\n' ' ' |
		sed 's/ $//')"
it_check "visitor gone after the deregistration" bash -c "'$HA_CTL' -s '$IT_DIR/fa1.sock' visitors | jq -e '.count == 0'"
it_stop fa1b 10
it_eq "restarted mip4-fa SIGTERM: exit status" 0 "$IT_RC"
