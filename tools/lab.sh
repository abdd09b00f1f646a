#!/bin/bash
# The mip4-gba lab on 127.0.0.1 under build/lab/: a lab HSS (freeDiameterd +
# hss_lab), a lab BSF (freeDiameterd + bsf_lab: Ub over HTTPS, Zh to the HSS,
# Zn), the AAA/NAF (freeDiameterd + aaa_naf, key source zn, TLS to the HA and to
# the BSF) and mip4-ha.  The mobile nodes bootstrap from their K and OP on Ub
# (LAB_GBA=store: from a shared bootstrap store instead, no HSS).
#
#   tools/lab.sh start [N]   fresh PKI, N subscribers (default 10), configs; start all
#   tools/lab.sh stop        stop every process start started (by PID)
#   tools/lab.sh status      what runs, and the HA's counters
#   tools/lab.sh demo        start, register one mobile node with a readable
#                            transcript, re-register it without the AAA,
#                            deregister it, print the HA's counters, stop.
#                            Exit status 0 only if all of that happened.
#
# Ports 23000 + 10/11 (BSF TCP/TLS), 12 (Ub), 20/21 (AAA), 34 (HA, UDP),
# 40/41 (HSS); +500 with FLAVOUR=asan.  Logs and configs stay in build/lab/ (or LAB_DIR).
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1
LAB_GBA=${LAB_GBA:-ub}
. tools/lab-env.sh

FLAVOUR=${FLAVOUR:-normal}
base=23000
[ "$FLAVOUR" = asan ] && base=23500
lab_init "${LAB_DIR:-$LAB_ROOT/$BUILD/lab}" "$base"
PIDS=$LAB_DIR/pids
# The AAA request counter in `mip4-ctl stats`.
LAB_STAT_AAA_SENT=.aaa.sent

say() { printf '%s\n' "$*"; }
die() { say "lab: $*" >&2; exit 1; }

running() { [ -f "$PIDS/$1" ] && kill -0 "$(cat "$PIDS/$1")" 2>/dev/null; }

# wait_log NAME REGEX TIMEOUT: the process's log matches, or it died, or time ran out.
wait_log() {
	local name=$1 re=$2 timeout=$3 i
	for ((i = 0; i < timeout * 20; i++)); do
		grep -Eq -- "$re" "$LAB_DIR/$name.log" 2>/dev/null && return 0
		running "$name" || { tail -n 15 "$LAB_DIR/$name.log" >&2; die "$name exited before logging /$re/"; }
		sleep 0.05
	done
	tail -n 15 "$LAB_DIR/$name.log" >&2
	die "$name: timed out after ${timeout}s waiting for /$re/ in $LAB_DIR/$name.log"
}

start_one() { # NAME: start it with lab_cmd_NAME, wait until ready
	local name=$1
	"lab_cmd_$name"
	"${LAB_CMD[@]}" >"$LAB_DIR/$name.log" 2>&1 &
	echo $! >"$PIDS/$name"
	say "lab: started $name (pid $!), log $LAB_DIR/$name.log"
	wait_log "$name" "$LAB_READY" 60
}

stop_one() { # NAME: SIGTERM, then SIGKILL after 15 s
	local name=$1 pid i
	[ -f "$PIDS/$name" ] || return 0
	pid=$(cat "$PIDS/$name")
	if kill -0 "$pid" 2>/dev/null; then
		kill -TERM "$pid"
		for ((i = 0; i < 300; i++)); do
			kill -0 "$pid" 2>/dev/null || break
			sleep 0.05
		done
		kill -0 "$pid" 2>/dev/null && { say "lab: $name (pid $pid) ignored SIGTERM: SIGKILL"; kill -KILL "$pid"; }
		say "lab: stopped $name (pid $pid)"
	fi
	rm -f "$PIDS/$name"
}

cmd_stop() {
	local n
	for n in ha aaa bsf hss; do stop_one "$n"; done
}

# The daemons of this lab, in starting order.
daemons() { if [ "$LAB_GBA" = ub ]; then echo hss bsf aaa ha; else echo bsf aaa ha; fi; }

cmd_start() {
	local n=${1:-10} x
	for x in hss bsf aaa ha; do running "$x" && die "$x already runs (pid $(cat "$PIDS/$x")): tools/lab.sh stop"; done
	for x in "$LAB_MN" "$LAB_HA" "$LAB_EXT/aaa-naf/aaa_naf.fdx" "$LAB_EXT/gba-lab/bsf_lab.fdx" \
		"$LAB_EXT/gba-lab/hss_lab.fdx" "$LAB_EXT/dict/dict_mip4.fdx" "$LAB_EXT/dict/dict_zn.fdx" \
		"$LAB_EXT/dict/dict_zh.fdx" "$LAB_EXT/tools/lo_listen.fdx"; do
		[ -e "$x" ] || die "$x is missing: build first (make)"
	done
	command -v freeDiameterd >/dev/null || die "freeDiameterd not installed: make deps"
	find "$LAB_DIR" -mindepth 1 -maxdepth 1 ! -name pids -exec rm -rf {} +
	mkdir -p "$PIDS"
	lab_make_all "$n" >"$LAB_DIR/setup.log" 2>&1 || { cat "$LAB_DIR/setup.log" >&2; die "setup failed"; }
	if [ "$LAB_GBA" = ub ]; then
		say "lab: PKI in $LAB_PKI, $n subscribers (K, OP) in $LAB_SUBS_MN (HSS copy $LAB_SUBS_HSS)"
	else
		say "lab: PKI in $LAB_PKI, $n bootstraps in $LAB_MN_STORE (BSF copy $LAB_BSF_STORE)"
	fi
	trap 'cmd_stop' EXIT
	for x in $(daemons); do start_one "$x"; done
	wait_log ha 'diameter: connected to' 30
	[ "$LAB_GBA" = ub ] && wait_log bsf "CONNECTED TO '$LAB_HSS_ID'" 30
	trap - EXIT
	say "lab: running.  $([ "$LAB_GBA" = ub ] && echo "HSS 127.0.0.1:$LAB_HSS_PORT/$((LAB_HSS_PORT + 1)), Ub $(lab_ub_url) on 127.0.0.1, ")BSF 127.0.0.1:$LAB_BSF_PORT/$((LAB_BSF_PORT + 1)), AAA 127.0.0.1:$LAB_AAA_PORT/$((LAB_AAA_PORT + 1)), HA udp 127.0.0.1:$LAB_HA_PORT"
	say "lab: try  $LAB_MN $(lab_mn_args | tr '\n' ' ')-v"
	[ "$LAB_METHOD2" = 1 ] && say "lab: method 2 (the HA as NAF): $LAB_MN $(lab_mn2_args | tr '\n' ' ')-v"
	if [ "$LAB_GBA" = ub ]; then
		say "lab: load: $LAB_MN --make-store $n $(lab_ub_args | tr '\n' ' ')--out-mn $LAB_MN_STORE"
		say "lab:       $LAB_MN --load --ha $LAB_HA_ADDR:$LAB_HA_PORT --store $LAB_MN_STORE --naf-fqdn $LAB_NAF_FQDN --window 64 --count 1000"
	fi
	say "lab: and  $LAB_CTLBIN -s $LAB_CTL stats"
}

ctl() { "$LAB_CTLBIN" -s "$LAB_CTL" "$@"; }

cmd_status() {
	local n
	for n in $(daemons); do
		if running "$n"; then say "$n: running (pid $(cat "$PIDS/$n"))"; else say "$n: not running"; fi
	done
	running ha && ctl stats
}

# Lines a log gained since the last mark (marks live in $LAB_DIR/marks/NAME).
log_mark() { mkdir -p "$LAB_DIR/marks"; wc -l <"$LAB_DIR/$1.log" >"$LAB_DIR/marks/$1"; }
log_since() { tail -n +$(($(cat "$LAB_DIR/marks/$1") + 1)) "$LAB_DIR/$1.log"; }

# One JSON field of `mip4-ctl stats` (jq path).
stat_of() { ctl stats | jq -r "$1"; }

# Name the Diameter messages of freeDiameterd's compact dumps.
name_msgs() {
	sed -E -e 's/^[0-9:]+ +NOTI +//' \
		-e "s/^RCV from '([^']*)': .*2\/260 f:R.* len:([0-9]+)/received AMR (AA-Mobile-Node-Request) from \1, \2 octets/" \
		-e "s/^SND to '([^']*)': .*2\/260 f:-.* len:([0-9]+)/sent AMA (AA-Mobile-Node-Answer) to \1, \2 octets/" \
		-e "s/^SND to '([^']*)': .*16777220\/310 f:R.* len:([0-9]+)/sent BIR (Zn Bootstrapping-Info-Request) to \1, \2 octets/" \
		-e "s/^RCV from '([^']*)': .*16777220\/310 f:-.* len:([0-9]+)/received BIA (Zn Bootstrapping-Info-Answer) from \1, \2 octets/" \
		-e "s/^RCV from '([^']*)': .*16777220\/310 f:R.* len:([0-9]+)/received BIR from \1, \2 octets/" \
		-e "s/^SND to '([^']*)': .*16777220\/310 f:-.* len:([0-9]+)/sent BIA to \1, \2 octets/" \
		-e 's/^bsf_lab: (BIR #[0-9]+ .*): ([0-9]+)$/\1: answered \2 with Ks_NAF for that NAF-Id (never logged)/'
}

# Called by mip4-mn --step-cmd after each step of the demo.
cmd_step() {
	local phase=${MIP4_MN_PHASE:?} code=${MIP4_MN_CODE:?} aaa_now
	say ""
	say "---- what the others did for the $phase step (code $code) ----"
	if [ "$LAB_GBA" = ub ] && [ "$phase" = initial ]; then
		say "HSS  (hss_lab, Zh):"
		log_since hss | grep -E "hss_lab: MAR" | sed -E 's/^[0-9:]+ +NOTI +//; s/^/      /'
		say "BSF  (bsf_lab, Ub):"
		log_since bsf | grep -E "bsf_lab: Ub " | sed -E 's/^[0-9:]+ +NOTI +//; s/^/      /'
	fi
	say "BSF  (bsf_lab, Zn):"
	log_since bsf | grep -E "RCV from|SND to|bsf_lab: BIR" | grep -v "/257 \|16777221/" | name_msgs | sed 's/^/      /'
	say "AAA  (aaa_naf in freeDiameterd; message headers only):"
	log_since aaa | grep -E "RCV from|SND to" | grep -v "/257 \|/280 " | name_msgs | sed 's/^/      /'
	say "HA   (mip4-ha):"
	log_since ha | grep -E 'registration ' | sed -E 's/^[^ ]+ mip4-ha\[[0-9]+\] info: //; s/^/      /'
	for n in $(daemons); do log_mark "$n"; done
	[ "$code" = 0 ] || { say "step $phase failed with code $code"; return 1; }
	aaa_now=$(stat_of "$LAB_STAT_AAA_SENT")
	case $phase in
	initial)
		say "HA   bindings (mip4-ctl bindings):"
		ctl bindings | sed 's/^/      /'
		ctl bindings | grep -q "\"$MIP4_MN_HOME\"" || { say "no binding for $MIP4_MN_HOME"; return 1; }
		echo "$aaa_now" >"$LAB_DIR/marks/aaa_sent"
		;;
	rereg)
		say "HA   AMRs sent: before $(cat "$LAB_DIR/marks/aaa_sent"), after $aaa_now: re-registered without the AAA"
		[ "$aaa_now" = "$(cat "$LAB_DIR/marks/aaa_sent")" ] || { say "the re-registration reached the AAA"; return 1; }
		;;
	dereg)
		say "HA   bindings after deregistration:"
		ctl bindings | sed 's/^/      /'
		ctl bindings | grep -q "\"$MIP4_MN_HOME\"" && { say "binding still there"; return 1; }
		;;
	esac
	return 0
}

cmd_demo() {
	cmd_start 1 || exit 1
	trap 'cmd_stop' EXIT
	for n in $(daemons); do log_mark "$n"; done
	say ""
	say "==== mip4-gba demo: one mobile node, GBA-keyed first registration, local re-registration, deregistration ===="
	if [ "$LAB_GBA" = ub ]; then
		say "MN   subscriber: IMPI $(awk '{print $1}' "$LAB_SUBS_MN"), K and OP in $LAB_SUBS_MN; bootstrap on Ub ($(lab_ub_url)) first   (NAF_Id = $LAB_NAF_FQDN || $LAB_UA_ID)"
	else
		say "MN   bootstrap: $(awk '{print "B-TID " $1 ", IMPI " $2}' "$LAB_MN_STORE")   (NAF_Id = $LAB_NAF_FQDN || $LAB_UA_ID)"
	fi
	local args rc
	mapfile -t args < <(lab_mn_args)
	LAB_DIR=$LAB_DIR "$LAB_MN" "${args[@]}" --reregs 1 --json -v --step-cmd "'$LAB_ROOT/tools/lab.sh' step" 2>&1
	rc=$?
	say ""
	say "---- mip4-ctl stats ----"
	ctl stats | jq .
	cmd_stop
	trap - EXIT
	if [ "$rc" -ne 0 ]; then
		say "demo FAILED (mip4-mn exit status $rc); logs in $LAB_DIR"
		exit 1
	fi
	say "demo OK:$([ "$LAB_GBA" = ub ] && echo " Ub bootstrap from K/OP (401/200, B-TID) with the BSF and HSS,") first registration through the AAA/NAF and BSF, re-registration without the AAA, deregistration"
}

case "${1:-}" in
start) shift; cmd_start "$@" ;;
stop) cmd_stop ;;
status) cmd_status ;;
demo) cmd_demo ;;
step) cmd_step ;;
*) say "usage: tools/lab.sh start [N] | stop | status | demo" >&2; exit 2 ;;
esac
