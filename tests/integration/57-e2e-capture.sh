#!/bin/bash
# The end-to-end run on the wire: with Diameter over plain TCP (so that it can be
# decoded) every UDP 434-style and Diameter packet of a demo flow, 20 parallel
# first registrations and a rejected one is captured on lo and checked with
# tshark: RRQ/RRP decode fully (tools/wireshark/mip4-gba.lua), AMR/AMA and BIR/BIA are all there with the
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
# Mobile IP, decoded by tools/wireshark/mip4-gba.lua: every extension of every
# request and reply, the RFC 3957 ones included.
it_eq "RRQ (type 1) packets" $((3 + 21 + 2)) "$(count 'mip4.type == 1')"
it_eq "RRP (type 3) packets" $((3 + 21 + 2)) "$(count 'mip4.type == 3')"
it_eq "registration messages with an expert warning or error (malformed, undecoded, Lua error)" 0 "$(count "mip4 && _ws.expert.severity >= $IT_TS_WARN")"
it_eq "first registrations: NAI, MN-HA KeyGen Request (MN SPI 4096), MN-AAA (36/1, SPI 256)" $((1 + 21 + 2)) \
	"$(count 'mip4.type == 1 && mip4.nai && mip4.keygen.subtype == 1 && mip4.keygen.mn_spi == 4096 && mip4.auth.subtype == 1 && mip4.auth.spi == 256 && mip4.ext.count == 3')"
it_eq "accepted first registrations: NAI, MN-HA KeyGen Reply (HA SPI 4096, HMAC-SHA-1, timestamps, 16-octet nonce), MN-HA auth under SPI 4096" \
	$((1 + 21)) "$(count 'mip4.type == 3 && mip4.code == 0 && mip4.nai && mip4.keygen.aaa_spi == 256 && mip4.keygen.ha_spi == 4096 && mip4.keygen.alg == 2 && mip4.keygen.replay == 2 && len(mip4.keygen.nonce) == 16 && mip4.auth.spi == 4096 && mip4.ext.count == 3')"
it_eq "re-registration and deregistration: NAI then MN-HA auth, both ways" 4 \
	"$(count 'mip4 && mip4.ext.type == 32 && mip4.nai && !mip4.keygen.mn_spi && !mip4.keygen.nonce')"
it_eq "RRP 144 for the refused node" 2 "$(count 'mip4.type == 3 && mip4.code == 144')"
