# Helpers for the end-to-end tests (50-e2e-*.sh): the lab of tools/lab-env.sh
# (lab BSF, AAA/NAF with the zn key source, mip4-ha) on 127.0.0.1 from port
# 23100 (23600 in the asan flavour), every process started with it_start so that
# it is stopped by PID whatever happens.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
# In the asan flavour Diameter runs over plain TCP: libfdcore 1.2.1's TLS
# teardown writes through a buffer GnuTLS has freed (heap-use-after-free in
# fd_cnx_destroy -> gnutls_bye when a peer goes away), which ASan aborts on in
# the stock freeDiameterd.  The normal flavour keeps TLS everywhere.
[ "$FLAVOUR" = asan ] && LAB_TLS=${LAB_TLS:-0}
. "$IT_ROOT/tools/lab-env.sh"

# e2e_setup NAME N_MNS: work directory, PKI, N bootstraps, configs.
e2e_setup() {
	it_setup "$1"
	lab_init "$IT_DIR/lab" "$(it_port 23100)" "$2"
	lab_make_all "$2" >"$IT_DIR/setup.log" 2>&1 || { cat "$IT_DIR/setup.log"; it_fail "lab setup failed"; }
	mapfile -t E2E_MN_ARGS < <(lab_mn_args)
	E2E_CAP=$IT_DIR/run.pcapng
	it_capture cap "$E2E_CAP" "udp port $LAB_HA_PORT or tcp portrange $LAB_BSF_PORT-$((LAB_BSF_PORT + 1)) or tcp portrange $LAB_AAA_PORT-$((LAB_AAA_PORT + 1))"
	it_log "lab: BSF :$LAB_BSF_PORT, AAA :$LAB_AAA_PORT, HA udp :$LAB_HA_PORT, TLS=$LAB_TLS, $2 bootstraps"
}

# e2e_start NAME...: start bsf, aaa, ha (in the order given), each ready.
e2e_start() {
	local n
	for n in "$@"; do
		"lab_cmd_$n"
		it_start "$n" "${LAB_CMD[@]}"
		it_wait_log "$n" "$LAB_READY" 60
	done
}

# e2e_wait_peer N: the HA has logged its N-th connection to the AAA.
e2e_wait_peer() {
	it_wait_cmd 30 "HA connection #$1 to the AAA" \
		bash -c "[ \$(grep -c 'diameter: connected to' '$IT_DIR/ha.log') -ge $1 ]"
}

# e2e_mn OUT ARGS...: run mip4-mn (GBA, --json) with the lab's options; JSON to
# $IT_DIR/OUT.json, stderr to OUT.err; sets E2E_RC.
e2e_mn() {
	local out=$1; shift
	"$LAB_MN" "${E2E_MN_ARGS[@]}" --json "$@" >"$IT_DIR/$out.json" 2>"$IT_DIR/$out.err"
	E2E_RC=$?
	it_log "mip4-mn $* -> exit $E2E_RC: $(tail -n 1 "$IT_DIR/$out.json")"
}

# e2e_mn_static OUT ARGS...: the same without the GBA options (static keys).
e2e_mn_static() {
	local out=$1; shift
	"$LAB_MN" --ha "$LAB_HA_ADDR:$LAB_HA_PORT" --json "$@" >"$IT_DIR/$out.json" 2>"$IT_DIR/$out.err"
	E2E_RC=$?
	it_log "mip4-mn $* -> exit $E2E_RC: $(tail -n 1 "$IT_DIR/$out.json")"
}

# Fields of mip4-mn's output: the summary, and per-outcome lines.
e2e_summary() { jq -r "select(.summary) | $2" "$IT_DIR/$1.json"; }
e2e_outcomes() { jq -r "select(.summary | not) | $2" "$IT_DIR/$1.json"; }

e2e_ctl() { "$LAB_CTLBIN" -s "$LAB_CTL" "$@"; }
e2e_stat() { e2e_ctl stats | jq -r "$1"; }

# e2e_btid IMPI: the B-TID of IMPI's newest entry in the MN store.
e2e_btid() { awk -v i="$1" '$2 == i && $5 > e { e = $5; b = $1 } END { print b }' "$LAB_MN_STORE"; }

# e2e_count_fixed NAME STRING: lines of NAME's log containing STRING (no regex:
# B-TIDs hold '+' and '/').
e2e_count_fixed() { grep -cF -- "$2" "$IT_DIR/$1.log" 2>/dev/null || true; }

# e2e_ts ARGS...: tshark with the project's dissector (tools/wireshark/mip4-gba.lua)
# on the run's capture, the lab's ports decoded as Mobile IP and Diameter
# (stderr to tshark.err); e2e_ts_count FILTER: packets matching.
e2e_ts() {
	tshark -X "lua_script:$IT_MIP4_LUA" -r "$E2E_CAP" -d "tcp.port==$LAB_AAA_PORT,diameter" \
		-d "tcp.port==$LAB_BSF_PORT,diameter" -d "udp.port==$LAB_HA_PORT,mip4" "$@" 2>>"$IT_DIR/tshark.err"
}
e2e_ts_count() { e2e_ts -Y "$1" -T fields -e frame.number | wc -l; }

# e2e_check_capture [replies]: stop the capture of the whole run and check it
# with tshark and the project's dissector (tools/wireshark/mip4-gba.lua): every
# request and reply on the HA port (only the replies with "replies", for tests
# that send broken requests on purpose) decodes fully as a registration
# message, RFC 3957 extensions included, and with Diameter over plain TCP no
# Diameter packet is malformed.
e2e_check_capture() {
	local ts=(tshark -X "lua_script:$IT_MIP4_LUA" -r "$E2E_CAP" -d "udp.port==$LAB_HA_PORT,mip4"
		-d "tcp.port==$LAB_AAA_PORT,diameter" -d "tcp.port==$LAB_BSF_PORT,diameter")
	local which="udp.port == $LAB_HA_PORT"
	[ "${1:-}" = replies ] && which="udp.srcport == $LAB_HA_PORT"
	sleep 0.3
	it_stop cap 10
	local out
	out=$("${ts[@]}" -Y "$which" -T fields -e mip4.type -e _ws.expert.severity 2>/dev/null |
		awk -F'\t' -v warn="$IT_TS_WARN" '{ n++ } $1 == 3 { rrp++ } $1 == "" { other++ }
			{ k = split($2, sev, ","); for (i = 1; i <= k; i++) if (sev[i] + 0 >= warn) { bad++; break } }
			END { printf "%d %d %d", rrp, other, bad }')
	it_check "capture: HA replies seen (UDP from the HA port)" [ "${out%% *}" -gt 0 ]
	it_eq "capture: ${1:-requests and replies} that are not RRQ/RRP, or decode with an error (mip4-gba.lua)" "0 0" "${out#* }"
	if [ "$LAB_TLS" = 0 ]; then
		it_check "capture: Diameter seen" [ "$("${ts[@]}" -Y diameter -T fields -e frame.number 2>/dev/null | wc -l)" -gt 0 ]
		it_eq "capture: malformed Diameter packets" 0 \
			"$("${ts[@]}" -Y 'diameter && _ws.malformed' -T fields -e frame.number 2>/dev/null | wc -l)"
	fi
}
