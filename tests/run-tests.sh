#!/bin/bash
# Runs what `make check` built: unit tests and integration tests in both flavours
# (normal, asan), then every fuzzer for a bounded time. Prints one line per test
# program and a closing "N passed, N failed" line; exits non-zero on any failure.
#
#   tests/run-tests.sh [--fuzz-seconds N] [--only-fuzz] [--flavour normal|asan] [--filter REGEX]
#                      [--jobs N]
#
# Integration tests run --jobs at a time (default 4: they mostly wait on
# daemons, timers and Python start-ups), both flavours mixed, each
# in a network namespace of its own (unshare -n: its own loopback, and a veth
# with one address, because freeDiameter 1.2.1 needs a non-loopback address to
# build its CER), so that their fixed loopback ports never meet.  Tests that
# need the host's network (a line "# run-tests: host-network") run one after
# the other outside any namespace, beside the others, in one of the --jobs
# slots.  A test with a line "# run-tests: normal-only: WHY" runs in the
# normal flavour only; the asan flavour prints "NOT RUN ...: WHY" for it
# (counted apart, never as a pass).  Each line says how long the test took.
set -uo pipefail
cd "$(dirname "$0")/.."

fuzz_seconds=10
only_fuzz=0
flavours=(normal asan)
filter=.
jobs=4
while [ $# -gt 0 ]; do
	case "$1" in
	--fuzz-seconds) fuzz_seconds=$2; shift 2 ;;
	--only-fuzz) only_fuzz=1; shift ;;
	--flavour) flavours=("$2"); shift 2 ;;
	--filter) filter=$2; shift 2 ;;
	--jobs) jobs=$2; shift 2 ;;
	*) echo "run-tests: unknown option $1" >&2; exit 2 ;;
	esac
done

passed=0
failed=0
skipped=0
notrun=0
failures=()
logdir=build/test-logs
mkdir -p "$logdir"

# Exit status 77: the test could not run here and says why in its last log
# line ("skipped: ..."); shown, counted, never a pass.
record() { # name rc logfile [seconds]
	local took=${4:+ ($4 s)}
	if [ "$2" -eq 0 ]; then
		passed=$((passed + 1)); printf 'PASS %s%s\n' "$1" "$took"
	elif [ "$2" -eq 77 ]; then
		skipped=$((skipped + 1)); printf 'SKIP %s: %s\n' "$1" "$(grep -o 'skipped: .*' "$3" | tail -n 1)"
	else
		failed=$((failed + 1)); failures+=("$1"); printf 'FAIL %s (rc %s, log %s)%s\n' "$1" "$2" "$3" "$took"
		tail -n 30 "$3" | sed 's/^/    | /'
	fi
}

build_of() { [ "$1" = asan ] && echo build/asan || echo build; }

# Each flavour's unit tests one after the other, the two flavours side by side
# (most unit programs use less than the 2 cores); results in the order of the
# lists once both are done.
unit_list() { # flavour: the unit programs of that flavour that the filter selects
	local b t name
	b=$(build_of "$1")
	[ -f "$b/unit-tests.list" ] || { echo "run-tests: $b/unit-tests.list missing: run make check-build FLAVOUR=$1" >&2; return 2; }
	while read -r t; do
		[ -n "$t" ] || continue
		name="unit/$1/$(basename "$t")"
		[[ "$name" =~ $filter ]] && echo "$name $t"
	done <"$b/unit-tests.list"
	return 0
}

run_units() {
	local fl name t log rc
	for fl in "${flavours[@]}"; do unit_list "$fl" >"$logdir/units-$fl.list" || exit 2; done
	for fl in "${flavours[@]}"; do
		while read -r name t; do
			log="$logdir/${name//\//_}.log"
			MIP4_VECTORS=../shared/spec/vectors.json timeout 300 "$t" --jobs 2 >"$log" 2>&1
			echo $? >"$log.rc"
		done <"$logdir/units-$fl.list" &
	done
	wait
	for fl in "${flavours[@]}"; do
		while read -r name t; do
			log="$logdir/${name//\//_}.log"
			rc=$(cat "$log.rc" 2>/dev/null || echo 1)
			rm -f "$log.rc"
			grep -h 'Synthesis' "$log" | sed "s|^|    $name: |"
			record "$name" "$rc" "$log"
		done <"$logdir/units-$fl.list"
		rm -f "$logdir/units-$fl.list"
	done
}

# isolate CMD...: CMD in a network namespace of its own (see above).
isolate() {
	unshare -n bash -c 'ip link set lo up && ip link add it0 type veth peer name it1 &&
		ip addr add 192.0.2.254/24 dev it0 && ip link set it0 up && ip link set it1 up || exit 99
		exec "$@"' isolate "$@"
}

# integration_one FLAVOUR SCRIPT WRAPPER...: run one test; its status in the
# .rc file beside its log.
integration_one() {
	local flavour=$1 s=$2 b preload= log t0=$SECONDS
	shift 2
	b=$(build_of "$flavour")
	[ "$flavour" = asan ] && preload=$(${CC:-cc} -print-file-name=libasan.so)
	log="$logdir/integration_${flavour}_$(basename "$s" .sh).log"
	BUILD="$b" FLAVOUR="$flavour" MIP4_PRELOAD="$preload" "$@" timeout 600 bash "$s" >"$log" 2>&1
	echo "$? $((SECONDS - t0))" >"$log.rc"
}

integration_done() { # flavour script
	local log="$logdir/integration_${1}_$(basename "$2" .sh).log" rc took
	read -r rc took <"$log.rc" 2>/dev/null || rc=1
	rm -f "$log.rc"
	[ "$rc" = 99 ] && echo "run-tests: could not set up the test's network namespace (unshare -n, veth)" >>"$log"
	record "integration/$1/$(basename "$2" .sh)" "$rc" "$log" "$took"
}

# host_chain ENTRIES...: the host-network tests one after the other (they
# share the host's ports and apt); the chain takes one job slot.
host_chain() {
	local i
	for i in "$@"; do integration_one $i env; done
}

run_integration() {
	local fl s pending=() host=() running=0 i pid
	# The ASan flavour first: its tests take longer, and the longest ones
	# started last would stretch the end of the run.
	for fl in $(printf '%s\n' "${flavours[@]}" | sort); do
		for s in tests/integration/*.sh; do
			[ -e "$s" ] || continue
			case "$(basename "$s")" in lib*.sh) continue ;; esac
			[[ "integration/$fl/$(basename "$s" .sh)" =~ $filter ]] || continue
			if [ "$fl" != normal ] && grep -q '^# run-tests: normal-only' "$s"; then
				notrun=$((notrun + 1))
				printf 'NOT RUN integration/%s/%s: %s\n' "$fl" "$(basename "$s" .sh)" \
					"$(sed -n 's/^# run-tests: normal-only: //p' "$s")"
				continue
			fi
			if grep -q '^# run-tests: host-network' "$s"; then host+=("$fl $s"); else pending+=("$fl $s"); fi
		done
	done
	declare -A job_of=()
	# job_done runs inside the loops below: its own loop variable, so that it
	# never changes which test the caller starts next.
	job_done() {
		local h
		wait -n -p pid "${!job_of[@]}"
		if [ "${job_of[$pid]}" = host ]; then
			for h in "${host[@]}"; do integration_done $h; done
		else
			integration_done ${job_of[$pid]}
		fi
		unset "job_of[$pid]"
		running=$((running - 1))
	}
	# The host-network tests run beside the others (those are in namespaces
	# of their own), from the start: the comparison lab is the longest test.
	if [ "${#host[@]}" -gt 0 ]; then
		host_chain "${host[@]}" &
		job_of[$!]=host
		running=1
	fi
	for i in "${pending[@]}"; do
		[ "$running" -ge "$jobs" ] && job_done
		integration_one $i isolate &
		job_of[$!]=$i
		running=$((running + 1))
	done
	while [ "$running" -gt 0 ]; do job_done; done
}

# fuzz_one FUZZER: one fuzzer for fuzz_seconds on a copy of its seed corpus;
# its status in the .rc file beside its log.
fuzz_one() {
	local f=$1 log corpus
	log="$logdir/fuzz_$(basename "$f").log"
	corpus=$(mktemp -d)
	cp tests/fuzz/corpus/"$(basename "$f")"/* "$corpus"/ 2>/dev/null
	"$f" -max_total_time="$fuzz_seconds" -print_final_stats=1 "$corpus" >"$log" 2>&1
	echo $? >"$log.rc"
	rm -rf "$corpus"
}

fuzz_done() {
	local name="fuzz/$(basename "$1")" log="$logdir/fuzz_$(basename "$1").log" rc
	rc=$(cat "$log.rc" 2>/dev/null || echo 1)
	rm -f "$log.rc"
	grep -h 'stat::number_of_executed_units' "$log" | sed "s|^|    $name: |"
	# libFuzzer exits 77 when it finds a failing input: a failure, not a skip.
	[ "$rc" = 77 ] && rc=1
	record "$name" "$rc" "$log"
}

# The fuzzers run two at a time (each is one process on one core).
run_fuzz() {
	local f pid running=0
	[ -f build/fuzz/fuzzers.list ] || return 0
	declare -A fuzzer_of=()
	while read -r f; do
		[ -n "$f" ] || continue
		[[ "fuzz/$(basename "$f")" =~ $filter ]] || continue
		if [ "$running" -ge 2 ]; then
			wait -n -p pid "${!fuzzer_of[@]}"
			fuzz_done "${fuzzer_of[$pid]}"
			unset "fuzzer_of[$pid]"
			running=$((running - 1))
		fi
		fuzz_one "$f" &
		fuzzer_of[$!]=$f
		running=$((running + 1))
	done <build/fuzz/fuzzers.list
	while [ "$running" -gt 0 ]; do
		wait -n -p pid "${!fuzzer_of[@]}"
		fuzz_done "${fuzzer_of[$pid]}"
		unset "fuzzer_of[$pid]"
		running=$((running - 1))
	done
}

t_units=$SECONDS
if [ "$only_fuzz" -eq 0 ]; then
	run_units
	t_integration=$SECONDS
	run_integration
fi
t_fuzz=$SECONDS
run_fuzz
[ "$only_fuzz" -eq 0 ] && printf 'time: units %d s, integration %d s, fuzzers %d s\n' \
	$((t_integration - t_units)) $((t_fuzz - t_integration)) $((SECONDS - t_fuzz))

if [ "$failed" -gt 0 ]; then
	printf 'failed: %s\n' "${failures[@]}"
fi
summary="$passed passed, $failed failed"
[ "$skipped" -gt 0 ] && summary="$summary, $skipped skipped"
[ "$notrun" -gt 0 ] && summary="$summary, $notrun not run in the asan flavour (normal-only)"
echo "$summary"
[ "$failed" -eq 0 ]
