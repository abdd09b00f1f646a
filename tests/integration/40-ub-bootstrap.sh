#!/bin/bash
# Ub from K/OP with the lab HSS and BSF: mip4-mn (the USIM) bootstraps with one
# 401 and one 200 (rspauth checked, B-TID, lifetime), the HSS's SQN advances
# in its file and a restarted HSS never hands one out twice, the USIM keeps
# SEQ_MS per IND; fixed RAND is refused without MIP4_GBA_LAB_INSECURE=1 and,
# with it, Ks and Ks_NAF of TS 35.208 set 1 equal the published/computed
# vectors; Zh (plain TCP) and Ub (HTTP) decoded by tshark, nothing malformed or
# unknown.
LAB_TLS=0
. "$(dirname "$0")/lib-ub.sh"
V=tests/data/vectors.json
set1_impi=$(jq -r '.gba_ks_naf.cases[0].IMPI' "$V")
LAB_SUB0="$set1_impi k=$(jq -r .milenage_ts35208_set1.K "$V") op=$(jq -r .milenage_ts35208_set1.OP "$V")"
ub_setup ub-bootstrap 3
it_capture cap "$IT_DIR/ub.pcapng" "tcp portrange $LAB_HSS_PORT-$((LAB_HSS_PORT + 1)) or tcp port $LAB_UB_PORT"
ub_start hss bsf

impi=mn000001@ims.lab.example
it_eq "HSS file: SQN added as zero" 000000000000 "$(ub_sqn "$LAB_SUBS_HSS" "$impi")"
ub_mn one --impi "$impi" -v
it_eq "mip4-mn exit status" 0 "$UB_RC"
it_eq "one bootstrap, 200 after one challenge" "200 1 0 0" "$(ub_runs one '"\(.status) \(.challenges) \(.resyncs) \(.stale)"')"
btid=$(ub_runs one .btid)
it_check "B-TID = base64(RAND)@bsf.lab.example" bash -c "[[ '$btid' =~ ^[A-Za-z0-9+/]{22}==@bsf\\.lab\\.example$ ]]"
exp=$(ub_runs one .expiry)
it_check "lifetime about an hour (key-lifetime 3600)" bash -c "(( $exp > $(date +%s) + 3500 && $exp <= $(date +%s) + 3600 ))"
it_check "transcript: 401 with an AKAv1-MD5 auth-int challenge" grep -q 'Ub <- BSF: 401, WWW-Authenticate: Digest realm="bsf.lab.example", nonce=.*algorithm=AKAv1-MD5.*qop="auth-int"' "$IT_DIR/one.err"
it_check "transcript: the USIM verified AUTN and kept the SQN" grep -q 'USIM: AUTN verified (MAC-A), SQN 000000000021 (SEQ 1, IND 1) fresh and recorded' "$IT_DIR/one.err"
it_check "transcript: 200 with rspauth, verified" grep -q 'Ub <- BSF: 200, Authentication-Info: .*rspauth=' "$IT_DIR/one.err"
it_check "transcript: rspauth verified, the B-TID" grep -qF "rspauth verified; B-TID $btid" "$IT_DIR/one.err"
it_eq "HSS: one MAR, a vector with SQN SEQ 1 IND 1" 1 "$(it_count_log hss "hss_lab: MAR #1 IMPI $impi: 2001, SQN 000000000021 \(SEQ 1, IND 1\)")"
it_eq "BSF: 401 then 200" 2 "$(grep -cE "bsf_lab: Ub #[12] .* IMPI $impi: (401 \(initial request|200 \(bootstrapped: B-TID)" "$IT_DIR/bsf.log")"
it_eq "HSS file: SQN recorded" 000000000021 "$(ub_sqn "$LAB_SUBS_HSS" "$impi")"
it_check "MN file: SEQ_MS(1) = 1" grep -q "^$impi .*seq-ms=000000000000,000000000001,000000000000," "$LAB_SUBS_MN"
it_eq "subscriber files still mode 0600" "600 600" "$(stat -c %a "$LAB_SUBS_HSS" "$LAB_SUBS_MN" | tr '\n' ' ' | sed 's/ $//')"

ub_mn all --window 3
it_eq "three subscribers at once: all bootstrapped" "3 3 0" "$(jq -r 'select(.summary) | "\(.bootstraps) \(.ok) \(.failed)"' "$IT_DIR/all.json")"
it_eq "three distinct B-TIDs" 3 "$(ub_runs all .btid | sort -u | wc -l)"

# A restarted HSS continues after the SQN it recorded.
before=$(ub_sqn "$LAB_SUBS_HSS" "$impi")
it_stop_fd hss
it_eq "HSS exit status after SIGTERM" 0 "$IT_RC"
it_eq "HSS file kept the SQN across the stop" "$before" "$(ub_sqn "$LAB_SUBS_HSS" "$impi")"
ub_start hss2:hss
it_wait_cmd 30 "BSF reconnected to the HSS" bash -c "[ \$(grep -c \"CONNECTED TO '$LAB_HSS_ID'\" '$IT_DIR/bsf.log') -ge 2 ]"
ub_mn again --impi "$impi"
it_eq "bootstrap after the HSS restart" 200 "$(ub_runs again .status)"
after=$(ub_sqn "$LAB_SUBS_HSS" "$impi")
it_check "SQN after the restart ($after) above the one before ($before)" \
	bash -c "(( 16#$after > 16#$before && (16#$after >> 5) == (16#$before >> 5) + 1 ))"
it_eq "no synchronisation failure: the USIM found it fresh" 0 "$(ub_runs again .resyncs)"

# fixed-rand: refused without the environment variable, then the vectors.
it_stop_fd hss2
LAB_HSS_EXTRA="fixed-rand = \"$(jq -r .milenage_ts35208_set1.RAND "$V")\"" lab_conf_hss
lab_cmd_hss
it_start hss-refused "${LAB_CMD[@]}"
# In the asan flavour the stock freeDiameterd can hang inside exit() after a
# complete shutdown (see it_stop_fd in lib.sh): there its shutdown line is enough, and the
# process is killed (a non-zero status either way).
refused() {
	! kill -0 "$(it_pid hss-refused)" 2>/dev/null ||
		{ [ "$FLAVOUR" = asan ] && grep -q 'freeDiameterd framework is stopping' "$IT_DIR/hss-refused.log"; }
}
it_wait_cmd 30 "freeDiameterd refused the configuration" refused
kill -0 "$(it_pid hss-refused)" 2>/dev/null && it_log "note: hss-refused hung in exit() after its shutdown (stock freeDiameterd + LD_PRELOAD libasan, see it_stop_fd in lib.sh)"
it_stop hss-refused 5
it_check "HSS refused fixed-rand without $\"MIP4_GBA_LAB_INSECURE=1\" (exit $IT_RC)" [ "$IT_RC" -ne 0 ]
it_check "one-line error naming file, line and option" \
	grep -qE "hss_lab: .*hss-lab.conf:2: option 'fixed-rand': .*refused unless the environment has MIP4_GBA_LAB_INSECURE=1" "$IT_DIR/hss-refused.log"
LAB_HSS_ENV=MIP4_GBA_LAB_INSECURE=1 ub_start hss3:hss
it_check "HSS announces the fixed RAND" grep -q "FIXED RAND: every vector has the same RAND (tests only)" "$IT_DIR/hss3.log"
it_wait_cmd 30 "BSF reconnected to the HSS" bash -c "[ \$(grep -c \"CONNECTED TO '$LAB_HSS_ID'\" '$IT_DIR/bsf.log') -ge 3 ]"
naf=$(jq -r '.gba_ks_naf.cases[0].NAF_FQDN' "$V") ua=$(jq -r '.gba_ks_naf.cases[0].Ua_proto_id' "$V")
ub_mn vec --impi "$set1_impi" --naf-fqdn "$naf" --ua-id "$ua"
fp() { printf '%s' "$1" | xxd -r -p | sha256sum | cut -c1-16; }
it_eq "set 1: B-TID = base64(RAND of set 1)@domain (gba_btid)" \
	"$(jq -r .gba_btid.btid "$V" | cut -d@ -f1)@$LAB_BSF_DOMAIN" "$(ub_runs vec .btid)"
it_eq "set 1: Ks = CK || IK of TS 35.208 set 1 (fingerprint)" \
	"$(fp "$(jq -r '.milenage_ts35208_set1.CK + .milenage_ts35208_set1.IK' "$V")")" "$(ub_runs vec .ks_fp)"
it_eq "set 1: Ks_NAF = gba_ks_naf case 0 (fingerprint)" "$(fp "$(jq -r '.gba_ks_naf.cases[0].Ks_NAF' "$V")")" \
	"$(ub_runs vec .ks_naf_fp)"

it_stop_fd bsf
it_eq "BSF exit status after SIGTERM" 0 "$IT_RC"
it_stop_fd hss3
sleep 0.3
it_stop cap 10

# Zh and Ub on the wire.
ts() { tshark -r "$IT_DIR/ub.pcapng" -d "tcp.port==$LAB_HSS_PORT,diameter" -d "tcp.port==$LAB_UB_PORT,http" "$@" 2>>"$IT_DIR/tshark.err"; }
count() { ts -Y "$1" -T fields -e frame.number | wc -l; }
mars=$(cat "$IT_DIR"/hss*.log | grep -c 'hss_lab: MAR #')
it_check "MARs were captured ($mars in the HSS logs)" [ "$mars" -ge 6 ]
ts -q -z diameter,avp,303,Result-Code,User-Name,3GPP-SIP-Number-Auth-Items >"$IT_DIR/zh.txt"
it_eq "MAR (303 requests) on the wire = MARs served" "$mars" "$(grep -c "is_request='1' cmd='303'" "$IT_DIR/zh.txt")"
it_eq "MAA 2001 for each" "$mars" "$(grep "is_request='0' cmd='303'" "$IT_DIR/zh.txt" | grep -c "Result-Code='2001'")"
ts -V -Y diameter >"$IT_DIR/zh-V.txt"
it_check "Zh application named by tshark" grep -q 'ApplicationId: 3GPP Zh (16777221)' "$IT_DIR/zh-V.txt"
it_check "SIP-Auth-Data-Item decoded with its members" grep -q "3GPP-SIP-Authenticate(609) l=44 f=VM- vnd=TGPP val=" "$IT_DIR/zh-V.txt"
it_check "Confidentiality-Key and Integrity-Key decoded" bash -c "grep -q 'Confidentiality-Key(625) l=28' '$IT_DIR/zh-V.txt' && grep -q 'Integrity-Key(626) l=28' '$IT_DIR/zh-V.txt'"
awk '/^Diameter Protocol/{d=1} /^Frame [0-9]+:/{d=0} d' "$IT_DIR/zh-V.txt" | grep -inE 'malformed|unknown|expert|warning' >"$IT_DIR/complaints.txt"
it_check "nothing malformed, unknown or expert in Zh (see complaints.txt)" test ! -s "$IT_DIR/complaints.txt"
it_eq "malformed Diameter packets" 0 "$(count 'diameter && _ws.malformed')"
it_eq "HTTP 401 on Ub, one per MAR" "$mars" "$(count 'http.response.code == 401 && http.www_authenticate contains "AKAv1-MD5"')"
it_eq "HTTP 200 with the BootstrappingInfo media type, one per MAR" "$mars" \
	"$(count 'http.response.code == 200 && http.content_type == "application/vnd.3gpp.bsf+xml"')"
