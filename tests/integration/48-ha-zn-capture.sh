#!/bin/bash
# Method 2 on the wire: with Diameter over plain TCP, every Zn exchange between
# the HA and the BSF is decoded by tshark (BIR from the HA with the B-TID as
# Transaction-Identifier and the HA's NAF_Id, BIA 2001 with a 32-octet
# ME-Key-Material and Key-ExpiryTime, BIA 5403 for an unknown B-TID), no
# Diameter packet is malformed and no AMR leaves the HA; every RRQ/RRP of
# method 2 (NAI, then MN-HA authentication under SPI 33822) decodes cleanly.
LAB_TLS=0
. "$(dirname "$0")/lib-zn.sh"
zn_setup ha-zn-capture 10
# A bootstrap the BSF does not know, in a store of its own.
"$LAB_MN" --make-store 1 --bsf-domain "$LAB_BSF_DOMAIN" --impi-prefix ghost --out-mn "$IT_DIR/ghost.mn" \
	--out-bsf "$IT_DIR/ghost.bsf" >>"$IT_DIR/setup.log" 2>&1 || it_fail "make-store"
mapfile -t btid < <(awk '{print $1}' "$LAB_MN_STORE")
e2e_start bsf aaa ha

zn_mn one --btid "${btid[0]}" --reregs 1 --timeout 5000
it_eq "one node: register, re-register, deregister" "0 0 0" "$(zn_codes one)"
zn_mn load --load --mns 10 --window 10 --home-addr 10.23.129.1 --timeout 5000
it_eq "10 nodes registered in parallel" 10 "$(e2e_summary load .accepted)"
zn_mn ghost --store "$IT_DIR/ghost.mn" --reregs 0 --no-dereg --timeout 5000 --retries 0
it_eq "unknown B-TID refused" 131 "$(zn_codes ghost)"
for n in ha aaa bsf; do it_stop "$n" 30; done
e2e_check_capture

ts() { e2e_ts "$@"; }
count() { e2e_ts_count "$1"; }
ts -q -z diameter,avp,310,Origin-Host,Destination-Host,Transaction-Identifier,NAF-Hostname,ME-Key-Material,Key-ExpiryTime,User-Name,Result-Code,Experimental-Result-Code \
	>"$IT_DIR/zn.txt"
msgs() { grep -E -- "$1" "$IT_DIR/zn.txt" | grep -Ec -- "${2:-.}"; }
req="is_request='1'"
ans="is_request='0'"
# tshark shows these OctetStrings as colon-separated hex.
colon_hex() { sed 's/../&:/g; s/:$//' <<<"$1"; }
text_hex() { colon_hex "$(printf '%s' "$1" | od -An -tx1 | tr -d ' \n')"; }

it_check "capture readable" ts -c 1
it_eq "malformed Diameter packets" 0 "$(count 'diameter && _ws.malformed')"
it_eq "Diameter expert errors" 0 "$(count 'diameter && _ws.expert.severity == error')"
it_eq "no AMR: method 2 keeps the AAA out of the key path" 0 "$(count 'diameter.cmd.code == 260')"
# 11 B-TIDs, one BIR each: the one node's re-registration and deregistration
# are local, and the ghost's retry after its re-bootstrap meets the negative cache.
it_eq "BIR from the HA, one per B-TID" 11 "$(msgs "$req cmd='310'" "Origin-Host='$LAB_HA_ID'")"
it_eq "BIR to the BSF host" 11 "$(msgs "$req cmd='310'" "Destination-Host='$LAB_BSF_ID'")"
it_eq "BIR Transaction-Identifier = the first node's B-TID" 1 \
	"$(grep -F "$req" "$IT_DIR/zn.txt" | grep -cF "Transaction-Identifier='$(text_hex "${btid[0]}")'")"
it_eq "BIR NAF-Id = the HA's NAF_Id (FQDN || ff00000002)" 11 \
	"$(grep -F "$req" "$IT_DIR/zn.txt" | grep -cF "NAF-Hostname='$(colon_hex "$(zn_naf_id_hex)")'")"
it_eq "BIA 2001" 10 "$(msgs "$ans cmd='310'" "Result-Code='2001'")"
it_eq "BIA 2001 with ME-Key-Material, Key-ExpiryTime and User-Name" 10 \
	"$(grep -F "$ans cmd='310'" "$IT_DIR/zn.txt" | grep -F "Result-Code='2001'" | grep -F "ME-Key-Material=" |
		grep -F "Key-ExpiryTime=" | grep -c "User-Name='mn")"
it_eq "ME-Key-Material: 32 octets" 10 "$(grep -cE "ME-Key-Material='([0-9a-f]{2}:){31}[0-9a-f]{2}'" "$IT_DIR/zn.txt")"
it_eq "BIA 5403 for the unknown B-TID" 1 "$(msgs "$ans cmd='310'" "Experimental-Result-Code='5403'")"

# Mobile IP: NAI then MN-HA authentication, both ways, nothing else; our dissector
# (tools/wireshark/mip4-gba.lua) knows both, so every packet must decode cleanly.
rrqs=$((3 + 10 + 2))
it_eq "RRQ (type 1)" "$rrqs" "$(count 'mip4.type == 1')"
it_eq "RRP (type 3)" "$rrqs" "$(count 'mip4.type == 3')"
it_eq "RRQ: NAI and MN-HA auth under SPI 33822" "$rrqs" "$(count 'mip4.type == 1 && mip4.nai && mip4.auth.spi == 33822')"
it_eq "RRQ: no KeyGen Request, no MN-AAA" 0 "$(count 'mip4.type == 1 && (mip4.ext.type == 42 || mip4.ext.type == 36)')"
it_eq "RRP 0 signed under SPI 33822" 13 "$(count 'mip4.type == 3 && mip4.code == 0 && mip4.nai && mip4.auth.spi == 33822')"
it_eq "RRP 131 unsigned" 2 "$(count 'mip4.type == 3 && mip4.code == 131 && !(mip4.ext.type == 32)')"
it_eq "Mobile IP packets with an expert warning or error (mip4-gba.lua)" 0 "$(count "mip4 && _ws.expert.severity >= $IT_TS_WARN")"
