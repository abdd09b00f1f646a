#!/bin/bash
# HA restart: SIGTERM stops it cleanly (exit 0); the new HA reconnects to the
# AAA and the node registers again with the same home address (the AAA's pool
# is stable per IMPI), a new key, and re-registers locally.
. "$(dirname "$0")/lib-e2e.sh"
e2e_setup e2e-ha-restart 2
e2e_start bsf aaa ha
e2e_wait_peer 1

e2e_mn first --reregs 1 --no-dereg
it_eq "before the restart: registered and re-registered" "0 0" "$(e2e_outcomes first .code | tr '\n' ' ' | sed 's/ $//')"
home=$(e2e_outcomes first 'select(.phase == "initial") | .home')

it_stop ha 30
it_eq "HA exit status after SIGTERM" 0 "$IT_RC"
it_check "HA socket gone" bash -c "! ss -Hlun 'sport = :$LAB_HA_PORT' | grep -q ."
lab_cmd_ha
it_start ha2 "${LAB_CMD[@]}"
it_wait_log ha2 "$LAB_READY" 60
it_wait_cmd 30 "new HA connected to the AAA" grep -q 'diameter: connected to' "$IT_DIR/ha2.log"
it_eq "new HA: no bindings" 0 "$(e2e_stat .bindings_active)"

e2e_mn second --reregs 1 --no-dereg
it_eq "after the restart: registered and re-registered" "0 0" "$(e2e_outcomes second .code | tr '\n' ' ' | sed 's/ $//')"
it_eq "same home address" "$home" "$(e2e_outcomes second 'select(.phase == "initial") | .home')"
it_check "a new key" [ "$(e2e_outcomes second '.key_fp // empty')" != "$(e2e_outcomes first '.key_fp // empty')" ]
it_eq "new HA: one binding" 1 "$(e2e_stat .bindings_active)"
it_eq "new HA: one AMR, one local re-registration" "1 1" "$(e2e_stat '"\(.aaa.sent) \(.registrations_local)"')"
e2e_check_capture
