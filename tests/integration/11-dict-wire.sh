#!/bin/bash
# Our dictionaries on the wire, checked by an independent decoder: dictwire
# builds AMR, AMA, HAR, HAA, BIR and BIA carrying every AVP of their rules with
# the freeDiameter API, serialises them (fd_msg_bufferize); text2pcap wraps them
# as Diameter over TCP; tshark (Wireshark's own Diameter dictionary) must decode
# every command and AVP by name, with the flags, vendor, bytes and value we
# encoded, and report nothing malformed, unknown or as an expert warning.
#
# Where Wireshark's dictionary and ours knowingly disagree, the table KNOWN in
# the checker says so; the test prints each such case, and fails on any other.
. "$(dirname "$0")/lib.sh"
it_setup dict-wire

port=$(it_port 20010)
dictwire="$IT_ROOT/$BUILD/tests/dictwire/dictwire"
it_check "dictwire built" test -x "$dictwire"
it_check "dictwire builds and writes the six messages" \
	"$dictwire" "$IT_DIR/msgs.hex" "$IT_DIR/expected.tsv"
it_check "text2pcap wraps them as TCP $((port + 1))->$port" \
	text2pcap -q -T "$((port + 1)),$port" "$IT_DIR/msgs.hex" "$IT_DIR/msgs.pcap" 2>"$IT_DIR/text2pcap.log"
tshark -r "$IT_DIR/msgs.pcap" -d "tcp.port==$port,diameter" -V >"$IT_DIR/tshark-V.txt" 2>"$IT_DIR/tshark.err" ||
	it_fail "tshark -V failed: $(cat "$IT_DIR/tshark.err")"
tshark -r "$IT_DIR/msgs.pcap" -d "tcp.port==$port,diameter" -T pdml >"$IT_DIR/tshark.pdml" 2>>"$IT_DIR/tshark.err" ||
	it_fail "tshark -T pdml failed"
it_eq "frames decoded as Diameter" 6 "$(grep -c '^Diameter Protocol' "$IT_DIR/tshark-V.txt")"

# Only the Diameter part of the -V text: the TCP layer of a synthetic capture
# has its own "unknown" (window scaling) lines that say nothing about us.
awk '/^Diameter Protocol/{d=1} /^Frame [0-9]+:/{d=0} d' "$IT_DIR/tshark-V.txt" >"$IT_DIR/diameter-V.txt"
# MIP-Feature-Vector is a bit mask; Wireshark's dictionary types it Enumerated
# and so prints a combination of bits as "Unknown (N)" (single bits get names).
grep -inE 'malformed|unknown|expert|warning' "$IT_DIR/diameter-V.txt" |
	grep -vE 'MIP-Feature-Vector(\(337\) l=12 f=-M- val=|: )Unknown \((272|112)\)$' >"$IT_DIR/complaints.txt"
it_check "tshark reports nothing malformed, unknown or expert (see complaints.txt)" test ! -s "$IT_DIR/complaints.txt"
it_check "no expert/malformed fields in the PDML" bash -c "! grep -qE 'name=\"_ws\\.(expert|malformed)' '$IT_DIR/tshark.pdml'"

python3 - "$IT_DIR/tshark.pdml" "$IT_DIR/expected.tsv" >"$IT_DIR/check.txt" <<'PY'
import re, sys, datetime
import xml.etree.ElementTree as ET

# (code, vendor) -> (our name, Wireshark's name), and enumerated constants
# (code, vendor, value) -> (ours, Wireshark's): the disagreements we know of.
KNOWN_NAMES = {
    (50, 0): ("Acct-Multi-Session-Id", "Accounting-Multi-Session-Id"),  # freeDiameter's base dictionary
    (402, 10415): ("NAF-Id", "NAF-Hostname"),
    (407, 10415): ("GBA-U-Awareness-Indicator", "GBA_U-Awareness-Indicator"),
}
KNOWN_CONSTANTS = {
    (345, 0, 2): ("HMAC-SHA-1 [HMAC]", "HMAC-SHA-1"),
    (346, 0, 2): ("Timestamp", "Timestamps"),
}
# Multi-bit MIP-Feature-Vector values, which Wireshark calls "Unknown (N)".
FV_BITS = {1, 2, 4, 8, 16, 32, 64, 128, 256}

pdml, exp_path = sys.argv[1], sys.argv[2]
expected, msgs = {}, {}
for line in open(exp_path):
    f = line.rstrip("\n").split("\t")
    if f[1] == "msg":
        msgs[int(f[0])] = (int(f[2]), int(f[3]), int(f[4]))
    else:
        expected.setdefault(int(f[0]), []).append(dict(
            depth=int(f[1]), code=int(f[2]), vendor=int(f[3]), flags=int(f[4]), name=f[5],
            kind=f[6], hex=f[7], show=f[8], const=f[9]))

failures, notes, checked = [], set(), 0
def fail(msg):
    failures.append(msg)

def field(el, name):
    for c in el:
        if c.get("name") == name:
            return c
    return None

def avps(el, depth, out):
    for c in el:
        if c.get("name") == "diameter.avp":
            out.append((depth, c))
            for g in c:  # a grouped AVP's members sit under its value field
                if g.get("name", "").startswith("diameter.") and field(g, "diameter.avp") is not None:
                    avps(g, depth + 1, out)
    return out

HDR = re.compile(r"^AVP: (?P<name>.+?)\((?P<code>\d+)\) l=(?P<len>\d+) f=(?P<f>\S+)"
                 r"(?: vnd=(?P<vnd>\S+))?(?: val=(?P<val>.*))?$")
root = ET.parse(pdml).getroot()
frames = root.findall("packet")
if len(frames) != len(msgs):
    fail("%d frames, expected %d" % (len(frames), len(msgs)))
for i, pkt in enumerate(frames, 1):
    d = next(p for p in pkt.findall("proto") if p.get("name") == "diameter")
    code, appl, flags = msgs[i]
    got = (int(field(d, "diameter.cmd.code").get("show")),
           int(field(d, "diameter.applicationId").get("show")),
           int(field(d, "diameter.flags").get("show"), 16))
    if got != (code, appl, flags):
        fail("frame %d: command/application/flags %s, expected %s" % (i, got, (code, appl, flags)))
    cmdname = field(d, "diameter.cmd.code").get("showname")
    print("frame %d: %s, application %d, flags 0x%02x" % (i, cmdname, appl, flags))
    found = avps(d, 0, [])
    exp = expected[i]
    if len(found) != len(exp):
        fail("frame %d: tshark shows %d AVPs, we encoded %d" % (i, len(found), len(exp)))
    for (depth, el), e in zip(found, exp):
        checked += 1
        m = HDR.match(el.get("showname"))
        where = "frame %d AVP %d (%s)" % (i, e["code"], e["name"])
        if not m:
            fail("%s: undecodable header %r" % (where, el.get("showname"))); continue
        if depth != e["depth"]:
            fail("%s: depth %d, expected %d" % (where, depth, e["depth"]))
        if int(m["code"]) != e["code"]:
            fail("%s: code %s" % (where, m["code"])); continue
        ws_name = m["name"]
        if ws_name != e["name"]:
            known = KNOWN_NAMES.get((e["code"], e["vendor"]))
            if known == (e["name"], ws_name):
                notes.add("AVP %d: ours %s, Wireshark %s" % (e["code"], e["name"], ws_name))
            else:
                fail("%s: Wireshark names it %r" % (where, ws_name))
        if int(field(el, "diameter.avp.flags").get("show"), 16) != e["flags"]:
            fail("%s: flags %s, expected 0x%02x" % (where, field(el, "diameter.avp.flags").get("show"), e["flags"]))
        vid = field(el, "diameter.avp.vendorId")
        if (int(vid.get("show")) if vid is not None else 0) != e["vendor"]:
            fail("%s: vendor %s" % (where, vid.get("show") if vid is not None else 0))
        raw = el.get("value")
        hdr = 12 if e["vendor"] else 8
        data = raw[2 * hdr: 2 * int(m["len"])]
        if e["kind"] != "grouped" and data != e["hex"]:
            fail("%s: bytes %s, expected %s" % (where, data, e["hex"]))
        val = m["val"]
        k = e["kind"]
        if k == "grouped":
            if val is not None:
                fail("%s: grouped AVP shown with a value %r" % (where, val))
            continue
        if val is None:
            fail("%s: no decoded value" % where); continue
        if k in ("text", "addr"):
            ok = val == e["show"]
        elif k == "time":
            t = datetime.datetime(1900, 1, 1) + datetime.timedelta(seconds=int(e["hex"], 16))
            ok = val.startswith(t.strftime("%b %e, %Y %H:%M:%S"))
        elif k == "octets":
            ok = val.rstrip("\u2026") != "" and e["hex"].startswith(val.rstrip("\u2026"))
        elif k in ("u32", "i32"):
            ok = val == e["show"] or val.endswith("(%s)" % e["show"])
        elif k == "enum":
            ok = val.endswith("(%s)" % e["show"]) or val == e["show"]
            ws_const = re.sub(r" \(\-?\d+\)$", "", val)
            if val.startswith("Unknown"):
                ok = ok and e["code"] == 337 and int(e["show"]) not in FV_BITS
                if ok:
                    notes.add("AVP 337 MIP-Feature-Vector: Wireshark types it Enumerated, so "
                              "combined bits show as Unknown (%s)" % e["show"])
            elif e["const"] and ws_const != e["const"] and ws_const != e["show"]:
                known = KNOWN_CONSTANTS.get((e["code"], e["vendor"], int(e["show"])))
                if known == (e["const"], ws_const):
                    notes.add("AVP %d value %s: ours %r, Wireshark %r" % (e["code"], e["show"], e["const"], ws_const))
                else:
                    fail("%s: constant %s is %r for Wireshark, %r for us" % (where, e["show"], ws_const, e["const"]))
        else:
            ok = False
        if not ok:
            fail("%s: Wireshark decodes %r, we encoded %r (%s)" % (where, val, e["show"] or e["hex"], k))
        print("  %s%s = %s" % ("  " * depth, ws_name, val))

for n in sorted(notes):
    print("known disagreement: " + n)
for f in failures:
    print("MISMATCH: " + f)
print("%d AVPs checked, %d mismatches" % (checked, len(failures)))
sys.exit(1 if failures else 0)
PY
rc=$?
grep -E '^(frame|known disagreement|MISMATCH|[0-9]+ AVPs)' "$IT_DIR/check.txt"
it_eq "every AVP decoded by tshark as we encoded it (check.txt)" 0 "$rc"
