#!/bin/bash
# The data plane under traffic (namespaces cn, ha, mn of tools/netlab-env.sh):
# - a handover under a UDP stream of 1,000 datagrams/s cn -> home address:
#   mip4-mn --tun moves from va to vb (SIGUSR1) while it flows; the stream
#   goes on through vb, the loss is printed and bounded (<= 50 datagrams);
# - the HA killed (SIGKILL) under traffic leaves its proxy ARP entry behind;
#   started again it removes it (and any route of its protocol) before any
#   node registers; the node re-registers and the stream is tunnelled again;
# - the HA stopped (SIGTERM) under traffic exits 0 and leaves nothing behind.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-ha.sh"
. "$(dirname "$0")/lib-dp.sh"
it_setup dp-handover-restart
dp_lab_setup 62
HOA=10.23.1.5
dp_sa "$HOA" | dp_ha_conf "$IT_DIR/ha.conf" true
dp_start_ha ha "$IT_DIR/ha.conf"

# Lifetime 120: the node's own refresh (at 60 s) never comes during the test;
# every registration below is one the test causes.
it_start mn ip netns exec "$NL_MN" env ASAN_OPTIONS=abort_on_error=1 "$(dp_lsan)" "$MN_BIN" --ha "$NL_HA_ADDR" \
	--bind "$NL_MN_A" --home-addr "$HOA" --static-spi 300 --static-key "$HA_STATIC_KEY" --lifetime 120 \
	--tun --reverse-tunnel --handover "$NL_IF_B" -v
bound_at() { [ "$(dp_binding "$HOA" .care_of_address)" = "$1" ]; }
it_wait_cmd 30 "binding at $NL_MN_A" bound_at "$NL_MN_A"
it_wait_cmd 15 "home address on the node's TUN device" bash -c "ip -n '$NL_MN' -4 addr show | grep -q ' $HOA/32'"

# Handover under 1,000 datagrams/s.
rate=1000 seconds=4
it_start sink ip netns exec "$NL_MN" "$PROBE" sink --bind "$HOA:9000" --idle-exit 2 --duration 30
it_wait_log sink 'sink ready' 10
it_start src ip netns exec "$NL_CN" "$PROBE" send "$HOA:9000" --rate $rate --duration $seconds
it_wait_cmd 5 "the stream is tunnelled to $NL_MN_A" bash -c "[ \"\$('$HA_CTL' -s '$IT_DIR/ctl.sock' stats | jq .dataplane.encapsulated_packets)\" -ge 500 ]"
t0=$(date +%s%N)
it_signal mn USR1
it_wait_cmd 5 "binding at $NL_MN_B" bound_at "$NL_MN_B"
it_log "handover under $rate datagrams/s: binding moved after $((($(date +%s%N) - t0) / 1000000)) ms"
it_wait_cmd $((seconds + 10)) "the stream ended" bash -c "! kill -0 $(it_pid src) 2>/dev/null"
it_wait_cmd 15 "the sink reported" grep -q '"mode":"sink"' "$IT_DIR/sink.log"
sink=$(grep '"mode":"sink"' "$IT_DIR/sink.log")
sent=$(grep '"mode":"send"' "$IT_DIR/src.log" | jq -r .sent)
lost=$(jq -r .lost <<<"$sink")
received=$(jq -r .unique <<<"$sink")
it_log "handover under $rate datagrams/s: sent $sent, received $received, lost $lost"
it_check "the stream was sent whole" test "$sent" -ge $((rate * seconds * 9 / 10))
it_check "loss bounded: <= 50 datagrams" test "$lost" -le 50
it_check "the stream went on through $NL_MN_B: all but the lost arrived" test $((received + lost)) -ge "$sent"
it_eq "the binding's datagrams since the move went to $NL_MN_B" "$NL_MN_B" "$(dp_binding "$HOA" .care_of_address)"

# The HA killed under traffic, then started again.
it_start src2 ip netns exec "$NL_CN" "$PROBE" send "$HOA:9000" --rate $rate --duration 60
encap() { dp_stat .dataplane.encapsulated_packets; }
it_wait_cmd 5 "the stream is tunnelled" bash -c "[ \"\$('$HA_CTL' -s '$IT_DIR/ctl.sock' stats | jq .dataplane.encapsulated_packets)\" -ge $((sent + 500)) ]"
it_kill ha
it_check "killed: the proxy ARP entry for $HOA stayed behind" dp_proxy "$HOA"
dp_start_ha ha2 "$IT_DIR/ha.conf"
it_check "restarted: it reports the stale entries it removed" grep -Eq 'removed [0-9]+ stale routes and [1-9][0-9]* stale proxy ARP entries' "$IT_DIR/ha2.log"
it_eq "restarted, no binding yet" 0 "$("$HA_CTL" -s "$IT_DIR/ctl.sock" bindings | jq '.bindings | length')"
it_check "restarted: no proxy ARP entry" bash -c "[ -z \"\$(ip -n '$NL_HA' neigh show proxy)\" ]"
it_check "restarted: no route of protocol $DP_RTPROT" bash -c "[ -z \"\$(ip -n '$NL_HA' route show proto $DP_RTPROT)\" ]"
it_signal mn USR1
it_wait_cmd 10 "the node registered again (at $NL_MN_A)" bound_at "$NL_MN_A"
it_wait_cmd 5 "the stream is tunnelled again" bash -c "[ \"\$('$HA_CTL' -s '$IT_DIR/ctl.sock' stats | jq .dataplane.encapsulated_packets)\" -ge 500 ]"
it_check "proxy ARP for $HOA again" dp_proxy "$HOA"

# SIGTERM under traffic.
it_stop ha2
it_eq "mip4-ha exit status after SIGTERM under traffic" 0 "$IT_RC"
it_check "stopped: no proxy ARP entry" bash -c "[ -z \"\$(ip -n '$NL_HA' neigh show proxy)\" ]"
it_check "stopped: no route of protocol $DP_RTPROT" bash -c "[ -z \"\$(ip -n '$NL_HA' route show proto $DP_RTPROT)\" ]"
it_check "stopped: no tunnel device $NL_TUN" bash -c "! ip -n '$NL_HA' link show '$NL_TUN' 2>/dev/null"
it_stop src2
it_stop sink
it_stop mn 10
