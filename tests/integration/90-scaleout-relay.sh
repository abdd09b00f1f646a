#!/bin/bash
# Diameter scale-out with stock parts only: mip4-ha -> a stock freeDiameterd
# relay (rt_default + rt_load_balance, Debian's routing extensions) -> two
# AAA/NAF instances (freeDiameterd + aaa_naf, gba-local keys, disjoint address
# pools).  Nothing in the HA knows there are two: it talks to the relay and
# leaves Destination-Host out (diameter.destination_host = "").
#  - load spreads over both instances (AMR counts per instance);
#  - one instance killed (kill -9) mid-load: registrations go on through the
#    other, failures stay within what was in flight (the window), reported;
#  - the killed one, restarted, gets AMRs again;
#  - no home address is handed out twice (disjoint pools; pool state files and
#    the HA's bindings checked).
LAB_TLS=0
. "$(dirname "$0")/lib-e2e.sh"
e2e_setup scaleout-relay 400
W=32
A1=$((LAB_BASE + 40))
A2=$((LAB_BASE + 50))
RELAY=relay.lab.example

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
	printf 'ALLOW_IPSEC %s\n' "$RELAY" >"$LAB_DIR/aaa$n-acl.conf"
	it_fd_conf "$LAB_DIR/aaa$n.fd.conf" "aaa$n.$LAB_REALM" "$LAB_REALM" "$2" <<X
LoadExtension = "$LAB_EXT/dict/dict_mip4.fdx";
LoadExtension = "$LAB_EXT/dict/dict_zn.fdx";
LoadExtension = "/usr/lib/freeDiameter/acl_wl.fdx" : "$LAB_DIR/aaa$n-acl.conf";
LoadExtension = "$LAB_EXT/aaa-naf/aaa_naf.fdx" : "$LAB_DIR/aaa$n-naf.conf";
LoadExtension = "/usr/lib/freeDiameter/dbg_msg_dumps.fdx" : "0x2128";
X
}
aaa_instance 1 "$A1" 10.23.0.1 10.23.127.254
aaa_instance 2 "$A2" 10.23.128.1 10.23.255.254
printf 'ALLOW_IPSEC %s\n' "$LAB_HA_ID" >"$LAB_DIR/relay-acl.conf"
printf 'dr="%s" : ["^aaa[0-9]+\\.%s$"] += REALM ;\n' "$LAB_REALM" "${LAB_REALM//./\\\\.}" >"$LAB_DIR/relay-rt.conf"
it_fd_conf "$LAB_DIR/relay.fd.conf" "$RELAY" "$LAB_REALM" "$LAB_AAA_PORT" <<X
LoadExtension = "/usr/lib/freeDiameter/acl_wl.fdx" : "$LAB_DIR/relay-acl.conf";
LoadExtension = "/usr/lib/freeDiameter/rt_default.fdx" : "$LAB_DIR/relay-rt.conf";
LoadExtension = "/usr/lib/freeDiameter/rt_load_balance.fdx";
ConnectPeer = "aaa1.$LAB_REALM" { ConnectTo = "127.0.0.1"; Port = $A1; No_TLS; };
ConnectPeer = "aaa2.$LAB_REALM" { ConnectTo = "127.0.0.1"; Port = $A2; No_TLS; };
X
LAB_AAA_ID=$RELAY LAB_HA_DIA_EXTRA='destination_host = ""' lab_conf_ha </dev/null

it_freediameterd aaa1 "$LAB_DIR/aaa1.fd.conf"
it_freediameterd aaa2 "$LAB_DIR/aaa2.fd.conf"
it_freediameterd relay "$LAB_DIR/relay.fd.conf"
relay_opens() { [ "$(grep -Ec -- "-> 'STATE_OPEN'[[:space:]]+'$1'" "$IT_DIR/relay.log")" -ge "$2" ]; }
it_wait_cmd 30 "relay connected to aaa1" relay_opens "aaa1.$LAB_REALM" 1
it_wait_cmd 30 "relay connected to aaa2" relay_opens "aaa2.$LAB_REALM" 1
e2e_start ha
e2e_wait_peer 1
amrs() { grep -c "RCV from '$RELAY': .*2/260 f:R" "$IT_DIR/$1.log" 2>/dev/null || true; }
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
# AMRs aaa1 had taken and not answered when it died: the relay fails them over.
inflight=$(($(amrs aaa1) - $(grep -c "SND to '$RELAY': .*2/260 f:-" "$IT_DIR/aaa1.log")))
it_wait_cmd 30 "aaa2 carries the load alone" amrs_ge aaa2 $((before2 + 600))
it_freediameterd aaa1b "$LAB_DIR/aaa1.fd.conf"
it_wait_cmd 30 "the relay reconnected to the restarted aaa1" relay_opens "aaa1.$LAB_REALM" 2
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
failovers=$(grep -c "RCV from '$RELAY': .*2/260 f:R..T" "$IT_DIR/aaa2.log")
it_log "failures while an instance was killed: $failed of $total operations (window $W; $inflight AMRs in flight at aaa1 when it died, $failovers sent again to aaa2 by the relay)"
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
for n in ha relay aaa2 aaa1b; do aaa_stop "$n"; done
e2e_check_capture
