#!/bin/bash
# Diameter scale-out without a relay: mip4-ha with two `connect` sections of
# role aaa (its peer list), each a stock freeDiameterd + aaa_naf instance
# (gba-local keys, disjoint address pools).  With two AAA peers the AMR names
# no Destination-Host (destination_host's default), so libfdcore's routing
# picks either open AAA peer for each request, and its failover sends the
# requests a closed peer had not answered to the other one.
#  - load spreads over both instances (AMR counts per instance);
#  - one instance killed (kill -9) mid-load: registrations go on through the
#    other, failures stay within what was in flight (the window), reported;
#  - the killed one, restarted, is reconnected by the HA and gets AMRs again;
#  - no home address is handed out twice.
# The normal flavour runs Diameter over TLS, the asan one over TCP (lib-e2e.sh).
. "$(dirname "$0")/lib-e2e.sh"
e2e_setup ha-two-aaa-peers 400
W=32
A1=$LAB_AAA_PORT # the port the capture watches (the lab's own AAA is not started)
A2=$((LAB_BASE + 50))
AAA1=aaa1.$LAB_REALM
AAA2=aaa2.$LAB_REALM
TLS_DIR=
if [ "$LAB_TLS" = 1 ]; then
	TLS_DIR=$LAB_PKI
	"$IT_ROOT/conf/lab-pki.sh" "$LAB_PKI" "$LAB_BSF_ID" "$LAB_HA_ID" "$LAB_HSS_ID" "$AAA1" "$AAA2" ||
		it_fail "lab PKI for the two AAA instances failed"
fi

aaa_instance() { # N PORT FIRST LAST: the N-th AAA/NAF, its pool FIRST-LAST
	local n=$1
	cat >"$LAB_DIR/aaa$n-naf.conf" <<X
naf-fqdn = "$LAB_NAF_FQDN"
ua-id = "$LAB_UA_ID"
key-sources = {"gba-local"}
gba-local { store = "$LAB_BSF_STORE" }
pool "instance$n" { first = "$3" last = "$4" }
pool-state-file = "$LAB_DIR/aaa$n-pool.state"
X
	chmod 600 "$LAB_DIR/aaa$n-naf.conf"
	lab_acl_line "$LAB_HA_ID" >"$LAB_DIR/aaa$n-acl.conf"
	it_fd_conf "$LAB_DIR/aaa$n.fd.conf" "aaa$n.$LAB_REALM" "$LAB_REALM" "$2" "$TLS_DIR" <<X
LoadExtension = "$LAB_EXT/dict/dict_mip4.fdx";
LoadExtension = "$LAB_EXT/dict/dict_zn.fdx";
LoadExtension = "/usr/lib/freeDiameter/acl_wl.fdx" : "$LAB_DIR/aaa$n-acl.conf";
LoadExtension = "$LAB_EXT/aaa-naf/aaa_naf.fdx" : "$LAB_DIR/aaa$n-naf.conf";
LoadExtension = "/usr/lib/freeDiameter/dbg_msg_dumps.fdx" : "0x2128";
X
}
aaa_instance 1 "$A1" 10.23.0.1 10.23.127.254
aaa_instance 2 "$A2" 10.23.128.1 10.23.255.254
# The old form names aaa1, a connect section aaa2: two peers of role aaa.
tls=false
[ "$LAB_TLS" = 1 ] && tls=true
LAB_AAA_ID=$AAA1 LAB_AAA_PORT=$A1 \
	LAB_HA_DIA_EXTRA="connect \"$AAA2\" { role = \"aaa\" address = \"127.0.0.1\" port = $(lab_peer_port "$A2") tls = $tls }" \
	lab_conf_ha </dev/null

it_freediameterd aaa1 "$LAB_DIR/aaa1.fd.conf"
it_freediameterd aaa2 "$LAB_DIR/aaa2.fd.conf"
e2e_start ha
ha_opens() { [ "$(grep -c "diameter: connected to $1\$" "$IT_DIR/ha.log")" -ge "$2" ]; }
it_wait_cmd 30 "HA connected to aaa1" ha_opens "$AAA1" 1
it_wait_cmd 30 "HA connected to aaa2" ha_opens "$AAA2" 1
amrs() { grep -c "RCV from '$LAB_HA_ID': .*2/260 f:R" "$IT_DIR/$1.log" 2>/dev/null || true; }
amrs_ge() { [ "$(amrs "$1")" -ge "$2" ]; }
both_serving() { amrs_ge aaa1 100 && amrs_ge aaa2 100; }

# First registrations only (a new key, an AMR each), W in flight.
it_start load bash -c 'exec "$@" >"'"$IT_DIR"'/load.json" 2>"'"$IT_DIR"'/load.err"' mn \
	"$LAB_MN" "${E2E_MN_ARGS[@]}" --json --load --mns 400 --rereg-pct 0 --rate 600 --duration 9 \
	--window "$W" --timeout 500 --retries 4
it_wait_cmd 30 "both instances serving" both_serving
before1=$(amrs aaa1)
before2=$(amrs aaa2)
it_log "AMRs so far: aaa1 $before1, aaa2 $before2"
it_kill aaa1
# AMRs aaa1 had taken and not answered when it died: the HA fails them over.
inflight=$(($(amrs aaa1) - $(grep -c "SND to '$LAB_HA_ID': .*2/260 f:-" "$IT_DIR/aaa1.log")))
it_wait_cmd 30 "aaa2 carries the load alone" amrs_ge aaa2 $((before2 + 600))
it_freediameterd aaa1b "$LAB_DIR/aaa1.fd.conf"
it_wait_cmd 30 "the HA reconnected to the restarted aaa1" ha_opens "$AAA1" 2
it_wait_cmd 30 "the restarted aaa1 gets AMRs again" amrs_ge aaa1b 50
it_wait_cmd 60 "load finished" bash -c "! kill -0 $(it_pid load) 2>/dev/null"
it_stop load
n1=$((before1 + $(amrs aaa1b)))
n2=$(amrs aaa2)
total=$(e2e_summary load '.accepted + .rejected + .timeouts')
failed=$(e2e_summary load '.rejected + .timeouts')
it_log "load: $(e2e_summary load '"\(.sent) sent, \(.accepted) accepted, \(.rejected) rejected \(.rejected_by_code), \(.timeouts) timed out, \(.retransmits) retransmissions, \(.rate)/s"')"
it_log "AMRs per instance: aaa1 $n1 (before the kill $before1, after its restart $(amrs aaa1b)), aaa2 $n2"
it_check "load spread: each instance served at least a fifth ($n1 / $n2)" \
	[ $((n1 * 5)) -ge $((n1 + n2)) -a $((n2 * 5)) -ge $((n1 + n2)) ]
failovers=$(grep -c "RCV from '$LAB_HA_ID': .*2/260 f:R..T" "$IT_DIR/aaa2.log")
it_log "failures while an instance was killed: $failed of $total operations (window $W; $inflight AMRs in flight at aaa1 when it died, $failovers sent again to aaa2 by the HA)"
it_check "failures within what was in flight ($failed <= $W)" [ "$failed" -le "$W" ]
it_check "registrations went on: most operations accepted" [ "$(e2e_summary load .accepted)" -ge $((total - W)) ]

# Home addresses: each instance hands out its own pool, never one address twice.
cat "$LAB_DIR"/aaa1-pool.state "$LAB_DIR"/aaa2-pool.state >"$IT_DIR/assigned.txt"
it_check "both instances assigned addresses" [ -s "$LAB_DIR/aaa1-pool.state" -a -s "$LAB_DIR/aaa2-pool.state" ]
it_eq "no address handed out twice across the instances" 0 "$(awk '{ print $2 }' "$IT_DIR/assigned.txt" | sort | uniq -d | wc -l)"
it_eq "aaa1 only from its pool" 0 "$(awk '{ split($2, a, "."); if (a[3] >= 128) print }' "$LAB_DIR/aaa1-pool.state" | wc -l)"
it_eq "aaa2 only from its pool" 0 "$(awk '{ split($2, a, "."); if (a[3] < 128) print }' "$LAB_DIR/aaa2-pool.state" | wc -l)"
it_eq "every HA binding is an address one instance assigned" "" \
	"$(comm -23 <(e2e_ctl bindings | jq -r '.bindings[].home_address' | sort) <(awk '{ print $2 }' "$IT_DIR/assigned.txt" | sort))"
for n in ha aaa2 aaa1b; do aaa_stop "$n"; done
e2e_check_capture
