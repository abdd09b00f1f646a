#!/usr/bin/env python3
"""rrq.py: a small, independent Mobile IPv4 test client for mip4-ha (stdlib only).

It crafts Registration Requests (RFC 5944) itself -- valid ones signed with a
static MN-HA security association, first registrations with an MN-HA KeyGen
Request (RFC 3957) and an MN-AAA authenticator (RFC 4721), and broken ones --
sends them to the HA over UDP on 127.0.0.1 and prints the reply:

    code=0 lifetime=600 home=10.1.0.5 ha=127.0.0.1 ident=... auth=ok spi=300 from=... ms=2

(ms: time from the first send to this reply).

Through a foreign agent (--device IFACE --bind HOME-ADDRESS --host FA): the
request answers a challenge (--challenge advert: the one of the next Agent
Advertisement heard on IFACE, reply: the one the agent's last reply gave,
last: the one sent last time, HEX: that value) placed after the MN-HA
authenticator (RFC 4721 §3.1), and carries an MN-FA authenticator (33) with
--fa-spi/--fa-key; the reply's challenge and MN-FA authenticator are reported
(challenge=, fa_auth=) and remembered in --state.
auth= is "ok" when the reply's MN-HA authenticator verifies with the key the
client holds (the static key, or for a KeyGen reply the key it derives itself:
HMAC-SHA1(MN-AAA key, nonce || NAI)), "bad" when it does not, "none" when the
reply has none.  With --state FILE it remembers the last Identification, SPI,
algorithm and (derived) key so the next call can re-register, deregister or
replay.  Exit status: 0 when a reply was printed (or none was expected and none
came), 1 on timeout, 2 on usage errors.  Nothing here shares code with mip4-ha:
it is the cross-check of the daemon's wire format and key derivation.
"""
import argparse
import hashlib
import hmac
import json
import os
import random
import socket
import struct
import sys
import time

NTP_OFFSET = 2208988800
LONG_FORM = (36, 40, 41, 42, 43)
ALGS = {"md5": hashlib.md5, "sha1": hashlib.sha1, "hmac-md5": hashlib.md5, "hmac-sha1": hashlib.sha1}


def ntp_now(offset=0.0):
    t = time.time() + offset
    sec = int(t) + NTP_OFFSET
    frac = int((t - int(t)) * (1 << 32)) & 0xFFFFFFFF
    return (sec << 32) | frac


def ip(s):
    return socket.inet_aton(s)


def mac(alg, key, data):
    return hmac.new(key, data, ALGS[alg]).digest()


def load_state(path):
    if path and os.path.exists(path):
        with open(path) as f:
            return json.load(f)
    return {}


def save_state(path, st):
    if not path:
        return
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as f:
        json.dump(st, f)


def build(a, st):
    """Returns (datagram, context for checking the reply)."""
    flags = 0
    for fl in (a.flags or "").split(","):
        flags |= {"": 0, "S": 0x80, "B": 0x40, "D": 0x20, "M": 0x10, "G": 0x08, "T": 0x02}[fl]
    if a.ident is not None:
        ident = int(a.ident, 0)
    elif a.replay:
        ident = int(st["ident"])
    else:
        ident = ntp_now(a.ident_offset)
    home = a.home or st.get("home") or "0.0.0.0"
    msg = struct.pack("!BBH4s4s4sQ", 1, flags, a.lifetime, ip(home), ip(a.ha), ip(a.coa), ident)
    ctx = {"ident": ident, "home": home}
    # The SA the MN already holds, if any: what a reply to a broken or KeyGen
    # request is expected to be signed with.
    known_key = a.key or st.get("key")
    if known_key:
        ctx.update(spi=a.spi if a.spi is not None else int(st.get("spi", 0)),
                   alg=a.alg or st.get("alg", "md5"), key=bytes.fromhex(known_key))
    if a.kind == "short":
        return msg[:a.cut or 10], ctx
    if a.kind == "unknown-ext":
        return msg + bytes([99, 2, 0, 0]), ctx
    if a.kind == "random":
        rnd = random.Random(a.seed)
        return bytes([1]) + bytes(rnd.getrandbits(8) for _ in range(rnd.randrange(0, 120))), ctx
    if a.kind == "ext-truncated":
        return msg + bytes([131, 40]) + b"x" * 5, ctx
    if a.nai:
        nai = a.nai.encode()
        msg += bytes([131, len(nai)]) + nai
        ctx["nai"] = nai
    if a.keygen is not None:
        # First registration: MN-HA KeyGen Request (42/1, MN SPI) then MN-AAA (36/1).
        msg += struct.pack("!BBHI", 42, 1, 4, a.keygen)
        ctx["mn_spi"] = a.keygen
        ctx["aaa_key"] = bytes.fromhex(a.aaa_key)
        ctx["aaa_spi"] = a.aaa_spi
        msg += struct.pack("!BBHI", 36, 1, 20, a.aaa_spi)
        auth = mac("md5", ctx["aaa_key"], msg)
        if a.corrupt:
            auth = bytes([auth[0] ^ 0xFF]) + auth[1:]
        msg += auth
        return msg, ctx
    if a.kind == "no-auth":
        return msg, ctx
    spi = a.spi if a.spi is not None else int(st.get("spi", 0))
    alg = a.alg or st.get("alg", "md5")
    key = bytes.fromhex(a.key) if a.key else bytes.fromhex(st.get("key", ""))
    if not key:
        sys.exit("rrq.py: no key (give --key or a --state file from an earlier registration)")
    ctx.update(spi=spi, alg=alg, key=key)
    msg += bytes([32, 4 + len(mac(alg, key, b""))]) + struct.pack("!I", spi)
    auth = mac(alg, key, msg)
    if a.corrupt:
        auth = bytes([auth[0] ^ 0xFF]) + auth[1:]
    msg += auth
    chal = challenge_for(a, st)
    if chal is not None:
        msg += bytes([132, len(chal)]) + chal
        st["sent_challenge"] = chal.hex()
    if a.fa_key:
        msg += bytes([33, 20]) + struct.pack("!I", a.fa_spi)
        msg += mac("md5", bytes.fromhex(a.fa_key), msg)
    return msg, ctx


def advert_challenge(device, timeout):
    """The challenge of the next Agent Advertisement heard on device (RFC 4721 §2)."""
    r = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP)
    r.setsockopt(socket.SOL_SOCKET, socket.SO_BINDTODEVICE, device.encode())
    r.settimeout(timeout)
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            d = r.recv(2048)
        except socket.timeout:
            break
        ihl = (d[0] & 15) * 4
        icmp = d[ihl:]
        if len(icmp) < 8 or icmp[0] != 9:
            continue
        off = 8 + icmp[4] * icmp[5] * 4
        while off + 2 <= len(icmp):
            t = icmp[off]
            if t == 0:
                off += 1
                continue
            ln = icmp[off + 1]
            if t == 24:
                return icmp[off + 2:off + 2 + ln]
            off += 2 + ln
    sys.exit("rrq.py: no Agent Advertisement with a challenge on %s within %.1f s" % (device, timeout))


def challenge_for(a, st):
    if not a.challenge or a.challenge == "none":
        return None
    if a.challenge == "advert":
        return advert_challenge(a.device, 5.0)
    if a.challenge in ("reply", "last"):
        v = st.get("reply_challenge" if a.challenge == "reply" else "sent_challenge")
        if not v:
            sys.exit("rrq.py: --challenge %s: nothing in --state" % a.challenge)
        return bytes.fromhex(v)
    return bytes.fromhex(a.challenge)


def parse_reply(d):
    if len(d) < 20 or d[0] != 3:
        return None
    code, life = d[1], struct.unpack("!H", d[2:4])[0]
    r = {"code": code, "lifetime": life, "home": socket.inet_ntoa(d[4:8]), "ha": socket.inet_ntoa(d[8:12]),
         "ident": struct.unpack("!Q", d[12:20])[0], "exts": []}
    off = 20
    while off < len(d):
        t = d[off]
        if t in LONG_FORM:
            if off + 4 > len(d):
                r["malformed"] = True
                break
            sub, ln = d[off + 1], struct.unpack("!H", d[off + 2:off + 4])[0]
            body, end = d[off + 4:off + 4 + ln], off + 4 + ln
        else:
            if off + 2 > len(d):
                r["malformed"] = True
                break
            sub, ln = None, d[off + 1]
            body, end = d[off + 2:off + 2 + ln], off + 2 + ln
        if end > len(d):
            r["malformed"] = True
            break
        r["exts"].append((t, sub, off, body))
        off = end
    return r


def check_reply(d, r, ctx, st, a):
    out = ["code=%d" % r["code"], "lifetime=%d" % r["lifetime"], "home=%s" % r["home"], "ha=%s" % r["ha"],
           "ident=%016x" % r["ident"]]
    ident_hi, ident_lo = r["ident"] >> 32, r["ident"] & 0xFFFFFFFF
    out.append("ident_match=%s" % ("yes" if r["ident"] == ctx["ident"] else
                                   "low" if ident_lo == ctx["ident"] & 0xFFFFFFFF else "no"))
    if r["code"] == 133:
        out.append("ha_time_skew=%d" % (ident_hi - (int(time.time()) + NTP_OFFSET)))
    order = [t for t, _, _, _ in r["exts"]]
    out.append("exts=%s" % ",".join(str(t) for t in order))
    key, alg = ctx.get("key"), ctx.get("alg")
    for t, sub, off, body in r["exts"]:
        if t == 131:
            out.append("nai=%s" % body.decode(errors="replace"))
            if ctx.get("nai") is not None and body != ctx["nai"]:
                out.append("nai_mismatch=yes")
        if t == 43 and sub == 1 and len(body) >= 16:
            life, aaa_spi, ha_spi, algid, replay = struct.unpack("!IIIHH", body[:16])
            nonce = body[16:]
            out.append("keyrep=lifetime:%d,aaa_spi:%d,ha_spi:%d,alg:%d,replay:%d,nonce_len:%d" %
                       (life, aaa_spi, ha_spi, algid, replay, len(nonce)))
            if "aaa_key" in ctx:
                ident_bytes = ctx["nai"] if ctx.get("nai") is not None else ip(ctx["home"])
                key = hmac.new(ctx["aaa_key"], nonce + ident_bytes, hashlib.sha1).digest()
                alg = {1: "md5", 2: "sha1"}.get(algid, "sha1")
                ctx["new_sa"] = {"spi": ctx["mn_spi"], "alg": alg, "key": key.hex()}
                if aaa_spi != ctx["aaa_spi"] or ha_spi != ctx["mn_spi"]:
                    out.append("keyrep_spi_mismatch=yes")
    auth = "none"
    for t, _, off, body in r["exts"]:
        if t == 32:
            spi = struct.unpack("!I", body[:4])[0]
            out.append("spi=%d" % spi)
            if key is None:
                auth = "nokey"
            else:
                want = mac(alg, key, d[:off + 6])
                auth = "ok" if hmac.compare_digest(want, body[4:]) else "bad"
            trailing = [x[0] for x in r["exts"] if x[2] > off]
            if trailing:
                out.append("after_auth=%s" % ",".join(map(str, trailing)))
    out.append("auth=%s" % auth)
    for t, _, off, body in r["exts"]:
        if t == 132:
            out.append("challenge=%s" % body.hex())
            st["reply_challenge"] = body.hex()
        if t == 33:
            fa_ok = a.fa_key and hmac.compare_digest(mac("md5", bytes.fromhex(a.fa_key), d[:off + 6]), body[4:])
            out.append("fa_auth=%s" % ("ok" if fa_ok else "bad"))
    if r.get("malformed"):
        out.append("malformed=yes")
    # Remember what the next call needs.
    if r["code"] in (0, 1) or r["code"] == 133:
        st["home"] = r["home"] if r["home"] != "0.0.0.0" else ctx["home"]
    if r["code"] in (0, 1):
        st["ident"] = ctx["ident"]
        if "new_sa" in ctx and auth == "ok":
            st.update(ctx["new_sa"])
        elif "key" in ctx:
            st.update(spi=ctx["spi"], alg=ctx["alg"], key=ctx["key"].hex())
    return " ".join(out)


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--port", type=int, required=True, help="HA UDP port on --host")
    p.add_argument("--host", default="127.0.0.1", help="where the request goes (the HA, or a foreign agent)")
    p.add_argument("--bind", default="127.0.0.1", help="local address (through an FA: the home address)")
    p.add_argument("--device", help="bind to this interface (through an FA: the visited link)")
    p.add_argument("--challenge", help="advert, reply, last, none or a hex value (see above)")
    p.add_argument("--fa-spi", type=int, default=500, help="MN-FA SPI")
    p.add_argument("--fa-key", help="MN-FA key, hex: add an MN-FA authenticator (HMAC-MD5)")
    p.add_argument("--ha", default="127.0.0.1", help="Home Agent field of the request")
    p.add_argument("--home", help="home address (default: from --state, else 0.0.0.0)")
    p.add_argument("--coa", default="127.0.0.1", help="care-of address")
    p.add_argument("--lifetime", type=int, default=600)
    p.add_argument("--flags", help="comma list of S,B,D,M,G,T")
    p.add_argument("--ident", help="Identification (default: NTP now)")
    p.add_argument("--ident-offset", type=float, default=0.0, help="seconds added to the NTP timestamp")
    p.add_argument("--replay", action="store_true", help="reuse the last accepted Identification from --state")
    p.add_argument("--nai")
    p.add_argument("--spi", type=int, help="MN-HA SPI (default: from --state)")
    p.add_argument("--key", help="MN-HA key, hex (default: from --state)")
    p.add_argument("--alg", choices=["md5", "sha1"])
    p.add_argument("--keygen", type=int, metavar="MN_SPI", help="first registration: 42/1 with this MN SPI + MN-AAA")
    p.add_argument("--aaa-spi", type=int, default=0x100)
    p.add_argument("--aaa-key", help="MN-AAA key, hex")
    p.add_argument("--corrupt", action="store_true", help="flip a bit of the authenticator")
    p.add_argument("--kind", default="valid",
                   choices=["valid", "short", "unknown-ext", "random", "ext-truncated", "no-auth"])
    p.add_argument("--cut", type=int, help="--kind short: length")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--count", type=int, default=1, help="send the same datagram N times (retransmissions)")
    p.add_argument("--gap", type=float, default=0.0, help="seconds between the copies")
    p.add_argument("--src-port", type=int, default=0)
    p.add_argument("--timeout", type=float, default=3.0)
    p.add_argument("--expect-none", action="store_true", help="succeed only when no reply arrives")
    p.add_argument("--state", help="JSON file keeping SPI, key, algorithm, home address and last ident")
    p.add_argument("--hex", action="store_true", help="also print the reply in hex")
    a = p.parse_args()
    if a.keygen is not None and not (a.aaa_key and a.nai):
        p.error("--keygen needs --aaa-key and --nai")

    st = load_state(a.state)
    data, ctx = build(a, st)
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    if a.device:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_BINDTODEVICE, a.device.encode())
    s.bind((a.bind, a.src_port))
    t_first = time.time()
    for i in range(a.count):
        s.sendto(data, (a.host, a.port))
        if a.gap and i + 1 < a.count:
            time.sleep(a.gap)
    s.settimeout(a.timeout)
    replies = []
    deadline = time.time() + a.timeout
    while True:
        left = deadline - time.time()
        if left <= 0:
            break
        s.settimeout(left)
        try:
            d, frm = s.recvfrom(4096)
        except socket.timeout:
            break
        replies.append((d, frm, time.time() - t_first))
        if len(replies) >= a.count:
            # One more short wait catches surplus replies (e.g. two answers to retransmissions).
            deadline = min(deadline, time.time() + 0.3)
    if a.expect_none:
        print("replies=%d" % len(replies))
        return 0 if not replies else 1
    if not replies:
        print("timeout")
        return 1
    for d, frm, elapsed in replies:
        r = parse_reply(d)
        if r is None:
            print("garbage len=%d from=%s:%d" % (len(d), frm[0], frm[1]))
            continue
        line = check_reply(d, r, ctx, st, a) + " from=%s:%d ms=%d" % (frm[0], frm[1], elapsed * 1000)
        print(line + (" hex=" + d.hex() if a.hex else ""))
    print("replies=%d" % len(replies))
    save_state(a.state, st)
    return 0


if __name__ == "__main__":
    sys.exit(main())
