#!/bin/bash
# mip4-fa on its visited link, alone: configuration check and errors, Agent
# Advertisements every second (tshark decodes them: ICMP type 9 to 224.0.0.1
# with TTL 1, sequence numbers from 0 without a gap, Mobility Agent
# Advertisement Extension with F and R, the care-of address, Prefix-Lengths, an
# 8-octet challenge that changes each time), an Agent Solicitation answered at
# once, junk ICMP counted and survived, the control socket (stats, visitors,
# metrics), SIGHUP reload (good and bad file), SIGTERM exit 0.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-ha.sh"
. "$(dirname "$0")/lib-fa.sh"
it_setup fa-advert

# Configuration: -n and its one-line errors, --help.
fa_fa_conf "$IT_DIR/fa1.conf" v1 <<X
registration-required = true
prefix-lengths = true
challenges = true
challenge-length = 8
X
it_check "mip4-fa -n accepts the configuration" "$FA_BIN" -n -f "$IT_DIR/fa1.conf"
printf 'interface = "v1"\nchallenge-window = 99\n' >"$IT_DIR/bad.conf"
"$FA_BIN" -n -f "$IT_DIR/bad.conf" >"$IT_DIR/bad.out" 2>&1
it_eq "mip4-fa -n on a bad file: exit status" 1 "$?"
it_check "error names file, line and option" grep -q "bad.conf:2: option 'challenge-window': 99 is outside 1..64" \
	"$IT_DIR/bad.out"
it_check "--help documents the options" bash -c "'$FA_BIN' --help | grep -q -- '--check'"
"$FA_BIN" --bogus >/dev/null 2>&1
it_eq "usage error: exit status" 2 "$?"

fa_lab_setup
fa_capture cap mn "$IT_DIR/visited.pcapng" br0
fa_start_fa fa1 fa1 "$IT_DIR/fa1.conf"
it_wait_cmd 10 "three periodic advertisements" bash -c "[ \"\$('$HA_CTL' -s '$IT_DIR/fa1.sock' stats | jq .advertisements)\" -ge 3 ]"

# A solicitation (RFC 5944 §2.2: TTL 1) from the node's link is answered by a
# multicast advertisement, at once or at the end of the second that began with
# the last one.
sol_py='
import socket, struct, sys, time
def csum(b):
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff
s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP)
s.setsockopt(socket.SOL_SOCKET, socket.SO_BINDTODEVICE, b"br0")
s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_TTL, 1)
s.setsockopt(socket.IPPROTO_IP, socket.IP_TTL, 1)
kind, dst = sys.argv[1], sys.argv[2]
m = bytearray(struct.pack("!BBHI", 10, 0, 0, 0))
if kind == "code":
    m[1] = 1
if kind != "checksum":
    m[2:4] = struct.pack("!H", csum(bytes(m)))
else:
    m[2:4] = b"\x12\x34"
if kind == "short":
    m = m[:6]
s.sendto(bytes(m), (dst, 0))
'
fa_ns mn python3 -c "$sol_py" valid 224.0.0.11
it_wait_cmd 3 "solicitation counted" bash -c "[ \"\$('$HA_CTL' -s '$IT_DIR/fa1.sock' stats | jq .solicitations)\" -eq 1 ]"
fa_ns mn python3 -c "$sol_py" valid 224.0.0.2
it_wait_cmd 3 "solicitation to all-routers (RFC 1256) counted" bash -c "[ \"\$('$HA_CTL' -s '$IT_DIR/fa1.sock' stats | jq .solicitations)\" -eq 2 ]"

# Junk: bad checksum, wrong code, too short; unicast and multicast.
for kind in checksum code short; do
	fa_ns mn python3 -c "$sol_py" "$kind" "$FA1_COA"
	fa_ns mn python3 -c "$sol_py" "$kind" 224.0.0.11
done
fa_ns mn ping -c 2 -i 0.2 -W 1 "$FA1_COA" >/dev/null 2>&1
it_wait_cmd 5 "junk ICMP counted" bash -c "[ \"\$('$HA_CTL' -s '$IT_DIR/fa1.sock' stats | jq '.icmp_malformed | add')\" -ge 4 ]"
it_eq "bad checksum counted" 2 "$(fa_stat fa1 icmp_malformed.checksum)"
it_eq "wrong code counted" 2 "$(fa_stat fa1 icmp_malformed.code)"
it_eq "no solicitation taken from the junk" 2 "$(fa_stat fa1 solicitations)"
n=$(fa_stat fa1 advertisements)
it_wait_cmd 5 "still advertising after the junk" bash -c "[ \"\$('$HA_CTL' -s '$IT_DIR/fa1.sock' stats | jq .advertisements)\" -gt $n ]"

# Control socket.
fa_ctl fa1 stats >"$IT_DIR/stats.json"
it_check "stats is JSON" jq -e '.uptime_s >= 0 and .visitors == 0' "$IT_DIR/stats.json"
it_eq "control socket mode" 600 "$(stat -c %a "$IT_DIR/fa1.sock")"
it_check "visitors is JSON (none)" bash -c "'$HA_CTL' -s '$IT_DIR/fa1.sock' visitors | jq -e '.count == 0 and .pending == []'"
fa_ctl fa1 metrics >"$IT_DIR/metrics.txt"
it_check "metrics: Prometheus text" it_prometheus "$IT_DIR/metrics.txt" mip4fa_visitors mip4fa_advertisements_total \
	mip4fa_icmp_malformed_total mip4fa_home_agent_latency_seconds_bucket
it_check "mip4-ctl: bindings refused by the FA" bash -c "! '$HA_CTL' -s '$IT_DIR/fa1.sock' bindings 2>/dev/null"

# SIGHUP: a bad file leaves the running configuration; a good one is taken.
cp "$IT_DIR/fa1.conf" "$IT_DIR/fa1.good"
echo 'max-lifetime = "long"' >>"$IT_DIR/fa1.conf"
it_signal fa1 HUP
it_wait_log fa1 'reload of .* failed' 10
cp "$IT_DIR/fa1.good" "$IT_DIR/fa1.conf"
echo 'max-lifetime = 300' >>"$IT_DIR/fa1.conf"
it_signal fa1 HUP
it_wait_log fa1 'reloaded .*fa1.conf' 10
sleep 1.2 # one more advertisement, with the new registration lifetime
solicited=$(fa_stat fa1 advertisements_solicited)

it_stop fa1 10
it_eq "SIGTERM: exit status" 0 "$IT_RC"
it_check "control socket removed" test ! -e "$IT_DIR/fa1.sock"
it_stop cap

# The advertisements on the wire, as tshark decodes them.
tshark -r "$IT_DIR/visited.pcapng" -Y 'icmp.type == 9' -T fields -E separator=';' -e ip.src -e ip.dst -e ip.ttl \
	-e icmp.mip.seq -e icmp.mip.life -e icmp.mip.flags -e icmp.mip.coa -e icmp.mip.prefixlength \
	-e icmp.mip.challenge -e _ws.malformed >"$IT_DIR/adv.txt" 2>"$IT_DIR/tshark.err"
it_check "tshark decoded advertisements" test "$(wc -l <"$IT_DIR/adv.txt")" -ge 4
it_eq "no malformed advertisement" 0 "$(awk -F';' '$10 != ""' "$IT_DIR/adv.txt" | wc -l)"
it_eq "all from the care-of address to 224.0.0.1 with TTL 1" 0 \
	"$(awk -F';' -v c="$FA1_COA" '$1 != c || $2 != "224.0.0.1" || $3 != 1' "$IT_DIR/adv.txt" | wc -l)"
it_eq "sequence numbers 0, 1, 2, ... (RFC 5944 §2.3.2)" yes \
	"$(awk -F';' '{ if ($4 != NR - 1) bad = 1 } END { print bad ? "no" : "yes" }' "$IT_DIR/adv.txt")"
it_eq "flags F and R (0x9000)" 0 "$(awk -F';' '$6 != "0x9000"' "$IT_DIR/adv.txt" | wc -l)"
it_eq "care-of address and prefix length 24" 0 \
	"$(awk -F';' -v c="$FA1_COA" '$7 != c || $8 != 24' "$IT_DIR/adv.txt" | wc -l)"
it_eq "an 8-octet challenge in each" 0 "$(awk -F';' 'length($9) != 16' "$IT_DIR/adv.txt" | wc -l)"
it_check "registration lifetime 600, then 300 after the reload" bash -c \
	"cut -d';' -f5 '$IT_DIR/adv.txt' | uniq | tr '\n' ' ' | grep -qx '600 300 '"
# Each solicitation is answered within a second (at once, or when the second
# since the last advertisement ends).
tshark -r "$IT_DIR/visited.pcapng" -Y '(icmp.type == 10 && icmp.code == 0 && icmp.checksum.status == 1 && ip.len >= 28) || icmp.type == 9' \
	-T fields -e frame.time_relative -e icmp.type >"$IT_DIR/sol.txt" 2>>"$IT_DIR/tshark.err"
it_eq "solicitations on the wire" 2 "$(awk '$2 == 10' "$IT_DIR/sol.txt" | wc -l)"
it_eq "each answered within a second" 0 "$(awk '$2 == 10 { s = $1; next } $2 == 9 && s { if ($1 - s > 1.05) bad++; s = 0 }
	END { print bad + 0 }' "$IT_DIR/sol.txt")"
periodic=$(awk -F';' 'NR > 1 && $9 != prev { n++ } { prev = $9 } END { print n + 0 }' "$IT_DIR/adv.txt")
total=$(wc -l <"$IT_DIR/adv.txt")
# A solicited advertisement repeats the latest challenge (RFC 4721 §2.1); a
# periodic one due first answers the solicitation itself.
it_eq "a new challenge for each periodic advertisement, the latest again when solicited" $((total - 1 - solicited)) \
	"$periodic"
