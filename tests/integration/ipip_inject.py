#!/usr/bin/env python3
"""ipip_inject.py: send IP-in-IP datagrams with chosen outer and inner headers.

    ipip_inject.py --device IFACE --outer-src A --outer-dst B --inner-src C --inner-dst D
                   --dport PORT [--count N]

Each datagram is an outer IPv4 header (protocol 4, source A, even one this host
does not hold) around an inner IPv4 + UDP datagram C -> D:PORT whose payload
names the test ("ipip_inject"), sent on IFACE through a raw socket that writes
the outer header itself (IP_HDRINCL), so that the data-plane tests can play a
spoofer the HA must not relay for.  Prints "sent N".  stdlib only.
"""
import argparse
import socket
import struct


def checksum(b):
    if len(b) % 2:
        b += b"\0"
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def ipv4(src, dst, proto, payload, ident):
    h = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(payload), ident, 0, 64, proto, 0,
                    socket.inet_aton(src), socket.inet_aton(dst))
    return h[:10] + struct.pack("!H", checksum(h)) + h[12:] + payload


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--device", required=True)
    for a in ("outer-src", "outer-dst", "inner-src", "inner-dst"):
        p.add_argument("--" + a, required=True)
    p.add_argument("--dport", type=int, required=True)
    p.add_argument("--count", type=int, default=1)
    o = p.parse_args()
    s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_RAW)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_BINDTODEVICE, o.device.encode())
    for i in range(o.count):
        data = b"ipip_inject %d" % i
        udp = struct.pack("!HHHH", 40000, o.dport, 8 + len(data), 0) + data
        inner = ipv4(o.inner_src, o.inner_dst, 17, udp, 0x4000 + i)
        outer = ipv4(o.outer_src, o.outer_dst, 4, inner, 0x5000 + i)
        s.sendto(outer, (o.outer_dst, 0))
    print("sent %d" % o.count)


if __name__ == "__main__":
    main()
