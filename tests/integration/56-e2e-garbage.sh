#!/bin/bash
# A burst of malformed and random datagrams at the HA while 100 nodes register
# and re-register: every legitimate registration still succeeds, the HA keeps
# running, and its counters show the rejects (134 answers, malformed drops).
. "$(dirname "$0")/lib-e2e.sh"
e2e_setup e2e-garbage 100
e2e_start bsf aaa ha
e2e_wait_peer 1

cat >"$IT_DIR/junk.py" <<'X'
import random, socket, struct, sys, time
port, seconds = int(sys.argv[1]), float(sys.argv[2])
rnd = random.Random(4004)
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("127.0.0.1", 0))
s.setblocking(False)
def fixed(flags=0x20, life=300, home="10.23.9.9"):
    return struct.pack("!BBH4s4s4sQ", 1, flags, life, socket.inet_aton(home), socket.inet_aton("127.0.0.1"),
                       socket.inet_aton("127.0.0.1"), rnd.getrandbits(64))
def junk():
    k = rnd.randrange(8)
    if k == 0:
        return bytes(rnd.getrandbits(8) for _ in range(rnd.randrange(0, 600)))
    if k == 1:
        return bytes([1]) + bytes(rnd.getrandbits(8) for _ in range(rnd.randrange(0, 23)))
    if k == 2:
        return fixed() + bytes([131, 200]) + b"x" * 10                       # NAI longer than the datagram
    if k == 3:
        return fixed() + bytes([99, 4, 0, 0, 0, 0])                          # unknown non-skippable type
    if k == 4:
        return fixed() + bytes([32, 20]) + struct.pack("!I", 0xdead) + bytes(16)  # MN-HA auth, unknown SPI
    if k == 5:
        return fixed() + bytes([36, 1, 0, 200]) + struct.pack("!I", 256) + bytes(16)  # 36 length past the end
    if k == 6:
        return fixed() + bytes([42, 1, 0, 4]) + struct.pack("!I", 4096)      # KeyGen Request, no MN-AAA
    return fixed() + bytes(rnd.getrandbits(8) for _ in range(rnd.randrange(0, 300)))
sent = replies = c134 = 0
def drain():
    """Count the replies waiting on the socket, and the 134s among them."""
    global replies, c134
    try:
        while True:
            d = s.recv(2000)
            replies += 1
            if len(d) >= 2 and d[0] == 3 and d[1] == 134:
                c134 += 1
    except BlockingIOError:
        pass
end = time.time() + seconds
while time.time() < end:
    for _ in range(20):
        s.sendto(junk(), ("127.0.0.1", port))
        sent += 1
    time.sleep(0.005)
    drain()
time.sleep(0.3)
drain()
print(sent, replies, c134)
X
it_start junk bash -c 'exec python3 "$@" >"'"$IT_DIR"'/junk.out"' junk "$IT_DIR/junk.py" "$LAB_HA_PORT" 4
e2e_mn load --load --window 20 --prime --rereg-pct 50 --count 1000 --rate 400 --timeout 1000
it_wait_cmd 60 "junk sender done" bash -c "! kill -0 $(it_pid junk) 2>/dev/null"
it_stop junk
it_eq "junk sender exit status" 0 "$IT_RC"
read -r jsent jreplies j134 <"$IT_DIR/junk.out"
it_log "junk: $jsent datagrams sent, $jreplies replies, $j134 of them 134"
it_check "junk: some datagrams sent during the load" [ "${jsent:-0}" -gt 1000 ]
it_eq "mip4-mn exit status" 0 "$E2E_RC"
it_eq "legitimate operations accepted" 1000 "$(e2e_summary load .accepted)"
it_eq "legitimate operations timed out" 0 "$(e2e_summary load .timeouts)"
it_check "HA still running" it_running ha
it_check "HA answered poorly formed requests with 134 (${j134:-0})" [ "${j134:-0}" -gt 0 ]
malformed=$(e2e_stat '[.malformed[]] | add // 0')
it_check "HA counted malformed requests ($malformed)" [ "$malformed" -gt 0 ]
it_check "HA counted 134 replies" [ "$(e2e_stat '.denied["134"] // 0')" -gt 0 ]
it_check "HA counted requests it discarded without a usable authenticator" [ "$(e2e_stat .discarded_no_auth)" -gt 0 ]
it_eq "HA bindings: the 100 nodes and none of the junk" 100 "$(e2e_stat .bindings_active)"
it_stop ha 30
it_eq "HA exit status after SIGTERM" 0 "$IT_RC"
e2e_check_capture replies
