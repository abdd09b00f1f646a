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
. "$(dirname "$0")/lib-scaleout.sh"
e2e_setup scaleout-relay 400
W=32
A1=$((LAB_BASE + 40))
A2=$((LAB_BASE + 50))
RELAY=relay.lab.example
SCALEOUT_CLIENT=$RELAY

scaleout_aaa 1 "$A1" 10.23.0.1 10.23.127.254
scaleout_aaa 2 "$A2" 10.23.128.1 10.23.255.254
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
scaleout_run "the relay" relay_opens "aaa1.$LAB_REALM" 2
for n in ha relay aaa2 aaa1b; do aaa_stop "$n"; done
e2e_check_capture
