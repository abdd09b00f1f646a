#!/bin/bash
# Method 2 over time: a bootstrap with a few seconds left caps the lifetime the
# HA grants (first registration and re-registrations alike), the HA's
# association ends at Key-ExpiryTime, and the node's next request, refused
# (131: the BSF says expired), is followed by its newer bootstrap and accepted.
# An HA restart costs a node nothing but one BIR: its next re-registration,
# signed with the same Ks_NAF, makes the new HA fetch the key again.
. "$(dirname "$0")/lib-zn.sh"
zn_setup ha-zn-expiry-restart 1
# A bootstrap that ends in 15 s (lab start and registration first, slow under
# ASan on a loaded machine), and the newer one of the same IMPI the node
# will find when it bootstraps again.
"$LAB_MN" --make-store 1 --bsf-domain "$LAB_BSF_DOMAIN" --impi-prefix short --expiry 15 \
	--out-mn "$LAB_MN_STORE" --out-bsf "$LAB_BSF_STORE" --append >>"$IT_DIR/setup.log" 2>&1 || it_fail "make-store"
short_end=$(awk '$2 ~ /^short/ {print $5}' "$LAB_MN_STORE")
"$LAB_MN" --make-store 1 --bsf-domain "$LAB_BSF_DOMAIN" --impi-prefix short --expiry 86400 \
	--out-mn "$LAB_MN_STORE" --out-bsf "$LAB_BSF_STORE" --append >>"$IT_DIR/setup.log" 2>&1 || it_fail "make-store"
mapfile -t btid < <(awk '{print $1}' "$LAB_MN_STORE")
e2e_start bsf aaa ha

zn_mn short --btid "${btid[1]}" --home-addr 10.23.128.70 --lifetime 600 --reregs 1 --no-dereg
it_eq "short bootstrap: registered" "0 0" "$(zn_codes short)"
left=$((short_end - $(date +%s)))
granted=$(e2e_ctl bindings | jq -r '.bindings[] | select(.home_address == "10.23.128.70") | .lifetime_granted')
it_check "lifetime capped at the key's end ($granted s granted, $left s left, 600 asked)" \
	bash -c "[ '$granted' -le $((left + 1)) ] && [ '$granted' -ge 1 ]"
it_check "the association's time left is the key's ($(e2e_stat .sas_active) SAs)" \
	[ "$(e2e_ctl bindings | jq -r '.bindings[] | select(.home_address == "10.23.128.70") | .lifetime_left')" -le "$((left + 1))" ]
it_wait_cmd 20 "the HA dropped the association at Key-ExpiryTime" \
	bash -c "[ \$('$LAB_CTLBIN' -s '$LAB_CTL' stats | jq .sas_expired) -ge 1 ]"
it_check "HA log: association expired" grep -q "security association expired home=10.23.128.70 spi=33822" "$IT_DIR/ha.log"
at=$(date -d "$(grep -m1 "security association expired home=10.23.128.70" "$IT_DIR/ha.log" | cut -d' ' -f1)" +%s)
it_check "dropped by Key-ExpiryTime ($short_end) plus the 1 s timer tick: at $at" [ "$at" -le $((short_end + 1)) ]
it_wait_cmd 10 "Key-ExpiryTime passed" bash -c "[ \$(date +%s) -gt $short_end ]"
zn_mn after --btid "${btid[1]}" --home-addr 10.23.128.70 --reregs 0 --no-dereg --timeout 3000 --retries 0
it_eq "after expiry: the newer bootstrap registers" 0 "$(zn_codes after)"
it_eq "after expiry: one re-bootstrap" 1 "$(e2e_summary after .rebootstraps)"
it_eq "after expiry: the BSF refused the old B-TID" 1 \
	"$(e2e_count_fixed bsf "B-TID ${btid[1]} NAF-Id $(zn_naf_id_hex): 5403 (expired)")"
it_eq "after expiry: the address stays with its subscriber, now under the new B-TID" zn \
	"$(e2e_ctl bindings | jq -r '.bindings[] | select(.home_address == "10.23.128.70") | .sa')"

# HA restart: the node keeps its Ks_NAF; the new HA fetches it once.
zn_mn before --btid "${btid[0]}" --reregs 0 --no-dereg
it_eq "before the restart: registered" 0 "$(zn_codes before)"
it_eq "before the restart: one BIR for it" 1 "$(zn_birs bsf "${btid[0]}")"
it_stop ha 30
it_eq "HA: clean exit on SIGTERM" 0 "$IT_RC"
lab_cmd_ha
it_start ha2 "${LAB_CMD[@]}"
it_wait_log ha2 "$LAB_READY" 60
zn_mn restarted --btid "${btid[0]}" --reregs 1 --no-dereg
it_eq "after the restart: the same node, the same key, accepted" "0 0" "$(zn_codes restarted)"
it_eq "after the restart: no re-bootstrap" 0 "$(e2e_summary restarted .rebootstraps)"
it_eq "after the restart: one more BIR, then local" 2 "$(zn_birs bsf "${btid[0]}")"
it_eq "after the restart: one registration via Zn, one local" "1 1" \
	"$(e2e_stat '"\(.registrations_zn) \(.registrations_local)"')"
e2e_check_capture
