#!/bin/bash
# FA care-of mode with the AAA through the real agents (issue 11), numbers only,
# never fails on them.  In the namespaces of the FA tests with the lab BSF and
# AAA/NAF beside mip4-ha (tests/integration/lib-fa-aaa.sh), the same GBA nodes
# (mip4-mn --load, BENCH_FA_AAA_NODES bootstraps, window BENCH_WINDOW), in the
# same run, each for BENCH_SECONDS:
#  (a) first registrations through fa1: RRQ with 42, 40, challenge, MN-AAA;
#      fa1's AMR, the AAA's HAR to mip4-ha and its HAA, the AMA, 41 appended;
#  (b) first registrations with a co-located care-of address straight to the
#      HA: its AMR only (fa1 only routes);
#  (c) re-registrations through fa1 with the keys from (a)'s kind of run
#      (MN-HA + MN-FA authentication, FA-HA added by fa1): no AAA round trip.
# Rate of completed operations, p50/p99 round trip at the nodes, (a)/(b), (c)/(a).
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 1
BUILD=${BUILD:-build}
FLAVOUR=normal
MIP4_PRELOAD=
. tests/integration/lib.sh
. tests/integration/lib-ha.sh
. tests/integration/lib-fa.sh
. tests/integration/lib-fa-aaa.sh
DUR=${BENCH_SECONDS:-4}
WINDOW=${BENCH_WINDOW:-32}
N=${BENCH_FA_AAA_NODES:-300}
it_setup bench-fa-aaa-agents >/dev/null
fa_aaa_lab "$N" notice >/dev/null
fa_aaa_start >/dev/null
fa_ns mn ip addr add 198.51.100.50/24 dev br0
fa_ns mn ip route add "$FA_HA_ADDR/32" via "$FA1_COA" src 198.51.100.50

mn() { # ARGS...: one load run of the N nodes, its summary (JSON)
	timeout 120 ip netns exec "$FA_NS-mn" "$FA_MN_BIN" --ha "$FA_HA_ADDR" --home-addr 10.1.128.0 --mns "$N" \
		--store "$LAB_MN_STORE" --naf-fqdn "$LAB_NAF_FQDN" --ua-id "$LAB_UA_ID" --load --window "$WINDOW" \
		--duration "$DUR" --timeout 2000 --retries 1 --json "$@" 2>/dev/null | tail -n 1
}
fmt() { jq -r '"\((.accepted + .rejected) / .elapsed_s | floor)/s p50 \(.p50_us / 1000) ms p99 \(.p99_us / 1000) ms (accepted \(.accepted), rejected \(.rejected) \(.rejected_by_code), timeouts \(.timeouts))"' <<<"$1"; }
rate() { jq -r '(.accepted + .rejected) / .elapsed_s | floor' <<<"$1"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }'; }

echo "fa-aaa-agents bench: $(nproc) CPU(s) for mn, fa1, HA, AAA and BSF; $N GBA nodes, window $WINDOW, ${DUR} s per run"
first_fa=$(mn --fa br0 --rereg-pct 0)
first_colo=$(mn --bind 198.51.100.50 --rereg-pct 0)
rereg_fa=$(mn --fa br0 --prime --rereg-pct 100)
printf '%-64s %s\n' "a) first registrations through fa1 (AMR + HAR/HAA)" "$(fmt "$first_fa")"
printf '%-64s %s\n' "b) first registrations, co-located care-of address (AMR only)" "$(fmt "$first_colo")"
printf '%-64s %s\n' "c) re-registrations through fa1 (no AAA)" "$(fmt "$rereg_fa")"
echo "(a)/(b) = $(ratio "$(rate "$first_fa")" "$(rate "$first_colo")")   (c)/(a) = $(ratio "$(rate "$rereg_fa")" "$(rate "$first_fa")")"
echo "fa1: $(fa_ctl fa1 stats | jq -c '{aaa: (.aaa | {requests, mn_fa_keys, fa_ha_keys, outcomes, latency_ms_avg}), relayed, denied}')"
echo "HA: $(fa_ctl ha stats | jq -c '{har_requests, registrations_aaa, denied}')"
