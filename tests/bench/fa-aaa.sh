#!/bin/bash
# FA care-of mode through the AAA (issue 11), numbers only: first registrations
# per second when a foreign agent sends the AMR (AMR, then the AAA's HAR to
# mip4-ha and its HAA: amrclient -C fa-mode plays the foreign agent) next to the
# co-located path (AMR only, the AAA answers at once: -C valid), same AAA, same
# nodes, same run.  GBA keys from the local store, plain TCP, window
# BENCH_FA_AAA_WINDOW, every node its own B-TID (and so its own home address).
# Ports 24600-24630.
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 1
export BUILD=${BUILD:-build} FLAVOUR=normal MIP4_PRELOAD=
N=${BENCH_FA_AAA_REQUESTS:-3000}
W=${BENCH_FA_AAA_WINDOW:-50}
for f in "$BUILD/aaa-naf/aaa_naf.fdx" "$BUILD/mip4-ha/mip4-ha" "$BUILD/tests/amrclient/amrclient"; do
	[ -e "$f" ] || { echo "fa-aaa bench: $f not built (make bench-build)"; exit 1; }
done
. tests/integration/lib.sh
. tests/integration/lib-aaa.sh
. tests/integration/lib-ha.sh
it_setup fa-aaa-bench >/dev/null
aport=24600 cport=24610 HA_PORT=24620
now=$(date +%s)
store=$IT_DIR/store
aaa_store_bulk "$store" "$N" "$((now + 86400))" 2>/dev/null || { echo "fa-aaa bench: python3 needed to make the store"; exit 1; }
cat >"$IT_DIR/naf.conf" <<X
naf-fqdn = "$AAA_NAF_FQDN"
key-sources = {"gba-local"}
home-agent-address = "127.0.0.1"
gba-local { store = "$store" }
pool "p" { first = "10.1.0.1" last = "10.1.255.250" }
home-agent "ha.home.lab" { address = "127.0.0.1" }
X
aaa_fd_aaa "$IT_DIR/aaa.conf" "$aport" "$IT_DIR/naf.conf"
aaa_fd_client "$IT_DIR/client.conf" "$cport" "$aport"
it_freediameterd aaa "$IT_DIR/aaa.conf" >/dev/null
{
	printf 'max_pending = 4096\nmax_bindings = %s\n' $((2 * N))
	ha_diameter_section "$aport"
} | ha_conf "$IT_DIR/ha.conf" "$HA_PORT"
ha_start ha "$IT_DIR/ha.conf" >/dev/null
declare -A RATE
measure() { # NAME CASE
	aaa_client "$1" -q --store "$store" --naf-fqdn "$AAA_NAF_FQDN" --all --ha-addr 127.0.0.1 -C "$2" -n "$N" -w "$W" >/dev/null
	RATE[$1]=$(aaa_summary "$IT_DIR/$1.out" rate)
	printf '%-11s %8s registrations/s  ok %6s of %s  p50 %6s ms  p99 %6s ms\n' "$1" "${RATE[$1]}" \
		"$(aaa_summary "$IT_DIR/$1.out" ok)" "$N" "$(aaa_summary "$IT_DIR/$1.out" p50_ms)" \
		"$(aaa_summary "$IT_DIR/$1.out" p99_ms)"
}
echo "$N first registrations per run, window $W, $(nproc) cores shared by client, AAA and HA"
measure co-located valid
measure via-fa fa-mode
echo "HARs served by mip4-ha: $(ha_ctl ha stats | jq -r '.har_requests') (expected $N)"
it_stop ha >/dev/null
it_stop aaa >/dev/null
awk -v a="${RATE[via-fa]}" -v b="${RATE[co-located]}" 'BEGIN { printf "ratio via-fa/co-located: %.2f\n", (b > 0 ? a / b : 0) }'
