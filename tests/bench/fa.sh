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
done | fa_ha_conf "$IT_DIR/ha.conf"
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
