#!/bin/bash
# mip4-ha with static MN-HA security associations only (no AAA): registration,
# re-registration, retransmission, replay (133 with the HA's time), wrong key,
# malformed and unknown extensions, validity codes (136, 137, 129, S bit),
# deregistration, expiry, the control socket (stats, bindings, metrics),
# SIGHUP reload without losing bindings, SIGTERM exit 0.  Every reply's MN-HA
# authenticator is checked by rrq.py (an independent implementation), and the
# replies on the wire are decoded by tshark.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-ha.sh"
it_setup ha-static

HA_PORT=$(it_port 22000)
SHA1_KEY=0f0e0d0c0b0a09080706050403020100aabbccdd
write_conf() { # MAX_LIFETIME, then the SA sections
	ha_conf "$IT_DIR/ha.conf" "$HA_PORT" <<X
max_lifetime = $1
log_level = "debug"
$2
X
}
SA5="sa \"10.1.0.5\" {
	spi = 300
	algorithm = \"hmac-md5\"
	key = \"$HA_STATIC_KEY\"
}"
SA6="sa \"10.1.0.6\" {
	spi = 301
	algorithm = \"hmac-sha1\"
	key = \"$SHA1_KEY\"
}"
SA_OUT="sa \"10.2.0.1\" {
	spi = 302
	key = \"$HA_STATIC_KEY\"
}"
write_conf 600 "$SA5
$SA6
$SA_OUT"

it_capture cap "$IT_DIR/ha.pcapng" "udp port $HA_PORT"
ha_start ha "$IT_DIR/ha.conf"
pid=$(it_pid ha)
it_check "UDP bound to 127.0.0.1:$HA_PORT only" bash -c "ss -Hlun 'sport = :$HA_PORT' | awk '{print \$4}' | grep -qx '127.0.0.1:$HA_PORT'"
it_check "mip4-ha listens on no TCP port" bash -c "! ss -Hltnp | grep -q 'pid=$pid,'"
it_eq "control socket mode" 600 "$(stat -c %a "$IT_DIR/ctl.sock")"

M5=(--home 10.1.0.5 --spi 300 --key "$HA_STATIC_KEY" --coa 192.0.2.10 --state "$IT_DIR/mn5.json")

rrq reg "${M5[@]}" --lifetime 1000 || it_fail "no reply to the first registration"
it_eq "registration: code" 0 "$(rrq_field reg code)"
it_eq "registration: lifetime capped by max_lifetime" 600 "$(rrq_field reg lifetime)"
it_eq "registration: reply signed with the static SA" ok "$(rrq_field reg auth)"
it_eq "registration: SPI" 300 "$(rrq_field reg spi)"
it_eq "registration: identification copied" yes "$(rrq_field reg ident_match)"
it_eq "registration: reply from the HA address and port" "127.0.0.1:$HA_PORT" "$(rrq_field reg from)"

rrq rereg "${M5[@]}" --coa 192.0.2.11 || it_fail "no reply"
it_eq "re-registration: code" 0 "$(rrq_field rereg code)"
it_check "re-registration: binding moved" bash -c "'$HA_CTL' -s '$IT_DIR/ctl.sock' bindings | grep -q '\"care_of_address\":\"192.0.2.11\"'"

rrq retrans "${M5[@]}" --coa 192.0.2.11 --replay --lifetime 600 || it_fail "no reply"
it_eq "retransmission: same answer" 0 "$(rrq_field retrans code)"
it_check "retransmission: lifetime not extended" test "$(rrq_field retrans lifetime)" -le 600
it_eq "retransmission counted" 1 "$(ha_stat ha retransmissions_local)"

rrq replay_old "${M5[@]}" --ident-offset -100 || it_fail "no reply"
it_eq "old identification: 133" 133 "$(rrq_field replay_old code)"
it_eq "133: low 32 bits copied, high bits are the HA's" low "$(rrq_field replay_old ident_match)"
skew=$(rrq_field replay_old ha_time_skew)
it_check "133: HA time within 2 s of ours (skew $skew)" test "${skew#-}" -le 2
it_eq "133: signed with the SA" ok "$(rrq_field replay_old auth)"
rrq replay_same "${M5[@]}" --coa 192.0.2.99 --replay || it_fail "no reply"
it_eq "replayed identification from another CoA: 133" 133 "$(rrq_field replay_same code)"

rrq wrongkey "${M5[@]}" --corrupt || it_fail "no reply"
it_eq "wrong authenticator: 131" 131 "$(rrq_field wrongkey code)"
it_eq "131 signed with the SA the MN holds" ok "$(rrq_field wrongkey auth)"

rrq malformed "${M5[@]}" --kind ext-truncated || it_fail "no reply"
it_eq "extension past the end: 134" 134 "$(rrq_field malformed code)"
it_eq "malformed counted by reason" 1 "$(ha_stat ha malformed.ext-truncated)"
rrq unknown "${M5[@]}" --kind unknown-ext --expect-none --timeout 1 || it_fail "reply to an unknown type < 128"
it_eq "unknown non-skippable extension counted" 1 "$(ha_stat ha malformed.ext-unknown)"
rrq short "${M5[@]}" --kind short --expect-none --timeout 1 || it_fail "reply to a 10-byte datagram"
it_eq "short datagram counted" 1 "$(ha_stat ha malformed.truncated-fixed)"
rrq noauth "${M5[@]}" --kind no-auth --expect-none --timeout 1 || it_fail "reply without authentication"
it_eq "no usable authentication: discarded and counted" 1 "$(ha_stat ha discarded_no_auth)"
for seed in 1 2 3 4 5 6 7 8; do
	timeout 10 python3 "$HA_RRQ" --port "$HA_PORT" --kind random --seed $seed --timeout 0.2 >/dev/null 2>&1
done
it_check "still alive after random datagrams" it_running ha

rrq wrongha "${M5[@]}" --ha 127.0.0.2 || it_fail "no reply"
it_eq "unknown HA address: 136" 136 "$(rrq_field wrongha code)"
it_eq "136 names the HA's own address" 127.0.0.1 "$(rrq_field wrongha ha)"
rrq tbit "${M5[@]}" --flags T || it_fail "no reply"
it_eq "reverse tunnel requested: 137" 137 "$(rrq_field tbit code)"
rrq gre "${M5[@]}" --flags G || it_fail "no reply"
it_eq "GRE requested: 139" 139 "$(rrq_field gre code)"
rrq outside --home 10.2.0.1 --spi 302 --key "$HA_STATIC_KEY" || it_fail "no reply"
it_eq "home address outside the home network: 129" 129 "$(rrq_field outside code)"
rrq sbit "${M5[@]}" --flags S || it_fail "no reply"
it_eq "S bit: accepted without simultaneous bindings (1)" 1 "$(rrq_field sbit code)"

rrq sha1 --home 10.1.0.6 --spi 301 --alg sha1 --key "$SHA1_KEY" --lifetime 2 --state "$IT_DIR/mn6.json" || it_fail "no reply"
it_eq "HMAC-SHA-1 SA: accepted" 0 "$(rrq_field sha1 code)"
it_eq "HMAC-SHA-1 SA: reply verifies" ok "$(rrq_field sha1 auth)"
it_eq "two bindings" 2 "$(ha_stat ha bindings_active)"
it_wait_log ha 'binding expired home=10.1.0.6' 15
it_eq "expired binding removed" 1 "$(ha_stat ha bindings_active)"
it_eq "expiry counted" 1 "$(ha_stat ha bindings_expired)"

# Control socket outputs.
ha_ctl ha stats >"$IT_DIR/stats.json"
it_check "stats is JSON" python3 -c "import json; json.load(open('$IT_DIR/stats.json'))"
it_eq "stats: denied 133" 2 "$(ha_stat ha denied.133)"
it_eq "stats: local registrations" 4 "$(ha_stat ha registrations_local)"
ha_ctl ha bindings >"$IT_DIR/bindings.json"
it_check "bindings is JSON with the binding" python3 -c "
import json; b = json.load(open('$IT_DIR/bindings.json'))
assert b['count'] == 1 and b['bindings'][0]['home_address'] == '10.1.0.5' and b['bindings'][0]['spi'] == 300"
ha_ctl ha metrics >"$IT_DIR/metrics.txt"
it_check "metrics: Prometheus text" python3 -c "
import re, sys
names = set()
for line in open('$IT_DIR/metrics.txt'):
    line = line.rstrip('\n')
    if line.startswith('# HELP ') or line.startswith('# TYPE '):
        continue
    m = re.fullmatch(r'([a-z0-9_]+)(\{[a-z_]+=\"[^\"]*\"\})? (-?[0-9.e+]+|\+Inf)', line)
    assert m, 'bad line: ' + line
    names.add(m.group(1))
for n in ('mip4ha_requests_total', 'mip4ha_denied_total', 'mip4ha_bindings', 'mip4ha_aaa_latency_seconds_bucket'):
    assert n in names, n"
it_check "mip4-ctl: unknown command refused" bash -c "! '$HA_CTL' -s '$IT_DIR/ctl.sock' nonsense 2>/dev/null"

# Deregistration.
rrq dereg "${M5[@]}" --lifetime 0 --coa 10.1.0.5 || it_fail "no reply"
it_eq "deregistration: code" 0 "$(rrq_field dereg code)"
it_eq "deregistration: lifetime" 0 "$(rrq_field dereg lifetime)"
it_eq "deregistration: binding dropped" 0 "$(ha_stat ha bindings_active)"
rrq again "${M5[@]}" || it_fail "no reply"
it_eq "registered again" 0 "$(rrq_field again code)"

# SIGHUP: new limit, SA 10.1.0.7 added, 10.1.0.6 removed; the binding stays.
write_conf 100 "$SA5
sa \"10.1.0.7\" {
	spi = 303
	key = \"$HA_STATIC_KEY\"
}"
it_signal ha HUP
it_wait_log ha 'reloaded .*: 2 static security associations, 1 bindings kept' 15
it_eq "after reload: binding kept" 1 "$(ha_stat ha bindings_active)"
rrq new_sa --home 10.1.0.7 --spi 303 --key "$HA_STATIC_KEY" --lifetime 600 || it_fail "no reply"
it_eq "after reload: new SA works" 0 "$(rrq_field new_sa code)"
it_eq "after reload: new max_lifetime" 100 "$(rrq_field new_sa lifetime)"
rrq gone_sa --home 10.1.0.6 --spi 301 --alg sha1 --key "$SHA1_KEY" --expect-none --timeout 1 || it_fail "removed SA still answered"
echo 'port = "x"' >>"$IT_DIR/ha.conf"
it_signal ha HUP
it_wait_log ha 'reload of .* failed' 15
it_check "bad reload: error names file and line" grep -q "ha.conf:[0-9]*:.*option 'port'" "$IT_DIR/ha.log"
rrq after_bad "${M5[@]}" || it_fail "no reply after a failed reload"
it_eq "bad reload: still serving" 0 "$(rrq_field after_bad code)"

it_stop ha 20
it_eq "SIGTERM: exit status" 0 "$IT_RC"
it_check "control socket removed" test ! -e "$IT_DIR/ctl.sock"
it_stop cap

# The replies on the wire, as tshark decodes them with tools/wireshark/mip4-gba.lua.
ts() { tshark -X "lua_script:$IT_MIP4_LUA" -r "$IT_DIR/ha.pcapng" -d "udp.port==$HA_PORT,mip4" "$@" 2>>"$IT_DIR/tshark.err"; }
ts -Y 'mip4.type == 3' -T fields -e mip4.code -e mip4.auth.spi -e _ws.expert.severity >"$IT_DIR/tshark.txt"
it_check "tshark decoded replies" test -s "$IT_DIR/tshark.txt"
it_eq "tshark: no reply decodes with an error or a warning" 0 \
	"$(awk -F'\t' -v warn="$IT_TS_WARN" '{ k = split($3, sev, ","); for (i = 1; i <= k; i++) if (sev[i] + 0 >= warn) { print; break } }' "$IT_DIR/tshark.txt" | wc -l)"
codes=$(cut -f1 "$IT_DIR/tshark.txt" | sort -n | uniq | tr '\n' ' ')
it_eq "tshark: reply codes on the wire" "0 1 129 131 133 134 136 137 139 " "$codes"
# Only the 134s to random datagrams (home addresses without an SA) go unsigned.
it_eq "tshark: every reply for a known MN carries an MN-HA authentication extension" 0 \
	"$(awk -F'\t' '$2 == "" && $1 != 134' "$IT_DIR/tshark.txt" | wc -l)"
# The broken requests sent above are what the dissector must flag (the check can fail).
it_check "tshark: the truncated extension sent above is flagged malformed" \
	[ "$(ts -Y 'mip4.type == 1 && mip4.malformed' -T fields -e frame.number | wc -l)" -gt 0 ]
it_check "tshark: the unknown non-skippable extension sent above is flagged" \
	[ "$(ts -Y 'mip4.type == 1 && mip4.unknown_ext' -T fields -e frame.number | wc -l)" -gt 0 ]
