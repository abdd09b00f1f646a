#!/bin/bash
# The end-to-end run on the wire: with Diameter over plain TCP (so that it can be
# decoded) every UDP 434-style and Diameter packet of a demo flow, 20 parallel
# first registrations and a rejected one is captured on lo and checked with
# tshark: RRQ/RRP decode as Mobile IP, AMR/AMA and BIR/BIA are all there with the
# fields we expect, and no Diameter packet is malformed.
LAB_TLS=0
. "$(dirname "$0")/lib-e2e.sh"
e2e_setup e2e-capture 21
e2e_start bsf aaa ha
e2e_wait_peer 1

btid0=$(awk 'NR == 1 {print $1}' "$LAB_MN_STORE")
e2e_mn demo --btid "$btid0" --reregs 1 --timeout 5000
it_eq "demo flow" "0 0 0" "$(e2e_outcomes demo .code | tr '\n' ' ' | sed 's/ $//')"
e2e_mn load --load --mns 21 --window 21 --timeout 5000
it_eq "21 nodes registered" 21 "$(e2e_summary load .accepted)"
e2e_mn reject --btid "$btid0" --naf-fqdn naf.other.example --reregs 0 --timeout 5000
it_eq "NAF_Id mismatch refused" 144 "$(e2e_outcomes reject .code)"
for n in ha aaa bsf; do it_stop "$n" 30; done
e2e_check_capture

ts() { e2e_ts "$@"; }
count() { e2e_ts_count "$1"; }
# One line per Diameter message (several share a TCP segment under load), with
# the named AVPs' values: the diameter,avp tap.
ts -q -z diameter,avp,260,Result-Code,User-Name,MIP-Reg-Request,MIP-MN-AAA-Auth,MIP-HA-to-MN-MSA,MIP-Nonce \
	>"$IT_DIR/amr.txt"
ts -q -z diameter,avp,310,Transaction-Identifier,ME-Key-Material,Result-Code >"$IT_DIR/bir.txt"
msgs() { grep -E -- "$2" "$IT_DIR/$1.txt" | grep -Ec -- "${3:-.}"; }
req="is_request='1'"
ans="is_request='0'"

it_check "capture readable" ts -c 1
it_eq "malformed Diameter packets" 0 "$(count 'diameter && _ws.malformed')"
it_eq "Diameter expert errors" 0 "$(count 'diameter && _ws.expert.severity == error')"
# Long retransmission timeouts above: the counts below assume no retransmission.
# AMR: 1 demo + 21 + 2 tries of the refused one (its re-bootstrap retries once).
it_eq "AMR (command 260, request)" 24 "$(msgs amr "$req cmd='260'")"
it_eq "AMA (command 260, answer)" 24 "$(msgs amr "$ans cmd='260'")"
it_eq "AMA 2001" 22 "$(msgs amr "$ans cmd='260'" "Result-Code='2001'")"
it_eq "AMA 4001" 2 "$(msgs amr "$ans cmd='260'" "Result-Code='4001'")"
it_eq "AMR with MIP-Reg-Request and MIP-MN-AAA-Auth" 24 "$(msgs amr "$req cmd='260'" "MIP-Reg-Request=.*MIP-MN-AAA-Auth=")"
it_eq "AMA 2001 with MIP-HA-to-MN-MSA (the session key)" 22 "$(msgs amr "Result-Code='2001'" "MIP-HA-to-MN-MSA=")"
it_eq "AMA 2001 with MIP-Nonce" 22 "$(msgs amr "Result-Code='2001'" "MIP-Nonce=")"
# The demo node: its demo run, its turn in the load, the two refused tries.
it_eq "AMR for the demo node carries its B-TID as User-Name" 4 "$(grep -F "$req" "$IT_DIR/amr.txt" | grep -cF "User-Name='$btid0'")"
# 21 B-TIDs: one BIR each; the demo node's later AMRs are served from the cache.
it_eq "BIR (command 310, request): one per B-TID, the cache serves the rest" 21 "$(msgs bir "$req cmd='310'" "Transaction-Identifier=")"
it_eq "BIA (command 310, answer) with ME-Key-Material" 21 "$(msgs bir "$ans cmd='310'" "ME-Key-Material=")"
it_eq "BIA 2001" 21 "$(msgs bir "$ans cmd='310'" "Result-Code='2001'")"
# Mobile IP: every request and reply on the HA port decodes as mip; tshark knows
# no RFC 3957 extension (40-43), so only packets without them must be clean.
it_eq "RRQ (type 1) packets" $((3 + 21 + 2)) "$(count 'mip.type == 1')"
it_eq "RRP (type 3) packets" $((3 + 21 + 2)) "$(count 'mip.type == 3')"
# tshark reads 42/43 as short-form extensions and stops there (RFC-NOTES §3):
# it sees the NAI and the KeyGen type, not the MN-AAA after it.
it_eq "first registrations: NAI then MN-HA KeyGen Request (42)" $((1 + 21 + 2)) \
	"$(count 'mip.type == 1 && mip.nai && mip.ext.type == 42')"
it_eq "accepted first registrations: NAI then MN-HA KeyGen Reply (43)" $((1 + 21)) \
	"$(count 'mip.type == 3 && mip.code == 0 && mip.nai && mip.ext.type == 43')"
it_eq "re-registration and deregistration: NAI then MN-HA auth, both ways" 4 \
	"$(count 'mip && mip.ext.type == 32 && mip.nai && !(mip.ext.type == 43) && !(mip.ext.type == 42)')"
it_eq "malformed packets without RFC 3957 extensions" 0 \
	"$(count 'mip && !(mip.ext.type == 36) && !(mip.ext.type == 43) && !(mip.ext.type == 42) && _ws.malformed')"
it_eq "RRP 144 for the refused node" 2 "$(count 'mip.type == 3 && mip.code == 144')"
