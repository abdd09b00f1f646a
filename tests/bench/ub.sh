#!/bin/bash
# Ub benchmark, numbers only: full GBA bootstraps per second at the lab BSF
# (bsf_lab.fdx with Ub) and its lab HSS (hss_lab.fdx over Zh), driven by
# mip4-mn --ub-only (BENCH_UB_SUBS subscribers, BENCH_UB_WINDOW at a time, one
# connection and two HTTP exchanges per bootstrap: 401 then 200), over HTTPS
# (a TLS handshake per bootstrap) and over plain HTTP in the same run, with
# the CPU the BSF and the HSS spend per bootstrap.  Every bootstrap costs the
# HSS one SQN record (fdatasync) and the USIM one more.  Lab ports 23200+.
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 1
export BUILD=${BUILD:-build} FLAVOUR=normal MIP4_PRELOAD=
N=${BENCH_UB_SUBS:-300}
W=${BENCH_UB_WINDOW:-16}
for f in "$BUILD/gba-lab/bsf_lab.fdx" "$BUILD/gba-lab/hss_lab.fdx" "$BUILD/dict/dict_zh.fdx" "$BUILD/mip4-mn/mip4-mn"; do
	[ -e "$f" ] || { echo "ub bench: $f not built (make bench-build)"; exit 1; }
done
LAB_FD_DUMP=0x1111
. tests/integration/lib-ub.sh
tck=$(getconf CLK_TCK)
cpu() { awk '{ print $14 + $15 }' "/proc/$(it_pid "$1")/stat"; }

# run NAME: start the HSS and BSF of the current LAB_TLS, bootstrap every
# subscriber once, print the row, stop them.
run() {
	local name=$1 h0 h1 b0 b1 ok
	lab_conf_hss && lab_conf_bsf
	mapfile -t UB_ARGS < <(lab_ub_args)
	# ub_start waits for "CONNECTED TO", which message dumps 0x1111 silence.
	lab_cmd_hss
	it_start "hss-$name" "${LAB_CMD[@]}" >/dev/null
	it_wait_log "hss-$name" "$LAB_READY" 60
	lab_cmd_bsf
	it_start "bsf-$name" "${LAB_CMD[@]}" >/dev/null
	it_wait_log "bsf-$name" "$LAB_READY" 60
	it_wait_log "bsf-$name" "'STATE_OPEN'.*'$LAB_HSS_ID'" 30
	h0=$(cpu "hss-$name") b0=$(cpu "bsf-$name")
	ub_mn "$name" --mns "$N" --window "$W" >/dev/null
	h1=$(cpu "hss-$name") b1=$(cpu "bsf-$name")
	ok=$(jq -r 'select(.summary) | .ok' "$IT_DIR/$name.json")
	printf '%-6s %8s bootstraps/s  ok %5s/%s  p50 %7s ms  p99 %7s ms  CPU per bootstrap: BSF %5s us, HSS %5s us\n' \
		"$name" "$(jq -r 'select(.summary) | .rate' "$IT_DIR/$name.json")" "$ok" "$N" \
		"$(jq -r 'select(.summary) | .p50_ms' "$IT_DIR/$name.json")" "$(jq -r 'select(.summary) | .p99_ms' "$IT_DIR/$name.json")" \
		"$(awk -v a="$b0" -v b="$b1" -v n="$ok" -v t="$tck" 'BEGIN { printf "%.0f", n ? (b - a) / t * 1e6 / n : 0 }')" \
		"$(awk -v a="$h0" -v b="$h1" -v n="$ok" -v t="$tck" 'BEGIN { printf "%.0f", n ? (b - a) / t * 1e6 / n : 0 }')"
	it_stop "bsf-$name" >/dev/null
	it_stop "hss-$name" >/dev/null
}

LAB_TLS=1
ub_setup ub-bench "$N" >/dev/null
echo "$N subscribers (K, OP) bootstrapped once each per row, window $W, $(nproc) cores shared by mip4-mn, BSF and HSS"
run https
LAB_TLS=0
run http
