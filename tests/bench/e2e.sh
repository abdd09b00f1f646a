#!/bin/bash
# End-to-end benchmark (issue 6), numbers only, never fails on them:
#  (a) raw Diameter request/answer rate through the HA's Diameter client:
#      mip4-mn -> mip4-ha -> freeDiameterd + amr_answer.fdx (answers 2001 at once)
#  (b) full first registrations/s MN -> HA -> AAA/NAF, Zn cache warm
#  (c) the same, Zn cache cold (every registration a new B-TID: one BIR each)
#  (d) local re-registrations/s (MN-HA authentication at the HA, no AAA)
#  (e) registrations/s of mobile nodes with static MN-HA keys (HMAC-MD5, no AAA)
# each at the maximum (window of outstanding requests) and at half that rate
# (open loop), with p50/p99 round trip at the MN; then method 2 (TR 33.822
# §7.3.3, the HA as NAF, no AAA in the key path) next to (b) and (c):
#  (f) first registrations/s MN -> HA -> BSF, Zn cache cold (one BIR each)
#  (g) the same B-TIDs at other home addresses, Zn cache warm (no BIR)
# at the maximum only (each node has one first registration per address).  TLS between HA, AAA and BSF,
# freeDiameterd message hooks quiet, HA logging at notice.  Ports 24000-24099.
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 1
BUILD=${BUILD:-build}
LAB_FD_DUMP=0x1111
LAB_HA_LOG=notice
. tools/lab-env.sh
DUR=${BENCH_SECONDS:-4}
WINDOW=${BENCH_WINDOW:-64}
N_WARM=4000
N_COLD=${BENCH_COLD_NODES:-40000}
N_M2=${BENCH_M2_NODES:-60000}   # two address ranges of this size (10.22/16, 10.23/16)

dir=$LAB_ROOT/$BUILD/bench/e2e
rm -rf "$dir"
lab_init "$dir/lab" 24000 1
for f in "$LAB_MN" "$LAB_HA" "$LAB_EXT/aaa-naf/aaa_naf.fdx" "$LAB_EXT/gba-lab/bsf_lab.fdx" \
	"$LAB_EXT/dict/dict_mip4.fdx" "$LAB_EXT/dict/dict_zn.fdx" "$LAB_EXT/tools/lo_listen.fdx" \
	"$LAB_EXT/tests/peers/amr_answer.fdx"; do
	[ -e "$f" ] || { echo "e2e bench: $f not built (make bench-build)"; exit 1; }
done
declare -A pids=()
stop_all() {
	local n
	for n in "${!pids[@]}"; do kill -TERM "${pids[$n]}" 2>/dev/null; done
	for n in "${!pids[@]}"; do wait "${pids[$n]}" 2>/dev/null; done
	pids=()
}
trap stop_all EXIT
fail() { echo "bench e2e: $*" >&2; exit 1; }

start() { # NAME: start lab_cmd_NAME, wait for its readiness line
	local name=$1 i
	"lab_cmd_$name"
	"${LAB_CMD[@]}" >"$dir/$name.log" 2>&1 &
	pids[$name]=$!
	for ((i = 0; i < 1200; i++)); do
		grep -Eq "$LAB_READY" "$dir/$name.log" && return 0
		kill -0 "${pids[$name]}" 2>/dev/null || fail "$name exited, see $dir/$name.log"
		sleep 0.05
	done
	fail "$name not ready, see $dir/$name.log"
}
stop() { kill -TERM "${pids[$1]}" 2>/dev/null; wait "${pids[$1]}" 2>/dev/null; unset "pids[$1]"; }
wait_peer() { # the HA's N-th connection to the AAA
	local i
	for ((i = 0; i < 600; i++)); do
		[ "$(grep -c 'diameter: connected to' "$dir/ha.log")" -ge "$1" ] && return 0
		sleep 0.05
	done
	fail "HA did not connect to the AAA"
}

# mn ARGS...: one load run; its summary line as JSON (from the text summary, so
# that no per-outcome output slows the generator down).
mn() {
	"$LAB_MN" --ha "$LAB_HA_ADDR:$LAB_HA_PORT" --naf-fqdn "$LAB_NAF_FQDN" --ua-id "$LAB_UA_ID" --load \
		--timeout 2000 --retries 1 "$@" | tail -n 1 |
		sed -E 's/^summary: //; s/(elapsed=[0-9.]+)s/\1/; s/([0-9])us/\1/g; s/rate=([0-9.]+)\/s/rate=\1/' |
		tr ' ' '\n' | jq -R 'split("=") | {(.[0]): (.[1] | tonumber)}' | jq -s -c 'add | .elapsed_s = .elapsed | .p50_us = .p50 | .p99_us = .p99'
}
# completed operations per second (any reply code), p50, p99 in ms.
fmt() { jq -r '"\((.accepted + .rejected) / .elapsed_s | floor)/s p50 \(.p50_us / 1000) ms p99 \(.p99_us / 1000) ms (accepted \(.accepted), rejected \(.rejected), timeouts \(.timeouts))"' <<<"$1"; }
rate_of() { jq -r '(.accepted + .rejected) / .elapsed_s | floor' <<<"$1"; }

# measure LABEL ARGS...: at the maximum, then at half of it.
measure() {
	local label=$1 max half r
	shift
	max=$(mn "$@" --window "$WINDOW" --duration "$DUR")
	r=$(rate_of "$max")
	half=$(mn "$@" --window "$WINDOW" --duration "$DUR" --rate $((r / 2 > 0 ? r / 2 : 1)))
	printf '%-58s max  %s\n' "$label" "$(fmt "$max")"
	printf '%-58s half %s\n' "" "$(fmt "$half")"
	eval "RATE_${label%%)*}=\$r"
}

lab_make_pki >"$dir/setup.log" 2>&1 || fail "PKI"
lab_make_stores "$N_WARM" >>"$dir/setup.log" 2>&1 || fail "stores"
lab_conf_bsf
lab_conf_ha </dev/null
echo "e2e bench: $(nproc) CPU(s) ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')), TLS, window $WINDOW, ${DUR} s per run"

# (a): a freeDiameterd that answers every AMR with 2001 and nothing else.
lab_conf_aaa
lab_fd_conf "$dir/lab/aaa.fd.conf" "$LAB_AAA_ID" "$LAB_AAA_PORT" <<X
LoadExtension = "$LAB_EXT/dict/dict_mip4.fdx";
LoadExtension = "/usr/lib/freeDiameter/acl_wl.fdx" : "$dir/lab/aaa-acl.conf";
LoadExtension = "$LAB_EXT/tests/peers/amr_answer.fdx" : "2001";
X
LAB_READY_AAA_TRIVIAL='freeDiameterd daemon initialized'
"lab_cmd_aaa"
"${LAB_CMD[@]}" >"$dir/aaa.log" 2>&1 &
pids[aaa]=$!
for ((i = 0; i < 600; i++)); do
	grep -q "$LAB_READY_AAA_TRIVIAL" "$dir/aaa.log" && break
	kill -0 "${pids[aaa]}" 2>/dev/null || fail "aaa (amr_answer) exited, see $dir/aaa.log"
	sleep 0.05
done
start ha
wait_peer 1
measure "a) raw AMR/AMA via the HA, trivial answerer" --store "$LAB_MN_STORE"
stop ha
stop aaa

# (b) and (d): the real AAA with the BSF, N_WARM nodes registered once first.
lab_conf_aaa
start bsf
start aaa
start ha
wait_peer 1
mn --store "$LAB_MN_STORE" --window "$WINDOW" >/dev/null
measure "b) first registrations via AAA, Zn cache warm" --store "$LAB_MN_STORE" --prime
measure "d) local re-registrations (no AAA)" --store "$LAB_MN_STORE" --prime --rereg-pct 100
stop ha
stop aaa
stop bsf

# (c): every registration a B-TID the AAA has never seen.
lab_make_stores "$N_COLD" >>"$dir/setup.log" 2>&1 || fail "stores"
start bsf
start aaa
start ha
wait_peer 1
max=$(mn --store "$LAB_MN_STORE" --window "$WINDOW" --duration "$DUR" --count "$N_COLD")
r=$(rate_of "$max")
RATE_c=$r
used=$(jq -r '.accepted + .rejected + .timeouts' <<<"$max")
half=$(mn --store "$LAB_MN_STORE" --window "$WINDOW" --duration "$DUR" --rate $((r / 2)) --count "$N_COLD" \
	--mns "$N_COLD")
printf '%-58s max  %s\n' "c) first registrations via AAA, Zn cache cold" "$(fmt "$max")"
printf '%-58s half %s\n' "" "$(fmt "$half")"
[ "$used" -lt "$N_COLD" ] || echo "   (all $N_COLD B-TIDs used before the time was up: the cold rate is a lower bound)"
stop ha
stop aaa
stop bsf

# (e): 1000 static security associations in the HA's configuration.
key=00112233445566778899aabbccddeeff
for ((i = 0; i < 1000; i++)); do
	printf 'sa "10.23.%d.%d" { spi = 300 algorithm = "hmac-md5" key = "%s" }\n' $((40 + i / 256)) $((i % 256)) "$key"
done | lab_conf_ha
start bsf
start aaa
start ha
wait_peer 1
measure "e) registrations with static MN-HA keys (no AAA)" --static-spi 300 --static-key "$key" \
	--home-addr 10.23.40.0 --mns 1000
stop ha
stop aaa
stop bsf
# (f) and (g): method 2.  Every node a B-TID of its own; its first
# registration at 10.22.0.1 + i makes the HA fetch Ks_NAF (cold), the same at
# 10.23.0.1 + i finds it in the HA's cache (warm).  Only the nodes the cold
# run reached are used warm.
LAB_METHOD2=1
LAB_HOME_NET=10.22.0.0/15
LAB_HA_ZN_CACHE=$((N_M2 + 1000))
lab_make_stores "$N_M2" >>"$dir/setup.log" 2>&1 || fail "stores"
lab_conf_bsf
lab_conf_ha </dev/null
start bsf
start aaa
start ha
m2=(--method 2 --naf-fqdn "$LAB_HA_ID" --ua-id "$LAB_HA_UA_ID" --store "$LAB_MN_STORE" --window "$WINDOW")
cold=$(mn "${m2[@]}" --home-addr 10.22.0.1 --mns "$N_M2" --count "$N_M2" --duration "$DUR")
used=$(jq -r '.accepted + .rejected + .timeouts' <<<"$cold")
warm=$(mn "${m2[@]}" --home-addr 10.23.0.1 --mns "$used" --count "$used" --duration "$DUR")
stats=$("$LAB_CTLBIN" -s "$LAB_CTL" stats)
printf '%-58s max  %s\n' "f) method 2 first registrations (HA as NAF), Zn cache cold" "$(fmt "$cold")"
printf '%-58s max  %s\n' "g) method 2 first registrations, Zn cache warm" "$(fmt "$warm")"
echo "   (HA: $(jq -r '"\(.registrations_zn) via Zn, \(.zn.birs) BIRs, \(.zn.hits) cache hits, \(.aaa.sent) AMRs"' <<<"$stats"))"
[ "$used" -lt "$N_M2" ] || echo "   (all $N_M2 B-TIDs used before the time was up: the cold rate is a lower bound)"
stop ha
stop aaa
stop bsf
RATE_f=$(rate_of "$cold")
RATE_g=$(rate_of "$warm")
awk -v a="$RATE_a" -v b="$RATE_b" 'BEGIN { if (a > 0) printf "(b)/(a) = %.2f\n", b / a }'
awk -v c="$RATE_c" -v f="$RATE_f" -v b="$RATE_b" -v g="$RATE_g" 'BEGIN {
	if (c > 0) printf "method 2 / method 1, cold cache: (f)/(c) = %.2f\n", f / c
	if (b > 0) printf "method 2 / method 1, warm cache: (g)/(b) = %.2f\n", g / b }'
