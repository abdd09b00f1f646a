#!/bin/bash
# A handover under traffic: the CN streams UDP to the node's home address at
# 1,000 datagrams/s while the node moves from fa1 to fa2.  Before the move fa1
# delivers, after it fa2 (the HA tunnels to the new care-of address once the
# registration through fa2 is accepted); what the move lost is printed and
# bounded (the time to hear fa2's advertisement, advertisement-interval = 1,
# plus a registration round trip: well under 2.5 s of the stream).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-ha.sh"
. "$(dirname "$0")/lib-fa.sh"
it_setup fa-handover-traffic
fa_lab_setup

PROBE="$IT_ROOT/$BUILD/tools/mip4-probe"
echo 'data_plane = "tun"' | fa_ha_conf "$IT_DIR/ha.conf"
fa_fa_conf "$IT_DIR/fa1.conf" v1
fa_fa_conf "$IT_DIR/fa2.conf" v2
fa_start_ha ha "$IT_DIR/ha.conf"
fa_start_fa fa1 fa1 "$IT_DIR/fa1.conf"
fa_start_fa fa2 fa2 "$IT_DIR/fa2.conf"
it_start mn ip netns exec "$FA_NS-mn" $(fa_env) "$FA_MN_BIN" --fa br0 --ha "$FA_HA_ADDR" --home-addr "$FA_HOME" \
	--static-spi 300 --static-key "$FA_MN_HA_KEY" --json -v --reregs 0 --stay 300
bound_to() { # care-of address
	it_wait_cmd 10 "bound through $1" bash -c "'$HA_CTL' -s '$IT_DIR/ha.sock' bindings |
		jq -e '.bindings[0].care_of_address == \"$1\"'"
}
bound_to "$FA1_COA"

it_start sink ip netns exec "$FA_NS-mn" "$PROBE" sink --bind "$FA_HOME:9000" --idle-exit 8 --duration 30
it_wait_log sink 'sink ready' 10
rate=1000 seconds=5
it_start src ip netns exec "$FA_NS-cn" "$PROBE" send "$FA_HOME:9000" --rate $rate --duration $seconds
it_wait_cmd 5 "fa1 delivers the stream" bash -c "'$HA_CTL' -s '$IT_DIR/fa1.sock' stats |
	jq -e '.dataplane.delivered_packets >= 500'"
t0=$(date +%s%N)
fa_attach fa2
bound_to "$FA2_COA"
it_log "handover fa1 -> fa2 under $rate datagrams/s: binding moved after $((($(date +%s%N) - t0) / 1000000)) ms"
it_wait_cmd 5 "fa2 delivers the stream" bash -c "'$HA_CTL' -s '$IT_DIR/fa2.sock' stats |
	jq -e '.dataplane.delivered_packets >= 500'"
it_wait_cmd $((seconds + 10)) "the stream ended" bash -c "! kill -0 $(it_pid src) 2>/dev/null"
it_wait_cmd 15 "the sink reported" grep -q '"mode":"sink"' "$IT_DIR/sink.log"
sink=$(grep '"mode":"sink"' "$IT_DIR/sink.log")
it_log "sink: $sink"
sent=$(grep '"mode":"send"' "$IT_DIR/src.log" | jq -r .sent)
lost=$(jq -r .lost <<<"$sink")
received=$(jq -r .unique <<<"$sink")
it_log "handover under $rate datagrams/s: sent $sent, received $received, lost $lost"
it_check "the stream was sent whole" test "$sent" -ge $((rate * seconds * 9 / 10))
it_check "loss bounded: below 2.5 s of the stream" test "$lost" -lt $((rate * 5 / 2))
it_check "every datagram not lost arrived" test $((received + lost)) -ge "$sent"
for fa in fa1 fa2; do
	"$HA_CTL" -s "$IT_DIR/$fa.sock" stats | jq -c .dataplane | sed "s/^/    $fa: /"
done
it_check "nothing dropped by fa2 but datagrams for no visitor yet" bash -c "'$HA_CTL' -s '$IT_DIR/fa2.sock' stats |
	jq -e '[.dataplane.drops | to_entries[] | select(.key != \"no-visitor\") | .value] | add // 0 | . == 0'"
it_stop mn 10
it_eq "mip4-mn: deregistered on SIGTERM" 0 "$IT_RC"
