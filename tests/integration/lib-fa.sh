# Helpers shared by the foreign agent tests (70-79); source after lib.sh and
# lib-ha.sh.  The lab is a set of network namespaces named $FA_NS-<role> (the
# prefix holds the test's PID), deleted by the EXIT trap whatever the outcome:
#
#   cn  192.0.2.2/24 ---- 192.0.2.1  ha  (home agent 10.1.0.1 on lo; home network 10.1.0.0/16)
#                                    ha  10.0.1.1/30 ---- 10.0.1.2/30 fa1  v1 198.51.100.1/24 --+
#                                    ha  10.0.2.1/30 ---- 10.0.2.2/30 fa2  v2 203.0.113.1/24 ---+
#                                                          mn: bridge br0 (ports p1 <-> v1, p2 <-> v2),
#                                                              home address 10.1.0.5/32 on br0, and
#                                                              10.1.128.0/17 local (more nodes than one)
#
# The mobile node's bridge has one port toward each foreign agent's visited
# link; fa_attach moves the node by switching which port is up.
#
#   fa_lab_setup               create the namespaces and links (fails loudly when it cannot)
#   fa_ns ROLE CMD...          run CMD in a namespace
#   fa_ha_conf FILE            HA config on 10.1.0.1 (static SA for 10.1.0.5); stdin appended
#   fa_fa_conf FILE IFACE      FA config on IFACE (advertisement every second); stdin appended
#   fa_start_ha NAME CONF      start mip4-ha in ha, wait until ready
#   fa_start_fa NAME ROLE CONF start mip4-fa in fa1/fa2, wait until ready
#   fa_ctl NAME CMD            mip4-ctl against NAME's control socket ($IT_DIR/NAME.sock)
#   fa_stat NAME PATH          one value of `mip4-ctl stats` (PATH like denied.105)
#   fa_mn OUT ARGS...          run mip4-mn in mn (JSON lines in $IT_DIR/OUT.json, transcript in OUT.log)
#   fa_rrq OUT ARGS...         run rrq.py in mn through fa1 (output in $IT_DIR/OUT.out)
#   fa_attach fa1|fa2|none     which visited link the node's bridge is on
#   fa_capture NAME ROLE FILE IFACE...  dumpcap in a namespace until it_stop NAME

FA_NS=mip4fa-$$
FA_BIN="$IT_ROOT/$BUILD/mip4-fa/mip4-fa"
FA_MN_BIN="$IT_ROOT/$BUILD/mip4-mn/mip4-mn"
FA_HA_ADDR=10.1.0.1
FA_HOME=10.1.0.5
FA1_COA=198.51.100.1
FA2_COA=203.0.113.1
FA_MN_HA_KEY=00112233445566778899aabbccddeeff
FA_MN_FA_KEY=5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a
FA_FA_HA_KEY=fafafafafafafafafafafafafafafafafafafafa
FA_ROLES=(cn ha fa1 fa2 mn)

fa_ns() {
	local role=$1; shift
	ip netns exec "$FA_NS-$role" "$@"
}

# EXIT: stop what runs, delete the namespaces, then the usual report.
fa_cleanup() {
	local rc=$? name role
	for name in "${!IT_PIDS[@]}"; do
		it_stop "$name" 5 >/dev/null 2>&1
	done
	for role in "${FA_ROLES[@]}"; do
		ip netns del "$FA_NS-$role" 2>/dev/null
	done
	(exit "$rc")
	it_cleanup
}

fa_link() { # NS1 IF1 ADDR1 NS2 IF2 ADDR2
	ip link add "$2" netns "$FA_NS-$1" type veth peer name "$5" netns "$FA_NS-$4" || return 1
	fa_ns "$1" ip link set "$2" up && fa_ns "$4" ip link set "$5" up || return 1
	[ -z "$3" ] || fa_ns "$1" ip addr add "$3" dev "$2" || return 1
	[ -z "$6" ] || fa_ns "$4" ip addr add "$6" dev "$5"
}

fa_lab_setup() {
	trap fa_cleanup EXIT
	local role
	for role in "${FA_ROLES[@]}"; do
		ip netns add "$FA_NS-$role" 2>"$IT_DIR/netns.err" ||
			it_fail "cannot create network namespace $FA_NS-$role (root needed): $(cat "$IT_DIR/netns.err")"
		fa_ns "$role" ip link set lo up
		# Requests come from home addresses that are not on the visited link.
		fa_ns "$role" sysctl -qw net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.default.rp_filter=0 \
			net.ipv4.ip_forward=1
	done
	fa_link cn eth0 192.0.2.2/24 ha c0 192.0.2.1/24 &&
		fa_link ha u1 10.0.1.1/30 fa1 up0 10.0.1.2/30 &&
		fa_link ha u2 10.0.2.1/30 fa2 up0 10.0.2.2/30 &&
		fa_link fa1 v1 "$FA1_COA/24" mn p1 "" &&
		fa_link fa2 v2 "$FA2_COA/24" mn p2 "" || it_fail "cannot build the lab links"
	fa_ns ha ip addr add "$FA_HA_ADDR/32" dev lo
	fa_ns ha ip route add 198.51.100.0/24 via 10.0.1.2
	fa_ns ha ip route add 203.0.113.0/24 via 10.0.2.2
	fa_ns cn ip route add default via 192.0.2.1
	fa_ns fa1 ip route add default via 10.0.1.1
	fa_ns fa2 ip route add default via 10.0.2.1
	fa_ns mn ip link add br0 type bridge
	fa_ns mn ip link set br0 up
	fa_ns mn ip link set p1 master br0
	fa_ns mn ip link set p2 master br0
	fa_ns mn ip addr add "$FA_HOME/32" dev br0
	# More nodes than one (rrq.py, load runs) live in 10.1.128.0/17: every
	# address there is the mn namespace's own.
	fa_ns mn ip route add local 10.1.128.0/17 dev lo
	fa_ns mn ip route add 198.51.100.0/24 dev br0
	fa_ns mn ip route add 203.0.113.0/24 dev br0
	fa_attach fa1
	it_log "lab $FA_NS-{${FA_ROLES[*]}} ready"
}

fa_attach() {
	case "$1" in
	fa1) fa_ns mn ip link set p2 down; fa_ns mn ip link set p1 up ;;
	fa2) fa_ns mn ip link set p1 down; fa_ns mn ip link set p2 up ;;
	none) fa_ns mn ip link set p1 down; fa_ns mn ip link set p2 down ;;
	esac
}

fa_ha_conf() {
	local file=$1
	(
		umask 077
		{
			printf 'address = "%s"\nhome_networks = {"10.1.0.0/16"}\nmax_lifetime = 600\n' "$FA_HA_ADDR"
			printf 'control_socket = "%s/ha.sock"\nlog_level = "debug"\n' "$IT_DIR"
			printf 'sa "%s" {\n\tspi = 300\n\tkey = "%s"\n}\n' "$FA_HOME" "$FA_MN_HA_KEY"
			[ -t 0 ] || cat
		} >"$file"
	)
}

fa_fa_conf() {
	local file=$1 iface=$2 name
	name=$(basename "$file" .conf)
	(
		umask 077
		{
			printf 'interface = "%s"\nadvertisement-interval = 1\nmax-lifetime = 600\n' "$iface"
			printf 'control-socket = "%s/%s.sock"\nlog-level = "debug"\n' "$IT_DIR" "$name"
			[ -t 0 ] || cat
		} >"$file"
	)
}

fa_env() {
	echo env ASAN_OPTIONS=abort_on_error=1 LSAN_OPTIONS=suppressions="$IT_DIR/lsan-ha.supp"
}

fa_start_ha() {
	local name=$1 conf=$2
	printf 'leak:gnutls_x509_crt_list_import2\nleak:libfdcore.so\nleak:libfdproto.so\n' >"$IT_DIR/lsan-ha.supp"
	it_start "$name" ip netns exec "$FA_NS-ha" $(fa_env) "$HA_BIN" -f "$conf"
	it_wait_log "$name" 'notice: ready:' 30
}

fa_start_fa() {
	local name=$1 role=$2 conf=$3
	it_start "$name" ip netns exec "$FA_NS-$role" $(fa_env) "$FA_BIN" -f "$conf"
	it_wait_log "$name" 'notice: ready:' 30
}

fa_ctl() { "$HA_CTL" -s "$IT_DIR/$1.sock" "$2"; }

fa_stat() { fa_ctl "$1" stats | it_json_field "$2"; }

# fa_mn OUT ARGS...: one mip4-mn run in mn with the static MN-HA SA, to the end.
fa_mn() {
	local out=$1; shift
	timeout 60 ip netns exec "$FA_NS-mn" $(fa_env) "$FA_MN_BIN" --fa br0 --ha "$FA_HA_ADDR" --home-addr "$FA_HOME" \
		--static-spi 300 --static-key "$FA_MN_HA_KEY" --json -v "$@" >"$IT_DIR/$out.json" 2>"$IT_DIR/$out.log"
	local rc=$?
	sed 's/^/    mn: /' "$IT_DIR/$out.json"
	return $rc
}

# Outcomes of a fa_mn run: "phase:code:fa" per line.
fa_mn_outcomes() {
	jq -r 'select(.summary != true) | "\(.phase):\(.code):\(.fa)"' "$IT_DIR/$1.json" | tr '\n' ' ' | sed 's/ $//'
}

fa_rrq() {
	local out=$1; shift
	timeout 30 ip netns exec "$FA_NS-mn" python3 "$HA_RRQ" --host "$FA1_COA" --port 434 --bind "$FA_HOME" \
		--device br0 --ha "$FA_HA_ADDR" --home "$FA_HOME" --coa "$FA1_COA" --spi 300 --key "$FA_MN_HA_KEY" \
		--state "$IT_DIR/rrq-state.json" "$@" >"$IT_DIR/$out.out" 2>&1
	local rc=$?
	sed 's/^/    rrq: /' "$IT_DIR/$out.out"
	return $rc
}

fa_field() {
	grep -E '^code=' "$IT_DIR/$1.out" | head -1 | tr ' ' '\n' | sed -n "s/^$2=//p" | head -1
}

fa_capture() {
	local name=$1 role=$2 file=$3 i args=(); shift 3
	for i in "$@"; do args+=(-i "$i"); done
	it_start "$name" ip netns exec "$FA_NS-$role" dumpcap -q "${args[@]}" -w "$file"
	it_wait_cmd 15 "capture $name started" test -s "$file"
}
