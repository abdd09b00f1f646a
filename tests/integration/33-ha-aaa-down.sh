#!/bin/bash
# mip4-ha and an AAA that is absent, frozen or slow (plain TCP, so the AMR can
# be checked on the wire with tshark): readiness waits for the peer; AAA down →
# 130 at once (no waiting for the timeout); recovery when the AAA comes up;
# retransmissions while the AMR is out → one AMR; AAA not answering → 130 at
# the AMR timeout; pending cap → 130 at once; SIGTERM while an AMR is out →
# the answer arriving within drain_timeout_ms is still delivered, exit 0.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-ha.sh"
it_setup ha-aaa-down

HA_PORT=$(it_port 22030)
# Far above the time a reply takes here (python start-up included), so "at
# once" and "at the timeout" cannot be confused on a loaded machine.
# Long enough that the frozen-AAA steps below fit before the AMR times out,
# also on a loaded machine.
# Long enough that the request beyond the pending cap (a second rrq.py, whose
# Python start-up takes seconds on a loaded machine) is sent while the first
# AMR is still out.
HA_AMR_TIMEOUT_MS=15000
AAA_PORT=$(it_port 22031)
{
	printf 'max_pending = 1\ndrain_timeout_ms = 3000\nlog_level = "debug"\n'
	ha_diameter_section "$AAA_PORT"
} | ha_conf "$IT_DIR/ha.conf" "$HA_PORT"
MN=(--nai "$HA_NAI" --aaa-spi 256 --aaa-key "$HA_AAA_KEY")

it_capture cap "$IT_DIR/dia.pcapng" "tcp port $AAA_PORT"
# A stand-in for systemd's notification socket: what sd_notify sends, one per line.
it_start notify python3 -c '
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1])
with open(sys.argv[2], "a") as f:
    while True:
        f.write(s.recv(4096).decode() + "\n")
        f.flush()' "$IT_DIR/notify.sock" "$IT_DIR/notify.txt"
it_wait_cmd 10 "notify socket" test -S "$IT_DIR/notify.sock"
it_start ha ha_env env NOTIFY_SOCKET="$IT_DIR/notify.sock" "$HA_BIN" -f "$IT_DIR/ha.conf"
it_wait_log ha 'started: .*AAA over plain TCP' 30
it_wait_udp "$HA_PORT"
it_check "not ready while the AAA peer is down" bash -c "! grep -q 'notice: ready:' '$IT_DIR/ha.log'"
if ldd "$HA_BIN" | grep libsystemd >/dev/null; then HA_SYSTEMD=1; else HA_SYSTEMD=0; fi
it_check "sd_notify: no READY=1 while the AAA peer is down" bash -c "! grep -q READY=1 '$IT_DIR/notify.txt' 2>/dev/null"

# rrq.py's ms= is the time from its first send to the reply (its own start-up,
# seconds on a loaded machine, is not in it).
rrq down "${MN[@]}" --home 10.1.0.40 --keygen 2000 --state "$IT_DIR/mn40.json" || it_fail "no reply while the AAA is down"
it_eq "AAA down: 130" 130 "$(rrq_field down code)"
it_eq "AAA down: unsigned (no SA)" none "$(rrq_field down auth)"
it_check "AAA down: answered at once ($(rrq_field down ms) ms, AMR timeout $HA_AMR_TIMEOUT_MS ms)" \
	test "$(rrq_field down ms)" -lt 1000
it_eq "AAA down: counted as Result-Code 3002" 1 "$(ha_stat ha aaa.result_codes.3002)"

ha_aaa_start aaa "$AAA_PORT"
it_wait_log ha 'notice: ready: .*Diameter peer open: aaa.home.lab' 30
if [ "$HA_SYSTEMD" = 1 ]; then
	it_wait_cmd 10 "sd_notify READY=1 once the peer is open" grep -q '^READY=1$' "$IT_DIR/notify.txt"
	it_check "sd_notify READY=1 sent" grep -q '^READY=1$' "$IT_DIR/notify.txt"
else
	it_log "built without libsystemd: no sd_notify to check"
fi
rrq up "${MN[@]}" --home 10.1.0.40 --keygen 2000 --state "$IT_DIR/mn40.json" || it_fail "no reply after recovery"
it_eq "AAA back: accepted" 0 "$(rrq_field up code)"
it_eq "AAA back: reply verifies with the derived key" ok "$(rrq_field up auth)"

# Frozen AAA: the AMR stays pending.
aaa_pid=$(it_pid aaa)
sent=$(ha_stat ha aaa.sent)
kill -STOP "$aaa_pid"
timeout 40 python3 "$HA_RRQ" --port "$HA_PORT" "${MN[@]}" --home 10.1.0.41 --keygen 2001 --count 3 --gap 0.2 \
	--timeout 20 --state "$IT_DIR/mn41.json" >"$IT_DIR/frozen.out" 2>&1 &
rrq_pid=$!
it_wait_cmd 10 "the AMR pending" bash -c "'$HA_CTL' -s '$IT_DIR/ctl.sock' stats | grep -q '\"pending_amr\":1'"
it_wait_cmd 10 "two retransmissions seen" bash -c "'$HA_CTL' -s '$IT_DIR/ctl.sock' stats | grep -q '\"retransmissions_pending\":2'"
it_eq "retransmissions while pending: one AMR" $((sent + 1)) "$(ha_stat ha aaa.sent)"
rrq cap "${MN[@]}" --home 10.1.0.42 --keygen 2002 --state "$IT_DIR/mn42.json" || it_fail "no reply beyond the pending cap"
it_eq "pending cap reached: 130" 130 "$(rrq_field cap code)"
it_check "pending cap: answered at once ($(rrq_field cap ms) ms)" test "$(rrq_field cap ms)" -lt 1000
wait "$rrq_pid"
sed 's/^/    frozen: /' "$IT_DIR/frozen.out"
waited=$(grep '^code=' "$IT_DIR/frozen.out" | head -1 | tr ' ' '\n' | sed -n 's/^ms=//p')
it_check "AAA not answering: the reply came at the AMR timeout (${waited} ms after the first copy)" \
	test "$waited" -ge $((HA_AMR_TIMEOUT_MS - 200)) -a "$waited" -lt $((HA_AMR_TIMEOUT_MS + 3000))
it_eq "AAA not answering: 130 at the AMR timeout" 130 \
	"$(grep '^code=' "$IT_DIR/frozen.out" | head -1 | tr ' ' '\n' | sed -n 's/^code=//p')"
it_eq "AAA not answering: one reply for the three copies" "replies=1" "$(grep '^replies=' "$IT_DIR/frozen.out")"
it_eq "AMR timeout counted" 1 "$(ha_stat ha aaa.timed_out)"
kill -CONT "$aaa_pid"

# SIGTERM while an AMR is out: the answer comes within the drain bound.
kill -STOP "$aaa_pid"
timeout 20 python3 "$HA_RRQ" --port "$HA_PORT" "${MN[@]}" --home 10.1.0.43 --keygen 2003 --timeout 8 \
	--state "$IT_DIR/mn43.json" >"$IT_DIR/drain.out" 2>&1 &
rrq_pid=$!
it_wait_cmd 10 "the AMR pending" bash -c "'$HA_CTL' -s '$IT_DIR/ctl.sock' stats | grep -q '\"pending_amr\":1'"
it_signal ha TERM
it_wait_log ha 'shutdown \(Terminated\): 1 registrations waiting for the AAA' 10
kill -CONT "$aaa_pid"
wait "$rrq_pid"
sed 's/^/    drain: /' "$IT_DIR/drain.out"
it_eq "answer delivered during the drain" 0 "$(grep '^code=' "$IT_DIR/drain.out" | head -1 | tr ' ' '\n' | sed -n 's/^code=//p')"
it_stop ha 20
it_eq "SIGTERM with a pending AMR: exit status" 0 "$IT_RC"
[ "$HA_SYSTEMD" = 1 ] && it_check "sd_notify STOPPING=1 on SIGTERM" grep -q '^STOPPING=1$' "$IT_DIR/notify.txt"
it_stop notify
it_stop aaa
it_stop cap

# The AMRs on the wire (RFC 4004 §5.1, PROTOCOL.md §4).
tshark -r "$IT_DIR/dia.pcapng" -d "tcp.port==$AAA_PORT,diameter" -Y 'diameter.cmd.code == 260 && diameter.flags.request == 1' \
	-T fields -e diameter.applicationId -e diameter.User-Name -e diameter.MIP-Feature-Vector \
	-e diameter.MIP-MN-AAA-SPI -e diameter.MIP-Auth-Input-Data-Length -e diameter.MIP-Authenticator-Length \
	-e diameter.MIP-Authenticator-Offset -e diameter.MIP-Home-Agent-Address.IPv4 \
	-e diameter.MIP-Mobile-Node-Address.IPv4 -e _ws.malformed >"$IT_DIR/amr.txt" 2>"$IT_DIR/tshark.err"
sed 's/^/    AMR: /' "$IT_DIR/amr.txt"
it_check "tshark saw the AMRs" test "$(wc -l <"$IT_DIR/amr.txt")" -ge 3
# RRQ: 24 fixed + NAI (2+12) + 42 (8) = 46 octets before the MN-AAA extension; + its 8-octet header.
it_eq "AMR: App 2, User-Name, Feature-Vector 272 (co-located | MN-HA key), MN-AAA-Auth {256, 54, 16, 54}, addresses" \
	"2	$HA_NAI	272	256	54	16	54	127.0.0.1	10.1.0.40	" "$(head -1 "$IT_DIR/amr.txt")"
