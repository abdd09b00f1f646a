#!/usr/bin/env bash
# Regenerate the seed corpora of the registration-message fuzzers:
#   corpus/fuzz_reg_request/  the full RRQs of tests/data/vectors.json and the
#                             73-octet RRQ of RFC-NOTES.md §7 (plus variants
#                             with every other request extension)
#   corpus/fuzz_reg_reply/    the 99-octet RRP of RFC-NOTES.md §7 (plus a
#                             variant with the FA-side extensions)
#   corpus/fa_fuzz_relay/     the requests above as coming from the visited link
#                             (first octet 0), the replies as from the home
#                             agent (2) and an ICMP error (3)
#   corpus/fuzz_adv/          the hand-made Agent Advertisement, Agent
#                             Solicitation and UDP datagram of test_lib_adv.c
#                             and test_lib_inet.c
#   corpus/fuzz_ipip/         an echo request CN -> home address, a 1500-octet
#                             UDP datagram without DF, and both encapsulated
#                             (RFC 2003) from a care-of address to the HA
#   corpus/ha_fuzz_fwd/       the same, plus a reverse-tunnelled datagram that
#                             the fuzzer's table accepts (RFC 3024)
#   corpus/fa_fuzz_forward/   IP-in-IP from the home agent to a visitor, and a
#                             visitor's datagram from its link-layer address
#                             and from another one
# usage: tests/fuzz/make-corpus.sh   (from the top of the tree)
set -euo pipefail
cd "$(dirname "$0")/../.."

python3 - tests/data/vectors.json tests/fuzz/corpus <<'PY'
import json, os, sys

vectors = json.load(open(sys.argv[1]))
top = sys.argv[2]

# RFC-NOTES.md §7, the worked example.
rrq_fixed = "01200708c000020ac0000201c6336414e8a3b2c100000001"
rrp_fixed = "03000708c000020ac0000201e8a3b2c100000001"
nai = "830f6d6e31406578616d706c652e6f7267"
keyreq = "2a01000400001001"
mn_aaa = "2401001400000100" "1c5accbc0acc9997890b01a9b8689a50"
nonce = "a0a1a2a3a4a5a6a7a8a9aaabacadaeaf"
keyrep = "2b01002000000e10000001000000200200020002" + nonce
mn_ha20 = "201800001001ffa1892e6987745684bd455606bfcf2650095aa6"
a16 = "00112233445566778899aabbccddeeff"
mn_ha = "201400000100" + a16
mn_fa = "211400000200" + a16
fa_ha = "221400000300" + a16
chal = "84100102030405060708090a0b0c0d0e0f10"
fa_keyreq = "2801000400003003"
fa_keyrep = "2901001e00000e100000010000003003" "0002" + nonce
skip = "c803787978"

seeds = {
    "fuzz_reg_request": {
        "rfc-notes-rrq-73": rrq_fixed + nai + keyreq + mn_aaa,
        "vector-mn-ha-rrq": vectors["mn_ha_auth_hmac_md5_rfc5944"]["full_rrq"],
        "every-request-extension":
            rrq_fixed + "00" + nai + keyreq + fa_keyreq + mn_ha + chal + mn_aaa + mn_fa + fa_ha + skip,
    },
    "fuzz_reg_reply": {
        "rfc-notes-rrp-99": rrp_fixed + nai + keyrep + mn_ha20,
        "every-reply-extension": rrp_fixed + nai + keyrep + fa_keyrep + mn_ha20 + mn_fa + chal + fa_ha + skip + "00",
    },
    "fuzz_adv": {
        "reference-advertisement": "0910acaa01020009c633640100000000100a000707081100c63364011301181804deadbeef00",
        "solicitation": "0a00f5ff00000000",
        "udp-datagram": "4500001f123440004011f45fc63364010a01000501b20bb8000bf9d0616263",
    },
}
seeds["fa_fuzz_relay"] = {
    "request-rfc-notes": "00" + seeds["fuzz_reg_request"]["rfc-notes-rrq-73"],
    "request-every-extension": "00" + seeds["fuzz_reg_request"]["every-request-extension"],
    "reply-rfc-notes": "02" + seeds["fuzz_reg_reply"]["rfc-notes-rrp-99"],
    "icmp-error": "03" + seeds["fuzz_reg_request"]["rfc-notes-rrq-73"],
}
def csum(b):
    if len(b) % 2:
        b += b"\0"
    s = sum(int.from_bytes(b[i:i + 2], "big") for i in range(0, len(b), 2))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return (~s) & 0xffff

def ipv4(src, dst, proto, payload, df=False, tos=0):
    h = bytearray([0x45, tos]) + (20 + len(payload)).to_bytes(2, "big") + bytes([0, 1, 0x40 if df else 0, 0, 64, proto, 0, 0])
    h += bytes(src) + bytes(dst)
    h[10:12] = csum(bytes(h)).to_bytes(2, "big")
    return bytes(h) + payload

cn, hoa, ha, coa = [10, 23, 0, 2], [10, 23, 1, 1], [10, 23, 0, 1], [198, 51, 100, 2]
echo = bytearray([8, 0, 0, 0, 0, 1, 0, 1]) + bytes(range(56))
echo[2:4] = csum(bytes(echo)).to_bytes(2, "big")
ping = ipv4(cn, hoa, 1, bytes(echo), df=True)
big = ipv4(cn, hoa, 17, bytes(8) + bytes(i & 0xff for i in range(1472)))
seeds["fuzz_ipip"] = {
    "ping": ping.hex(),
    "ipip-ping": ipv4(coa, ha, 4, ping).hex(),
    "udp-1500-nodf": big.hex(),
    "ipip-udp-1500": ipv4(coa, ha, 4, big, tos=0xb8).hex(),
}
seeds["ha_fuzz_fwd"] = dict(seeds["fuzz_ipip"])
seeds["ha_fuzz_fwd"]["reverse-tunnelled"] = ipv4([203, 0, 113, 2], ha, 4, ipv4([10, 23, 1, 2], cn, 1, bytes(echo))).hex()

# fa_fuzz_forward's table: visitors 10.1.0.5 (MAC ...:01) and 10.1.0.6 (MAC
# ...:02, reverse tunnelling), home agent 10.1.0.1, care-of address 198.51.100.1;
# the first octet picks the link-layer address of the link-side datagram.
fa_coa, fa_ha, fa_cn = [198, 51, 100, 1], [10, 1, 0, 1], [192, 0, 2, 2]
to_mn = ipv4(fa_cn, [10, 1, 0, 5], 1, bytes(echo), df=True)
from_mn = ipv4([10, 1, 0, 6], fa_cn, 1, bytes(echo))
seeds["fa_fuzz_forward"] = {
    "tunnelled-to-visitor": ipv4(fa_ha, fa_coa, 4, to_mn).hex(),
    "tunnelled-1500-nodf": ipv4(fa_ha, fa_coa, 4, ipv4(fa_cn, [10, 1, 0, 6], 17, bytes(1480))).hex(),
    "from-visitor-reverse": (bytes([1]) + from_mn).hex(),
    "from-visitor-wrong-mac": (bytes([0]) + from_mn).hex(),
}

for i, case in enumerate(vectors["mn_aaa_auth"]["cases"]):
    seeds["fuzz_reg_request"]["vector-mn-aaa-rrq-%d" % i] = case["full_rrq_rfc3012"]

for fuzzer, files in seeds.items():
    d = os.path.join(top, fuzzer)
    os.makedirs(d, exist_ok=True)
    for name, hexstr in files.items():
        with open(os.path.join(d, name), "wb") as f:
            f.write(bytes.fromhex(hexstr))
        print("%s/%s: %d octets" % (fuzzer, name, len(hexstr) // 2))
PY
