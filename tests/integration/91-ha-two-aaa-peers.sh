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
. "$(dirname "$0")/lib-scaleout.sh"
e2e_setup ha-two-aaa-peers 400
W=32
A1=$LAB_AAA_PORT # the port the capture watches (the lab's own AAA is not started)
A2=$((LAB_BASE + 50))
AAA1=aaa1.$LAB_REALM
AAA2=aaa2.$LAB_REALM
SCALEOUT_CLIENT=$LAB_HA_ID
[ "$LAB_TLS" = 1 ] && scaleout_pki

scaleout_aaa 1 "$A1" 10.23.0.1 10.23.127.254
scaleout_aaa 2 "$A2" 10.23.128.1 10.23.255.254
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
scaleout_run "the HA" ha_opens "$AAA1" 2
for n in ha aaa2 aaa1b; do aaa_stop "$n"; done
e2e_check_capture
