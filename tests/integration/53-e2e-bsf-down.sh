#!/bin/bash
# BSF down: a first registration needing a BIR is answered 130 quickly (the AAA
# answers a transient error, the HA turns it into 130); registrations whose
# Ks_NAF is cached keep working; after the BSF restarts and the AAA reconnects,
# new B-TIDs register again.
. "$(dirname "$0")/lib-e2e.sh"
e2e_setup e2e-bsf-down 4
e2e_start bsf aaa ha
e2e_wait_peer 1
btid() { e2e_btid "mn00000$1@ims.lab.example"; }

e2e_mn before --btid "$(btid 0)" --reregs 0 --no-dereg
it_eq "registration while the BSF is up" 0 "$(e2e_outcomes before .code)"

it_stop bsf 30
it_wait_log aaa "CONNECT FAILED to bsf.lab.example" 30
e2e_mn down --btid "$(btid 1)" --reregs 0 --timeout 3000 --retries 0
# The round trip mip4-mn measured: its own start-up (slow under ASan on a
# loaded machine) is not part of how fast the HA answered.
ms=$(($(e2e_outcomes down .rtt_us) / 1000))
it_eq "BSF down: code" 130 "$(e2e_outcomes down .code)"
it_check "BSF down: answered within 2.5 s ($ms ms)" [ "$ms" -lt 2500 ]
it_eq "BSF down: no re-bootstrap for a transient error" 0 "$(e2e_summary down .rebootstraps)"
it_eq "BSF down: the HA kept no binding for it" 1 "$(e2e_stat .bindings_active)"

e2e_mn cached --btid "$(btid 0)" --reregs 1
it_eq "BSF down: a B-TID whose Ks_NAF is cached still registers" "0 0 0" \
	"$(e2e_outcomes cached .code | tr '\n' ' ' | sed 's/ $//')"

lab_cmd_bsf
it_start bsf2 "${LAB_CMD[@]}"
it_wait_log bsf2 "$LAB_READY" 60
it_wait_cmd 30 "AAA reconnected to the BSF" \
	bash -c "[ \$(grep -c \"CONNECTED TO 'bsf.lab.example'\" '$IT_DIR/aaa.log') -ge 2 ]"
e2e_mn after --btid "$(btid 2)" --reregs 0
it_eq "BSF back: a new B-TID registers" 0 "$(e2e_outcomes after 'select(.phase == "initial") | .code')"
it_eq "BSF back: its BIR reached the new BSF" 1 "$(e2e_count_fixed bsf2 "B-TID $(btid 2) ")"
e2e_check_capture
