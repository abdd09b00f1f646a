#!/bin/bash
# Runs what `make check` built: unit tests and integration tests in both flavours
# (normal, asan), then every fuzzer for a bounded time. Prints one line per test
# program and a closing "N passed, N failed" line; exits non-zero on any failure.
#
#   tests/run-tests.sh [--fuzz-seconds N] [--only-fuzz] [--flavour normal|asan] [--filter REGEX]
set -uo pipefail
cd "$(dirname "$0")/.."

fuzz_seconds=10
only_fuzz=0
flavours=(normal asan)
filter=.
while [ $# -gt 0 ]; do
	case "$1" in
	--fuzz-seconds) fuzz_seconds=$2; shift 2 ;;
	--only-fuzz) only_fuzz=1; shift ;;
	--flavour) flavours=("$2"); shift 2 ;;
	--filter) filter=$2; shift 2 ;;
	*) echo "run-tests: unknown option $1" >&2; exit 2 ;;
	esac
done

passed=0
failed=0
skipped=0
failures=()
logdir=build/test-logs
mkdir -p "$logdir"

# Exit status 77: the test could not run here and says why in its last log
# line ("skipped: ..."); shown, counted, never a pass.
record() { # name rc logfile
	if [ "$2" -eq 0 ]; then
		passed=$((passed + 1)); printf 'PASS %s\n' "$1"
	elif [ "$2" -eq 77 ]; then
		skipped=$((skipped + 1)); printf 'SKIP %s: %s\n' "$1" "$(grep -o 'skipped: .*' "$3" | tail -n 1)"
	else
		failed=$((failed + 1)); failures+=("$1"); printf 'FAIL %s (rc %s, log %s)\n' "$1" "$2" "$3"
		tail -n 30 "$3" | sed 's/^/    | /'
	fi
}

build_of() { [ "$1" = asan ] && echo build/asan || echo build; }

run_units() {
	local flavour=$1 b t name log
	b=$(build_of "$flavour")
	[ -f "$b/unit-tests.list" ] || { echo "run-tests: $b/unit-tests.list missing: run make check-build FLAVOUR=$flavour" >&2; exit 2; }
	while read -r t; do
		[ -n "$t" ] || continue
		name="unit/$flavour/$(basename "$t")"
		[[ "$name" =~ $filter ]] || continue
		log="$logdir/${name//\//_}.log"
		MIP4_VECTORS=../shared/spec/vectors.json timeout 300 "$t" --jobs 2 >"$log" 2>&1
		local rc=$?
		grep -h 'Synthesis' "$log" | sed "s|^|    $name: |"
		record "$name" "$rc" "$log"
	done <"$b/unit-tests.list"
}

run_integration() {
	local flavour=$1 b s name log preload=
	b=$(build_of "$flavour")
	[ "$flavour" = asan ] && preload=$(${CC:-cc} -print-file-name=libasan.so)
	for s in tests/integration/*.sh; do
		[ -e "$s" ] || continue
		case "$(basename "$s")" in lib*.sh) continue ;; esac
		name="integration/$flavour/$(basename "$s" .sh)"
		[[ "$name" =~ $filter ]] || continue
		log="$logdir/${name//\//_}.log"
		BUILD="$b" FLAVOUR="$flavour" MIP4_PRELOAD="$preload" timeout 600 bash "$s" >"$log" 2>&1
		record "$name" "$?" "$log"
	done
}

run_fuzz() {
	local f name log corpus
	[ -f build/fuzz/fuzzers.list ] || return 0
	while read -r f; do
		[ -n "$f" ] || continue
		name="fuzz/$(basename "$f")"
		[[ "$name" =~ $filter ]] || continue
		log="$logdir/${name//\//_}.log"
		corpus=$(mktemp -d)
		cp tests/fuzz/corpus/"$(basename "$f")"/* "$corpus"/ 2>/dev/null
		"$f" -max_total_time="$fuzz_seconds" -print_final_stats=1 "$corpus" >"$log" 2>&1
		local rc=$?
		rm -rf "$corpus"
		grep -h 'stat::number_of_executed_units' "$log" | sed "s|^|    $name: |"
		record "$name" "$rc" "$log"
	done <build/fuzz/fuzzers.list
}

if [ "$only_fuzz" -eq 0 ]; then
	for fl in "${flavours[@]}"; do run_units "$fl"; done
	for fl in "${flavours[@]}"; do run_integration "$fl"; done
fi
run_fuzz

if [ "$failed" -gt 0 ]; then
	printf 'failed: %s\n' "${failures[@]}"
fi
if [ "$skipped" -gt 0 ]; then
	echo "$passed passed, $failed failed, $skipped skipped"
else
	echo "$passed passed, $failed failed"
fi
[ "$failed" -eq 0 ]
