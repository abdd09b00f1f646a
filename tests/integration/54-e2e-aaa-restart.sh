#!/bin/bash
# AAA restart: a node registered before keeps re-registering locally while the
# AAA is down and after it comes back; a first registration while it is down
# gets 130 quickly; the HA reconnects by itself and new registrations succeed.
. "$(dirname "$0")/lib-e2e.sh"
e2e_setup e2e-aaa-restart 3
e2e_start bsf aaa ha
e2e_wait_peer 1
btid() { e2e_btid "mn00000$1@ims.lab.example"; }

# Node 0: registers with a home address assigned by the AAA, then re-registers
# every 300 ms for about 6 s (started with it_start, so it is stopped by PID if
# the test fails; exec keeps that PID).  The restarted AAA must not hand that
# address to a new node (the HA would give it node 0's binding): the lab AAA
# keeps its assignments in a pool state file.
it_start steady bash -c 'exec "$@" >"'"$IT_DIR"'/steady.json" 2>"'"$IT_DIR"'/steady.err"' mn \
	"$LAB_MN" "${E2E_MN_ARGS[@]}" --json --btid "$(btid 0)" --reregs 20 --interval 300 --timeout 500
it_wait_cmd 10 "node 0 registered" grep -q '"phase":"initial","code":0' "$IT_DIR/steady.json"
home0=$(jq -r 'select(.phase == "initial") | .home' "$IT_DIR/steady.json")
it_check "node 0: home address from the AAA pool ($home0)" [ "${home0#10.23.}" != "$home0" ]
it_eq "node 0's assignment recorded by the AAA" "mn000000@ims.lab.example $home0" "$(cat "$LAB_DIR/aaa-pool.state")"

it_stop aaa 30
it_eq "AAA exit status after SIGTERM" 0 "$IT_RC"
it_wait_log ha "diameter: .*(aaa.lab.example|connection)" 20
e2e_mn down --btid "$(btid 1)" --reregs 0 --timeout 3000 --retries 0
# The round trip mip4-mn measured: its own start-up (slow under ASan on a
# loaded machine) is not part of how fast the HA answered.
ms=$(($(e2e_outcomes down .rtt_us) / 1000))
it_eq "AAA down: first registration code" 130 "$(e2e_outcomes down .code)"
it_check "AAA down: answered within 2.5 s ($ms ms)" [ "$ms" -lt 2500 ]

lab_cmd_aaa
it_start aaa2 "${LAB_CMD[@]}"
it_wait_log aaa2 "$LAB_READY" 60
e2e_wait_peer 2
e2e_mn after --btid "$(btid 2)" --reregs 0
it_eq "AAA back: a new node registers" 0 "$(e2e_outcomes after 'select(.phase == "initial") | .code')"
home2=$(e2e_outcomes after 'select(.phase == "initial") | .home')
it_check "AAA back: the new node has its own pool address ($home2, node 0 has $home0)" \
	[ "${home2#10.23.}" != "$home2" -a "$home2" != "$home0" ]
it_check "AAA back: the restarted AAA loaded node 0's assignment" \
	grep -q "aaa_naf: 1 home address assignment(s) loaded from $LAB_DIR/aaa-pool.state" "$IT_DIR/aaa2.log"

it_wait_cmd 60 "node 0 done" bash -c "! kill -0 $(it_pid steady) 2>/dev/null"
it_stop steady
it_eq "node 0: exit status (every step accepted)" 0 "$IT_RC"
it_eq "node 0: 20 re-registrations accepted" 20 \
	"$(jq -r 'select(.phase == "rereg" and .code == 0) | .mn' "$IT_DIR/steady.json" | wc -l)"
it_eq "node 0 kept its home address throughout" "$home0" \
	"$(jq -r 'select(.summary | not) | .home' "$IT_DIR/steady.json" | sort -u)"
it_check "node 0: no AMR for its re-registrations (HA served them all locally)" \
	[ "$(e2e_stat .registrations_local)" -ge 20 ]
it_eq "AMRs: node 0 once, node 1 attempted, node 2 once" 2 "$(e2e_stat '.aaa.result_codes["2001"]')"
e2e_check_capture
