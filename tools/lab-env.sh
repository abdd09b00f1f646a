# The mip4-gba lab on 127.0.0.1: configuration of the lab BSF (freeDiameterd +
# bsf_lab), the AAA/NAF (freeDiameterd + aaa_naf, key source zn) and mip4-ha,
# and with LAB_GBA=ub the lab HSS (freeDiameterd + hss_lab) behind the BSF.
# Sourced by tools/lab.sh (make demo / make lab) and the end-to-end tests.
#
#   lab_init DIR BASE_PORT [N_MNS]   variables, directories
#   lab_make_all                     PKI, bootstraps, every config file
#   lab_cmd_hss / lab_cmd_bsf / lab_cmd_aaa / lab_cmd_ha   set LAB_CMD
#
# LAB_GBA=store (default): the MNs and the BSF share a bootstrap store.
# LAB_GBA=ub: the MNs hold subscriber files (K, OP) and bootstrap on Ub with the
# BSF (HTTPS with the lab PKI, HTTP when LAB_TLS=0), which gets its vectors
# from the HSS over Zh: the whole chain from K/OP.
#
# Ports (BASE = 23000, or 23500 in the asan flavour): BSF BASE+10 (TLS +11),
# Ub BASE+12, AAA BASE+20 (TLS +21), HA UDP BASE+34, HSS BASE+40 (TLS +41).
# Every daemon listens on 127.0.0.1 only.

LAB_ROOT=${LAB_ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}
BUILD=${BUILD:-build}
MIP4_PRELOAD=${MIP4_PRELOAD:-}

LAB_REALM=lab.example
LAB_BSF_ID=bsf.lab.example
LAB_HSS_ID=hss.lab.example
LAB_AAA_ID=aaa.lab.example
LAB_HA_ID=ha.lab.example
LAB_BSF_DOMAIN=bsf.lab.example
LAB_NAF_FQDN=aaa.lab.example
LAB_UA_ID=ff00000001
LAB_HOME_NET=10.23.0.0/16
# The namespace lab (tools/netlab.sh) moves the HA and the Ub listener to the
# home link's address and narrows the pool; everything else stays on loopback.
LAB_POOL_FIRST=${LAB_POOL_FIRST:-10.23.0.1}
LAB_POOL_LAST=${LAB_POOL_LAST:-10.23.255.254}
LAB_HA_ADDR=${LAB_HA_ADDR:-127.0.0.1}
LAB_UB_ADDR=${LAB_UB_ADDR:-127.0.0.1}
# The foreign agent tests move the AAA to the HA's address, where the agents in
# other namespaces reach it.
LAB_AAA_ADDR=${LAB_AAA_ADDR:-127.0.0.1}
# Method 2 (TR 33.822 §7.3.3): LAB_METHOD2=1 makes the HA a NAF too (a BSF peer
# and a zn section), known to the BSF as ha.lab.example with Ua id ff00000002.
LAB_METHOD2=${LAB_METHOD2:-0}
LAB_HA_UA_ID=ff00000002
LAB_HA_HOME=10.23.128.1

lab_init() {
	LAB_DIR=$1
	LAB_BASE=$2
	LAB_N_MNS=${3:-1}
	LAB_BSF_PORT=$((LAB_BASE + 10))
	LAB_AAA_PORT=$((LAB_BASE + 20))
	LAB_HA_PORT=$((LAB_BASE + 34))
	LAB_UB_PORT=$((LAB_BASE + 12))
	LAB_HSS_PORT=$((LAB_BASE + 40))
	LAB_SUBS_HSS=$LAB_DIR/hss.subscribers
	LAB_SUBS_MN=$LAB_DIR/mn.subscribers
	LAB_PKI=$LAB_DIR/pki
	LAB_MN_STORE=$LAB_DIR/mn.store
	LAB_BSF_STORE=$LAB_DIR/bsf.store
	LAB_CTL=$LAB_DIR/ha.sock
	LAB_MN=$LAB_ROOT/$BUILD/mip4-mn/mip4-mn
	LAB_HA=$LAB_ROOT/$BUILD/mip4-ha/mip4-ha
	LAB_CTLBIN=$LAB_ROOT/$BUILD/tools/mip4-ctl
	LAB_EXT=$LAB_ROOT/$BUILD
	mkdir -p "$LAB_DIR"
	chmod 0700 "$LAB_DIR"
}

LAB_GBA=${LAB_GBA:-store}

# The Ub URL and the mip4-mn options that reach the BSF with it.
lab_ub_url() { if [ "$LAB_TLS" = 1 ]; then echo "https://$LAB_BSF_ID:$LAB_UB_PORT/"; else echo "http://$LAB_BSF_ID:$LAB_UB_PORT/"; fi; }
lab_ub_args() {
	printf '%s\n' --subscriber "$LAB_SUBS_MN" --bsf "$(lab_ub_url)" --bsf-address "$LAB_UB_ADDR"
	[ "$LAB_TLS" = 1 ] && printf '%s\n' --bsf-ca "$LAB_PKI/ca.pem"
	return 0
}

# The mip4-mn options that match this lab (GBA mode).
lab_mn_args() {
	printf '%s\n' --ha "$LAB_HA_ADDR:$LAB_HA_PORT" --naf-fqdn "$LAB_NAF_FQDN" --ua-id "$LAB_UA_ID"
	if [ "$LAB_GBA" = ub ]; then lab_ub_args; else printf '%s\n' --store "$LAB_MN_STORE"; fi
}
# The same for method 2 (the HA is the NAF); nodes from LAB_HA_HOME upwards.
lab_mn2_args() {
	printf '%s\n' --ha "$LAB_HA_ADDR:$LAB_HA_PORT" --method 2 --naf-fqdn "$LAB_HA_ID" --ua-id "$LAB_HA_UA_ID" \
		--home-addr "$LAB_HA_HOME"
	if [ "$LAB_GBA" = ub ]; then lab_ub_args; else printf '%s\n' --store "$LAB_MN_STORE"; fi
}

lab_make_pki() {
	"$LAB_ROOT/conf/lab-pki.sh" "$LAB_PKI" "$LAB_BSF_ID" "$LAB_AAA_ID" "$LAB_HA_ID" "$LAB_HSS_ID"
}

# lab_make_subscribers N: N subscribers with random K and OP, the HSS's copy
# and the MNs' copy (mode 0600).  LAB_SUB0 (IMPI K OP) replaces the first.
lab_make_subscribers() {
	local i k op
	(
		umask 077
		for ((i = 0; i < $1; i++)); do
			if [ "$i" = 0 ] && [ -n "${LAB_SUB0:-}" ]; then
				echo "$LAB_SUB0"
				continue
			fi
			k=$(openssl rand -hex 16) op=$(openssl rand -hex 16) || exit 1
			printf 'mn%06u@ims.lab.example k=%s op=%s\n' "$i" "$k" "$op"
		done >"$LAB_SUBS_HSS.tmp" || exit 1
		cp "$LAB_SUBS_HSS.tmp" "$LAB_SUBS_MN" && mv "$LAB_SUBS_HSS.tmp" "$LAB_SUBS_HSS"
	)
}

# lab_make_stores N [EXPIRY]: N fresh bootstraps in the MN and BSF stores.
lab_make_stores() {
	"$LAB_MN" --make-store "$1" --bsf-domain "$LAB_BSF_DOMAIN" --out-mn "$LAB_MN_STORE" \
		--out-bsf "$LAB_BSF_STORE" --expiry "${2:-86400}"
}

# LAB_TLS=1 (default): Diameter over TLS between HA, AAA and BSF.  LAB_TLS=0:
# plain TCP, so that a capture can be decoded (tests only).
LAB_TLS=${LAB_TLS:-1}
# dbg_msg_dumps mask: 0x2128 logs one compact line per message sent/received
# (header and Session-Id only, never AVP values); 0x1111 is silent (bench).
LAB_FD_DUMP=${LAB_FD_DUMP:-0x2128}
# Extra lines for bsf-lab.conf (delay-ms, drop-percent) and aaa-naf.conf.
LAB_BSF_EXTRA=${LAB_BSF_EXTRA:-}
LAB_AAA_EXTRA=${LAB_AAA_EXTRA:-}
LAB_NAF_ALLOW=${LAB_NAF_ALLOW:-$LAB_NAF_FQDN:$LAB_UA_ID}
# Diameter identities the AAA accepts besides the HA (the bench's AMR client).
LAB_AAA_CLIENTS=${LAB_AAA_CLIENTS:-}

# Peer port and acl_wl line for a connection to PORT (TCP) / PORT+1 (TLS).
lab_peer_port() { if [ "$LAB_TLS" = 1 ]; then echo $(($1 + 1)); else echo "$1"; fi; }
lab_acl_line() { if [ "$LAB_TLS" = 1 ]; then echo "$1"; else echo "ALLOW_IPSEC $1"; fi; }
lab_no_tls() { [ "$LAB_TLS" = 1 ] || echo " No_TLS;"; }

# lab_fd_conf FILE IDENTITY PORT [ADDRESS]: freeDiameterd on ADDRESS (default
# 127.0.0.1) port PORT (TCP) and PORT+1 (TLS) with the lab CA; more lines from
# stdin.
lab_fd_conf() {
	local file=$1 id=$2 port=$3 addr=${4:-127.0.0.1}
	{
		printf 'Identity = "%s";\nRealm = "%s";\nPort = %s;\n' "$id" "$LAB_REALM" "$port"
		printf 'SecPort = %s;\n' $((port + 1))
		printf 'No_SCTP;\nNo_IPv6;\nTcTimer = 2;\n'
		printf 'TLS_Cred = "%s/%s.pem", "%s/%s.key";\nTLS_CA = "%s/ca.pem";\n' \
			"$LAB_PKI" "$id" "$LAB_PKI" "$id" "$LAB_PKI"
		printf 'LoadExtension = "%s/tools/lo_listen.fdx" : "%s";\n' "$LAB_EXT" "$addr"
		printf 'LoadExtension = "/usr/lib/freeDiameter/dbg_msg_dumps.fdx" : "%s";\n' "$LAB_FD_DUMP"
		cat
	} >"$file"
}

# Extra lines for the ub section of bsf-lab.conf and for hss-lab.conf (tests).
LAB_UB_EXTRA=${LAB_UB_EXTRA:-}
LAB_HSS_EXTRA=${LAB_HSS_EXTRA:-}

lab_conf_bsf() {
	{
		lab_acl_line "$LAB_AAA_ID"
		[ "$LAB_METHOD2" = 1 ] && lab_acl_line "$LAB_HA_ID"
	} >"$LAB_DIR/bsf-acl.conf"
	{
		local allow="\"$LAB_NAF_ALLOW\""
		[ "$LAB_METHOD2" = 1 ] && allow="$allow, \"$LAB_HA_ID:$LAB_HA_UA_ID\""
		# LAB_BSF_STORE_TOO=1: Ub and the shared store side by side (make compare).
		{ [ "$LAB_GBA" != ub ] || [ "${LAB_BSF_STORE_TOO:-0}" = 1 ]; } && printf 'store = "%s"\n' "$LAB_BSF_STORE"
		printf 'naf-allow = {%s}\n' "$allow"
		printf '%s\n' "$LAB_BSF_EXTRA"
		[ "$LAB_GBA" = ub ] && lab_conf_ub
	} >"$LAB_DIR/bsf-lab.conf"
	lab_fd_conf "$LAB_DIR/bsf.fd.conf" "$LAB_BSF_ID" "$LAB_BSF_PORT" <<-X
	LoadExtension = "$LAB_EXT/dict/dict_zn.fdx";
	LoadExtension = "$LAB_EXT/dict/dict_zh.fdx";
	LoadExtension = "/usr/lib/freeDiameter/acl_wl.fdx" : "$LAB_DIR/bsf-acl.conf";
	LoadExtension = "$LAB_EXT/gba-lab/bsf_lab.fdx" : "$LAB_DIR/bsf-lab.conf";
	$([ "$LAB_GBA" = ub ] && echo "ConnectPeer = \"$LAB_HSS_ID\" { ConnectTo = \"127.0.0.1\"; Port = $(lab_peer_port "$LAB_HSS_PORT");$(lab_no_tls) };")
	X
}

# The ub and zh sections of bsf-lab.conf (LAB_GBA=ub).
lab_conf_ub() {
	cat <<-X
	ub {
		address = "$LAB_UB_ADDR"
		port = $LAB_UB_PORT
		bsf-domain = "$LAB_BSF_DOMAIN"
		$([ "$LAB_TLS" = 1 ] && printf 'tls-cert = "%s"\n\t\ttls-key = "%s"' "$LAB_PKI/$LAB_BSF_ID.pem" "$LAB_PKI/$LAB_BSF_ID.key")
		$LAB_UB_EXTRA
	}
	zh {
		realm = "$LAB_REALM"
		host = "$LAB_HSS_ID"
		timeout-ms = 1000
	}
	X
}

# The lab HSS: hss_lab with the HSS's copy of the subscribers, the BSF its peer.
lab_conf_hss() {
	lab_acl_line "$LAB_BSF_ID" >"$LAB_DIR/hss-acl.conf"
	printf 'subscribers = "%s"\n%s\n' "$LAB_SUBS_HSS" "$LAB_HSS_EXTRA" >"$LAB_DIR/hss-lab.conf"
	lab_fd_conf "$LAB_DIR/hss.fd.conf" "$LAB_HSS_ID" "$LAB_HSS_PORT" <<-X
	LoadExtension = "$LAB_EXT/dict/dict_zh.fdx";
	LoadExtension = "/usr/lib/freeDiameter/acl_wl.fdx" : "$LAB_DIR/hss-acl.conf";
	LoadExtension = "$LAB_EXT/gba-lab/hss_lab.fdx" : "$LAB_DIR/hss-lab.conf";
	X
}

lab_conf_aaa() {
	local c
	{
		lab_acl_line "$LAB_HA_ID"
		for c in $LAB_AAA_CLIENTS; do lab_acl_line "$c"; done
	} >"$LAB_DIR/aaa-acl.conf"
	cat >"$LAB_DIR/aaa-naf.conf" <<-X
	naf-fqdn = "$LAB_NAF_FQDN"
	ua-id = "$LAB_UA_ID"
	key-sources = {"zn"}
	zn {
		realm = "$LAB_REALM"
		host = "$LAB_BSF_ID"
		timeout-ms = 1000
	}
	pool "lab" {
		first = "$LAB_POOL_FIRST"
		last = "$LAB_POOL_LAST"
	}
	pool-state-file = "$LAB_DIR/aaa-pool.state"
	$LAB_AAA_EXTRA
	X
	chmod 0600 "$LAB_DIR/aaa-naf.conf"
	lab_fd_conf "$LAB_DIR/aaa.fd.conf" "$LAB_AAA_ID" "$LAB_AAA_PORT" "$LAB_AAA_ADDR" <<-X
	LoadExtension = "$LAB_EXT/dict/dict_mip4.fdx";
	LoadExtension = "$LAB_EXT/dict/dict_zn.fdx";
	LoadExtension = "/usr/lib/freeDiameter/acl_wl.fdx" : "$LAB_DIR/aaa-acl.conf";
	LoadExtension = "$LAB_EXT/aaa-naf/aaa_naf.fdx" : "$LAB_DIR/aaa-naf.conf";
	ConnectPeer = "$LAB_BSF_ID" { ConnectTo = "127.0.0.1"; Port = $(lab_peer_port "$LAB_BSF_PORT");$(lab_no_tls) };
	X
}

# Method 2 in mip4-ha.conf: the BSF as a second peer, and the zn section.
lab_ha_bsf_peer() {
	[ "$LAB_METHOD2" = 1 ] || return 0
	printf '\tconnect "%s" { role = "bsf" address = "127.0.0.1" port = %s }\n' "$LAB_BSF_ID" \
		"$(lab_peer_port "$LAB_BSF_PORT")"
}
lab_ha_zn() {
	[ "$LAB_METHOD2" = 1 ] || return 0
	printf 'zn {\n\tnaf_fqdn = "%s"\n\tua_id = "%s"\n\trealm = "%s"\n\thost = "%s"\n\ttimeout_ms = %s\n\tcache_size = %s\n}\n' \
		"$LAB_HA_ID" "$LAB_HA_UA_ID" "$LAB_REALM" "$LAB_BSF_ID" "${LAB_HA_ZN_TIMEOUT_MS:-1000}" "${LAB_HA_ZN_CACHE:-10000}"
}

# lab_conf_ha [STATIC_SA_LINES]: mip4-ha.conf; extra sections from stdin, extra
# lines of the diameter section in LAB_HA_DIA_EXTRA, extra top-level lines (the
# namespace lab's data plane) in LAB_HA_EXTRA.
lab_conf_ha() {
	local tls=false
	[ "$LAB_TLS" = 1 ] && tls=true
	{
		cat <<-X
		address = "$LAB_HA_ADDR"
		port = $LAB_HA_PORT
		home_networks = {"$LAB_HOME_NET"}
		max_lifetime = 1800
		max_bindings = 1100000
		max_pending = 4096
		log_level = "${LAB_HA_LOG:-info}"
		control_socket = "$LAB_CTL"
		diameter {
			identity = "$LAB_HA_ID"
			realm = "$LAB_REALM"
			peer = "$LAB_AAA_ID"
			peer_address = "$LAB_AAA_ADDR"
			peer_port = $(lab_peer_port "$LAB_AAA_PORT")
			destination_realm = "$LAB_REALM"
			tls = $tls
			tls_cert = "$LAB_PKI/$LAB_HA_ID.pem"
			tls_key = "$LAB_PKI/$LAB_HA_ID.key"
			tls_ca = "$LAB_PKI/ca.pem"
			timeout_ms = 2000
			reconnect_interval = 2
			${LAB_HA_DIA_EXTRA:-}
		$(lab_ha_bsf_peer)
		}
		$(lab_ha_zn)
		${LAB_HA_EXTRA:-}
		X
		[ -t 0 ] || cat
	} >"$LAB_DIR/mip4-ha.conf"
	chmod 0600 "$LAB_DIR/mip4-ha.conf"
}

# lab_make_all N_MNS: PKI, stores (or subscribers) and every configuration file.
lab_make_all() {
	lab_make_pki || return 1
	if [ "$LAB_GBA" = ub ]; then
		lab_make_subscribers "${1:-$LAB_N_MNS}" || return 1
		lab_conf_hss
	else
		lab_make_stores "${1:-$LAB_N_MNS}" || return 1
	fi
	lab_conf_bsf
	lab_conf_aaa
	lab_conf_ha </dev/null
}

# Command lines (LAB_CMD array) and readiness patterns (LAB_READY, grep -E).
# In the asan flavour freeDiameterd runs with libasan preloaded; every extension
# defines fd_ext_depends, which ASan would report as an ODR violation.  The
# HA's leak check ignores what GnuTLS and libfdcore leave behind at exit (not
# ours to free).  env execs, so the PID recorded is the daemon's.
LAB_FD_ASAN=detect_leaks=0:detect_odr_violation=0:abort_on_error=1
lab_lsan_supp() {
	local supp="$LAB_DIR/lsan-ha.supp"
	[ -f "$supp" ] || printf 'leak:gnutls_x509_crt_list_import2\nleak:libfdcore.so\nleak:libfdproto.so\n' >"$supp"
	echo "$supp"
}
lab_cmd_hss() {
	LAB_CMD=(env ${MIP4_PRELOAD:+LD_PRELOAD="$MIP4_PRELOAD"} ASAN_OPTIONS=$LAB_FD_ASAN ${LAB_HSS_ENV:-}
		freeDiameterd -c "$LAB_DIR/hss.fd.conf")
	LAB_READY='hss_lab: ready'
}
lab_cmd_bsf() {
	LAB_CMD=(env ${MIP4_PRELOAD:+LD_PRELOAD="$MIP4_PRELOAD"} ASAN_OPTIONS=$LAB_FD_ASAN
		freeDiameterd -c "$LAB_DIR/bsf.fd.conf")
	LAB_READY='bsf_lab: ready'
}
lab_cmd_aaa() {
	LAB_CMD=(env ${MIP4_PRELOAD:+LD_PRELOAD="$MIP4_PRELOAD"} ASAN_OPTIONS=$LAB_FD_ASAN
		freeDiameterd -c "$LAB_DIR/aaa.fd.conf")
	LAB_READY='aaa_naf: ready'
}
lab_cmd_ha() {
	LAB_CMD=(env ASAN_OPTIONS=abort_on_error=1 LSAN_OPTIONS=suppressions="$(lab_lsan_supp)"
		"$LAB_HA" -f "$LAB_DIR/mip4-ha.conf")
	LAB_READY='ready: listening'
}
