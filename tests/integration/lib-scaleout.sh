# Helpers for the Diameter scale-out tests (90-94): two AAA/NAF instances
# (stock freeDiameterd + aaa_naf, gba-local keys, disjoint address pools), a
# load of first registrations, and the checks on spread, failures and pools.
# Set SCALEOUT_CLIENT (the Diameter identity that sends the AMRs) and W (the
# load's window) before use.
. "$(dirname "${BASH_SOURCE[0]}")/lib-e2e.sh"

# scaleout_aaa N PORT FIRST LAST: the N-th AAA/NAF (aaaN.$LAB_REALM), its
# pool FIRST-LAST; TLS with the lab PKI when LAB_TLS=1 (which then needs a
# certificate for aaaN, see scaleout_pki).
scaleout_aaa() {
	local n=$1 tls=
	[ "$LAB_TLS" = 1 ] && tls=$LAB_PKI
	cat >"$LAB_DIR/aaa$n-naf.conf" <<X
naf-fqdn = "$LAB_NAF_FQDN"
ua-id = "$LAB_UA_ID"
key-sources = {"gba-local"}
gba-local { store = "$LAB_BSF_STORE" }
pool "instance$n" { first = "$3" last = "$4" }
pool-state-file = "$LAB_DIR/aaa$n-pool.state"
X
	chmod 600 "$LAB_DIR/aaa$n-naf.conf"
	lab_acl_line "$SCALEOUT_CLIENT" >"$LAB_DIR/aaa$n-acl.conf"
	it_fd_conf "$LAB_DIR/aaa$n.fd.conf" "aaa$n.$LAB_REALM" "$LAB_REALM" "$2" "$tls" <<X
LoadExtension = "$LAB_EXT/dict/dict_mip4.fdx";
LoadExtension = "$LAB_EXT/dict/dict_zn.fdx";
LoadExtension = "/usr/lib/freeDiameter/acl_wl.fdx" : "$LAB_DIR/aaa$n-acl.conf";
LoadExtension = "$LAB_EXT/aaa-naf/aaa_naf.fdx" : "$LAB_DIR/aaa$n-naf.conf";
LoadExtension = "/usr/lib/freeDiameter/dbg_msg_dumps.fdx" : "0x2128";
X
}

# scaleout_pki: the lab PKI again, with certificates for aaa1 and aaa2 too.
scaleout_pki() {
	"$IT_ROOT/conf/lab-pki.sh" "$LAB_PKI" "$LAB_BSF_ID" "$LAB_HA_ID" "$LAB_HSS_ID" \
		"aaa1.$LAB_REALM" "aaa2.$LAB_REALM" || it_fail "lab PKI for the AAA instances failed"
}

# AMRs an instance (log NAME) received from the client, and answered.
scaleout_amrs() { grep -c "RCV from '$SCALEOUT_CLIENT': .*2/260 f:R" "$IT_DIR/$1.log" 2>/dev/null || true; }
scaleout_amas() { grep -c "SND to '$SCALEOUT_CLIENT': .*2/260 f:-" "$IT_DIR/$1.log" 2>/dev/null || true; }
scaleout_amrs_ge() { [ "$(scaleout_amrs "$1")" -ge "$2" ]; }
scaleout_both_serving() { scaleout_amrs_ge aaa1 100 && scaleout_amrs_ge aaa2 100; }

# scaleout_load: 400 nodes, first registrations only (an AMR each), 600/s for
# 9 s, W in flight.
scaleout_load() {
	it_start load bash -c 'exec "$@" >"'"$IT_DIR"'/load.json" 2>"'"$IT_DIR"'/load.err"' mn \
		"$LAB_MN" "${E2E_MN_ARGS[@]}" --json --load --mns 400 --rereg-pct 0 --rate 600 --duration 9 \
		--window "$W" --timeout 500 --retries 4
}

# scaleout_run WHO CMD ARGS...: the load; once both instances serve, aaa1
# killed (kill -9), aaa2 carrying the load alone, aaa1 restarted (as aaa1b)
# until CMD ARGS says WHO reconnected to it and it gets AMRs again; then the
# checks.
scaleout_run() {
	local who=$1 before1 before2 inflight
	shift
	scaleout_load
	it_wait_cmd 30 "both instances serving" scaleout_both_serving
	before1=$(scaleout_amrs aaa1)
	before2=$(scaleout_amrs aaa2)
	it_log "AMRs so far: aaa1 $before1, aaa2 $before2"
	it_kill aaa1
	# AMRs aaa1 had taken and not answered when it died: WHO fails them over.
	inflight=$(($(scaleout_amrs aaa1) - $(scaleout_amas aaa1)))
	it_wait_cmd 30 "aaa2 carries the load alone" scaleout_amrs_ge aaa2 $((before2 + 600))
	it_freediameterd aaa1b "$LAB_DIR/aaa1.fd.conf"
	it_wait_cmd 30 "$who reconnected to the restarted aaa1" "$@"
	it_wait_cmd 30 "the restarted aaa1 gets AMRs again" scaleout_amrs_ge aaa1b 50
	it_wait_cmd 60 "load finished" bash -c "! kill -0 $(it_pid load) 2>/dev/null"
	it_stop load
	scaleout_check "$before1" "$before2" "$inflight"
}

# scaleout_check BEFORE1 BEFORE2 INFLIGHT: after the load (aaa1 killed after
# BEFORE1 AMRs, aaa2 having had BEFORE2 by then, INFLIGHT unanswered at aaa1,
# aaa1 restarted as aaa1b): numbers, spread, failures within the window, home
# addresses unique and from each pool.  The spread is judged while both
# instances were up: over the whole run it depends on how long the killed one
# took to come back, which is the machine's speed, not the routing.
scaleout_check() {
	local n1 n2 total failed failovers b1=$1 b2=$2 inflight=$3
	n1=$((b1 + $(scaleout_amrs aaa1b)))
	n2=$(scaleout_amrs aaa2)
	total=$(e2e_summary load '.accepted + .rejected + .timeouts')
	failed=$(e2e_summary load '.rejected + .timeouts')
	it_log "load: $(e2e_summary load '"\(.sent) sent, \(.accepted) accepted, \(.rejected) rejected \(.rejected_by_code), \(.timeouts) timed out, \(.retransmits) retransmissions, \(.rate)/s"')"
	it_log "AMRs per instance: aaa1 $n1 (before the kill $b1, after its restart $(scaleout_amrs aaa1b)), aaa2 $n2"
	it_check "load spread while both were up: each instance served at least a fifth ($b1 / $b2)" \
		[ $((b1 * 5)) -ge $((b1 + b2)) -a $((b2 * 5)) -ge $((b1 + b2)) ]
	failovers=$(grep -c "RCV from '$SCALEOUT_CLIENT': .*2/260 f:R..T" "$IT_DIR/aaa2.log")
	it_log "failures while an instance was killed: $failed of $total operations (window $W; $inflight AMRs in flight at aaa1 when it died, $failovers sent again to aaa2 by $SCALEOUT_CLIENT)"
	it_check "failures within what was in flight ($failed <= $W)" [ "$failed" -le "$W" ]
	it_check "registrations went on: most operations accepted" [ "$(e2e_summary load .accepted)" -ge $((total - W)) ]

	cat "$LAB_DIR"/aaa1-pool.state "$LAB_DIR"/aaa2-pool.state >"$IT_DIR/assigned.txt"
	it_check "both instances assigned addresses" [ -s "$LAB_DIR/aaa1-pool.state" -a -s "$LAB_DIR/aaa2-pool.state" ]
	it_eq "no address handed out twice across the instances" 0 "$(awk '{ print $2 }' "$IT_DIR/assigned.txt" | sort | uniq -d | wc -l)"
	it_eq "aaa1 only from its pool" 0 "$(awk '{ split($2, a, "."); if (a[3] >= 128) print }' "$LAB_DIR/aaa1-pool.state" | wc -l)"
	it_eq "aaa2 only from its pool" 0 "$(awk '{ split($2, a, "."); if (a[3] < 128) print }' "$LAB_DIR/aaa2-pool.state" | wc -l)"
	it_eq "every HA binding is an address one instance assigned" "" \
		"$(comm -23 <(e2e_ctl bindings | jq -r '.bindings[].home_address' | sort) <(awk '{ print $2 }' "$IT_DIR/assigned.txt" | sort))"
}
