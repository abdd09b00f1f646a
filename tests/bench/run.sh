#!/bin/bash
# make bench: every benchmark of the project, numbers only; a benchmark that
# cannot run says so and the others still run (exit status 0 unless none ran).
#   each executable $BUILD/tests/bench/bench_* (per-operation costs, built by
#   the bench.mk fragments), then each tests/bench/*.sh other than this one
#   (e2e.sh: the whole system, MN -> HA -> AAA/NAF -> BSF).
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 1
export BUILD=${BUILD:-build}
ran=0
for b in "$BUILD"/tests/bench/bench_*; do
	[ -x "$b" ] && [ -f "$b" ] || continue
	echo "== $(basename "$b")"
	"$b" || echo "($(basename "$b") exited with status $?)"
	ran=$((ran + 1))
done
for s in tests/bench/*.sh; do
	[ "$(basename "$s")" = run.sh ] && continue
	echo "== $(basename "$s" .sh)"
	bash "$s" || echo "($(basename "$s") exited with status $?)"
	ran=$((ran + 1))
done
[ "$ran" -gt 0 ] || { echo "no benchmark built: make bench-build" >&2; exit 1; }
