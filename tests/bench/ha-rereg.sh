#!/bin/bash
# Re-registration path against the machine's bare UDP round trip, numbers only:
# the same generator (udp_rr load: pre-signed re-registrations of 1000 mobile
# nodes with static HMAC-MD5 keys, 64 in flight, recvmmsg/sendmmsg) first
# against udp_rr echo, then against mip4-ha logging at notice, then at info (one
# line per registration), then with the journal (notice, fdatasync every 200 ms
# and before every batch's replies), BENCH_ROUNDS times in turn (default 3).  Prints each
# run (replies/s and the server's CPU µs per reply), then the medians and the
# ratios measured in the same run: HA/echo at notice and at info, and the cost
# of the per-registration log line (1 - info/notice).  Ports 24130-24159.
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 1
BUILD=${BUILD:-build}
DUR=${BENCH_SECONDS:-3}
ROUNDS=${BENCH_ROUNDS:-3}
RR=$BUILD/tests/bench/udp_rr
HA=$BUILD/mip4-ha/mip4-ha
for f in "$RR" "$HA"; do [ -x "$f" ] || { echo "ha-rereg bench: $f not built (make bench-build)"; exit 1; }; done
dir=$PWD/$BUILD/bench/ha-rereg
rm -rf "$dir"
mkdir -p "$dir"
chmod 700 "$dir"
key=00112233445566778899aabbccddeeff
pids=()
trap 'for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null; done; wait' EXIT

conf() { # NAME LEVEL [JOURNAL-SYNC-MS]
	{
		printf 'address = "127.0.0.1"\nport = 24134\nhome_networks = {"10.24.0.0/16"}\nmax_lifetime = 1800\n'
		printf 'replay_window = 60\nmax_bindings = 200000\nlog_level = "%s"\ncontrol_socket = ""\n' "$2"
		[ -z "${3:-}" ] || printf 'journal {\n\tdirectory = "%s/journal-%s"\n\tsync_interval_ms = %s\n}\n' "$dir" "$1" "$3"
		for ((i = 0; i < 1000; i++)); do
			printf 'sa "10.24.%d.%d" { spi = 300 algorithm = "hmac-md5" key = "%s" }\n' $((i / 256)) $((i % 256)) "$key"
		done
	} >"$dir/$1.conf"
	chmod 600 "$dir/$1.conf"
}
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }

# run NAME PORT CMD...: start the server, load it, print "rate cpu_us_per_reply".
run() {
	local name=$1 port=$2 pid c0 c1 out rate n i
	shift 2
	"$@" >"$dir/$name.log" 2>&1 &
	pid=$!
	pids+=("$pid")
	for ((i = 0; i < 200; i++)); do
		grep -qE 'ready:|echo on' "$dir/$name.log" && break
		kill -0 "$pid" 2>/dev/null || { echo "ha-rereg bench: $name exited, see $dir/$name.log" >&2; return 1; }
		sleep 0.05
	done
	c0=$(cpu_ticks "$pid")
	out=$("$RR" load "$port" "$DUR" 1000 10.24.0.0 300 "$key")
	c1=$(cpu_ticks "$pid")
	kill -TERM "$pid"
	wait "$pid" 2>/dev/null
	# The info runs log every registration: keep the end only.
	tail -n 20 "$dir/$name.log" >"$dir/$name.log.tail" && mv "$dir/$name.log.tail" "$dir/$name.log"
	rate=$(sed -n 's/.*rate=\([0-9]*\).*/\1/p' <<<"$out")
	n=$(sed -n 's/.* replies=\([0-9]*\).*/\1/p' <<<"$out")
	awk -v r="$rate" -v n="$n" -v a="$c0" -v b="$c1" -v t="$(getconf CLK_TCK)" \
		'BEGIN { printf "%d %.2f\n", r, n ? (b - a) / t * 1e6 / n : 0 }'
	grep -q ' other=0 ' <<<"$out" || echo "ha-rereg bench: $name: not every reply was an acceptance: $out" >&2
}
median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

conf notice notice
conf info info
conf journal notice 200
conf journal-sync notice 0
echo "re-registration path vs UDP echo: $(nproc) CPU(s), generator and server on the same cores, ${DUR} s per run, $ROUNDS rounds"
declare -A R C
for ((k = 1; k <= ROUNDS; k++)); do
	R[echo]+="$(run echo 24150 "$RR" echo 24150) "
	R[notice]+="$(run notice 24134 "$HA" -f "$dir/notice.conf") "
	R[info]+="$(run info 24134 "$HA" -f "$dir/info.conf" 2>/dev/null) "
	R[journal]+="$(run journal 24134 "$HA" -f "$dir/journal.conf") "
	R[journal-sync]+="$(run journal-sync 24134 "$HA" -f "$dir/journal-sync.conf") "
done
for name in echo notice info journal journal-sync; do
	read -ra v <<<"${R[$name]}"
	rates=() cpus=()
	for ((i = 0; i < ${#v[@]}; i += 2)); do rates+=("${v[i]}"); cpus+=("${v[i + 1]}"); done
	R[$name]=$(printf '%s\n' "${rates[@]}" | median)
	C[$name]=$(printf '%s\n' "${cpus[@]}" | median)
	printf '%-28s %s replies/s (median %s), server CPU %s us/reply (median %s)\n' \
		"$(case $name in echo) echo "udp echo (reference)" ;; notice | info) echo "mip4-ha, log_level $name" ;;
			journal) echo "mip4-ha, journal, sync 200 ms" ;; *) echo "mip4-ha, journal, sync per batch" ;; esac)" \
		"${rates[*]}" "${R[$name]}" "${cpus[*]}" "${C[$name]}"
done
awk -v e="${R[echo]}" -v n="${R[notice]}" -v i="${R[info]}" -v cn="${C[notice]}" -v ci="${C[info]}" \
	-v j="${R[journal]}" -v js="${R[journal-sync]}" 'BEGIN {
	printf "ratio HA/echo: %.2f at notice, %.2f at info, %.2f with the journal (%.2f syncing every batch)\n",
		n / e, i / e, j / e, js / e
	printf "per-registration log line at info: %.1f %% of the rate, %.1f %% of the HA CPU per registration\n",
		(1 - i / n) * 100, (1 - cn / ci) * 100 }'
