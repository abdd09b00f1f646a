#!/bin/bash
# A node moves between foreign agents: registered through fa1, its link is
# switched to fa2's; it hears fa2's advertisements, registers through fa2 (the
# HA's binding follows to fa2's care-of address), and back again.  The time
# from the switch to the new binding is printed.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-ha.sh"
. "$(dirname "$0")/lib-fa.sh"
it_setup fa-handover
fa_lab_setup

fa_ha_conf "$IT_DIR/ha.conf"
fa_fa_conf "$IT_DIR/fa1.conf" v1
fa_fa_conf "$IT_DIR/fa2.conf" v2
fa_start_ha ha "$IT_DIR/ha.conf"
fa_start_fa fa1 fa1 "$IT_DIR/fa1.conf"
fa_start_fa fa2 fa2 "$IT_DIR/fa2.conf"
it_start mn ip netns exec "$FA_NS-mn" $(fa_env) "$FA_MN_BIN" --fa br0 --ha "$FA_HA_ADDR" --home-addr "$FA_HOME" \
	--static-spi 300 --static-key "$FA_MN_HA_KEY" --json -v --reregs 0 --stay 300
coa() { "$HA_CTL" -s "$IT_DIR/ha.sock" bindings | jq -r '.bindings[0].care_of_address // "none"'; }
it_wait_cmd 10 "bound through fa1" bash -c "[ \"\$('$HA_CTL' -s '$IT_DIR/ha.sock' bindings | jq -r '.bindings[0].care_of_address')\" = $FA1_COA ]"

move() { # to, its care-of address
	local t0 t1
	t0=$(date +%s%N)
	fa_attach "$1"
	it_wait_cmd 10 "bound through $1" bash -c "[ \"\$('$HA_CTL' -s '$IT_DIR/ha.sock' bindings | jq -r '.bindings[0].care_of_address')\" = $2 ]"
	t1=$(date +%s%N)
	it_log "handover to $1: binding moved after $(( (t1 - t0) / 1000000 )) ms"
}
move fa2 "$FA2_COA"
it_check "fa2 lists the node" bash -c "'$HA_CTL' -s '$IT_DIR/fa2.sock' visitors | jq -e --arg h $FA_HOME '.visitors[0].home_address == \$h'"
move fa1 "$FA1_COA"
it_stop mn 10
it_eq "mip4-mn: every step accepted" 0 "$IT_RC"
it_eq "registrations: fa1, fa2, fa1, then the deregistration" \
	"initial:0:$FA1_COA rereg:0:$FA2_COA rereg:0:$FA1_COA dereg:0:$FA1_COA" \
	"$(grep '^{' "$IT_DIR/mn.log" | jq -r 'select(.summary != true) | "\(.phase):\(.code):\(.fa)"' | tr '\n' ' ' |
		sed 's/ $//')"
it_eq "binding gone" none "$(coa)"
