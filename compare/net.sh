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

# net_veth NS_A IF_A ADDR_A NS_B IF_B ADDR_B: a veth pair created straight in
# the two namespaces (no name ever exists outside them), addressed, up.  An
# empty ADDR leaves that end without an address.
net_veth() {
	ip link add "$2" netns "$1" type veth peer name "$5" netns "$4" || return 1
	[ -z "$3" ] || ip -n "$1" addr add "$3" dev "$2"
	[ -z "$6" ] || ip -n "$4" addr add "$6" dev "$5"
	ip -n "$1" link set "$2" up && ip -n "$4" link set "$5" up
}

net_up() {
	NS_MN=$1-mn NS_HA=$1-ha NS_CN=$1-cn NS_DL=$1-dl
	net_ns_add "$NS_MN" && net_ns_add "$NS_HA" && net_ns_add "$NS_CN" || return 1
	net_veth "$NS_CN" cn0 "$NET_CN_ADDR/12" "$NS_HA" hl0 "$NET_HA_HOME/12" || return 1
	ip -n "$NS_CN" route add default via "$NET_HA_HOME"
	net_relink direct
}

# The MN-HA link.  Deleting a veth end deletes the pair, so relinking starts clean.
net_relink() {
	ip -n "$NS_MN" link del mn0 2>/dev/null
	ip -n "$NS_HA" link del ha0 2>/dev/null
	if [ "$1" = delay ]; then
		[ -e "/run/netns/$NS_DL" ] || net_ns_add "$NS_DL" || return 1
		net_veth "$NS_MN" mn0 "$NET_MN_ADDR/24" "$NS_DL" dlm "" &&
			net_veth "$NS_HA" ha0 "$NET_HA_ADDR/24" "$NS_DL" dlh "" || return 1
		ip -n "$NS_DL" link set dlm promisc on
		ip -n "$NS_DL" link set dlh promisc on
	else
		net_veth "$NS_MN" mn0 "$NET_MN_ADDR/24" "$NS_HA" ha0 "$NET_HA_ADDR/24" || return 1
	fi
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
