# FA care-of mode with the AAA (issue 11) in the namespaces of lib-fa.sh: the
# lab BSF and AAA/NAF of tools/lab-env.sh (key source zn, plain TCP so that a
# capture decodes, the AAA listening on the HA's address where the agents in fa1
# and fa2 reach it) beside mip4-ha in ha; mip4-fa in fa1 and fa2 as Diameter
# clients of the AAA, challenges on.  Source after lib.sh, lib-ha.sh and
# lib-fa.sh, after it_setup.
#
#   fa_aaa_lab N [LOG]  namespaces, PKI, N bootstraps (BTIDS), configurations
#                       (ha.conf, fa1.conf, fa2.conf; log level LOG, default info:
#                       libfdproto 1.2.1 aborts at shutdown when its threads are
#                       slow to leave a queue (fd_fifo_del, 20 ms), and debug
#                       logging of every freeDiameter thread slows them)
#   fa_aaa_daemon NAME  start the lab's freeDiameterd NAME (bsf, aaa) in ha
#   fa_aaa_start        bsf, aaa, ha, fa1, fa2, each ready, the AAA's peers open
#   fa_aaa_opens PEER N the AAA has opened its connection with PEER N times
#   fa_aaa_amrs FROM    AMRs the AAA received from FROM (fa1.lab.example ...)
#   fa_aaa_hars         HARs the AAA sent to the HA
LAB_TLS=0
. "$IT_ROOT/tools/lab-env.sh"

fa_aaa_dia_section() { # IDENTITY TIMEOUT_MS
	printf 'diameter {\n\tidentity = "%s"\n\trealm = "%s"\n\tpeer = "%s"\n\tpeer_address = "%s"\n' \
		"$1" "$LAB_REALM" "$LAB_AAA_ID" "$FA_HA_ADDR"
	printf '\tpeer_port = %s\n\ttls = false\n\ttimeout_ms = %s\n\treconnect_interval = 1\n}\n' "$LAB_AAA_PORT" "$2"
}

fa_aaa_lab() {
	local n=$1 log=${2:-info} f
	fa_lab_setup
	LAB_HA_ADDR=$FA_HA_ADDR
	LAB_AAA_ADDR=$FA_HA_ADDR
	LAB_AAA_CLIENTS="fa1.$LAB_REALM fa2.$LAB_REALM"
	LAB_AAA_EXTRA="home-agent \"$LAB_HA_ID\" { address = \"$FA_HA_ADDR\" }
har-timeout-ms = 1500"
	# The AAA's message dumps count AMRs and HARs; a bench (LOG notice) goes without.
	case $log in debug | info) ;; *) LAB_FD_DUMP=0x1111 ;; esac
	lab_init "$IT_DIR/lab" "$(it_port 23700)" "$n"
	{ lab_make_pki && lab_make_stores "$n"; } >"$IT_DIR/setup.log" 2>&1 ||
		{ cat "$IT_DIR/setup.log"; it_fail "lab setup failed"; }
	lab_conf_bsf
	lab_conf_aaa
	mapfile -t BTIDS < <(awk '{ print $1 }' "$LAB_MN_STORE")
	(
		umask 077
		{
			printf 'address = "%s"\nhome_networks = {"10.1.0.0/16"}\nmax_lifetime = 600\n' "$FA_HA_ADDR"
			printf 'max_pending = 4096\ncontrol_socket = "%s/ha.sock"\nlog_level = "%s"\n' "$IT_DIR" "$log"
			fa_aaa_dia_section "$LAB_HA_ID" 2000
		} >"$IT_DIR/ha.conf"
	)
	for f in 1 2; do
		{
			printf 'challenges = true\nmax-pending = 4096\n'
			fa_aaa_dia_section "fa$f.$LAB_REALM" 4000
		} | fa_fa_conf "$IT_DIR/fa$f.conf" "v$f"
		sed -i "s/log-level = \"debug\"/log-level = \"$log\"/" "$IT_DIR/fa$f.conf"
	done
}

fa_aaa_daemon() {
	"lab_cmd_$1"
	it_start "$1" ip netns exec "$FA_NS-ha" "${LAB_CMD[@]}"
	it_wait_log "$1" "$LAB_READY" 60
}

fa_aaa_opens() { [ "$(it_count_log aaa "-> 'STATE_OPEN'[[:space:]]+'$1'")" -ge "$2" ]; }
fa_aaa_amrs() { it_count_log aaa "RCV from '$1': .*2/260 f:R"; }
fa_aaa_hars() { it_count_log aaa "SND to '$LAB_HA_ID': .*2/262 f:R"; }

fa_aaa_start() {
	local p
	fa_aaa_daemon bsf
	fa_aaa_daemon aaa
	fa_start_ha ha "$IT_DIR/ha.conf"
	fa_start_fa fa1 fa1 "$IT_DIR/fa1.conf"
	fa_start_fa fa2 fa2 "$IT_DIR/fa2.conf"
	for p in "$LAB_HA_ID" "fa1.$LAB_REALM" "fa2.$LAB_REALM"; do
		it_wait_cmd 30 "the AAA connected with $p" fa_aaa_opens "$p" 1
	done
}
