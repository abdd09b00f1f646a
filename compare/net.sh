# The comparison lab's network: three namespaces that only this run uses.
# Sourced by compare/compare.sh.
#
#   $NS_MN  mobile node      mn0 198.51.100.2/24 (care-of address / IKE address)
#   $NS_HA  home agent       ha0 198.51.100.1/24 (HA address, IKE responder)
#                            hl0 10.80.0.1/12    (home link); lo holds the AAA and BSF
#   $NS_CN  correspondent    cn0 10.80.0.2/12, default route via the HA
#
# Home addresses: MIPv4 from the AAA's pool inside 10.80.0.0/12 (the HA answers
# ARP for them on the home link); IKEv2 virtual IPs from charon's pool
# 10.200.0.0/24, routed by the HA.  Only RFC 5737 and RFC 1918 addresses, only
# inside these namespaces.
#
#   net_up PREFIX          create them (names PREFIX-mn, PREFIX-ha, PREFIX-cn)
#   net_relink direct|delay  MN-HA link: one veth pair, or two pairs through
#                          $NS_DL where compare/delay_bridge.py adds the delay
#   net_down               delete every namespace net_up created

NET_NS=()
NET_MN_ADDR=198.51.100.2
NET_HA_ADDR=198.51.100.1
NET_HA_HOME=10.80.0.1
NET_CN_ADDR=10.80.0.2
NET_HOME_NET=10.80.0.0/12
NET_IKE_POOL=10.200.0.0/24

net_ns_add() {
	ip netns add "$1" || return 1
	NET_NS+=("$1")
	ip -n "$1" link set lo up
	# Forwarding on the HA; no reverse-path filter anywhere (libipsec's TUN
	# and the IP-in-IP tunnel receive packets whose source routes elsewhere).
	ip netns exec "$1" sysctl -qw net.ipv4.ip_forward=1 net.ipv4.conf.all.rp_filter=0 \
		net.ipv4.conf.default.rp_filter=0 net.ipv6.conf.all.disable_ipv6=1 \
		net.ipv6.conf.default.disable_ipv6=1 >/dev/null
}

net_up() {
	NS_MN=$1-mn NS_HA=$1-ha NS_CN=$1-cn NS_DL=$1-dl
	net_ns_add "$NS_MN" && net_ns_add "$NS_HA" && net_ns_add "$NS_CN" || return 1
	ip link add cn0 netns "$NS_CN" type veth peer name hl0 netns "$NS_HA" || return 1
	ip -n "$NS_HA" addr add "$NET_HA_HOME/12" dev hl0
	ip -n "$NS_CN" addr add "$NET_CN_ADDR/12" dev cn0
	ip -n "$NS_HA" link set hl0 up
	ip -n "$NS_CN" link set cn0 up
	ip -n "$NS_CN" route add default via "$NET_HA_HOME"
	net_relink direct
}

# The MN-HA link.  Deleting a veth end deletes the pair, so relinking starts clean.
net_relink() {
	ip -n "$NS_MN" link del mn0 2>/dev/null
	ip -n "$NS_HA" link del ha0 2>/dev/null
	if [ "$1" = delay ]; then
		[ -e "/run/netns/$NS_DL" ] || net_ns_add "$NS_DL" || return 1
		ip link add mn0 netns "$NS_MN" type veth peer name dlm netns "$NS_DL" || return 1
		ip link add ha0 netns "$NS_HA" type veth peer name dlh netns "$NS_DL" || return 1
		ip -n "$NS_DL" link set dlm promisc on up
		ip -n "$NS_DL" link set dlh promisc on up
	else
		ip link add mn0 netns "$NS_MN" type veth peer name ha0 netns "$NS_HA" || return 1
	fi
	ip -n "$NS_MN" addr add "$NET_MN_ADDR/24" dev mn0
	ip -n "$NS_HA" addr add "$NET_HA_ADDR/24" dev ha0
	ip -n "$NS_MN" link set mn0 up
	ip -n "$NS_HA" link set ha0 up
	ip -n "$NS_MN" route add default via "$NET_HA_ADDR"
}

net_down() {
	local ns
	for ns in "${NET_NS[@]}"; do
		ip netns del "$ns" 2>/dev/null
	done
	NET_NS=()
}

# nsx NS CMD...: run CMD in namespace NS (exec: the PID is CMD's).
nsx() { local ns=$1; shift; ip netns exec "$ns" "$@"; }
