#!/bin/bash
# run-tests: host-network (apt-get source of strongswan, once, for the plugins)
# run-tests: normal-only: the comparison lab's short form (the lab must not rot); its daemons run under ASan in the other tests, and under ASan this run alone took 3 minutes of make check's 15
# The short form of `make compare` (compare/compare.sh --short): a handful of
# bootstraps per row on both sides (strongSwan IKEv2 and our MIPv4 + GBA), the
# rekey and re-registration series, a one-second data path through the ESP
# tunnel and without a tunnel; then the report is checked, so that the
# comparison cannot rot.  No load, no added delay.
#
# Needs root and network namespaces (fails if it cannot create them).  The two
# strongSwan plugins are built once from Debian's source package and kept in
# build/compare/plugins; only when that build is impossible here (no source
# package reachable) does this test end with "skipped: strongSwan plugins not
# built" (exit 77, shown as SKIP by tests/run-tests.sh).
. "$(dirname "$0")/lib.sh"
it_setup compare-short

[ "$(id -u)" -eq 0 ] || it_fail "needs root (network namespaces)"
ip netns add "it95-$$-probe" 2>"$IT_DIR/netns.err" || it_fail "cannot create a network namespace: $(cat "$IT_DIR/netns.err")"
ip netns del "it95-$$-probe"

out=$IT_DIR/compare
BUILD=$BUILD bash compare/compare.sh --short --out "$out" --plugins "$IT_ROOT/build/compare/plugins" \
	>"$IT_DIR/compare.log" 2>&1 &
pid=$!
wait "$pid"
rc=$?
sed 's/^/    | /' "$IT_DIR/compare.log"
if [ "$rc" -eq 3 ]; then
	it_log "skipped: strongSwan plugins not built ($(grep -o 'skipped: .*' "$IT_DIR/compare.log" | head -n 1))"
	exit 77
fi
it_eq "compare.sh --short exit status" 0 "$rc"

it_eq "namespaces of the run left behind" 0 "$(ip netns list | grep -c "^cmp$pid-")"
left=0
for p in /proc/[0-9]*; do
	cat "$p/cmdline" "$p/environ" 2>/dev/null | tr '\0' '\n' | grep -qF -- "$out/" && left=$((left + 1))
done
it_eq "processes of the run left behind" 0 "$left"

r=$out/report.json
q() { jq -r "$1" "$r"; }
row() { jq -r --arg id "$1" ".rows[] | select(.id == \$id) | $2" "$r"; }
it_check "report.json, report.md, report.png written" test -s "$r" -a -s "$out/report.md" -a -s "$out/report.png"
it_eq "report.png is a PNG" "PNG" "$(head -c 4 "$out/report.png" | tail -c 3)"

for id in ike-aka-rsa ike-aka-ecdsa ike-aka-eaponly ike-psk mip4-m1-warm; do
	it_eq "$id: ran" ok "$(row "$id" .status)"
	it_eq "$id: all 5 bootstraps succeeded" 5 "$(row "$id" .seq.ok)"
	it_check "$id: time to SA measured" [ "$(row "$id" '.seq.time_to_sa_ms > 0')" = true ]
	it_check "$id: CPU of both sides measured" \
		[ "$(row "$id" '.seq.cpu_mn_us > 0 and .seq.cpu_ha_us > 0')" = true ]
done
# IKE_SA_INIT + IKE_AUTH; EAP-AKA without the AKA-Identity round: 2 more IKE_AUTH exchanges.
it_eq "IKEv2 PSK: messages on the MN's link" 4 "$(row ike-psk .seq.wire.messages)"
it_eq "IKEv2 PSK: round trips" 2 "$(row ike-psk .seq.wire.round_trips)"
for id in ike-aka-rsa ike-aka-ecdsa ike-aka-eaponly; do
	it_eq "$id: messages" 8 "$(row "$id" .seq.wire.messages)"
	it_eq "$id: round trips" 4 "$(row "$id" .seq.wire.round_trips)"
done
it_check "certificate rows carry more octets than EAP-only" \
	[ "$(jq '([.rows[] | select(.id == "ike-aka-rsa") | .seq.wire.frame_octets][0]) > ([.rows[] | select(.id == "ike-aka-eaponly") | .seq.wire.frame_octets][0])' "$r")" = true ]
it_eq "MIPv4 warm: messages on the MN's link (RRQ, RRP)" 2 "$(row mip4-m1-warm .seq.wire.messages)"
it_eq "MIPv4 warm: round trips on the MN's link" 1 "$(row mip4-m1-warm .seq.wire.round_trips)"
it_eq "MIPv4 warm: one AMR per registration" 1 "$(row mip4-m1-warm .seq.behind_ha.per_registration.AMR)"
it_eq "MIPv4 warm: one BIR per registration (a new B-TID each)" 1 "$(row mip4-m1-warm .seq.behind_ha.per_registration.BIR)"
it_check "MIPv4 warm: under 500 octets on the MN's link" [ "$(row mip4-m1-warm '.seq.wire.frame_octets < 500')" = true ]
for id in mip4-m1-cold mip4-m2; do
	it_eq "$id: ran" ok "$(row "$id" .status)"
	it_eq "$id: all 5 bootstraps (Ub + first registration) succeeded" 5 "$(row "$id" .seq.ok)"
	it_check "$id: time to SA = Ub + registration" \
		[ "$(row "$id" '.seq.time_to_sa_ms > .seq.ub_ms and .seq.ub_ms > 0')" = true ]
	it_check "$id: CPU of both sides measured" [ "$(row "$id" '.seq.cpu_mn_us > 0 and .seq.cpu_ha_us > 0')" = true ]
	# HTTP Digest AKA: the 401 exchange and the 200 exchange, at least.
	it_check "$id: Ub on the wire, at least 2 round trips" [ "$(row "$id" '.seq.wire.ub.round_trips >= 2')" = true ]
	it_eq "$id: registration on the wire (RRQ, RRP)" 2 "$(row "$id" .seq.wire.registration.messages)"
	it_eq "$id: one Zh MAR per bootstrap (BSF to HSS)" 1 "$(row "$id" .seq.behind_ha.per_registration.MAR)"
	it_eq "$id: one Zn BIR per bootstrap" 1 "$(row "$id" .seq.behind_ha.per_registration.BIR)"
done
it_eq "mip4-m1-cold: one AMR per bootstrap" 1 "$(row mip4-m1-cold .seq.behind_ha.per_registration.AMR)"
it_eq "mip4-m2: no AAA (the HA is the NAF)" 0 "$(row mip4-m2 .seq.behind_ha.per_registration.AMR)"

it_eq "IKE rekey: messages (CREATE_CHILD_SA, INFORMATIONAL)" 4 "$(q .keep.ike_rekey.wire.messages)"
it_eq "IKE rekeys succeeded" 5 "$(q .keep.ike_rekey.ok)"
it_eq "MIPv4 re-registration: messages" 2 "$(q .keep.mip4_rereg.wire.messages)"
it_eq "MIPv4 re-registrations succeeded" 20 "$(q .keep.mip4_rereg.ok)"

for id in dp-esp dp-plain dp-ipip; do
	it_eq "$id: ran" ok "$(jq -r --arg id "$id" '.datapath[] | select(.id == $id) | .status' "$r")"
	it_check "$id: TCP throughput measured" \
		[ "$(jq --arg id "$id" '.datapath[] | select(.id == $id) | .tcp_mbps > 0' "$r")" = true ]
done
dp=$out/raw/dp/ipip/ha-dataplane.json
it_check "dp-ipip: the HA tunnelled to the MN and decapsulated what the MN reverse-tunnelled" \
	[ "$(jq '.encapsulated_packets > 1000 and .decapsulated_packets > 100' "$dp")" = true ]
it_eq "aims stated" 3 "$(q '.aims | length')"
it_eq "aim 1 judged on this run" shown "$(q '.aims[0].verdict')"
