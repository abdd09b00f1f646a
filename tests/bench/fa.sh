#!/bin/bash
# Foreign agent benchmark, numbers only, never fails on them.  In the
# namespaces of the FA tests (tests/integration/lib-fa.sh), the same mip4-ha
# with 1000 static MN-HA keys, the same mobile nodes (mip4-mn --load, 1000
# nodes, window of 64), in the same run:
#  (a) registrations through fa1 (the FA relays in user space),
#  (b) the same nodes registering directly with a co-located care-of address on
#      the visited link (fa1 only routes the datagrams, in the kernel).
# Each for BENCH_SECONDS (4) after one registration of every node; rate of
# completed operations and p50/p99 round trip at the nodes, and (a)/(b).
# Then forwarding, 64-octet UDP from cn to a home address as fast as one
# mip4-probe sender offers, for BENCH_SECONDS, counted by a sink on the node:
#  (c) HA => fa1 -> MN: the node registered through fa1 (mip4-mn --fa); fa1
#      decapsulates and delivers on the visited link;
#  (d) HA => MN: the node registered with its co-located care-of address
#      (mip4-mn --tun decapsulates; fa1 only routes), and (c)/(d).
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 1
BUILD=${BUILD:-build}
FLAVOUR=normal
. tests/integration/lib.sh
. tests/integration/lib-ha.sh
. tests/integration/lib-fa.sh
DUR=${BENCH_SECONDS:-4}
WINDOW=${BENCH_WINDOW:-64}
N=1000
it_setup bench-fa >/dev/null
fa_lab_setup >/dev/null

for ((i = 0; i < N; i++)); do
	printf 'sa "10.1.%d.%d" {\n\tspi = 300\n\tkey = "%s"\n}\n' $((128 + i / 256)) $((i % 256)) "$FA_MN_HA_KEY"
done | {
	cat
	printf 'sa "10.1.0.6" {\n\tspi = 300\n\tkey = "%s"\n}\n' "$FA_MN_HA_KEY"
} | fa_ha_conf "$IT_DIR/ha.conf"
sed -i 's/log_level = "debug"/log_level = "notice"/' "$IT_DIR/ha.conf"
fa_fa_conf "$IT_DIR/fa1.conf" v1 <<<'log-level = "notice"'
fa_start_ha ha "$IT_DIR/ha.conf" >/dev/null
fa_start_fa fa1 fa1 "$IT_DIR/fa1.conf" >/dev/null
# A co-located care-of address on the visited link, routed by fa1 to the HA.
fa_ns mn ip addr add 198.51.100.50/24 dev br0
fa_ns mn ip route add "$FA_HA_ADDR/32" via "$FA1_COA" src 198.51.100.50

mn() { # ARGS...: one load run, its summary as JSON
	timeout 120 ip netns exec "$FA_NS-mn" "$FA_MN_BIN" --ha "$FA_HA_ADDR" --home-addr 10.1.128.0 --mns "$N" \
		--static-spi 300 --static-key "$FA_MN_HA_KEY" --load --prime --window "$WINDOW" --duration "$DUR" \
		--timeout 2000 --retries 1 "$@" | tail -n 1 |
		sed -E 's/^summary: //; s/(elapsed=[0-9.]+)s/\1/; s/([0-9])us/\1/g; s/rate=([0-9.]+)\/s/rate=\1/' |
		tr ' ' '\n' | jq -R 'split("=") | {(.[0]): (.[1] | tonumber)}' | jq -s -c 'add'
}
fmt() { jq -r '"\((.accepted + .rejected) / .elapsed | floor)/s p50 \(.p50 / 1000) ms p99 \(.p99 / 1000) ms (accepted \(.accepted), rejected \(.rejected), timeouts \(.timeouts))"' <<<"$1"; }
rate() { jq -r '(.accepted + .rejected) / .elapsed | floor' <<<"$1"; }

echo "fa bench: $(nproc) CPU(s), $N nodes with static MN-HA keys, window $WINDOW, ${DUR} s per run"
via_fa=$(mn --fa br0)
direct=$(mn --bind 198.51.100.50)
printf '%-56s %s\n' "a) registrations through the foreign agent" "$(fmt "$via_fa")"
printf '%-56s %s\n' "b) registrations with a co-located care-of address" "$(fmt "$direct")"
awk -v a="$(rate "$via_fa")" -v b="$(rate "$direct")" 'BEGIN { if (b > 0) printf "(a)/(b) = %.2f\n", a / b }'
echo "fa1: $(fa_ctl fa1 stats | jq -c '{relayed, replies, denied, dropped, home_agent_latency_ms_avg: .home_agent.latency_ms_avg}')"

# Forwarding.
PROBE="$IT_ROOT/$BUILD/tools/mip4-probe"
forward() { # NAME HOME_ADDRESS PORT: the sink's JSON
	it_start "sink-$1" ip netns exec "$FA_NS-mn" "$PROBE" sink --bind "$2:$3" --idle-exit 1 --duration $((DUR + 20)) >/dev/null
	it_wait_log "sink-$1" 'sink ready' 10 >/dev/null
	fa_ns cn "$PROBE" send "$2:$3" -s 64 --duration "$DUR" >/dev/null 2>&1
	it_wait_cmd 15 "the sink reported" grep -q '"mode":"sink"' "$IT_DIR/sink-$1.log" >/dev/null
	it_stop "sink-$1" >/dev/null
	grep '"mode":"sink"' "$IT_DIR/sink-$1.log"
}
pps() { jq -r '.pps | floor' <<<"$1"; }
bound() { fa_ctl ha bindings | jq -e --arg h "$1" --arg c "$2" '.bindings[] | select(.home_address == $h and .care_of_address == $c)' >/dev/null; }

it_start mn-fa ip netns exec "$FA_NS-mn" "$FA_MN_BIN" --fa br0 --ha "$FA_HA_ADDR" --home-addr "$FA_HOME" \
	--static-spi 300 --static-key "$FA_MN_HA_KEY" --reregs 0 --stay 300 >/dev/null
it_wait_cmd 15 "$FA_HOME bound through fa1" bound "$FA_HOME" "$FA1_COA" >/dev/null
via=$(forward fa "$FA_HOME" 9000)
it_stop mn-fa >/dev/null
it_start mn-tun ip netns exec "$FA_NS-mn" "$FA_MN_BIN" --ha "$FA_HA_ADDR" --bind 198.51.100.50 --home-addr 10.1.0.6 \
	--static-spi 300 --static-key "$FA_MN_HA_KEY" --lifetime 600 --tun >/dev/null
it_wait_cmd 15 "10.1.0.6 bound at 198.51.100.50" bound 10.1.0.6 198.51.100.50 >/dev/null
it_wait_cmd 15 "10.1.0.6 on the node's TUN device" bash -c "ip -n '$FA_NS-mn' -4 addr show | grep -q ' 10.1.0.6/32'" >/dev/null
colo=$(forward tun 10.1.0.6 9001)
it_stop mn-tun >/dev/null
printf '%-56s %s datagrams/s (%s sent by cn, lost %s)\n' "c) 64-octet UDP, HA => fa1 -> MN" "$(pps "$via")" \
	"$(jq -r .expected <<<"$via")" "$(jq -r .lost <<<"$via")"
printf '%-56s %s datagrams/s (%s sent by cn, lost %s)\n' "d) 64-octet UDP, HA => MN (co-located, mip4-mn --tun)" \
	"$(pps "$colo")" "$(jq -r .expected <<<"$colo")" "$(jq -r .lost <<<"$colo")"
awk -v a="$(pps "$via")" -v b="$(pps "$colo")" 'BEGIN { if (b > 0) printf "(c)/(d) = %.2f\n", a / b }'
echo "fa1 data plane: $(fa_ctl fa1 stats | jq -c '.dataplane | {delivered_packets, drops: (.drops | with_entries(select(.value > 0)))}')"
