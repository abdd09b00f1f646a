#!/bin/bash
# 200 mobile nodes register in parallel (200 requests in flight), each through
# the AAA and the BSF (Zn cache cold: one BIR per B-TID); then the same nodes
# register again (Zn cache warm: no new BIR) and re-register locally.
. "$(dirname "$0")/lib-e2e.sh"
n=200
e2e_setup e2e-parallel $n
e2e_start bsf aaa ha
e2e_wait_peer 1

e2e_mn cold --load --window $n --timeout 3000
it_eq "mip4-mn exit status" 0 "$E2E_RC"
it_eq "first registrations accepted" $n "$(e2e_summary cold .accepted)"
it_eq "timeouts" 0 "$(e2e_summary cold .timeouts)"
it_eq "distinct home addresses" $n "$(e2e_outcomes cold .home | sort -u | wc -l)"
it_eq "distinct key fingerprints" $n "$(e2e_outcomes cold .key_fp | sort -u | wc -l)"
it_eq "HA bindings" $n "$(e2e_stat .bindings_active)"
it_eq "HA AMRs sent" $n "$(e2e_stat .aaa.sent)"
it_eq "HA AMA 2001" $n "$(e2e_stat '.aaa.result_codes["2001"]')"
it_eq "BSF BIRs answered 2001 (cold cache)" $n "$(it_count_log bsf 'bsf_lab: BIR #[0-9]+ .*: 2001$')"
it_log "$(e2e_summary cold '"cold: \(.rate)/s p50 \(.p50_us) us p99 \(.p99_us) us"')"

# Warm: every node registers once more through the AAA (new key, cached Ks_NAF),
# then 200 re-registrations with the new keys never leave the HA.
e2e_mn warm --load --window $n --prime --rereg-pct 100 --count $n --timeout 3000
it_eq "mip4-mn exit status" 0 "$E2E_RC"
it_eq "re-registrations accepted" $n "$(e2e_summary warm .accepted)"
it_eq "all of them re-registrations" "rereg" "$(e2e_outcomes warm .phase | sort -u)"
it_eq "HA AMRs sent (only the second first registrations)" $((2 * n)) "$(e2e_stat .aaa.sent)"
it_eq "HA re-registrations served locally" $n "$(e2e_stat .registrations_local)"
it_eq "BSF BIRs (warm cache: none more)" $n "$(it_count_log bsf 'bsf_lab: BIR #[0-9]+ ')"
it_eq "HA bindings" $n "$(e2e_stat .bindings_active)"
it_log "$(e2e_summary warm '"local: \(.rate)/s p50 \(.p50_us) us p99 \(.p99_us) us"')"
e2e_check_capture
