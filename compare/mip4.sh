# The Mobile IPv4 + GBA side of the comparison: the lab of tools/lab-env.sh
# (lab BSF, AAA/NAF with the zn key source, mip4-ha; Diameter over TLS on the
# HA namespace's loopback), with mip4-ha on the HA's link address and mip4-mn
# in $NS_MN.  Sourced by compare/compare.sh after net.sh and proc.sh.
#
#   mip4_setup DIR NAME:COUNT...  PKI, configs, and per NAME a mobile-node store
#                                 of COUNT bootstraps (mip4_store_path NAME); the
#                                 BSF's store holds all of them.  Also
#                                 MIP4_UB_SUBS subscribers per cold row, with the
#                                 set-1 K and OP, for Ub (mip4_subscribers NAME)
#   mip4_start [quiet|quiet-memory-pool]  HSS, BSF, AAA, HA in $NS_HA (quiet: no
#                                 per-message Diameter log lines, HA logs at
#                                 notice: load runs; memory-pool: the AAA keeps
#                                 home address assignments in memory only)
#   mip4_stop
#   "${MIP4_MN[@]}" ARGS...       mip4-mn in $NS_MN with the lab's options (set by
#                                 mip4_setup; its PID is mip4-mn's)
#   mip4_ub_args NAME             the options of a cold row: Ub with the BSF
#                                 (https on the HA's link address) from NAME's
#                                 subscribers
#   mip4_m2_args                  method 2: the HA is the NAF (TR 33.822 §7.3.3)
#   mip4_server_pids              PIDs of HA, AAA, BSF, HSS (comma-separated)
#
# The subscriber: TS 35.208 test set 1 K and OP (OPc as in the IKEv2 rows);
# every bootstrap in the stores has Ks = CK || IK from MILENAGE for its random
# RAND (mip4-mn --make-store --milenage), as a real Ub run would leave it.  The
# cold rows run Ub itself against the lab BSF and the lab HSS (Zh), which hold
# that K and OP: one subscriber (IMPI) per bootstrap, so that each is a first
# Ub run.  The BSF serves Ub and the stores side by side.
# Stores of up to 100 bootstraps are all of the one IMPI that matches the
# IKEv2 NAI's IMSI (the subscriber bootstrapping again and again); the larger
# load stores have consecutive IMPIs (many subscribers with that K and OP).

. "$CMP_ROOT/tools/lab-env.sh"

MIP4_IMPI_PREFIX=001010123
MIP4_IMPI_FIRST=456789
MIP4_IMPI_REALM=ims.mnc001.mcc001.3gppnetwork.org
MIP4_PORT=434
MIP4_UB_SUBS=${MIP4_UB_SUBS:-5}
# Method 2 nodes have their own home addresses, above the AAA's pool.
MIP4_M2_HOME=10.95.0.1

mip4_setup() {
	local dir=$1 spec name count i first=100000; shift
	lab_init "$dir" 23000 1
	LAB_HA_ADDR=$NET_HA_ADDR
	LAB_HA_PORT=$MIP4_PORT
	LAB_HOME_NET=$NET_HOME_NET
	LAB_POOL_FIRST=10.81.0.1
	LAB_POOL_LAST=10.94.255.254
	LAB_GBA=ub LAB_BSF_STORE_TOO=1 LAB_UB_ADDR=$NET_HA_ADDR LAB_METHOD2=1
	# The data path: proxy ARP for the nodes' home addresses on the home link.
	LAB_HA_EXTRA='data_plane = "tun"
home_interface = "hl0"
reverse_tunnel = true'
	MIP4_MN=(ip netns exec "$NS_MN" "$LAB_MN" --ha "$LAB_HA_ADDR:$LAB_HA_PORT" --bind "$NET_MN_ADDR"
		--naf-fqdn "$LAB_NAF_FQDN" --ua-id "$LAB_UA_ID")
	lab_make_pki >"$LAB_DIR/setup.log" 2>&1 || return 1
	(
		umask 077
		printf '%s %s\n' "$CMP_K" "$CMP_OP" >"$LAB_DIR/subscriber.milenage"
		rm -f "$LAB_DIR"/mn-*.store "$LAB_BSF_STORE" "$LAB_SUBS_HSS"
		for spec in "$@"; do
			name=${spec%%:*} count=${spec#*:}
			if [ "$count" -le 100 ]; then
				for ((i = 0; i < count; i++)); do
					mip4_make_store 1 "$(mip4_store_path "$name")" --first "$MIP4_IMPI_FIRST" --append || exit 1
				done
			else
				mip4_make_store "$count" "$(mip4_store_path "$name")" --first "$first" --append || exit 1
				first=$((first + count))
			fi
		done
	) || return 1
	mip4_make_subscribers cold 0 && mip4_make_subscribers m2 100 || return 1
	mip4_conf
}

# mip4_make_subscribers NAME OFFSET: MIP4_UB_SUBS subscribers with the set-1 K
# and OP, IMPIs from MIP4_IMPI_FIRST + 1000 + OFFSET: NAME's copy, and the HSS's
# copy of every row's.
mip4_make_subscribers() {
	local i
	(
		umask 077
		for ((i = 0; i < MIP4_UB_SUBS; i++)); do
			printf '%s%06u@%s k=%s op=%s\n' "$MIP4_IMPI_PREFIX" $((MIP4_IMPI_FIRST + 1000 + $2 + i)) \
				"$MIP4_IMPI_REALM" "$CMP_K" "$CMP_OP"
		done >"$(mip4_subscribers "$1")" || exit 1
		cat "$(mip4_subscribers "$1")" >>"$LAB_SUBS_HSS"
	)
}

mip4_subscribers() { echo "$LAB_DIR/mn-$1.subscribers"; }

mip4_ub_args() {
	printf '%s\n' --subscriber "$(mip4_subscribers "$1")" --mns "$MIP4_UB_SUBS" --bsf "$(lab_ub_url)" \
		--bsf-address "$LAB_UB_ADDR"
	[ "$LAB_TLS" = 1 ] && printf '%s\n' --bsf-ca "$LAB_PKI/ca.pem"
	return 0
}
mip4_m2_args() { printf '%s\n' --method 2 --naf-fqdn "$LAB_HA_ID" --ua-id "$LAB_HA_UA_ID" --home-addr "$MIP4_M2_HOME"; }

mip4_store_path() { echo "$LAB_DIR/mn-$1.store"; }

# mip4_make_store N MN_STORE ARGS...: N bootstraps into MN_STORE and the BSF's store.
mip4_make_store() {
	local n=$1 out=$2; shift 2
	"$LAB_MN" --make-store "$n" --bsf-domain "$LAB_BSF_DOMAIN" --out-mn "$out" --out-bsf "$LAB_BSF_STORE" \
		--impi-prefix "$MIP4_IMPI_PREFIX" --impi-realm "$MIP4_IMPI_REALM" \
		--milenage "$LAB_DIR/subscriber.milenage" "$@" >>"$LAB_DIR/setup.log" 2>&1
}

mip4_conf() {
	lab_conf_hss
	lab_conf_bsf
	lab_conf_aaa
	lab_conf_ha </dev/null
}

mip4_start() {
	local how=${1:-} n
	case $how in
	quiet*) LAB_FD_DUMP=0x1111 LAB_HA_LOG=notice ;;
	*) LAB_FD_DUMP=0x2128 LAB_HA_LOG=info ;;
	esac
	mip4_conf
	# memory-pool: home addresses assigned in memory only, as charon's pool
	# does, instead of one fdatasync'ed record per new subscriber.
	[ "$how" = quiet-memory-pool ] && sed -i '/^pool-state-file/d' "$LAB_DIR/aaa-naf.conf"
	for n in hss bsf aaa ha; do
		"lab_cmd_$n"
		: >"$LAB_DIR/$n.log"
		proc_start "mip4-$n" "$LAB_DIR/$n.log" ip netns exec "$NS_HA" "${LAB_CMD[@]}"
		mip4_wait_log "$n" "$LAB_READY" 60 || return 1
	done
	mip4_wait_log ha 'diameter: connected to' 30 && mip4_wait_zh 30
}

# The BSF's Zh connection to the HSS is up (an established TCP connection to
# the HSS's port: the quiet runs log no peer state).
mip4_wait_zh() {
	local i port
	port=$(lab_peer_port "$LAB_HSS_PORT")
	for ((i = 0; i < $1 * 20; i++)); do
		[ -n "$(ip netns exec "$NS_HA" ss -Htn state established "( sport = :$port )")" ] && return 0
		sleep 0.05
	done
	echo "mip4: the BSF did not connect to the HSS (port $port) in $1 s (logs in $LAB_DIR)" >&2
	return 1
}

mip4_wait_log() {
	local n=$1 re=$2 timeout=$3 i
	for ((i = 0; i < timeout * 20; i++)); do
		grep -Eq -- "$re" "$LAB_DIR/$n.log" && return 0
		proc_alive "mip4-$n" || break
		sleep 0.05
	done
	tail -n 15 "$LAB_DIR/$n.log" >&2
	echo "mip4: $n did not log /$re/ (log $LAB_DIR/$n.log)" >&2
	return 1
}

mip4_stop() {
	proc_stop mip4-ha 15
	proc_stop mip4-aaa 15
	proc_stop mip4-bsf 15
	proc_stop mip4-hss 15
}

mip4_server_pids() { echo "$(proc_pid mip4-ha),$(proc_pid mip4-aaa),$(proc_pid mip4-bsf),$(proc_pid mip4-hss)"; }

