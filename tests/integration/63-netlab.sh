#!/bin/bash
# The namespace lab as a user runs it (tools/netlab.sh, make lab-net, make demo):
# start builds cn/ha/mn and the GBA lab inside ha (Ub on the home link's
# address, data plane "tun"), status shows it, start refuses a second lab,
# demo registers a node with mip4-mn --tun (Ub from K/OP, first registration
# through the AAA/NAF) and pings it from cn through the tunnel before and after
# a move, stop leaves no namespace and no process behind.
. "$(dirname "$0")/lib.sh"
it_setup netlab
export NETLAB_PREFIX="it63-$$-" NETLAB_DIR="$IT_DIR/lab" BUILD FLAVOUR
# In the asan flavour Diameter runs over plain TCP (README: the libfdcore 1.2.1
# TLS teardown bug), as in every other asan test.
[ "$FLAVOUR" = asan ] && export LAB_TLS=0
IT_NETNS+=("${NETLAB_PREFIX}cn" "${NETLAB_PREFIX}ha" "${NETLAB_PREFIX}mn")
NL=$IT_ROOT/tools/netlab.sh
left() { # processes whose command line names the lab's directory
	local p n=0
	for p in /proc/[0-9]*; do
		tr '\0' ' ' <"$p/cmdline" 2>/dev/null | grep -qF -- "$NETLAB_DIR/" && n=$((n + 1))
	done
	echo "$n"
}

"$NL" start >"$IT_DIR/start.out" 2>&1
rc=$?
cat "$IT_DIR/start.out"
it_eq "netlab.sh start exit status" 0 "$rc"
it_check "start prints the mip4-mn command to try" grep -q -- "--tun --reverse-tunnel --handover vb" "$IT_DIR/start.out"
it_eq "three namespaces" 3 "$(ip netns list | grep -c "^$NETLAB_PREFIX")"
"$NL" status >"$IT_DIR/status.out" 2>&1
cat "$IT_DIR/status.out"
it_eq "status: four daemons running" 4 "$(grep -c ': running (pid' "$IT_DIR/status.out")"
it_check "status: the HA's data plane is tun" grep -q '"mode":"tun"' "$IT_DIR/status.out"
"$NL" start >"$IT_DIR/start2.out" 2>&1
it_eq "a second start is refused" 1 "$?"
it_check "and says why" grep -q "namespaces exist already" "$IT_DIR/start2.out"
"$NL" stop >"$IT_DIR/stop.out" 2>&1
it_eq "netlab.sh stop exit status" 0 "$?"
it_eq "stop: no namespace left" 0 "$(ip netns list | grep -c "^$NETLAB_PREFIX")"
it_eq "stop: no process left" 0 "$(left)"

"$NL" demo >"$IT_DIR/demo.out" 2>&1
rc=$?
cat "$IT_DIR/demo.out"
it_eq "netlab.sh demo exit status" 0 "$rc"
it_eq "two rounds of 5 pings, all answered" 2 "$(grep -c '"sent":5,"received":5' "$IT_DIR/demo.out")"
it_check "the node moved to vb" grep -q "move to vb" "$IT_DIR/demo.out"
it_check "10 packets tunnelled and 10 reverse-tunnelled" grep -q '"encapsulated_packets":10,"decapsulated_packets":10' "$IT_DIR/demo.out"
it_check "the node bootstrapped on Ub (401, then 200)" grep -q "Ub <- BSF: 200" "$NETLAB_DIR/mn.log"
it_check "the node deregistered when stopped" grep -q "RRP code 0 lifetime=0" "$NETLAB_DIR/mn.log"
it_eq "demo: no namespace left" 0 "$(ip netns list | grep -c "^$NETLAB_PREFIX")"
it_eq "demo: no process left" 0 "$(left)"
