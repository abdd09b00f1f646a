#!/bin/bash
# AAA/NAF benchmark (issue 4), numbers only: AMRs/s that freeDiameterd +
# aaa_naf.fdx sustains through amrclient (window BENCH_AAA_WINDOW, plain TCP,
# message dumps off), and the server's CPU µs per AMR, next to the same client
# against the trivial amr_answer.fdx (answers 2001 at once) in the same run:
#   ref        amr_answer.fdx "2001"
#   gba-local  Ks_NAF derived from the local store at every AMR
#   zn warm    Ks_NAF from the Zn cache (one B-TID)
#   zn cold    every AMR a new B-TID: one BIR to bsf_lab.fdx each
# The ratio AAA/ref is the figure that matters.  Ports 24500-24530.
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 1
export BUILD=${BUILD:-build} FLAVOUR=normal MIP4_PRELOAD=
N=${BENCH_AAA_REQUESTS:-20000}
W=${BENCH_AAA_WINDOW:-100}
N_COLD=${BENCH_AAA_COLD:-3000}
for f in "$BUILD/aaa-naf/aaa_naf.fdx" "$BUILD/gba-lab/bsf_lab.fdx" "$BUILD/tests/amrclient/amrclient" \
	"$BUILD/tests/peers/amr_answer.fdx"; do
	[ -e "$f" ] || { echo "aaa-naf bench: $f not built (make bench-build)"; exit 1; }
done
. tests/integration/lib.sh
. tests/integration/lib-aaa.sh
it_setup aaa-bench >/dev/null
aport=24500 bport=24510 cport=24520
now=$(date +%s)
store=$IT_DIR/store
aaa_store_bulk "$store" "$N_COLD" "$((now + 86400))" 2>/dev/null || { echo "aaa-naf bench: python3 needed to make the store"; exit 1; }
b1=$(head -1 "$store" | cut -d' ' -f1)
tck=$(getconf CLK_TCK)
cpu() { awk '{ print $14 + $15 }' "/proc/$(it_pid "$1")/stat"; }
declare -A RATE CPU
measure() { # NAME SERVER AMRCLIENT-ARGS...
	local name=$1 srv=$2 c0 c1 n; shift 2
	c0=$(cpu "$srv")
	aaa_client "$name" -q --store "$store" --naf-fqdn "$AAA_NAF_FQDN" "$@" >/dev/null
	c1=$(cpu "$srv")
	n=$(aaa_summary "$IT_DIR/$name.out" ok)
	RATE[$name]=$(aaa_summary "$IT_DIR/$name.out" rate)
	CPU[$name]=$(awk -v a="$c0" -v b="$c1" -v n="$n" -v t="$tck" 'BEGIN { printf "%.0f", n ? (b - a) / t * 1e6 / n : 0 }')
	printf '%-10s %8s AMR/s  ok %6s  p50 %6s ms  p99 %6s ms  server CPU %4s us/AMR\n' "$name" "${RATE[$name]}" "$n" \
		"$(aaa_summary "$IT_DIR/$name.out" p50_ms)" "$(aaa_summary "$IT_DIR/$name.out" p99_ms)" "${CPU[$name]}"
}

printf 'ALLOW_IPSEC *.home.lab\n' >"$IT_DIR/acl-aaa.conf"
it_fd_conf "$IT_DIR/ref.conf" aaa.home.lab home.lab "$aport" <<X
LoadExtension = "$IT_ROOT/$BUILD/dict/dict_mip4.fdx";
LoadExtension = "$IT_ROOT/$BUILD/dict/dict_zn.fdx";
LoadExtension = "$IT_ROOT/$BUILD/tests/peers/amr_answer.fdx" : "2001";
LoadExtension = "/usr/lib/freeDiameter/acl_wl.fdx" : "$IT_DIR/acl-aaa.conf";
LoadExtension = "/usr/lib/freeDiameter/dbg_msg_dumps.fdx" : "0x1111";
X
aaa_fd_client "$IT_DIR/client.conf" "$cport" "$aport"
echo "$N AMRs per run, window $W, $(nproc) cores shared by client and servers"
it_freediameterd ref "$IT_DIR/ref.conf" >/dev/null
measure ref ref --btid "$b1" -n "$N" -w "$W"
it_stop ref >/dev/null

cat >"$IT_DIR/local.conf" <<X
naf-fqdn = "$AAA_NAF_FQDN"
key-sources = {"gba-local"}
home-agent-address = "127.0.0.1"
gba-local { store = "$store" }
pool "p" { first = "10.1.0.1" last = "10.1.255.250" }
X
aaa_fd_aaa "$IT_DIR/aaa1.conf" "$aport" "$IT_DIR/local.conf"
it_freediameterd aaa "$IT_DIR/aaa1.conf" >/dev/null
measure gba-local aaa --btid "$b1" -n "$N" -w "$W"
it_stop aaa >/dev/null

cat >"$IT_DIR/zn.conf" <<X
naf-fqdn = "$AAA_NAF_FQDN"
key-sources = {"zn"}
home-agent-address = "127.0.0.1"
zn { cache-size = $((N_COLD + 10)) }
pool "p" { first = "10.1.0.1" last = "10.1.255.250" }
X
printf 'store = "%s"\n' "$store" >"$IT_DIR/bsf-lab.conf"
printf 'ALLOW_IPSEC *.home.lab\n' >"$IT_DIR/acl-bsf.conf"
it_fd_conf "$IT_DIR/bsf.conf" bsf.bsf.lab bsf.lab "$bport" <<X
LoadExtension = "$IT_ROOT/$BUILD/dict/dict_zn.fdx";
LoadExtension = "$IT_ROOT/$BUILD/gba-lab/bsf_lab.fdx" : "$IT_DIR/bsf-lab.conf";
LoadExtension = "/usr/lib/freeDiameter/acl_wl.fdx" : "$IT_DIR/acl-bsf.conf";
LoadExtension = "/usr/lib/freeDiameter/dbg_msg_dumps.fdx" : "0x1111";
X
it_freediameterd bsf "$IT_DIR/bsf.conf" >/dev/null
aaa_fd_aaa "$IT_DIR/aaa2.conf" "$aport" "$IT_DIR/zn.conf" "" \
	"ConnectPeer = \"bsf.bsf.lab\" { ConnectTo = \"127.0.0.1\"; Port = $bport; No_TLS; };"
it_freediameterd aaa "$IT_DIR/aaa2.conf" >/dev/null
aaa_wait_bsf_peer
measure zn-cold aaa --all -n "$N_COLD" -w "$W"
measure zn-warm aaa --btid "$b1" -n "$N" -w "$W"
echo "BIRs served by the BSF: $(aaa_birs) (expected $N_COLD: one per cold B-TID, none when warm)"
it_stop aaa >/dev/null
it_stop bsf >/dev/null
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'; }
echo "ratio AAA/ref: gba-local $(ratio "${RATE[gba-local]}" "${RATE[ref]}"), zn warm $(ratio "${RATE[zn-warm]}" "${RATE[ref]}"), zn cold $(ratio "${RATE[zn-cold]}" "${RATE[ref]}")"
