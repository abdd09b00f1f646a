#!/bin/bash
# The namespace lab: the GBA lab of tools/lab.sh (lab HSS, BSF, AAA/NAF, mip4-ha)
# moved into network namespaces, so that real packets reach a mobile node
# through the home agent's tunnel (topology in tools/netlab-env.sh):
#
#   cn   a correspondent on the home link 10.23.0.0/16 (10.23.0.2)
#   ha   mip4-ha on the home link (10.23.0.1, data plane "tun", reverse
#        tunnelling allowed), the AAA/NAF, the BSF (Ub on 10.23.0.1) and the
#        HSS, Diameter on the namespace's own loopback
#   mn   the mobile node's side: two visited links, va (198.51.100.2) and
#        vb (203.0.113.2); home addresses come from 10.23.1.0/24
#
#   tools/netlab.sh start    build the namespaces, start the daemons in ha,
#                            print the commands to try
#   tools/netlab.sh stop     stop every process in the lab's namespaces (the
#                            daemons by PID first), delete the namespaces
#   tools/netlab.sh status   the namespaces, the daemons, the HA's counters
#   tools/netlab.sh demo     start, register one node with mip4-mn --tun (Ub
#                            from K/OP, first registration through the AAA/NAF),
#                            ping it from cn through the tunnel, move it to vb,
#                            ping again, stop.  Exit status 0 only if every
#                            ping was answered, or if namespaces cannot be
#                            made here (it says so: make demo runs it).
#
# Needs root.  Namespaces are named NETLAB_PREFIX (default mip4lab-) + cn, ha,
# mn; configs and logs stay in build/netlab/ (NETLAB_DIR).  make lab-net and
# make lab-net-stop run start and stop.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1
. tools/netlab-env.sh
netlab_init
export BUILD=${BUILD:-build} FLAVOUR=${FLAVOUR:-normal}
export LAB_DIR=${NETLAB_DIR:-$PWD/$BUILD/netlab}
export LAB_GBA=ub LAB_TLS=${LAB_TLS:-1}
export LAB_HA_ADDR=$NL_HA_ADDR LAB_UB_ADDR=$NL_HA_ADDR LAB_POOL_FIRST=$NL_POOL_FIRST LAB_POOL_LAST=$NL_POOL_LAST
export LAB_HA_EXTRA="data_plane = \"tun\"
home_interface = \"$NL_HOME_IF\"
tunnel_device = \"$NL_TUN\"
reverse_tunnel = true"
. tools/lab-env.sh
base=23000
[ "$FLAVOUR" = asan ] && base=23500
lab_init "$LAB_DIR" "$base"
PROBE=$PWD/$BUILD/tools/mip4-probe
MN_PID=$LAB_DIR/mn.pid

say() { printf '%s\n' "$*"; }
die() { say "netlab: $*" >&2; exit 1; }

ctl() { nl_ha "$LAB_CTLBIN" -s "$LAB_CTL" "$@"; }

cmd_start() {
	[ "$(id -u)" -eq 0 ] || die "needs root (network namespaces)"
	netlab_exists && die "the lab's namespaces exist already: tools/netlab.sh stop"
	[ -x "$PROBE" ] || die "$PROBE is missing: build first (make)"
	netlab_up || die "namespaces are not available here; nothing was started"
	say "netlab: namespaces $NL_CN (home link, $NL_CN_ADDR), $NL_HA (home agent, $NL_HA_ADDR), $NL_MN (visited links $NL_IF_A $NL_MN_A, $NL_IF_B $NL_MN_B)"
	if ! nl_ha tools/lab.sh start 1; then
		netlab_down
		die "the daemons did not start (logs in $LAB_DIR)"
	fi
	say "netlab: running.  Try:"
	say "  register and hold the home address (SIGUSR1 moves it to $NL_IF_B, SIGTERM deregisters):"
	say "    ip netns exec $NL_MN $LAB_MN $(lab_mn_args | tr '\n' ' ')--bind $NL_MN_A --tun --reverse-tunnel --handover $NL_IF_B -v"
	say "  ping the home address from the correspondent (the HA's bindings tell it):"
	say "    ip netns exec $NL_HA $LAB_CTLBIN -s $LAB_CTL bindings"
	say "    ip netns exec $NL_CN $PROBE echo HOME_ADDRESS -c 5"
	say "  watch the tunnel:  ip netns exec $NL_HA tcpdump -ni $NL_HA_IF_A ip proto 4"
	say "  stop:  tools/netlab.sh stop   (or make lab-net-stop)"
}

# Everything still running in a namespace: what the user started there too.
kill_ns() {
	local ns pids
	for ns in "$NL_MN" "$NL_CN" "$NL_HA"; do
		pids=$(ip netns pids "$ns" 2>/dev/null)
		[ -n "$pids" ] && kill -TERM $pids 2>/dev/null
	done
	return 0
}

# stop_pid PID: SIGTERM, up to 10 s to leave (mip4-mn deregisters first), SIGKILL.
stop_pid() {
	local i
	kill -TERM "$1" 2>/dev/null || return 0
	for ((i = 0; i < 100; i++)); do
		kill -0 "$1" 2>/dev/null || return 0
		sleep 0.1
	done
	kill -KILL "$1" 2>/dev/null
}

cmd_stop() {
	if [ -f "$MN_PID" ]; then
		stop_pid "$(cat "$MN_PID")"
		rm -f "$MN_PID"
	fi
	if netlab_exists; then
		nl_ha tools/lab.sh stop
		kill_ns
	fi
	netlab_down
	say "netlab: stopped, namespaces deleted"
}

cmd_status() {
	if ! netlab_exists; then
		say "netlab: not running"
		return 0
	fi
	ip netns list | grep -E "^($NL_CN|$NL_HA|$NL_MN)( |$)"
	nl_ha tools/lab.sh status
}

home_address() { ctl bindings | jq -r '.bindings[0].home_address // empty'; }
bound_at() { [ "$(ctl bindings | jq -r '.bindings[0].care_of_address // empty')" = "$1" ]; }
held_by_mn() { ip -n "$NL_MN" -4 addr show | grep " $HOA/32" >/dev/null; }

# ping N: N echoes from cn to the home address; prints the result, true when all came back.
ping_home() {
	local out
	out=$(nl_cn "$PROBE" echo "$HOA" -c "$1" -i 200 -W 2000)
	say "CN   mip4-probe echo $HOA -c $1: $out"
	[ "$(jq -r .received <<<"$out")" = "$1" ]
}

wait_for() { # SECONDS WHAT CMD...
	local s=$1 what=$2 i
	shift 2
	for ((i = 0; i < s * 10; i++)); do
		"$@" 2>/dev/null && return 0
		kill -0 "$(cat "$MN_PID")" 2>/dev/null || { tail -n 20 "$LAB_DIR/mn.log" >&2; die "mip4-mn exited before: $what"; }
		sleep 0.1
	done
	die "timed out after ${s}s waiting for: $what"
}

cmd_demo() {
	local args ok=1 err
	# make demo runs this after the key-service demo: where namespaces cannot
	# be made it says so plainly, and the rest of the demo stands.
	if ! err=$(ip netns add "${NL_PREFIX}probe" 2>&1); then
		say "netlab: network namespaces are not available here (${err:-not root}): the data-plane demo (ping through the tunnel) did not run"
		return 0
	fi
	ip netns del "${NL_PREFIX}probe"
	cmd_start >"$LAB_DIR.start.log" 2>&1 || { cat "$LAB_DIR.start.log" >&2; cmd_stop >/dev/null; return 1; }
	trap 'cmd_stop >/dev/null' EXIT
	say "==== mip4-gba data plane: cn -> home agent -> IP-in-IP -> mobile node (namespaces $NL_CN, $NL_HA, $NL_MN) ===="
	mapfile -t args < <(lab_mn_args)
	# ip netns exec execs: $! is mip4-mn's PID, the one SIGUSR1 and SIGTERM go to.
	ip netns exec "$NL_MN" "$LAB_MN" "${args[@]}" --bind "$NL_MN_A" --tun --reverse-tunnel --handover "$NL_IF_B" -v \
		>"$LAB_DIR/mn.log" 2>&1 &
	echo $! >"$MN_PID"
	wait_for 30 "a binding at the HA" bound_at "$NL_MN_A"
	HOA=$(home_address)
	wait_for 15 "$HOA on the node's TUN device" held_by_mn
	say "MN   mip4-mn --tun in $NL_MN: Ub bootstrap, first registration through the AAA/NAF; home address $HOA, care-of address $NL_MN_A ($NL_IF_A), T granted"
	ctl bindings | jq -c '.bindings[0] | {home_address, care_of_address, reverse_tunnel, lifetime_left, tunnel_mtu}' | sed 's/^/HA   binding: /'
	ping_home 5 || ok=0
	say "MN   SIGUSR1: move to $NL_IF_B ($NL_MN_B)"
	kill -USR1 "$(cat "$MN_PID")"
	wait_for 15 "the binding on $NL_MN_B" bound_at "$NL_MN_B"
	ping_home 5 || ok=0
	ctl stats | jq -c '.dataplane | {encapsulated_packets, decapsulated_packets}' | sed 's/^/HA   data plane: /'
	cmd_stop >/dev/null
	trap - EXIT
	if [ "$ok" = 1 ]; then
		say "data plane OK: every ping from cn reached the node through the tunnel, before and after the move"
	else
		say "data plane FAILED: pings were lost (logs in $LAB_DIR)"
		return 1
	fi
}

case "${1:-}" in
start) cmd_start ;;
stop) cmd_stop ;;
status) cmd_status ;;
demo) cmd_demo ;;
*) say "usage: tools/netlab.sh start | stop | status | demo" >&2; exit 2 ;;
esac
