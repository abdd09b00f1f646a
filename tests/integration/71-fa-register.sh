#!/bin/bash
# Registration through a foreign agent, static MN-HA SA, FA-HA association on
# both agents: mip4-mn finds fa1 by its advertisements, asks for too long a
# lifetime (69, sent again with the agent's), registers, re-registers and
# deregisters through it; the visitor list and the HA's binding (care-of
# address = fa1's) between the steps; then a wrong FA-HA key at the HA (132,
# relayed to the node).  tshark decodes every RRQ/RRP on the visited link and
# on fa1's link to the HA: relayed requests come from the care-of address and
# carry the FA-HA authenticator (34), which the node never sees; replies go to
# the node's link-layer address and home address.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-ha.sh"
. "$(dirname "$0")/lib-fa.sh"
it_setup fa-register
fa_lab_setup

fa_section() { printf '%s "%s" {\n\tspi = 400\n\talgorithm = "hmac-sha1"\n\tkey = "%s"\n}\n' "$1" "$2" "$3"; }
fa_section fa "$FA1_COA" "$FA_FA_HA_KEY" | fa_ha_conf "$IT_DIR/ha.conf"
fa_section ha "$FA_HA_ADDR" "$FA_FA_HA_KEY" | fa_fa_conf "$IT_DIR/fa1.conf" v1
fa_capture cap fa1 "$IT_DIR/fa1.pcapng" v1 up0
fa_start_ha ha "$IT_DIR/ha.conf"
fa_start_fa fa1 fa1 "$IT_DIR/fa1.conf"
mn_mac=$(fa_ns mn cat /sys/class/net/br0/address)

# Between the steps, the visitor list and the binding as they stand.
step="'$HA_CTL' -s '$IT_DIR/fa1.sock' visitors >'$IT_DIR/visitors-'\$MIP4_MN_PHASE.json;"
step+=" '$HA_CTL' -s '$IT_DIR/ha.sock' bindings >'$IT_DIR/bindings-'\$MIP4_MN_PHASE.json"
fa_mn reg --lifetime 1000 --reregs 1 --step-cmd "$step" || it_fail "mip4-mn through fa1 failed"
it_eq "initial, re-registration and deregistration through fa1" \
	"initial:0:$FA1_COA rereg:0:$FA1_COA dereg:0:$FA1_COA" "$(fa_mn_outcomes reg)"
it_check "the node heard fa1's advertisement and solicited first" grep -q "foreign agent $FA1_COA: care-of address" \
	"$IT_DIR/reg.log"
it_check "69 understood: sent again with the agent's lifetime" grep -q "lifetime too long: sending again" \
	"$IT_DIR/reg.log"
it_eq "FA: one 69" 1 "$(fa_stat fa1 denied.69)"
jq -e --arg h "$FA_HOME" --arg m "$mn_mac" --arg ha "$FA_HA_ADDR" --arg c "$FA1_COA" '
	.count == 1 and .visitors[0].home_address == $h and .visitors[0].link_address == $m and
	.visitors[0].home_agent == $ha and .visitors[0].care_of_address == $c and
	.visitors[0].lifetime_granted == 600 and .visitors[0].source == ($h + ":" + (.visitors[0].source | split(":")[1]))' \
	"$IT_DIR/visitors-initial.json" >/dev/null
it_eq "visitor list after the registration: home address, link-layer address, HA, lifetime 600" 0 "$?"
it_check "HA binding: care-of address is fa1's" jq -e --arg c "$FA1_COA" '.count == 1 and .bindings[0].care_of_address == $c' \
	"$IT_DIR/bindings-initial.json"
it_check "visitor list empty after the deregistration" jq -e '.count == 0 and .pending == []' "$IT_DIR/visitors-dereg.json"
it_check "HA binding gone after the deregistration" jq -e '.count == 0' "$IT_DIR/bindings-dereg.json"
it_eq "FA relayed the three acceptances" 3 "$(fa_stat fa1 replies_relayed.0)"
it_eq "FA: no reply from the HA dropped" 0 "$(fa_stat fa1 replies_dropped.unmatched)"

# A wrong FA-HA key at the HA: 132, relayed to the node.
fa_section fa "$FA1_COA" "0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b" | fa_ha_conf "$IT_DIR/ha.conf"
it_signal ha HUP
it_wait_log ha 'reloaded .*1 foreign agents' 10
fa_mn wrongkey --reregs 0 --no-dereg
it_eq "FA-HA authenticator wrong at the HA: 132 reaches the node" "initial:132:$FA1_COA" "$(fa_mn_outcomes wrongkey)"
it_eq "HA denied with 132" 1 "$(fa_stat ha denied.132)"
it_eq "FA relayed the 132" 1 "$(fa_stat fa1 replies_relayed.132)"
it_check "the HA logged why" grep -q "fa-ha-auth-failed" "$IT_DIR/ha.log"

it_stop fa1 10
it_eq "mip4-fa SIGTERM: exit status" 0 "$IT_RC"
it_stop ha 10
it_stop cap

ts() { tshark -r "$IT_DIR/fa1.pcapng" -d udp.port==434,mip "$@" 2>>"$IT_DIR/tshark.err"; }
count() { ts -Y "$1" -T fields -e frame.number | wc -l; }
it_eq "no malformed Mobile IP packet" 0 "$(count 'mip && _ws.malformed')"
node="ip.src == $FA_HOME && ip.dst == $FA1_COA"
it_eq "requests from the node on the visited link (69'd, 3 accepted, 1 for 132)" 5 "$(count "mip.type == 1 && $node")"
it_eq "the node's requests carry no FA-HA authenticator" 0 "$(count "mip.type == 1 && $node && mip.ext.type == 34")"
relayed="mip.type == 1 && ip.src == $FA1_COA && ip.dst == $FA_HA_ADDR && udp.srcport == 434"
it_eq "relayed from the care-of address to the HA" 4 "$(count "$relayed")"
it_eq "relayed registrations carry FA-HA authentication, the deregistration not (RFC 5944 §3.7.2.2)" 3 \
	"$(count "$relayed && mip.ext.type == 34")"
it_eq "HA replies to the FA carry FA-HA authentication" 4 \
	"$(count "mip.type == 3 && ip.src == $FA_HA_ADDR && ip.dst == $FA1_COA && mip.ext.type == 34")"
to_node="mip.type == 3 && ip.src == $FA1_COA && ip.dst == $FA_HOME && eth.dst == $mn_mac"
it_eq "replies to the node's link-layer and home address" 5 "$(count "$to_node")"
it_eq "no FA-HA authenticator reaches the node" 0 "$(count "$to_node && mip.ext.type == 34")"
codes=$(ts -Y "$to_node" -T fields -e mip.code | sort -n | tr '\n' ' ')
it_eq "reply codes to the node" "0 0 0 69 132 " "$codes"
