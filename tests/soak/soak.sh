#!/bin/bash
# make soak: the sanitizer build (ASan + UBSan) of the lab under SOAK_OPS mixed
# registrations (default 1,000,000): SOAK_NODES mobile nodes (default 5000),
# SOAK_REREG_PCT % local re-registrations (default 90) at SOAK_RATE operations
# per second (default 20000), the rest first
# registrations through the AAA/NAF and the BSF, every node deregistered at the
# end; the AAA is restarted when a third of the operations are done and the BSF
# at two thirds.  Diameter over plain TCP (see the README on libfdcore's TLS
# teardown under ASan), the HA with its journal.
# Fails when: a sanitizer reports anything, a daemon exits badly, an operation
# is lost (timed out) or answered with anything but 0 or, while the AAA is
# restarting, 130, or a node fails to verify a reply.  Prints the figures: rate,
# outcomes, and the resident memory of the HA and the AAA before and after
# (the HA's measured once its tables are full, so that growth means a leak).
# Ports 25000+ (not the lab's or the tests').  Work dir build/soak/.
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 1
OPS=${SOAK_OPS:-1000000}
NODES=${SOAK_NODES:-5000}
REREG=${SOAK_REREG_PCT:-90}
# Operations per second: the restarts must fall inside the run.
RATE=${SOAK_RATE:-20000}
BUILD=build/asan
FLAVOUR=asan
MIP4_PRELOAD=$(${CC:-cc} -print-file-name=libasan.so)
LAB_TLS=0
LAB_FD_DUMP=0x1111
LAB_HA_LOG=notice
. tools/lab-env.sh
# The generator is not under test: the normal build is faster.
GEN=$LAB_ROOT/build/mip4-mn/mip4-mn
dir=$LAB_ROOT/build/soak
rm -rf "$dir"
lab_init "$dir/lab" 25000 "$NODES"
LAB_MN=$GEN
declare -A pids=()
say() { printf '%s soak: %s\n' "$(date +%H:%M:%S)" "$*"; }
fail() { say "FAIL: $*"; exit 1; }
stop_all() {
	local n
	for n in "${!pids[@]}"; do kill -TERM "${pids[$n]}" 2>/dev/null; done
	for n in "${!pids[@]}"; do wait "${pids[$n]}" 2>/dev/null; done
	pids=()
}
trap stop_all EXIT
for f in "$GEN" "$LAB_HA" "$LAB_EXT/aaa-naf/aaa_naf.fdx" "$LAB_EXT/gba-lab/bsf_lab.fdx" "$LAB_ROOT/$BUILD/tools/mip4-ctl"; do
	[ -e "$f" ] || fail "$f not built (make soak builds it)"
done

start() { # NAME: start lab_cmd_NAME (log NAME.log, appended), wait until ready
	local name=$1 i
	"lab_cmd_$name"
	# A smaller quarantine than ASan's 256 MiB, so that resident memory shows
	# growth rather than the quarantine filling up.
	LAB_CMD=("${LAB_CMD[@]/#ASAN_OPTIONS=/ASAN_OPTIONS=quarantine_size_mb=16:}")
	echo "---- start" >>"$dir/$name.log"
	"${LAB_CMD[@]}" >>"$dir/$name.log" 2>&1 &
	pids[$name]=$!
	for ((i = 0; i < 1200; i++)); do
		[ "$(grep -Ec "$LAB_READY" "$dir/$name.log")" -ge "$(grep -c '^---- start' "$dir/$name.log")" ] && return 0
		kill -0 "${pids[$name]}" 2>/dev/null || fail "$name exited, see $dir/$name.log"
		sleep 0.05
	done
	fail "$name not ready, see $dir/$name.log"
}
# stop NAME: SIGTERM, the exit status checked.  The stock freeDiameterd with
# libasan preloaded can hang inside exit() after a complete shutdown (README,
# Tests): such a hang, after "framework is stopping", is noted and killed.
stop() {
	local rc i pid=${pids[$1]}
	kill -TERM "$pid"
	for ((i = 0; i < 300; i++)); do
		kill -0 "$pid" 2>/dev/null || break
		[ $i -ge 40 ] && [ "$1" != ha ] && sed -n '/^---- start/h; /^---- start/!H; ${x;p}' "$dir/$1.log" |
			grep -q 'freeDiameterd framework is stopping' && break
		sleep 0.05
	done
	if kill -0 "$pid" 2>/dev/null; then
		if [ "$1" != ha ] && sed -n '/^---- start/h; /^---- start/!H; ${x;p}' "$dir/$1.log" | grep -q 'freeDiameterd framework is stopping'; then
			say "note: $1 hung in exit() after its shutdown (stock freeDiameterd + libasan): killed"
			kill -KILL "$pid"
			wait "$pid" 2>/dev/null
			unset "pids[$1]"
			return 0
		fi
		fail "$1 did not stop, see $dir/$1.log"
	fi
	wait "$pid"
	rc=$?
	unset "pids[$1]"
	[ "$rc" -eq 0 ] || fail "$1 exited with status $rc, see $dir/$1.log"
}
rss_kib() { awk '/^VmRSS:/ { print $2 }' "/proc/${pids[$1]}/status"; }
stat_of() { "$LAB_ROOT/$BUILD/tools/mip4-ctl" -s "$LAB_CTL" stats | jq -r "$1"; }
wait_ops() { # N: the HA has seen N requests (or the load ended)
	while [ "$(stat_of .requests)" -lt "$1" ]; do
		kill -0 "$load" 2>/dev/null || return 0
		sleep 0.5
	done
}

lab_make_pki >"$dir/setup.log" 2>&1 || fail "PKI"
lab_make_stores "$NODES" >>"$dir/setup.log" 2>&1 || fail "stores"
lab_conf_bsf
lab_conf_aaa
printf 'journal {\n\tdirectory = "%s/journal"\n}\n' "$dir" | lab_conf_ha
say "$OPS operations over $NODES nodes, $REREG % re-registrations, sanitizer build, $(nproc) CPU(s)"
start bsf
start aaa
start ha
t0=$(date +%s)
"$GEN" $(lab_mn_args) --load --mns "$NODES" --count "$OPS" --rereg-pct "$REREG" --rate "$RATE" --window 64 --dereg \
	--timeout 1000 --retries 5 --json >"$dir/load.json" 2>"$dir/load.err" &
load=$!
pids[load]=$load
# Warm: every node registered, the sanitizer's quarantine (16 MiB) full.
wait_ops $((OPS / 10))
ha_rss0=$(rss_kib ha)
aaa_rss0=$(rss_kib aaa)
say "warm: HA RSS $ha_rss0 KiB, AAA RSS $aaa_rss0 KiB"
wait_ops $((OPS / 3))
kill -0 "$load" 2>/dev/null || fail "the load ended before the AAA restart (lower SOAK_RATE)"
say "restarting the AAA at $(stat_of .requests) requests"
stop aaa
start aaa
aaa_rss1=$(rss_kib aaa)
wait_ops $((2 * OPS / 3))
kill -0 "$load" 2>/dev/null || fail "the load ended before the BSF restart (lower SOAK_RATE)"
ha_rss1=$(rss_kib ha)
say "restarting the BSF at $(stat_of .requests) requests"
stop bsf
start bsf
wait "$load"
load_rc=$?
unset "pids[load]"
t1=$(date +%s)
ha_rss=$(rss_kib ha)
aaa_rss=$(rss_kib aaa)
s=$(jq -c 'select(.summary)' "$dir/load.json")
say "load: $(jq -r '"\(.sent) sent, \(.accepted) accepted, \(.rejected) rejected \(.rejected_by_code), \(.timeouts) timed out, \(.retransmits) retransmissions, \(.bad_auth) failed verification"' <<<"$s") in $((t1 - t0)) s"
say "HA: $(stat_of '"\(.requests) requests, \(.registrations_local) local, \(.registrations_aaa) through the AAA, \(.deregistrations) deregistrations, \(.bindings_active) bindings left, journal \(.journal.bytes) octets in \(.journal.compactions) snapshots"')"
for n in ha aaa bsf; do stop "$n"; done
say "HA RSS: $ha_rss0 KiB when warm, $ha_rss1 KiB at two thirds, $ha_rss KiB at the end ($((ha_rss - ha_rss0)) KiB)"
say "AAA RSS: $aaa_rss0 KiB when warm, $aaa_rss1 KiB after its restart, $aaa_rss KiB at the end"
bad=$(grep -l 'ERROR: AddressSanitizer\|ERROR: LeakSanitizer\|runtime error:' "$dir"/*.log 2>/dev/null)
[ -z "$bad" ] || fail "sanitizer report in $bad"
[ "$load_rc" -eq 0 ] || [ "$(jq -r .accepted <<<"$s")" -gt 0 ] || fail "the load generator failed (status $load_rc)"
[ "$(jq -r '.sent' <<<"$s")" -ge "$OPS" ] || fail "fewer operations than asked"
[ "$(jq -r .timeouts <<<"$s")" -eq 0 ] || fail "operations lost (timed out)"
[ "$(jq -r .bad_auth <<<"$s")" -eq 0 ] || fail "replies a node failed to verify"
[ "$(jq -r '.rejected_by_code | del(."130") | length' <<<"$s")" -eq 0 ] || fail "denials other than 130"
[ "$(jq -r .accepted <<<"$s")" -eq "$(($(jq -r .sent <<<"$s") - $(jq -r '.rejected_by_code."130" // 0' <<<"$s")))" ] ||
	fail "accepted + 130 is not every operation"
say "OK: no sanitizer report, nothing lost, every daemon exited 0"
