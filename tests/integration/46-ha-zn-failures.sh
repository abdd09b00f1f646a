#!/bin/bash
# Method 2 when Zn does not give a key: retransmissions while the BIR is out
# send no second BIR; an unknown B-TID gets 131 (and the node's retry after its
# re-bootstrap is answered from the negative cache); an expired B-TID gets 131
# and the node's newer bootstrap then registers; the BSF down gives the HA's
# 130 at once while cached keys keep working; after the BSF is back a node the
# outage turned away registers.
. "$(dirname "$0")/lib-zn.sh"
# A slow BSF, so that the node retransmits while its BIR is out.
LAB_BSF_EXTRA="delay-ms = 700"
zn_setup ha-zn-failures 3
mk() { # PREFIX EXPIRY MN_STORE BSF_STORE: one more bootstrap
	"$LAB_MN" --make-store 1 --bsf-domain "$LAB_BSF_DOMAIN" --impi-prefix "$1" --expiry "$2" \
		--out-mn "$3" --out-bsf "$4" --append >>"$IT_DIR/setup.log" 2>&1 || it_fail "make-store $1"
}
# A bootstrap only the node knows, and one that expired before a newer one.
mk ghost 86400 "$LAB_MN_STORE" "$IT_DIR/ghost.bsf"
mk late -60 "$LAB_MN_STORE" "$LAB_BSF_STORE"
mk late 86400 "$LAB_MN_STORE" "$LAB_BSF_STORE"
mapfile -t btid < <(awk '{print $1}' "$LAB_MN_STORE")
ghost=${btid[3]} expired=${btid[4]} fresh=${btid[5]}
e2e_start bsf aaa ha

zn_mn slow --btid "${btid[0]}" --reregs 0 --no-dereg --timeout 200 --timeout-max 200 --retries 6
it_eq "slow BSF: accepted" 0 "$(zn_codes slow)"
it_check "slow BSF: the node retransmitted" [ "$(e2e_summary slow .retransmits)" -ge 1 ]
it_check "slow BSF: the HA held the copies back" [ "$(e2e_stat .retransmissions_pending)" -ge 1 ]
it_eq "slow BSF: one BIR" 1 "$(zn_birs bsf "${btid[0]}")"

zn_mn ghost --btid "$ghost" --reregs 0 --no-dereg --timeout 3000 --retries 0
it_eq "unknown B-TID: 131" 131 "$(zn_codes ghost)"
it_eq "unknown B-TID: the node bootstrapped again once" 1 "$(e2e_summary ghost .rebootstraps)"
it_eq "unknown B-TID: one BIR, refused" 1 "$(e2e_count_fixed bsf "B-TID $ghost NAF-Id $(zn_naf_id_hex): 5403 (unknown)")"
it_check "unknown B-TID: the retry met the negative cache" [ "$(e2e_stat .zn.negative_hits)" -ge 1 ]
it_eq "unknown B-TID: nothing kept" 1 "$(e2e_stat .sas_active)"
it_check "HA log: bsf-refused" grep -q "code=131 .*via=zn .*(bsf-refused)" "$IT_DIR/ha.log"

zn_mn late --btid "$expired" --home-addr 10.23.128.30 --reregs 0 --no-dereg --timeout 3000 --retries 0
it_eq "expired B-TID: 131, then the newer bootstrap is accepted" 0 "$(zn_codes late)"
it_eq "expired B-TID: one re-bootstrap" 1 "$(e2e_summary late .rebootstraps)"
it_eq "expired B-TID: the BSF refused it" 1 "$(e2e_count_fixed bsf "B-TID $expired NAF-Id $(zn_naf_id_hex): 5403 (expired)")"
it_eq "expired B-TID: the newer one got its key" 1 "$(e2e_count_fixed bsf "B-TID $fresh NAF-Id $(zn_naf_id_hex): 2001")"

it_stop bsf 30
it_wait_log ha "diameter: connection to bsf.lab.example failed" 30
zn_mn down --btid "${btid[1]}" --home-addr 10.23.128.40 --reregs 0 --no-dereg --timeout 3000 --retries 0
# The round trip mip4-mn measured: its own start-up (slow under ASan on a
# loaded machine) is not part of how fast the HA answered.
ms=$(($(e2e_outcomes down .rtt_us) / 1000))
it_eq "BSF down: 130" 130 "$(zn_codes down)"
it_check "BSF down: answered at once ($ms ms)" [ "$ms" -lt 1500 ]
it_eq "BSF down: no re-bootstrap for a transient error" 0 "$(e2e_summary down .rebootstraps)"
it_check "BSF down: counted as unavailable" [ "$(e2e_stat .zn.unavailable)" -ge 1 ]
it_eq "BSF down: no binding for it" 0 \
	"$(e2e_ctl bindings | jq '[.bindings[] | select(.home_address == "10.23.128.40")] | length')"
birs=$(e2e_stat .zn.birs)
zn_mn cached --btid "${btid[0]}" --home-addr 10.23.128.41 --reregs 1
it_eq "BSF down: a cached Ks_NAF still registers a new address" "0 0 0" "$(zn_codes cached)"
it_eq "BSF down: ... without a BIR" "$birs" "$(e2e_stat .zn.birs)"

lab_cmd_bsf
it_start bsf2 "${LAB_CMD[@]}"
it_wait_log bsf2 "$LAB_READY" 60
it_wait_cmd 30 "HA reconnected to the BSF" \
	bash -c "[ \$(grep -c 'diameter: connected to bsf.lab.example' '$IT_DIR/ha.log') -ge 2 ]"
zn_mn back --btid "${btid[1]}" --home-addr 10.23.128.40 --reregs 0 --no-dereg --timeout 3000
it_eq "BSF back: the node turned away registers (failures are not cached)" 0 "$(zn_codes back)"
it_eq "BSF back: its BIR reached the new BSF" 1 "$(zn_birs bsf2 "${btid[1]}")"
e2e_check_capture
