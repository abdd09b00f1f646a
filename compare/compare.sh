#!/bin/bash
# make compare: Mobile IPv4 + GBA (this project) beside IKEv2-bootstrapped
# Mobile IPv6 security (strongSwan, RFC 4877 style), on the same machine, in
# the same namespaces, for the same subscriber, in one run.
#
#   compare/compare.sh [--short] [--out DIR] [--plugins DIR]
#
#   --short        the form make check runs: a handful of bootstraps per row, a
#                  one-second data-path check, no load, no added delay
#   --out DIR      results (default build/compare): report.md, report.json,
#                  report.png, and raw/ with every capture, log and sample
#   --plugins DIR  where the two strongSwan plugins are built and kept
#                  (default build/compare/plugins)
#
# Needs root (namespaces, packages) and the project built (make all).  Exit
# status 0 when every row that can run here ran; 3 when the strongSwan plugins
# cannot be built here (no source package reachable: the report says so); 1 on
# any other failure.  Every process is stopped by PID and every namespace
# deleted on exit, whatever happens.
set -uo pipefail
# The Python helpers import each other: no __pycache__ in the source tree.
export PYTHONDONTWRITEBYTECODE=1
CMP_ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$CMP_ROOT" || exit 1
BUILD=${BUILD:-build}

MODE=full
OUT=$BUILD/compare
PLUGIN_DIR=$BUILD/compare/plugins
while [ $# -gt 0 ]; do
	case $1 in
	--short) MODE=short; shift ;;
	--out) OUT=$2; shift 2 ;;
	--plugins) PLUGIN_DIR=$2; shift 2 ;;
	-h | --help) sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	*) echo "compare: unknown option $1 (try --help)" >&2; exit 2 ;;
	esac
done

if [ "$MODE" = full ]; then
	N_SEQ=20 N_REREG=200 N_RTT=8 DP_S=5 LOAD_S=10 MIP4_LOAD_NODES=150000 MIP4_LOAD_SF_NODES=50000 RTTS="20 100"
else
	N_SEQ=5 N_REREG=20 N_RTT=0 DP_S=1 LOAD_S=0 MIP4_LOAD_NODES=0 MIP4_LOAD_SF_NODES=0 RTTS=""
fi
# The cold rows: one subscriber (IMPI, set-1 K and OP) per Ub bootstrap.
MIP4_UB_SUBS=$N_SEQ
# The rekey load: this many PSK IKE_SAs, each rekeyed every IKE_LT_REKEY_S s,
# an offered rate charon keeps up with here (offered beyond its ceiling,
# rekeys collide and expire, and the CPU per rekey says more about that).
IKE_LT_REKEY_SAS=1250 IKE_LT_REKEY_S=5
# TS 35.208 test set 1, the one subscriber of every row.
CMP_K=465b5ce8b199b49faa5f0a2ee238a6bc
CMP_OP=cdc202d5123e20f62b6d676ac72cb318
CMP_OPC=cd63cb71954a9f4e48a5994e37a02baf

say() { printf '%s compare: %s\n' "$(date +%H:%M:%S)" "$*"; }
die() { say "$*" >&2; exit 1; }

[ "$(id -u)" -eq 0 ] || die "needs root (network namespaces, packages)"
mkdir -p "$OUT" "$PLUGIN_DIR" || die "cannot create $OUT"
OUT=$(cd "$OUT" && pwd)
PLUGIN_DIR=$(cd "$PLUGIN_DIR" && pwd)
RAW=$OUT/raw
rm -rf "$RAW" "$OUT/report.md" "$OUT/report.json" "$OUT/report.png"
mkdir -p "$RAW"
T_START=$(date +%s)

. compare/proc.sh
. compare/net.sh
. compare/ike.sh
. compare/mip4.sh

# status ROW ok|not-run REASON: what the report says about a row.
status() {
	mkdir -p "$RAW/status"
	jq -n --arg s "$2" --arg r "${3:-}" '{status: $s, reason: $r}' >"$RAW/status/$1.json"
}

# fg CMD...: run CMD as a child that a signal to this script does not have to
# wait for (bash runs traps only between foreground commands, but at once
# during `wait`); cleanup stops it by PID.
FG_PID=
fg() {
	"$@" &
	FG_PID=$!
	wait "$FG_PID"
	local rc=$?
	FG_PID=
	return "$rc"
}

cleanup() {
	local rc=$?
	if [ -n "$FG_PID" ]; then
		kill -TERM "$FG_PID" 2>/dev/null
		wait "$FG_PID" 2>/dev/null
	fi
	proc_stop_all
	net_down
	exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---- packages, plugins, our binaries ---------------------------------------------
compare/deps.sh
rc=$?
if [ "$rc" -eq 3 ]; then
	IKE_OK=0 IKE_WHY="strongSwan packages could not be installed (no Debian registry reachable)"
elif [ "$rc" -ne 0 ]; then
	die "compare/deps.sh failed"
else
	say "strongSwan plugins (eap-aka-3gpp, load-tester) from Debian's source package into $PLUGIN_DIR"
	cached=1
	[ -f "$PLUGIN_DIR/build.env" ] || cached=0
	compare/plugins.sh "$PLUGIN_DIR"
	rc=$?
	if [ "$rc" -eq 0 ]; then
		IKE_OK=1 IKE_WHY=
		# shellcheck disable=SC1091
		. "$PLUGIN_DIR/build.env"
		jq -n --argjson cached "$cached" --arg bin "$BIN_VERSION" --arg src "$SRC_VERSION" \
			--argjson fetch "$FETCH_S" --argjson conf "${CONFIGURE_S:-null}" --argjson build "$BUILD_S" \
			--arg at "$BUILT_AT" \
			'{cached: ($cached == 1), installed: $bin, source: $src, fetch_s: $fetch, configure_s: $conf,
			  build_s: $build, built_at: $at}' \
			>"$RAW/plugins.json"
	elif [ "$rc" -eq 3 ]; then
		IKE_OK=0 IKE_WHY="strongSwan plugins not built: Debian's strongswan source package is not reachable"
	else
		die "building the strongSwan plugins failed (logs in $PLUGIN_DIR/src)"
	fi
fi
if [ "$IKE_OK" = 0 ]; then
	say "skipped: strongSwan plugins not built ($IKE_WHY)"
	[ "$MODE" = short ] && exit 3
fi
for f in "$BUILD/mip4-mn/mip4-mn" "$BUILD/mip4-ha/mip4-ha" "$BUILD/aaa-naf/aaa_naf.fdx" "$BUILD/gba-lab/bsf_lab.fdx" "$BUILD/gba-lab/hss_lab.fdx" \
	"$BUILD/tools/mip4-ctl" "$BUILD/tools/lo_listen.fdx"; do
	[ -e "$f" ] || die "$f is missing: build the project first (make)"
done


# ---- the machine -----------------------------------------------------------------
machine_json() {
	local cfg netem_cfg
	netem_cfg=$(zcat /proc/config.gz 2>/dev/null | grep -E '^(# )?CONFIG_NET_SCH_NETEM[= ]' || echo "kernel config not readable")
	jq -n --arg model "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')" \
		--argjson cpus "$(nproc)" --arg kernel "$(uname -r)" \
		--arg debian "$(cat /etc/debian_version 2>/dev/null)" \
		--argjson mem_kib "$(awk '/MemTotal/ { print $2 }' /proc/meminfo)" \
		--arg load "$(cut -d' ' -f1-3 /proc/loadavg)" --arg mode "$MODE" \
		--arg date "$(date -u +%Y-%m-%dT%H:%M:%SZ)" --arg netem_cfg "$netem_cfg" \
		--arg commit "$(git rev-parse --short HEAD 2>/dev/null || echo unknown)" \
		--argjson n_seq "$N_SEQ" --argjson n_rtt "$N_RTT" --argjson load_s "$LOAD_S" --argjson dp_s "$DP_S" \
		--argjson ub_tls "$([ "$LAB_TLS" = 1 ] && echo true || echo false)" \
		'{date: $date, mode: $mode, commit: $commit, cpu_model: $model, cpus: $cpus, kernel: $kernel,
		  debian: $debian, mem_gib: (($mem_kib / 1048576) * 10 | round / 10), loadavg_start: $load,
		  netem_kernel_config: $netem_cfg, n_seq: $n_seq, n_rtt: $n_rtt, load_s: $load_s, datapath_s: $dp_s,
		  ub_tls: $ub_tls}'
}
versions_json() {
	local p args=()
	for p in libstrongswan charon-systemd freediameterd iperf3 tshark gnuplot-nox openssl; do
		args+=(--arg "${p//-/_}" "$(dpkg-query -W -f='${Version}' "$p" 2>/dev/null || echo absent)")
	done
	jq -n "${args[@]}" --arg mip4 "$("$BUILD/mip4-mn/mip4-mn" --version 2>&1 | head -n 1)" \
		'{strongswan: $libstrongswan, "charon-systemd": $charon_systemd, freediameter: $freediameterd,
		  iperf3: $iperf3, tshark: $tshark, gnuplot: $gnuplot_nox, openssl: $openssl, "mip4-gba": $mip4}'
}
machine_json >"$RAW/machine.json"
versions_json >"$RAW/versions.json"

# ---- namespaces ------------------------------------------------------------------
net_up "cmp$$" || die "cannot create the network namespaces (root? ip netns?)"
say "namespaces $NS_MN, $NS_HA, $NS_CN"

# ---- data path: iperf3 from the CN to the MN -------------------------------------
# dp_measure NAME ADDR: TCP for DP_S s, UDP unlimited, then (full form) the
# highest offered rate that loses at most 1 %, stepping down from what the
# unlimited run delivered.  Results in $RAW/dp/NAME/.
dp_measure() {
	local name=$1 addr=$2 d=$RAW/dp/$1 i rate loss
	mkdir -p "$d"
	proc_start iperf-s "$d/server.log" ip netns exec "$NS_MN" iperf3 -s -B "$addr" -p 5201
	for ((i = 0; i < 100; i++)); do
		ip netns exec "$NS_MN" ss -Hltn 'sport = :5201' | grep -q . && break
		sleep 0.05
	done
	fg ip netns exec "$NS_CN" iperf3 -c "$addr" -p 5201 -t "$DP_S" -J >"$d/tcp.json" 2>&1
	fg ip netns exec "$NS_CN" iperf3 -c "$addr" -p 5201 -t "$DP_S" -u -b 0 -l 1200 -J >"$d/udp-max.json" 2>&1
	if [ "$MODE" = full ]; then
		rate=$(jq -r '.end.sum_received.bits_per_second // 0 | floor' "$d/udp-max.json")
		for ((i = 1; i <= 5 && rate > 0; i++)); do
			fg ip netns exec "$NS_CN" iperf3 -c "$addr" -p 5201 -t "$DP_S" -u -b "$rate" -l 1200 -J \
				>"$d/udp-$i.json" 2>&1
			loss=$(jq -r '.end.sum_received.lost_percent // 100' "$d/udp-$i.json")
			awk -v l="$loss" 'BEGIN { exit !(l <= 1) }' && break
			rate=$((rate * 4 / 5))
		done
	fi
	proc_stop iperf-s
}

# ---- IKEv2 (strongSwan) ----------------------------------------------------------
ike_measure() { # CONN N DIR [capture]
	local conn=$1 n=$2 d=$3 rc
	mkdir -p "$d"
	[ "${4:-}" = capture ] && { cap_start ike-cap "$NS_MN" mn0 "udp port 500 or udp port 4500" "$d/cap.pcapng" || return 1; }
	fg python3 compare/ike_bench.py bootstrap "$IKE_DIR/mn/charon.vici" "$conn" "$n" \
		"$(proc_pid ike-mn)" "$(proc_pid ike-ha)" >"$d/ops.jsonl" 2>"$d/bench.err"
	rc=$?
	if [ "${4:-}" = capture ]; then
		cap_stop ike-cap
		python3 compare/pcap_stats.py ike "$d/cap.pcapng" >"$d/wire.json" || rc=1
	fi
	return "$rc"
}

ike_phase() {
	local name mn_remote ha_id ha_local label vip
	say "IKEv2: $N_SEQ bootstraps per row, a rekey series, the ESP data path"
	ike_setup "$RAW/ike" || die "strongSwan configuration failed"
	ike_start || die "charon did not start (logs in $RAW/ike)"
	while IFS='|' read -r name mn_remote ha_id ha_local label; do
		if ike_measure "$name" "$N_SEQ" "$RAW/seq/$name" capture; then
			status "$name" ok
		else
			status "$name" failed "bootstraps failed: $(head -c 300 "$RAW/seq/$name/ops.jsonl" "$RAW/seq/$name/bench.err" | tr '\n' ' ')"
			say "row $name: failures, see $RAW/seq/$name"
		fi
	done < <(ike_rows)
	mkdir -p "$RAW/keep/ike-rekey"
	cap_start ike-cap "$NS_MN" mn0 "udp port 500 or udp port 4500" "$RAW/keep/ike-rekey/cap.pcapng" || die "capture"
	if fg python3 compare/ike_bench.py rekey "$IKE_DIR/mn/charon.vici" ike-aka-rsa "$N_SEQ" \
		"$(proc_pid ike-mn)" "$(proc_pid ike-ha)" >"$RAW/keep/ike-rekey/ops.jsonl" 2>"$RAW/keep/ike-rekey/bench.err"; then
		status keep-ike-rekey ok
	else
		status keep-ike-rekey failed "IKE rekeys failed (see raw/keep/ike-rekey)"
	fi
	cap_stop ike-cap
	python3 compare/pcap_stats.py rekey "$RAW/keep/ike-rekey/cap.pcapng" >"$RAW/keep/ike-rekey/wire.json"

	say "data path: iperf3 CN -> MN through strongSwan's ESP tunnel (libipsec)"
	if ike_sw mn --initiate --ike ike-aka-rsa --child ike-aka-rsa --timeout 20 --loglevel -1 >/dev/null 2>&1; then
		vip=$(ip -n "$NS_MN" -4 -o addr show dev ipsec0 | awk '{ print $4 }' | cut -d/ -f1)
		dp_measure esp "$vip"
		ike_sw mn --list-sas --ike ike-aka-rsa >"$RAW/dp/esp/sas.txt" 2>&1
		ike_sw mn --terminate --ike ike-aka-rsa --timeout 20 --loglevel -1 >/dev/null 2>&1
		status dp-esp ok
	else
		status dp-esp failed "the IKE_SA for the data path did not come up"
	fi
	ike_stop
}

# ike_lt_window NAME: a load window of LOAD_S s over the running load-tester
# daemons, into $RAW/load/ike-NAME.json.
ike_lt_window() {
	mkdir -p "$RAW/load"
	fg python3 compare/ike_bench.py window "$IKE_DIR/lt-mn/charon.vici" "$LOAD_S" "$(proc_pid lt-mn)" \
		"$(proc_pid lt-ha)" >"$RAW/load/ike-$1.window"
	cp "$IKE_DIR/lt-mn/strongswan.conf" "$RAW/load/ike-$1.mn.conf"
}

ike_load_phase() {
	local v w
	for v in psk aka-rsa aka-eaponly; do
		say "IKEv2 load-tester: $v, open loop, ${LOAD_S} s window"
		ike_lt_conf "$v" && ike_lt_start || die "load-tester daemons did not start (logs in $RAW/ike/lt-*)"
		sleep 3
		ike_lt_window "$v"
		ike_lt_stop
		w=$RAW/load/ike-$v.window
		jq --argjson est "$(ike_lt_established mn "$(jq .start "$w")" "$(jq .end "$w")")" \
			'. + {established: $est}' "$w" >"$RAW/load/ike-$v.json"
	done
	say "IKEv2 load-tester: $IKE_LT_REKEY_SAS IKE_SAs rekeyed every ${IKE_LT_REKEY_S} s, ${LOAD_S} s window"
	ike_lt_conf rekey && ike_lt_start || die "load-tester daemons did not start"
	# All IKE_SAs up (at a few hundred per second) and into their rekey
	# rhythm before the window (two rekey periods) opens.
	sleep $((IKE_LT_REKEY_S + IKE_LT_REKEY_SAS / 300 + 2))
	LOAD_S=$((IKE_LT_REKEY_S * 2)) ike_lt_window rekey
	ike_lt_stop
	jq --argjson sas "$IKE_LT_REKEY_SAS" --argjson every "$IKE_LT_REKEY_S" '. + {sas: $sas, rekey_every_s: $every}' \
		"$RAW/load/ike-rekey.window" >"$RAW/load/ike-rekey.json"
}

# ---- Mobile IPv4 + GBA -----------------------------------------------------------
# mip4_seq NAME WIRE ARGS...: mip4-mn in load mode, one request at a time,
# captured on the MN's link (WIRE mip: the registrations; gba: Ub with the BSF
# too, each bootstrap counted from its Ub connection to its registration),
# with its own and the servers' CPU between its first and its last
# registration.
mip4_seq() {
	local name=$1 wire=$2 d=$RAW/seq/$1 marks= n filter="udp port $MIP4_PORT"; shift 2
	[ "$wire" = gba ] && filter="$filter or tcp port $LAB_UB_PORT"
	mkdir -p "$d"
	for n in aaa bsf hss ha; do marks="$marks $(wc -l <"$LAB_DIR/$n.log")"; done
	cap_start mip4-cap "$NS_MN" mn0 "$filter" "$d/cap.pcapng" || return 1
	fg python3 compare/run_cpu.py --pids "$(mip4_server_pids)" --stdout "$d/ops.jsonl" --between-outcomes \
		--phase "$([ "$name" = keep-mip4-rereg ] && echo rereg || echo initial)" -- \
		"${MIP4_MN[@]}" --load --window 1 --json "$@" >"$d/cpu.json"
	cap_stop mip4-cap
	set -- $marks
	for n in aaa bsf hss ha; do
		tail -n +$(($1 + 1)) "$LAB_DIR/$n.log" >"$d/$n.log"
		shift
	done
	if [ "$wire" = gba ]; then
		python3 compare/pcap_stats.py gba "$d/cap.pcapng" "$MIP4_PORT" "$LAB_UB_PORT" >"$d/wire.json"
	else
		python3 compare/pcap_stats.py mip "$d/cap.pcapng" "$MIP4_PORT" >"$d/wire.json"
	fi
	[ "$(jq .rc "$d/cpu.json")" = 0 ]
}

# The data path through our tunnel: a node registered (method 1, a store
# bootstrap) with mip4-mn --tun holds its home address; iperf3 to it from the CN.
mip4_dp() {
	local d=$RAW/dp/ipip hoa= i
	mkdir -p "$d"
	proc_start mip4-dp-mn "$d/mn.log" "${MIP4_MN[@]}" --store "$(mip4_store_path dp)" --lifetime 600 --tun \
		--reverse-tunnel -v
	for ((i = 0; i < 300; i++)); do
		hoa=$(ip -n "$NS_MN" -4 -o addr show dev mip4mn0 2>/dev/null | awk '{ print $4 }' | cut -d/ -f1)
		[ -z "$hoa" ] && proc_alive mip4-dp-mn || break
		sleep 0.05
	done
	if [ -z "$hoa" ]; then
		proc_stop mip4-dp-mn
		status dp-ipip failed "mip4-mn --tun did not get its home address (see raw/dp/ipip/mn.log)"
		return 1
	fi
	say "data path: iperf3 CN -> MN ($hoa) through mip4-ha's IP-in-IP tunnel (mip4-mn --tun, reverse tunnelling)"
	dp_measure ipip "$hoa"
	ip netns exec "$NS_HA" "$LAB_CTLBIN" -s "$LAB_CTL" stats | jq .dataplane >"$d/ha-dataplane.json"
	proc_stop mip4-dp-mn
	if [ "$(jq '.decapsulated_packets > 0' "$d/ha-dataplane.json")" != true ]; then
		status dp-ipip failed "nothing reverse-tunnelled: the HA decapsulated no packet (raw/dp/ipip/ha-dataplane.json)"
		return 1
	fi
	status dp-ipip ok
}

mip4_phase() {
	local stores=(seq:"$N_SEQ" rereg:1 dp:1)
	local r ub
	for r in $RTTS; do stores+=("rtt$r:$N_RTT"); done
	[ "$MIP4_LOAD_NODES" -gt 0 ] && stores+=("load:$MIP4_LOAD_NODES" "loadzc:2000" "loadrr:1000" "loadsf:$MIP4_LOAD_SF_NODES")
	say "MIPv4 + GBA: lab BSF, AAA/NAF and mip4-ha in $NS_HA; bootstraps: ${stores[*]}"
	mip4_setup "$RAW/mip4" "${stores[@]}" || die "MIPv4 lab setup failed (see $RAW/mip4/setup.log)"
	mip4_start || die "MIPv4 lab did not start (logs in $RAW/mip4)"
	# Warm: the GBA bootstrap is done (Ks in the MN's and the BSF's stores);
	# each first registration uses a B-TID the AAA has not seen (one Zn BIR).
	if mip4_seq mip4-m1-warm mip "--store=$(mip4_store_path seq)"; then
		status mip4-m1-warm ok
	else
		status mip4-m1-warm failed "registrations failed: $(tail -n 1 "$RAW/seq/mip4-m1-warm/ops.jsonl")"
	fi
	# Keeping it: re-registrations with the MN-HA key from a first registration.
	if mip4_seq keep-mip4-rereg mip "--store=$(mip4_store_path rereg)" --mns 1 --prime --rereg-pct 100 \
		--count "$N_REREG"; then
		status keep-mip4-rereg ok
	else
		status keep-mip4-rereg failed "re-registrations failed (see raw/seq/keep-mip4-rereg)"
	fi
	# Cold: each bootstrap runs Ub with the BSF (HTTP Digest AKA, the BSF
	# fetching a vector from the HSS over Zh) before its first registration.
	mapfile -t ub < <(mip4_ub_args cold)
	if mip4_seq mip4-m1-cold gba "${ub[@]}"; then
		status mip4-m1-cold ok
	else
		status mip4-m1-cold failed "bootstraps failed: $(tail -n 1 "$RAW/seq/mip4-m1-cold/ops.jsonl")"
	fi
	# Method 2: Ub, then the first registration straight with the HA as NAF
	# (it fetches Ks_NAF over Zn itself; no AAA).
	mapfile -t ub < <(mip4_ub_args m2; mip4_m2_args)
	if mip4_seq mip4-m2 gba "${ub[@]}"; then
		status mip4-m2 ok
	else
		status mip4-m2 failed "bootstraps failed: $(tail -n 1 "$RAW/seq/mip4-m2/ops.jsonl")"
	fi
	mip4_dp
	mip4_stop
}

# mip4_load NAME STORE ARGS...: one mip4-mn load run with the servers' CPU.
mip4_load() {
	local name=$1 store=$2; shift 2
	mkdir -p "$RAW/load"
	fg python3 compare/run_cpu.py --pids "$(mip4_server_pids)" --stdout "$RAW/load/$name.txt" -- \
		"${MIP4_MN[@]}" --store "$store" --load --timeout 2000 --retries 1 "$@" >"$RAW/load/$name.cpu.json"
}

mip4_load_phase() {
	say "MIPv4 + GBA load: first registrations (a new B-TID each: one Zn BIR each), ${LOAD_S} s"
	mip4_start quiet-memory-pool || die "MIPv4 lab did not start (logs in $RAW/mip4)"
	mip4_load mip4-initial "$(mip4_store_path load)" --window 64 --duration "$LOAD_S" --count "$MIP4_LOAD_NODES"
	say "MIPv4 + GBA load: first registrations with Ks_NAF in the AAA's Zn cache (new keys for 2000 known B-TIDs), ${LOAD_S} s"
	mip4_load mip4-initial-zncached "$(mip4_store_path loadzc)" --window 64 --prime --duration "$LOAD_S"
	mip4_load mip4-initial-zncached-base "$(mip4_store_path loadzc)" --window 64 --prime --count 1
	say "MIPv4 + GBA load: re-registrations of 1000 registered nodes, ${LOAD_S} s"
	mip4_load mip4-rereg "$(mip4_store_path loadrr)" --window 64 --prime --rereg-pct 100 --duration "$LOAD_S"
	# The same start (1000 first registrations) with one re-registration: its
	# CPU is taken out of the run above.
	mip4_load mip4-rereg-base "$(mip4_store_path loadrr)" --window 64 --prime --rereg-pct 100 --count 1
	mip4_stop
	say "MIPv4 + GBA load: first registrations of subscribers never seen, pool-state-file on, ${LOAD_S} s"
	mip4_start quiet || die "MIPv4 lab did not start (logs in $RAW/mip4)"
	mip4_load mip4-initial-statefile "$(mip4_store_path loadsf)" --window 64 --duration "$LOAD_S" \
		--count "$MIP4_LOAD_SF_NODES"
	mip4_stop
}

# ---- added round-trip time -------------------------------------------------------
# netem if the kernel has it; otherwise compare/delay_bridge.py, a userspace
# two-port bridge between the MN and the HA that delays every frame.
netem_probe() {
	local err
	err=$(ip netns exec "$NS_MN" tc qdisc add dev mn0 root netem delay 1ms 2>&1)
	if [ $? -eq 0 ]; then
		ip netns exec "$NS_MN" tc qdisc del dev mn0 root
		NETEM=1
	else
		NETEM=0
	fi
	jq -n --argjson ok "$NETEM" --arg err "$err" --arg cfg "$(jq -r .netem_kernel_config "$RAW/machine.json")" \
		'{available: ($ok == 1), tc_error: $err, kernel_config: $cfg,
		  emulation: (if $ok == 1 then "tc netem on both ends of the MN-HA link" else "compare/delay_bridge.py (userspace bridge between the MN and the HA)" end)}' \
		>"$RAW/netem.json"
}

rtt_set() { # RTT_MS, or 0 for the direct link again
	local rtt=$1 half i
	proc_stop delay-bridge
	half=$(awk -v r="$rtt" 'BEGIN { printf "%g", r / 2 }')
	if [ "$NETEM" = 1 ]; then
		ip netns exec "$NS_MN" tc qdisc del dev mn0 root 2>/dev/null
		ip netns exec "$NS_HA" tc qdisc del dev ha0 root 2>/dev/null
		[ "$rtt" = 0 ] && return 0
		ip netns exec "$NS_MN" tc qdisc add dev mn0 root netem delay "${half}ms" &&
			ip netns exec "$NS_HA" tc qdisc add dev ha0 root netem delay "${half}ms"
		return
	fi
	if [ "$rtt" = 0 ]; then
		net_relink direct
		return
	fi
	net_relink delay || return 1
	proc_start delay-bridge "$RAW/rtt/bridge-$rtt.log" ip netns exec "$NS_DL" \
		python3 compare/delay_bridge.py dlm dlh "$half"
	for ((i = 0; i < 100; i++)); do
		grep -q 'one-way delay' "$RAW/rtt/bridge-$rtt.log" 2>/dev/null && return 0
		sleep 0.05
	done
	return 1
}

rtt_phase() {
	local rtt name mn_remote ha_id ha_local label ub
	mkdir -p "$RAW/rtt"
	netem_probe
	for rtt in $RTTS; do
		rtt_set "$rtt" || die "cannot add ${rtt} ms of round-trip time"
		say "round-trip time +${rtt} ms ($(jq -r .emulation "$RAW/netem.json")): $N_RTT bootstraps per row"
		if [ "$IKE_OK" = 1 ]; then
			ike_start || die "charon did not start"
			while IFS='|' read -r name mn_remote ha_id ha_local label; do
				ike_measure "$name" "$N_RTT" "$RAW/rtt/$rtt/$name" || say "row $name at +${rtt} ms: failures"
			done < <(ike_rows)
			ike_stop
		fi
		mip4_start quiet || die "MIPv4 lab did not start"
		mkdir -p "$RAW/rtt/$rtt/mip4-m1-warm"
		fg "${MIP4_MN[@]}" --store "$(mip4_store_path "rtt$rtt")" --load --window 1 --json \
			>"$RAW/rtt/$rtt/mip4-m1-warm/ops.jsonl" 2>"$RAW/rtt/$rtt/mip4-m1-warm/mn.err" ||
			say "MIPv4 row at +${rtt} ms: failures"
		for name in mip4-m1-cold mip4-m2; do
			mkdir -p "$RAW/rtt/$rtt/$name"
			mapfile -t ub < <(if [ "$name" = mip4-m2 ]; then mip4_ub_args m2; mip4_m2_args; else mip4_ub_args cold; fi)
			fg "${MIP4_MN[@]}" "${ub[@]}" --mns "$N_RTT" --load --window 1 --json >"$RAW/rtt/$rtt/$name/ops.jsonl" \
				2>"$RAW/rtt/$rtt/$name/mn.err" || say "MIPv4 row $name at +${rtt} ms: failures"
		done
		# One round trip with almost no processing: what the delay really adds.
		mkdir -p "$RAW/rtt/$rtt/keep-mip4-rereg"
		fg "${MIP4_MN[@]}" --store "$(mip4_store_path rereg)" --load --window 1 --json --mns 1 --prime \
			--rereg-pct 100 --count "$N_RTT" >"$RAW/rtt/$rtt/keep-mip4-rereg/ops.jsonl" \
			2>"$RAW/rtt/$rtt/keep-mip4-rereg/mn.err" || say "MIPv4 re-registrations at +${rtt} ms: failures"
		mip4_stop
	done
	rtt_set 0
}

# ---- the run ---------------------------------------------------------------------
for name in $(ike_rows | cut -d'|' -f1) dp-esp; do
	[ "$IKE_OK" = 1 ] || status "$name" not-run "$IKE_WHY"
done
[ "$IKE_OK" = 1 ] && ike_phase
mip4_phase
say "data path: iperf3 CN -> MN without a tunnel (plain routing through the HA namespace)"
dp_measure plain "$NET_MN_ADDR"
status dp-plain ok
if [ "$MODE" = full ]; then
	[ "$IKE_OK" = 1 ] && ike_load_phase
	mip4_load_phase
	rtt_phase
fi
jq -n --argjson s "$(($(date +%s) - T_START))" --arg load "$(cut -d' ' -f1-3 /proc/loadavg)" \
	'{run_s: $s, loadavg_end: $load}' >"$RAW/run.json"

say "report: $OUT/report.md, report.json, report.png"
python3 compare/report.py "$RAW" "$OUT" || die "report failed"
failed=$(grep -l '"status": "failed"' "$RAW"/status/*.json 2>/dev/null | xargs -r -n1 basename | sed 's/\.json$//')
[ -z "$failed" ] || die "rows that failed: $(echo $failed)"
[ "$IKE_OK" = 1 ] || exit 3
