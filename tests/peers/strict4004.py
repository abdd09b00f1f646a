#!/usr/bin/env python3
"""strict4004.py: a Diameter client that knows RFC 6733 and RFC 4004 and nothing else.

It stands in for a home agent built on a strict, independent Diameter stack (the
way Erlang/OTP's diameter application ships with its RFC 4004 dictionary): it
connects over plain TCP, exchanges CER/CEA, sends one AA-Mobile-Node-Request for
a co-located mobile node (an MN-AAA authenticated Registration Request with an
MN-HA KeyGen Request, built here with the standard library only), and checks the
answer the way RFC 6733 §4.1 tells a receiver to: an AVP carrying the M bit that
the application's dictionary does not define makes the whole message
unacceptable, also inside Grouped AVPs whose own M bit is set (§4.4).

Output, one line:
    accepted result=2001 avps=... mn_to_ha_msa=345,346,335 ha_to_mn_msa=345,346,343
    discarded unknown-mbit-avp=491 path=331/491
Exit status: 0 accepted, 3 discarded, 1 no answer or a protocol error, 2 usage.
"""
import argparse
import hashlib
import hmac
import os
import socket
import struct
import sys
import time

# RFC 6733 base protocol AVPs (§4.5, §8, §9).
BASE = {1, 25, 27, 33, 44, 50, 55, 85, 257, 258, 259, 260, 261, 262, 263, 264, 265, 266, 267, 268, 269,
        270, 271, 272, 273, 274, 276, 277, 278, 279, 280, 281, 282, 283, 284, 285, 287, 291, 292, 293,
        294, 295, 296, 297, 298, 299, 480, 483, 485}
# RFC 4004 §7, §9 and §10: every code the Mobile IPv4 application defines.
RFC4004 = {318, 319, 320, 321, 322, 323, 325, 326, 328, 329} | set(range(331, 349)) | {367} | \
          {46, 363, 364, 365, 366}
KNOWN = BASE | RFC4004
GROUPED = {260, 279, 284, 297, 322, 325, 326, 328, 329, 331, 332, 347, 348}

F_V, F_M = 0x80, 0x40
NTP_OFFSET = 2208988800


def avp(code, data, mandatory=True):
    flags = F_M if mandatory else 0
    length = 8 + len(data)
    return struct.pack("!IB", code, flags) + length.to_bytes(3, "big") + data + b"\0" * (-length % 4)


def u32(code, v, mandatory=True):
    return avp(code, struct.pack("!I", v), mandatory)


def addr4(code, a):
    return avp(code, struct.pack("!H", 1) + socket.inet_aton(a))


def message(cmd, app, avps, request=True, hbh=1, e2e=1, proxiable=True):
    body = b"".join(avps)
    flags = (0x80 if request else 0) | (0x40 if proxiable else 0)
    length = 20 + len(body)
    return (bytes([1]) + length.to_bytes(3, "big") + bytes([flags]) + cmd.to_bytes(3, "big") +
            struct.pack("!III", app, hbh, e2e) + body)


def parse_avps(buf):
    """[(code, flags, vendor, data)] of a run of AVPs; ValueError when malformed."""
    out, off = [], 0
    while off < len(buf):
        if off + 8 > len(buf):
            raise ValueError("truncated AVP header at %d" % off)
        code, flags = struct.unpack("!IB", buf[off:off + 5])
        length = int.from_bytes(buf[off + 5:off + 8], "big")
        hdr = 12 if flags & F_V else 8
        if length < hdr or off + length > len(buf):
            raise ValueError("bad AVP length %d at %d" % (length, off))
        vendor = struct.unpack("!I", buf[off + 8:off + 12])[0] if flags & F_V else 0
        out.append((code, flags, vendor, buf[off + hdr:off + length]))
        off += length + (-length % 4)
    return out


def unknown_mbit(avps, path=()):
    """The path of the first M-bit AVP outside the dictionary, or None."""
    for code, flags, vendor, data in avps:
        here = path + (code,)
        if flags & F_M and (vendor != 0 or code not in KNOWN):
            return here
        if vendor == 0 and code in GROUPED and flags & F_M:
            inner = unknown_mbit(parse_avps(data), here)
            if inner:
                return inner
    return None


def recv_message(sock):
    hdr = b""
    while len(hdr) < 20:
        chunk = sock.recv(20 - len(hdr))
        if not chunk:
            raise ConnectionError("peer closed the connection")
        hdr += chunk
    length = int.from_bytes(hdr[1:4], "big")
    body = b""
    while len(body) < length - 20:
        chunk = sock.recv(length - 20 - len(body))
        if not chunk:
            raise ConnectionError("peer closed the connection")
        body += chunk
    flags, cmd = hdr[4], int.from_bytes(hdr[5:8], "big")
    hbh, e2e = struct.unpack("!II", hdr[12:20])
    return {"request": bool(flags & 0x80), "error": bool(flags & 0x20), "cmd": cmd, "hbh": hbh, "e2e": e2e,
            "body": body}


def result_code(avps):
    for code, _, vendor, data in avps:
        if code == 268 and vendor == 0:
            return struct.unpack("!I", data)[0]
    return None


def build_rrq(a):
    """First registration, co-located: NAI, MN-HA KeyGen Request (42/1), MN-AAA (36/1)."""
    t = time.time()
    ident = ((int(t) + NTP_OFFSET) << 32) | (int((t - int(t)) * (1 << 32)) & 0xFFFFFFFF)
    rrq = struct.pack("!BBH4s4s4sQ", 1, 0x20, 600, socket.inet_aton(a.home), socket.inet_aton(a.ha),
                      socket.inet_aton("127.0.0.1"), ident)
    nai = a.nai.encode()
    rrq += bytes([131, len(nai)]) + nai
    rrq += struct.pack("!BBHI", 42, 1, 4, a.mn_spi)
    rrq += struct.pack("!BBHI", 36, 1, 20, a.spi)
    covered = len(rrq)
    rrq += hmac.new(bytes.fromhex(a.key), rrq, hashlib.md5).digest()
    return rrq, covered


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--port", type=int, required=True, help="the AAA's plain TCP port on --host")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--identity", default="strict.home.lab", help="our Origin-Host")
    p.add_argument("--realm", default="home.lab", help="our Origin-Realm and the Destination-Realm")
    p.add_argument("--nai", required=True)
    p.add_argument("--key", required=True, help="MN-AAA key, hex (HMAC-MD5)")
    p.add_argument("--spi", type=int, default=300, help="MN-AAA SPI")
    p.add_argument("--mn-spi", type=int, default=4096, help="MN SPI of the KeyGen Request")
    p.add_argument("--home", default="10.1.0.50")
    p.add_argument("--ha", default="127.0.0.1")
    p.add_argument("--timeout", type=float, default=10.0)
    a = p.parse_args()

    origin = [avp(264, a.identity.encode()), avp(296, a.realm.encode())]
    sock = socket.create_connection((a.host, a.port), timeout=a.timeout)
    sock.sendall(message(257, 0, origin + [addr4(257, "127.0.0.1"), u32(266, 0),
                                           avp(269, b"strict4004", mandatory=False), u32(258, 2)],
                         proxiable=False))
    cea = recv_message(sock)
    rc = result_code(parse_avps(cea["body"]))
    if cea["cmd"] != 257 or rc != 2001:
        print("no capabilities exchange: command %d result %s" % (cea["cmd"], rc))
        return 1

    rrq, covered = build_rrq(a)
    sid = "%s;%d;%d" % (a.identity, int(time.time()), os.getpid())
    fv = 256 | 16
    amr = message(260, 2, [avp(263, sid.encode()), u32(258, 2)] + origin + [
        avp(283, a.realm.encode()), avp(1, a.nai.encode()), avp(320, rrq),
        avp(322, u32(341, a.spi) + u32(338, covered) + u32(339, 16) + u32(340, covered)),
        u32(337, fv), addr4(333, a.home), addr4(334, a.ha), u32(291, 600)], hbh=2, e2e=2)
    sock.sendall(amr)
    while True:
        m = recv_message(sock)
        if m["request"] and m["cmd"] == 280:  # Device-Watchdog: answer, keep waiting
            sock.sendall(message(280, 0, [u32(268, 2001)] + origin, request=False, hbh=m["hbh"], e2e=m["e2e"],
                                 proxiable=False))
            continue
        if not m["request"] and m["cmd"] == 260 and m["hbh"] == 2:
            break
    avps = parse_avps(m["body"])
    bad = unknown_mbit(avps)
    if bad:
        # RFC 6733 §4.1: the message is rejected; an answer cannot be answered
        # with an error, so it is discarded, as a strict stack does.
        print("discarded unknown-mbit-avp=%d path=%s" % (bad[-1], "/".join(map(str, bad))))
        status = 3
    else:
        groups = {code: ",".join(str(c) for c, _, _, _ in parse_avps(data))
                  for code, _, vendor, data in avps if vendor == 0 and code in (331, 332)}
        print("accepted result=%s avps=%s mn_to_ha_msa=%s ha_to_mn_msa=%s" % (
            result_code(avps), ",".join(str(c) for c, _, _, _ in avps), groups.get(331, "-"),
            groups.get(332, "-")))
        status = 0
    sock.sendall(message(282, 0, origin + [u32(273, 0)], hbh=3, e2e=3, proxiable=False))
    try:
        while True:
            r = recv_message(sock)
            if not r["request"] and r["cmd"] == 282:
                break
    except (ConnectionError, socket.timeout):
        pass
    sock.close()
    return status


if __name__ == "__main__":
    sys.exit(main())
