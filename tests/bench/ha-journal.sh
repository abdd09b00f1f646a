#!/bin/bash
# mip4-ha with 1,000,000 bindings, numbers only: the journal's reload time in
# the daemon (a journal of 1,000,000 bindings + AAA SAs written by
# bench_journal --make), then `mip4-ctl bindings` listing all of them while
# 1000 other nodes re-register (udp_rr, 8 in flight): how long the listing
# takes and the longest the HA left a re-registration unanswered, next to the
# same load without a listing.  Ports 24160-24169.
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 1
BUILD=${BUILD:-build}
N=${BENCH_JOURNAL_BINDINGS:-1000000}
HA=$BUILD/mip4-ha/mip4-ha
CTL=$BUILD/tools/mip4-ctl
RR=$BUILD/tests/bench/udp_rr
BJ=$BUILD/tests/bench/bench_journal
for f in "$HA" "$CTL" "$RR" "$BJ"; do [ -x "$f" ] || { echo "ha-journal bench: $f not built (make bench-build)"; exit 1; }; done
dir=$PWD/$BUILD/bench/ha-journal
rm -rf "$dir"
mkdir -p "$dir"
chmod 700 "$dir"
key=00112233445566778899aabbccddeeff
pid=
trap '[ -n "$pid" ] && kill -TERM "$pid" 2>/dev/null; wait' EXIT
t0=$(date +%s%N)
"$BJ" --make "$dir/journal" "$N" || exit 1
echo "journal of $N bindings + SAs written in $((($(date +%s%N) - t0) / 1000000)) ms"
{
	printf 'address = "127.0.0.1"\nport = 24160\nhome_networks = {"10.24.0.0/16", "10.64.0.0/10"}\n'
	printf 'replay_window = 60\nmax_bindings = %d\nlog_level = "notice"\ncontrol_socket = "%s/ctl.sock"\n' $((N + 10000)) "$dir"
	printf 'journal {\n\tdirectory = "%s/journal"\n}\n' "$dir"
	for ((i = 0; i < 1000; i++)); do
		printf 'sa "10.24.%d.%d" { spi = 300 algorithm = "hmac-md5" key = "%s" }\n' $((i / 256)) $((i % 256)) "$key"
	done
} >"$dir/ha.conf"
chmod 600 "$dir/ha.conf"
t0=$(date +%s%N)
"$HA" -f "$dir/ha.conf" >"$dir/ha.log" 2>&1 &
pid=$!
for ((i = 0; i < 1200; i++)); do
	grep -q 'ready:' "$dir/ha.log" && break
	kill -0 "$pid" 2>/dev/null || { echo "ha-journal bench: mip4-ha exited, see $dir/ha.log"; exit 1; }
	sleep 0.05
done
echo "mip4-ha ready $((($(date +%s%N) - t0) / 1000000)) ms after its start: $(sed -n 's/.*notice: journal: \(restored .*\)/\1/p' "$dir/ha.log")"
echo "re-registrations alone:      $("$RR" load 24160 3 1000 10.24.0.0 300 "$key" 8 | sed 's/^udp_rr: //')"
"$RR" load 24160 6 1000 10.24.0.0 300 "$key" 8 >"$dir/during.txt" &
rr=$!
sleep 1
t0=$(date +%s%N)
n=$("$CTL" -s "$dir/ctl.sock" bindings | wc -l)
ms=$((($(date +%s%N) - t0) / 1000000))
wait "$rr"
echo "mip4-ctl bindings: $((n - 2)) bindings listed in $ms ms"
echo "re-registrations meanwhile:  $(sed 's/^udp_rr: //' "$dir/during.txt")"
kill -TERM "$pid"
wait "$pid"
pid=
echo "mip4-ha exit status $? after SIGTERM"
