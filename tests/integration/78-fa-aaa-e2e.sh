#!/bin/bash
# FA care-of mode with the AAA, end to end (RFC 4004 §1-§5, RFC 3957): the
# lab BSF and AAA/NAF (key source zn) beside mip4-ha in namespace ha, mip4-fa
# in fa1 and fa2 as Diameter clients of the AAA, mip4-mn (GBA bootstrap store)
# in mn.  Diameter over plain TCP, captured, so that tshark decodes it.
#  - the first registration through fa1: RRQ with 42, 40, the FA challenge and
#    MN-AAA keyed with Ks_NAF; fa1 sends the AMR, the AAA a HAR to the HA, the
#    AMA brings the MN-FA and FA-HA keys; the node accepts the reply only when
#    the MN-HA and MN-FA authenticators verify with the keys it derives itself
#    (and both ends show the same MN-FA key fingerprint);
#  - re-registrations and the deregistration through fa1 without the AAA;
#  - a move to fa2: a new AMR there, a new MN-FA key, the binding follows;
#  - failures: MN-AAA wrong (4001 → 67), the HA refuses (4005, its reply
#    relayed), the BSF down (3002 → 66), the HA stopped between HAR and HAA
#    (the AAA answers 4006 → 88; the restarted HA holds nothing of it), the HA
#    gone (4006 → 88);
#  - tshark: every AMR/AMA/HAR/HAA decodes, no malformed packet, no unknown AVP.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-ha.sh"
. "$(dirname "$0")/lib-fa.sh"
. "$(dirname "$0")/lib-fa-aaa.sh"
it_setup fa-aaa-e2e
fa_aaa_lab 4
# More nodes in mn: home addresses in 10.1.128.0/17 (local there), and one the
# HA refuses, outside its home network.
fa_ns mn ip route add local 10.9.0.0/24 dev lo
it_start cap ip netns exec "$FA_NS-ha" dumpcap -q -i lo -i u1 -i u2 -f "tcp port $LAB_AAA_PORT" -w "$IT_DIR/dia.pcapng"
it_wait_cmd 15 "capture started" test -s "$IT_DIR/dia.pcapng"
fa_aaa_start

MN_GBA=(--store "$LAB_MN_STORE" --naf-fqdn "$LAB_NAF_FQDN" --ua-id "$LAB_UA_ID")
# mn OUT BTID HOME ARGS...: one mip4-mn run in mn through the agent of its link.
mn() {
	local out=$1 btid=$2 home=$3; shift 3
	timeout 60 ip netns exec "$FA_NS-mn" $(fa_env) "$FA_MN_BIN" --fa br0 --ha "$FA_HA_ADDR" --home-addr "$home" \
		"${MN_GBA[@]}" --btid "$btid" --json -v --timeout 500 --retries 2 "$@" \
		>"$IT_DIR/$out.json" 2>"$IT_DIR/$out.log"
	MN_RC=$?
	sed 's/^/    mn: /' "$IT_DIR/$out.json"
}
outcomes() { jq -r 'select(.summary != true) | "\(.phase):\(.code)"' "$IT_DIR/$1.json" | tr '\n' ' ' | sed 's/ $//'; }
mnj() { jq -r "select(.summary != true and .phase == \"$2\") | $3" "$IT_DIR/$1.json" | head -1; }

# 1. The full flow through fa1, then re-registrations without the AAA.
mn ok "${BTIDS[0]}" "$FA_HOME" --reregs 2
it_eq "mip4-mn: exit status" 0 "$MN_RC"
it_eq "initial, two re-registrations, deregistration: accepted" "initial:0 rereg:0 rereg:0 dereg:0" "$(outcomes ok)"
it_eq "one AMR from fa1, one HAR to the HA: re-registrations never reach the AAA" "1 1" "$(fa_aaa_amrs "fa1.$LAB_REALM") $(fa_aaa_hars)"
it_check "the node derived an MN-HA key (RFC 3957) and verified the reply with it" \
	test "$(mnj ok initial .key_fp)" != null
mn_fa_fp=$(mnj ok initial .fa_key_fp)
it_check "the node derived an MN-FA key from 41 ($mn_fa_fp)" test -n "$mn_fa_fp" -a "$mn_fa_fp" != null
it_check "fa1 installed the same MN-FA key (fingerprint $mn_fa_fp)" \
	grep -q "keys from the AAA .*home=$FA_HOME ha=$FA_HA_ADDR mn-fa-fp=$mn_fa_fp fa-ha-fp=[0-9a-f]\{16\}" "$IT_DIR/fa1.log"
it_eq "fa1: AMR outcomes success 1, MN-FA and FA-HA keys 1 1" "1 1 1" \
	"$(fa_ctl fa1 stats | jq -r '"\(.aaa.outcomes.success) \(.aaa.mn_fa_keys) \(.aaa.fa_ha_keys)"')"
it_eq "fa1 relayed the re-registrations and the deregistration to the HA itself" 3 "$(fa_stat fa1 relayed)"
it_eq "HA: one HAR, and the three relayed requests passed its FA-HA check (no 132, none discarded)" "1 0 0" \
	"$(fa_ctl ha stats | jq -r '"\(.har_requests) \(.denied."132" // 0) \(.discarded_fa_auth // 0)"')"

# 2. A move: fa2 has no key for the node, so a new AMR there.
it_start mover ip netns exec "$FA_NS-mn" $(fa_env) "$FA_MN_BIN" --fa br0 --ha "$FA_HA_ADDR" --home-addr "$FA_HOME" \
	"${MN_GBA[@]}" --btid "${BTIDS[0]}" --json -v --reregs 0 --stay 120
bound_at() { # HOME COA: the HA's binding for HOME is at COA
	[ "$(fa_ctl ha bindings | jq -r --arg h "$1" '[.bindings[] | select(.home_address == $h)][0].care_of_address // "none"')" = "$2" ]
}
it_wait_cmd 15 "bound through fa1" bound_at "$FA_HOME" "$FA1_COA"
fa_attach fa2
it_wait_cmd 15 "bound through fa2" bound_at "$FA_HOME" "$FA2_COA"
it_eq "an AMR from fa2 for the move" 1 "$(fa_aaa_amrs "fa2.$LAB_REALM")"
it_wait_cmd 10 "fa2 installed its keys" grep -q "keys from the AAA .*home=$FA_HOME" "$IT_DIR/fa2.log"
fp2=$(grep -o "keys from the AAA .*home=$FA_HOME .*mn-fa-fp=[0-9a-f]*" "$IT_DIR/fa2.log" | tail -1 | sed 's/.*mn-fa-fp=//')
it_check "a new MN-FA key at fa2 ($fp2, was $mn_fa_fp)" test -n "$fp2" -a "$fp2" != "$mn_fa_fp"
it_check "the node holds the same new key" grep -q "\"fa_key_fp\":\"$fp2\"" "$IT_DIR/mover.log"
it_stop mover 10
it_eq "mover: exit status" 0 "$IT_RC"
fa_attach fa1

# 3. Failures.  A wrong Ks_NAF (another NAF's): 4001 → 67, nothing installed.
mn wrongkey "${BTIDS[1]}" 10.1.128.6 --reregs 0 --naf-fqdn other.lab.example
it_eq "MN-AAA wrong: fa1 answers 67" "initial:67" "$(outcomes wrongkey)"
it_eq "… after AMA 4001" 1 "$(fa_ctl fa1 stats | jq -r '.aaa.outcomes."authentication-rejected"')"

# The HA refuses a home address outside its networks: 4005, its reply relayed.
mn refused "${BTIDS[1]}" 10.9.0.5 --reregs 0
it_eq "HA refuses: its code reaches the node" "initial:129" "$(outcomes refused)"
it_eq "… after AMA 4005" 1 "$(fa_ctl fa1 stats | jq -r '.aaa.outcomes."reply-failure"')"
it_eq "… nothing installed at fa1 for it" 0 \
	"$(fa_ctl fa1 visitors | jq '[.visitors[] | select(.home_address == "10.9.0.5")] | length')"

# The BSF down: the AAA cannot get Ks_NAF for a B-TID it has not seen (3002 → 66).
it_stop bsf 10
mn bsfdown "${BTIDS[2]}" 10.1.128.7 --reregs 0
it_eq "BSF down: fa1 answers 66" "initial:66" "$(outcomes bsfdown)"
it_eq "… after the AAA's 3002 (counted as another error)" 1 "$(fa_ctl fa1 stats | jq -r '.aaa.outcomes."other-error"')"
fa_aaa_daemon bsf
it_wait_cmd 30 "the AAA reconnected to the BSF" fa_aaa_opens "$LAB_BSF_ID" 2

# The HA stopped after the HAR reached it: the AAA answers 4006 when its
# har-timeout runs out, fa1 answers 88; the HA, killed and restarted, holds
# nothing of the node; the node then registers.
it_signal ha STOP
mn stopped "${BTIDS[3]}" 10.1.128.8 --reregs 0 --retries 0 --timeout 4000
it_eq "HA silent: fa1 answers 88" "initial:88" "$(outcomes stopped)"
it_eq "… after AMA 4006" 1 "$(fa_ctl fa1 stats | jq -r '.aaa.outcomes."ha-not-available"')"
it_kill ha
fa_start_ha ha "$IT_DIR/ha.conf"
it_wait_cmd 30 "the AAA connected with the restarted HA" fa_aaa_opens "$LAB_HA_ID" 2
it_eq "restarted HA: no binding, nothing half-installed" 0 "$(fa_ctl ha stats | jq -r '.bindings_active')"
it_eq "fa1: no visitor and no key for that node" 0 \
	"$(fa_ctl fa1 visitors | jq '[.visitors[] | select(.home_address == "10.1.128.8")] | length')"
mn again "${BTIDS[3]}" 10.1.128.8 --reregs 0
it_eq "then the node registers through the restarted HA" "initial:0 dereg:0" "$(outcomes again)"

# The HA gone: 4006 at once, 88.
it_stop ha 10
mn gone "${BTIDS[1]}" 10.1.128.6 --reregs 0
it_eq "HA gone: fa1 answers 88" "initial:88" "$(outcomes gone)"

for n in fa1 fa2; do
	it_stop "$n" 10
	it_eq "$n: SIGTERM exit status" 0 "$IT_RC"
done
it_stop aaa 10
it_stop bsf 10
it_stop cap
td() { tshark -r "$IT_DIR/dia.pcapng" -d "tcp.port==$LAB_AAA_PORT,diameter" "$@" 2>/dev/null; }
it_eq "no malformed Diameter packet, no expert error" 0 \
	"$(td -Y 'diameter && (_ws.malformed || _ws.expert.severity == error)' | wc -l)"
it_eq "no unknown AVP" 0 "$(td -V -Y diameter | grep -c 'AVP: Unknown')"
it_check "AMRs from the agents decoded with MIP-FA-Challenge and MIP-MN-AAA-Auth" \
	bash -c "[ \$(tshark -r '$IT_DIR/dia.pcapng' -d 'tcp.port==$LAB_AAA_PORT,diameter' -Y 'diameter.cmd.code == 260 && diameter.flags.request == 1 && diameter.MIP-FA-Challenge && diameter.MIP-MN-AAA-Auth' -T fields -e frame.number 2>/dev/null | wc -l) -ge 2 ]"
hars=$(fa_aaa_hars)
it_eq "HARs and HAAs decoded: the AAA's $hars HARs, one left unanswered by the stopped HA" \
	"$hars $((hars - 1))" \
	"$(td -Y 'diameter.cmd.code == 262 && diameter.flags.request == 1' | wc -l) $(td -Y 'diameter.cmd.code == 262 && diameter.flags.request == 0' | wc -l)"
it_eq "AMAs with MIP-FA-to-MN-MSA never carry MIP-HA-to-MN-MSA (the MN-HA key is the HA's)" 0 \
	"$(td -Y 'diameter.cmd.code == 260 && diameter.flags.request == 0 && diameter.MIP-HA-to-MN-MSA' | wc -l)"
