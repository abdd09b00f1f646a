#!/bin/bash
# Data-plane benchmark, numbers only, never fails on them.  In the namespaces
# of the data-plane tests (tests/integration/lib-dp.sh: cn on the home link, ha,
# mn with two visited links), in the same run:
#  (a) cn -> a home address through mip4-ha: the HA reads its TUN device and
#      tunnels to the care-of address in mn, where a raw IP-in-IP sink counts
#      what arrives (mip4-probe sink --ipip: the HA's work alone, no decapsulation
#      at the node);
#  (b) the same stream to mn's address on the other visited link, routed by the
#      ha namespace's kernel without a tunnel (plain forwarding);
# each with 64- and 1400-octet UDP payloads, offered as fast as mip4-probe
# sends (one sender, batches of 64) for BENCH_SECONDS (3): datagrams/s and
# Mbit/s (inner datagrams, IP header included) at the sink, the ratio (a)/(b),
# and the HA's CPU per tunnelled datagram (its utime + stime over the run);
#  (c) registrations (1000 nodes with static MN-HA keys, re-registrations,
#      BENCH_REG_RATE (5000)/s offered, 64 outstanding at most): p50/p99 round
#      trip at the nodes, with no traffic, while (a) runs at full rate with
#      64-octet payloads, and while (b) does (the shared cores' share).
# Sender, HA and sink share the machine's cores: the figures are those of the
# whole set on this machine.
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 1
BUILD=${BUILD:-build}
FLAVOUR=normal
. tests/integration/lib.sh
. tests/integration/lib-ha.sh
. tests/integration/lib-dp.sh
DUR=${BENCH_SECONDS:-3}
N=1000
REG_RATE=${BENCH_REG_RATE:-5000}
HOA=10.23.1.5
it_setup bench-dataplane >/dev/null
dp_lab_setup bdp

{
	dp_sa "$HOA"
	for ((i = 0; i < N; i++)); do dp_sa "10.23.$((2 + i / 256)).$((i % 256))"; done
} | dp_ha_conf "$IT_DIR/ha.conf" true
sed -i 's/log_level = "debug"/log_level = "notice"/' "$IT_DIR/ha.conf"
dp_start_ha ha "$IT_DIR/ha.conf" >/dev/null
HA_PID=$(it_pid ha)
dp_rrq --bind "$NL_MN_A" --coa "$NL_MN_A" --home "$HOA" --lifetime 600 >/dev/null ||
	{ echo "dataplane bench: registering $HOA failed"; exit 1; }

ha_cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$HA_PID/stat"; }
encap() { dp_stat .dataplane.encapsulated_packets; }

# stream KIND SIZE: one run, the sink's JSON on stdout; for the tunnel also
# the HA's CPU per tunnelled datagram in $IT_DIR/cpu.
stream() {
	local kind=$1 size=$2 dst sink_args t0 e0
	if [ "$kind" = tunnel ]; then
		dst=$HOA:9000 sink_args=(--ipip)
	else
		dst=$NL_MN_B:9001 sink_args=(--bind "$NL_MN_B:9001")
	fi
	rm -f "$IT_DIR/sink.log"
	it_start sink ip netns exec "$NL_MN" "$PROBE" sink "${sink_args[@]}" --idle-exit 1 --duration $((DUR + 20)) >/dev/null
	it_wait_log sink 'sink ready' 10 >/dev/null
	t0=$(ha_cpu_ticks) e0=$(encap)
	nl_cn "$PROBE" send "$dst" -s "$size" --duration "$DUR" >"$IT_DIR/send.json" 2>/dev/null
	it_wait_cmd 15 "the sink reported" grep -q '"mode":"sink"' "$IT_DIR/sink.log" >/dev/null
	awk -v t="$(($(ha_cpu_ticks) - t0))" -v n="$(($(encap) - e0))" -v hz="$(getconf CLK_TCK)" \
		'BEGIN { printf "%.2f", (n > 0 ? t / hz * 1e6 / n : 0) }' >"$IT_DIR/cpu"
	it_stop sink >/dev/null
	grep '"mode":"sink"' "$IT_DIR/sink.log"
}

# Mbit/s of the inner datagrams (IP + UDP headers + payload) from the sink's count.
mbit() { jq -r --argjson s "$2" '(.packets * ($s + 28) * 8 / .seconds / 1e6 * 100 | floor) / 100' <<<"$1"; }
pps() { jq -r '.pps | floor' <<<"$1"; }

regs() { # the load run's summary as JSON
	timeout 120 ip netns exec "$NL_MN" "$MN_BIN" --ha "$NL_HA_ADDR" --bind "$NL_MN_A" --home-addr 10.23.2.0 --mns "$N" \
		--static-spi 300 --static-key "$HA_STATIC_KEY" --load --prime --rereg-pct 100 --rate "$REG_RATE" --window 64 \
		--duration "$DUR" --timeout 2000 --retries 1 2>/dev/null | tail -n 1 |
		sed -E 's/^summary: //; s/(elapsed=[0-9.]+)s/\1/; s/([0-9])us/\1/g; s/rate=([0-9.]+)\/s/rate=\1/' |
		tr ' ' '\n' | jq -R 'split("=") | {(.[0]): (.[1] | tonumber)}' | jq -s -c 'add'
}
fmt_regs() { jq -r '"p50 \(.p50 / 1000) ms, p99 \(.p99 / 1000) ms (\(.accepted) accepted, \(.rejected) rejected, \(.timeouts) timeouts, \((.accepted + .rejected) / .elapsed | floor)/s)"' <<<"$1"; }

echo "dataplane bench: $(nproc) CPU(s), ${DUR} s per run, one sender (mip4-probe, unlimited), sink in mn"
for size in 64 1400; do
	t=$(stream tunnel "$size")
	cpu=$(cat "$IT_DIR/cpu")
	p=$(stream plain "$size")
	printf '%-58s %9s datagrams/s %8s Mbit/s   HA CPU %s us/datagram\n' "(a) $size-octet payload through the HA's tunnel" \
		"$(pps "$t")" "$(mbit "$t" "$size")" "$cpu"
	printf '%-58s %9s datagrams/s %8s Mbit/s\n' "(b) $size-octet payload, plain forwarding in ha" "$(pps "$p")" "$(mbit "$p" "$size")"
	awk -v a="$(pps "$t")" -v b="$(pps "$p")" -v s="$size" 'BEGIN { if (b > 0) printf "    (a)/(b) at %d octets = %.2f\n", s, a / b }'
done

idle=$(regs)
printf '%-58s %s\n' "(c) registrations, no traffic" "$(fmt_regs "$idle")"
it_start load ip netns exec "$NL_CN" "$PROBE" send "$HOA:9000" -s 64 --duration $((DUR + 10)) >/dev/null
e0=$(encap)
it_wait_cmd 10 "the stream is tunnelled" bash -c "[ \"\$('$HA_CTL' -s '$IT_DIR/ctl.sock' stats | jq .dataplane.encapsulated_packets)\" -ge $((e0 + 20000)) ]" >/dev/null
busy=$(regs)
e1=$(encap)
it_stop load >/dev/null
printf '%-58s %s\n' "(c) registrations while (a) runs at full rate (64 octets)" "$(fmt_regs "$busy")"
echo "    tunnelled meanwhile: $((e1 - e0)) datagrams"
# The same while (b) runs: what the shared cores cost without the HA's packet thread.
it_start load ip netns exec "$NL_CN" "$PROBE" send "$NL_MN_B:9001" -s 64 --duration $((DUR + 10)) >/dev/null
plain=$(regs)
it_stop load >/dev/null
printf '%-58s %s\n' "(c) registrations while (b) runs at full rate (64 octets)" "$(fmt_regs "$plain")"
echo "HA data plane: $(dp_stat -c '.dataplane | {encapsulated_packets, drops: (.drops | with_entries(select(.value > 0))), updates_applied, kernel_errors}')"
