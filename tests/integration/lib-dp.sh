# The data-plane tests' lab (6x): tools/netlab-env.sh's namespaces cn, ha, mn
# with a unique prefix, mip4-ha on the home link with data_plane "tun", and
# what the tests read back.  Source after lib.sh and lib-ha.sh.
#
#   dp_lab_setup NN            namespaces itNN-PID-{cn,ha,mn}, deleted at exit;
#                              fails the test when they cannot be made
#   dp_ha_conf FILE REVERSE    mip4-ha.conf (reverse_tunnel = REVERSE); SA
#                              lines from stdin
#   dp_sa HOME_ADDR            a static SA section (SPI 300, HA_STATIC_KEY)
#   dp_start_ha NAME CONF      start mip4-ha in ha, wait until ready
#   dp_stat PATH               one value of the HA's `mip4-ctl stats` (jq path)
#   dp_binding HOA PATH        one value of HOA's binding (jq path), or "null"
#   dp_rrq ARGS...             tests/integration/rrq.py in mn against the HA (static SA)
#   dp_jf FILE PATH            one value of a JSON file (jq path)
#   dp_proxy HOA / dp_route HOA  the HA's proxy ARP entry / route of protocol
#                              158 for HOA exists
. "$IT_ROOT/tools/netlab-env.sh"
MN_BIN="$IT_ROOT/$BUILD/mip4-mn/mip4-mn"
PROBE="$IT_ROOT/$BUILD/tools/mip4-probe"
DP_RTPROT=158
dp_lsan() { echo "LSAN_OPTIONS=suppressions=$(ha_lsan_supp)"; }

dp_lab_setup() {
	netlab_init "it$1-$$-"
	IT_NETNS+=("$NL_CN" "$NL_HA" "$NL_MN")
	netlab_up 2>"$IT_DIR/netlab.err" || it_fail "cannot create the lab's network namespaces: $(cat "$IT_DIR/netlab.err")"
}

dp_ha_conf() {
	(
		umask 077
		cat >"$1" <<-X
		address = "$NL_HA_ADDR"
		port = 434
		home_networks = {"$NL_HOME_NET"}
		max_lifetime = 600
		control_socket = "$IT_DIR/ctl.sock"
		log_level = "debug"
		data_plane = "tun"
		home_interface = "$NL_HOME_IF"
		tunnel_device = "$NL_TUN"
		reverse_tunnel = $2
		X
		cat >>"$1"
	)
}

dp_sa() { printf 'sa "%s" {\n\tspi = 300\n\talgorithm = "hmac-md5"\n\tkey = "%s"\n}\n' "$1" "$HA_STATIC_KEY"; }

dp_start_ha() {
	it_start "$1" ip netns exec "$NL_HA" env ASAN_OPTIONS=abort_on_error=1 "$(dp_lsan)" "$HA_BIN" -f "$2"
	it_wait_log "$1" 'notice: ready:' 60
}

dp_stat() { "$HA_CTL" -s "$IT_DIR/ctl.sock" stats | jq -r "$@"; }
dp_binding() { "$HA_CTL" -s "$IT_DIR/ctl.sock" bindings | jq -r --arg h "$1" "[.bindings[] | select(.home_address == \$h) | $2] | if length == 0 then null else .[0] end"; }
dp_rrq() {
	ip netns exec "$NL_MN" python3 "$IT_ROOT/tests/integration/rrq.py" --host "$NL_HA_ADDR" --port 434 \
		--ha "$NL_HA_ADDR" --spi 300 --key "$HA_STATIC_KEY" "$@"
}
dp_jf() { jq -r "$2" "$1"; }
# grep reads the whole list (no -q): with pipefail, ip killed by SIGPIPE after
# an early match would make a present entry look absent.
dp_proxy() { ip -n "$NL_HA" neigh show proxy | grep "^$1 dev $NL_HOME_IF" >/dev/null; }
dp_route() { ip -n "$NL_HA" route show proto "$DP_RTPROT" | grep "^$1 dev $NL_TUN" >/dev/null; }
