#!/usr/bin/env python3
"""Hand-made Ub requests for 41-ub-bad-requests.sh: what a broken or hostile
client sends a BSF.  Plain HTTP only.  One line per exchange on stdout:

    STATUS <code> [stale] [nonce=<nonce>]

usage: ubreq.py HOST PORT CASE [ARGS...]
  no-header | basic | garbage | two-headers | put | other-path | oversized
  initial IMPI REALM                    (the first request, as TS 24.109 §4.2)
  wrong-response IMPI REALM             401, then a response with a wrong RES, then
                                        the same nonce again
  bad-directive IMPI REALM WHICH        401, then a right-looking answer with one
                                        directive wrong: qop, uri, opaque, algorithm, nc
  replay AUTHORIZATION                  send this Authorization header value as it is
"""
import hashlib
import os
import re
import socket
import sys


def exchange(sock, head, body=b""):
    sock.sendall(head.encode() + body)
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        if not chunk:
            raise SystemExit("STATUS closed")
        data += chunk
    head, rest = data.split(b"\r\n\r\n", 1)
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    headers = {}
    for line in lines[1:]:
        k, v = line.split(":", 1)
        headers.setdefault(k.strip().lower(), v.strip())
    length = int(headers.get("content-length", "0"))
    while len(rest) < length:
        rest += sock.recv(65536)
    return status, headers


def report(status, headers):
    www = headers.get("www-authenticate", "")
    words = ["STATUS", str(status)]
    if re.search(r"stale=TRUE", www):
        words.append("stale")
    m = re.search(r'nonce="([^"]*)"', www)
    if m:
        words.append("nonce=" + m.group(1))
    print(" ".join(words), flush=True)


def get(sock, host, authz=None, extra="", method="GET", path="/"):
    head = "%s %s HTTP/1.1\r\nHost: %s\r\n" % (method, path, host)
    if authz is not None:
        head += "Authorization: %s\r\n" % authz
    head += extra + "\r\n"
    status, headers = exchange(sock, head)
    report(status, headers)
    return status, headers


def md5(s):
    return hashlib.md5(s).hexdigest()


def answer(impi, realm, www, password, qop="auth-int", uri="/", opaque=True, algorithm="AKAv1-MD5",
           nc="00000001"):
    nonce = re.search(r'nonce="([^"]*)"', www).group(1)
    op = re.search(r'opaque="([^"]*)"', www).group(1)
    cnonce = os.urandom(8).hex()
    ha1 = md5(impi.encode() + b":" + realm.encode() + b":" + password)
    ha2 = md5(("GET:%s:%s" % (uri, md5(b""))).encode())
    resp = md5(("%s:%s:%s:%s:%s:%s" % (ha1, nonce, nc, cnonce, qop, ha2)).encode())
    parts = ['username="%s"' % impi, 'realm="%s"' % realm, 'nonce="%s"' % nonce, 'uri="%s"' % uri,
             'response="%s"' % resp, "algorithm=%s" % algorithm, "qop=%s" % qop, "nc=%s" % nc,
             'cnonce="%s"' % cnonce]
    if opaque:
        parts.append('opaque="%s"' % op)
    return "Digest " + ", ".join(parts)


def main():
    host, port, case = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    args = sys.argv[4:]
    sock = socket.create_connection((host, port), timeout=10)
    hh = "%s:%d" % (host, port)
    initial = None
    if len(args) >= 2:
        initial = 'Digest username="%s", realm="%s", nonce="", uri="/", response=""' % (args[0], args[1])
    if case == "no-header":
        get(sock, hh)
    elif case == "basic":
        get(sock, hh, "Basic dXNlcjpwYXNz")
    elif case == "garbage":
        get(sock, hh, 'Digest username="a", realm=')
    elif case == "two-headers":
        get(sock, hh, 'Digest username="a", realm="b"', extra='Authorization: Digest username="c"\r\n')
    elif case == "put":
        get(sock, hh, 'Digest username="a"', method="PUT")
    elif case == "other-path":
        get(sock, hh, 'Digest username="a"', path="/other")
    elif case == "oversized":
        get(sock, hh, 'Digest username="a"', extra="X-Padding: %s\r\n" % ("x" * 16384))
    elif case == "initial":
        get(sock, hh, initial)
    elif case == "wrong-response":
        status, h = get(sock, hh, initial)
        if status == 401:
            authz = answer(args[0], args[1], h["www-authenticate"], os.urandom(8))
            get(sock, hh, authz)
            get(sock, hh, authz)
    elif case == "bad-directive":
        status, h = get(sock, hh, initial)
        if status == 401:
            which = args[2]
            kw = {"qop": {"qop": "auth"}, "uri": {"uri": "/elsewhere"}, "opaque": {"opaque": False},
                  "algorithm": {"algorithm": "MD5"}, "nc": {"nc": "1"}}[which]
            get(sock, hh, answer(args[0], args[1], h["www-authenticate"], os.urandom(8), **kw))
    elif case == "replay":
        get(sock, hh, args[0])
    else:
        raise SystemExit("ubreq.py: unknown case " + case)


main()
