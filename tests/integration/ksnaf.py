#!/usr/bin/env python3
"""ksnaf.py SUBSCRIBERS IMPI B-TID NAF_FQDN UA_ID_HEX: print Ks_NAF (hex).

The independent side of the Ub key checks: MILENAGE f3/f4 (TS 35.206 §4.1)
from IMPI's K and OP (or OPc) in a subscriber file and the RAND inside the
B-TID (base64(RAND)@domain), Ks = CK || IK, then Ks_NAF with the TS 33.220
Annex B KDF ("gba-me").  AES comes from the openssl command; the MILENAGE here
is checked against TS 35.208 test set 1 before it is used.  No code in common
with the project.
"""
import base64
import hashlib
import hmac
import subprocess
import sys


def aes(k, b):
    return subprocess.run(["openssl", "enc", "-aes-128-ecb", "-nopad", "-K", k.hex()],
                          input=b, capture_output=True, check=True).stdout


def xor(a, b):
    return bytes(x ^ y for x, y in zip(a, b))


def ck_ik(k, opc, rand):
    t = xor(aes(k, xor(rand, opc)), opc)
    ck = xor(aes(k, xor(t[4:] + t[:4], bytes(15) + b"\x02")), opc)
    ik = xor(aes(k, xor(t[8:] + t[:8], bytes(15) + b"\x04")), opc)
    return ck, ik


def main():
    subs, impi, btid, fqdn, ua = sys.argv[1:]
    k1, op1 = bytes.fromhex("465b5ce8b199b49faa5f0a2ee238a6bc"), bytes.fromhex("cdc202d5123e20f62b6d676ac72cb318")
    ck, ik = ck_ik(k1, xor(aes(k1, op1), op1), bytes.fromhex("23553cbe9637a89d218ae64dae47bf35"))
    if (ck + ik).hex() != "b40ba9a3c58b2a05bbf0d987b21bf8cbf769bcd751044604127672711c6d3441":
        sys.exit("ksnaf.py: MILENAGE self-check against TS 35.208 set 1 failed")
    for line in open(subs):
        f = line.split()
        if not f or f[0] != impi:
            continue
        kv = dict(x.split("=", 1) for x in f[1:])
        k = bytes.fromhex(kv["k"])
        opc = bytes.fromhex(kv["opc"]) if "opc" in kv else xor(aes(k, bytes.fromhex(kv["op"])), bytes.fromhex(kv["op"]))
        rand = base64.b64decode(btid.split("@")[0])
        ck, ik = ck_ik(k, opc, rand)
        s = b"\x01"
        for p in (b"gba-me", rand, impi.encode(), fqdn.encode() + bytes.fromhex(ua)):
            s += p + len(p).to_bytes(2, "big")
        print(hmac.new(ck + ik, s, hashlib.sha256).hexdigest())
        return
    sys.exit(f"ksnaf.py: {impi} not in {subs}")


main()
