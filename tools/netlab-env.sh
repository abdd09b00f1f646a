# The namespace lab: three network namespaces joined by veth pairs and a bridge,
# where real packets reach a mobile node through the Home Agent.  Sourced by
# tools/netlab.sh (make lab-net, make demo), the data-plane tests (6x) and the
# data-plane bench.
#
#   netlab_init [PREFIX]     names and addresses (PREFIX: $NETLAB_PREFIX, default mip4lab-)
#   netlab_up                create the namespaces, links, addresses, routes, sysctls
#   netlab_down              delete the namespaces (and with them every link)
#   netlab_exists            the lab's namespaces exist
#   nl_cn / nl_ha / nl_mn CMD...   run CMD in that namespace
#
#                 home link 10.23.0.0/16 (bridge "home" in ha)
#   cn  home0 10.23.0.2 ----- home-cn [home] 10.23.0.1  ha  visit-a 198.51.100.1 ----- va 198.51.100.2  mn
#                                                           visit-b 203.0.113.1  ----- vb 203.0.113.2
#
# cn is a correspondent on the home link (default route via the HA).  ha routes
# between the home link and the two visited links, runs mip4-ha (address
# 10.23.0.1, home_interface "home") and, on its own loopback, the AAA/NAF and the
# BSF.  mn has two visited links, so that it can move: a default route on each
# (metric 100 on va, 200 on vb).  Home addresses come from 10.23.1.0/24.  Only
# RFC 1918 and RFC 5737 addresses, only inside these namespaces.

netlab_init() {
	NL_PREFIX=${1:-${NETLAB_PREFIX:-mip4lab-}}
	NL_CN=${NL_PREFIX}cn
	NL_HA=${NL_PREFIX}ha
	NL_MN=${NL_PREFIX}mn
	NL_HA_ADDR=10.23.0.1
	NL_CN_ADDR=10.23.0.2
	NL_HOME_NET=10.23.0.0/16
	NL_POOL_FIRST=10.23.1.1
	NL_POOL_LAST=10.23.1.254
	NL_HOME_IF=home
	NL_TUN=mip4ha0
	NL_HA_A=198.51.100.1
	NL_MN_A=198.51.100.2
	NL_HA_B=203.0.113.1
	NL_MN_B=203.0.113.2
	NL_IF_A=va
	NL_IF_B=vb
	NL_HA_IF_A=visit-a
	NL_HA_IF_B=visit-b
}

nl_cn() { ip netns exec "$NL_CN" "$@"; }
nl_ha() { ip netns exec "$NL_HA" "$@"; }
nl_mn() { ip netns exec "$NL_MN" "$@"; }

netlab_exists() { ip netns list 2>/dev/null | grep -qE "^($NL_CN|$NL_HA|$NL_MN)( |$)"; }

# netlab_up: fails (non-zero, with a message on stderr) when a namespace cannot
# be created, for instance without root.
netlab_up() {
	local ns
	for ns in "$NL_CN" "$NL_HA" "$NL_MN"; do
		if ! ip netns add "$ns" 2>"/tmp/netlab-$$.err"; then
			echo "netlab: cannot create network namespace $ns: $(cat "/tmp/netlab-$$.err")" >&2
			rm -f "/tmp/netlab-$$.err"
			netlab_down
			return 1
		fi
		ip -n "$ns" link set lo up
	done
	rm -f "/tmp/netlab-$$.err"
	{
		# The home link: a bridge in ha, cn plugged into it.
		ip -n "$NL_HA" link add "$NL_HOME_IF" type bridge &&
		ip link add home0 netns "$NL_CN" type veth peer name home-cn netns "$NL_HA" &&
		ip -n "$NL_HA" link set home-cn master "$NL_HOME_IF" &&
		ip -n "$NL_HA" addr add "$NL_HA_ADDR/16" dev "$NL_HOME_IF" &&
		ip -n "$NL_CN" addr add "$NL_CN_ADDR/16" dev home0 &&
		# The two visited links.
		ip link add "$NL_HA_IF_A" netns "$NL_HA" type veth peer name "$NL_IF_A" netns "$NL_MN" &&
		ip link add "$NL_HA_IF_B" netns "$NL_HA" type veth peer name "$NL_IF_B" netns "$NL_MN" &&
		ip -n "$NL_HA" addr add "$NL_HA_A/24" dev "$NL_HA_IF_A" &&
		ip -n "$NL_HA" addr add "$NL_HA_B/24" dev "$NL_HA_IF_B" &&
		ip -n "$NL_MN" addr add "$NL_MN_A/24" dev "$NL_IF_A" &&
		ip -n "$NL_MN" addr add "$NL_MN_B/24" dev "$NL_IF_B" &&
		for l in "$NL_HOME_IF" home-cn "$NL_HA_IF_A" "$NL_HA_IF_B"; do ip -n "$NL_HA" link set "$l" up || exit 1; done &&
		ip -n "$NL_CN" link set home0 up &&
		ip -n "$NL_MN" link set "$NL_IF_A" up &&
		ip -n "$NL_MN" link set "$NL_IF_B" up &&
		ip -n "$NL_CN" route add default via "$NL_HA_ADDR" &&
		ip -n "$NL_MN" route add default via "$NL_HA_A" dev "$NL_IF_A" metric 100 &&
		ip -n "$NL_MN" route add default via "$NL_HA_B" dev "$NL_IF_B" metric 200 &&
		# The HA routes; reverse-tunnelled and direct packets from home
		# addresses arrive on the visited links (no ingress filtering: that is
		# what the tunnel's own checks are for); proxy ARP answers at once.
		nl_ha sysctl -qw net.ipv4.ip_forward=1 net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.default.rp_filter=0 \
			"net.ipv4.neigh.$NL_HOME_IF.proxy_delay=0" &&
		nl_mn sysctl -qw net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.default.rp_filter=0 &&
		for ns in "$NL_CN" "$NL_HA" "$NL_MN"; do
			ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1 || exit 1
		done
	} || { echo "netlab: building the links failed" >&2; netlab_down; return 1; }
}

netlab_down() {
	local ns
	for ns in "$NL_MN" "$NL_HA" "$NL_CN"; do
		ip netns del "$ns" 2>/dev/null
	done
	return 0
}
