#!/usr/bin/env python3
"""A two-port Ethernet bridge that delays every frame: the lab's stand-in for
`tc qdisc ... netem delay` on a kernel built without sch_netem.

  delay_bridge.py IFACE_A IFACE_B ONE_WAY_MS

Run inside a namespace that holds both interfaces and no addresses (so its
kernel answers nothing itself).  Each frame received on one port is sent out of
the other ONE_WAY_MS later, in arrival order; a round trip through the bridge
therefore gains 2 x ONE_WAY_MS.  Frames the bridge sent itself are ignored.
Meant for the bootstrap measurements (small datagrams, one operation at a
time), not for bulk throughput.  Stops on SIGTERM or SIGINT.

The sender's kernel leaves UDP and TCP checksums to the "hardware" on a veth
(checksum offload): the frames read here carry a partial checksum that a real
transmission would have completed.  The bridge completes it (it recomputes the
checksum of every IPv4 UDP and TCP frame), or the receiver would drop them.
"""
import heapq
import itertools
import select
import signal
import socket
import struct
import sys
import time

ETH_P_ALL = 0x0003
ETH_P_IP = 0x0800
PACKET_OUTGOING = 4
MAX_FRAME = 65536


def ones_complement_sum(data):
    if len(data) % 2:
        data += b"\0"
    total = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while total >> 16:
        total = (total & 0xFFFF) + (total >> 16)
    return total


def complete_checksum(frame):
    """The frame with its IPv4 UDP or TCP checksum computed in full."""
    if len(frame) < 34 or struct.unpack("!H", frame[12:14])[0] != ETH_P_IP:
        return frame
    ihl = (frame[14] & 0x0F) * 4
    total_len = struct.unpack("!H", frame[16:18])[0]
    proto = frame[23]
    if proto not in (6, 17) or struct.unpack("!H", frame[20:22])[0] & 0x3FFF:
        return frame  # other protocols, and fragments, carry no L4 checksum to finish
    l4 = 14 + ihl
    end = 14 + total_len
    if end > len(frame):
        return frame
    off = l4 + (6 if proto == 17 else 16)
    if off + 2 > end:
        return frame
    buf = bytearray(frame)
    buf[off:off + 2] = b"\0\0"
    pseudo = bytes(buf[26:34]) + struct.pack("!BBH", 0, proto, end - l4)
    c = ~ones_complement_sum(pseudo + bytes(buf[l4:end])) & 0xFFFF
    if proto == 17 and c == 0:
        c = 0xFFFF
    buf[off:off + 2] = struct.pack("!H", c)
    return bytes(buf)


def open_port(ifname):
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_ALL))
    s.bind((ifname, 0))
    s.setblocking(False)
    return s


def main(argv):
    if len(argv) != 4:
        sys.stderr.write(__doc__)
        return 2
    a, b = open_port(argv[1]), open_port(argv[2])
    delay = float(argv[3]) / 1e3
    other = {a: b, b: a}
    queue = []  # (due, seq, out socket, frame)
    seq = itertools.count()
    running = [True]

    def stop(*_):
        running[0] = False

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    print("delay_bridge: %s <-> %s, one-way delay %.1f ms" % (argv[1], argv[2], delay * 1e3), flush=True)
    while running[0]:
        now = time.monotonic()
        while queue and queue[0][0] <= now:
            _, _, out, frame = heapq.heappop(queue)
            try:
                out.send(frame)
            except OSError:
                pass  # a full transmit queue drops the frame, as a link would
        timeout = max(0.0, queue[0][0] - now) if queue else 0.5
        try:
            ready = select.select([a, b], [], [], timeout)[0]
        except InterruptedError:
            continue
        for s in ready:
            while True:
                try:
                    frame, addr = s.recvfrom(MAX_FRAME)
                except BlockingIOError:
                    break
                if addr[2] == PACKET_OUTGOING:
                    continue
                heapq.heappush(queue, (time.monotonic() + delay, next(seq), other[s], complete_checksum(frame)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
