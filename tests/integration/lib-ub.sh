# Helpers for the Ub tests (40-44-ub-*.sh): the lab HSS and BSF of
# tools/lab-env.sh with LAB_GBA=ub (subscriber files with K and OP, hss_lab,
# bsf_lab with Ub and Zh) on 127.0.0.1 from port 23200 (23700 with ASan), every
# process started with it_start so that it is stopped by PID whatever happens.
#
#   ub_setup NAME N_SUBS      work dir, PKI, N subscribers, HSS and BSF configs
#   ub_start NAME...          start hss / bsf (in that order), each ready;
#                             NAME:KIND starts KIND under another name (a
#                             restart gets a log of its own)
#   ub_mn OUT ARGS...         mip4-mn --ub-only with the lab's Ub options, --json
#   ub_runs OUT JQ            a field of each bootstrap line of OUT.json
#   ub_sqn FILE IMPI          the SQN recorded for IMPI in a subscriber file
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
# In the asan flavour Diameter runs over plain TCP (see lib-e2e.sh), and Ub over
# plain HTTP with it.
[ "$FLAVOUR" = asan ] && LAB_TLS=${LAB_TLS:-0}
LAB_GBA=ub
. "$IT_ROOT/tools/lab-env.sh"

ub_setup() {
	it_setup "$1"
	lab_init "$IT_DIR/lab" "$(it_port 23200)" "$2"
	{ lab_make_pki && lab_make_subscribers "$2" && lab_conf_hss && lab_conf_bsf; } >"$IT_DIR/setup.log" 2>&1 ||
		{ cat "$IT_DIR/setup.log"; it_fail "lab setup failed"; }
	mapfile -t UB_ARGS < <(lab_ub_args)
	it_log "lab: HSS :$LAB_HSS_PORT, BSF :$LAB_BSF_PORT, Ub $(lab_ub_url), TLS=$LAB_TLS, $2 subscribers"
}

ub_start() {
	local n kind
	for n in "$@"; do
		kind=${n#*:}
		n=${n%%:*}
		"lab_cmd_$kind"
		it_start "$n" "${LAB_CMD[@]}"
		it_wait_log "$n" "$LAB_READY" 60
		[ "$kind" = bsf ] && it_wait_log "$n" "CONNECTED TO '$LAB_HSS_ID'" 30
	done
	return 0
}

ub_mn() {
	local out=$1; shift
	"$LAB_MN" --ub-only "${UB_ARGS[@]}" --json "$@" >"$IT_DIR/$out.json" 2>"$IT_DIR/$out.err"
	UB_RC=$?
	it_log "mip4-mn --ub-only $* -> exit $UB_RC: $(tail -n 1 "$IT_DIR/$out.json")"
}

ub_runs() { jq -r "select(.summary | not) | $2" "$IT_DIR/$1.json"; }

ub_sqn() { awk -v i="$2" '$1 == i { for (f = 2; f <= NF; f++) if ($f ~ /^sqn=/) print substr($f, 5) }' "$1"; }
