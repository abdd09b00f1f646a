#!/usr/bin/env python3
"""Per-operation wire figures from a capture on the MN's link (tshark fields).

  pcap_stats.py ike PCAP     IKEv2 bootstraps, grouped by IKE_SA (initiator SPI):
                             IKE_SA_INIT + IKE_AUTH up to the last IKE_AUTH
                             response (the one that carries the CHILD_SA)
  pcap_stats.py rekey PCAP   IKE_SA rekeys: CREATE_CHILD_SA exchanges and the
                             INFORMATIONAL exchanges that delete the old IKE_SA
  pcap_stats.py mip PCAP [PORT]  Mobile IPv4 registrations: RRQ and RRP grouped
                             by the low 32 bits of the Identification, in time
                             order; "keyed" ones got an RFC 3957 key (first
                             registrations)

Prints one JSON object: "ops" (one entry per operation) and "median" (the
median of each field over the operations).  Fields: packets, messages (a
message split into IKE fragments counts once), round_trips (request/response
exchanges), frame_octets (Ethernet frames on the veth), ip_octets, udp_payload
(UDP payload; on port 4500 it includes the 4-octet non-ESP marker), wire_ms
(first to last packet of the operation).
"""
import json
import statistics
import subprocess
import sys

IKE_SA_INIT, IKE_AUTH, CREATE_CHILD_SA, INFORMATIONAL = 34, 35, 36, 37


def tshark(pcap, display_filter, fields, decode_as=()):
    cmd = ["tshark", "-r", pcap, "-Y", display_filter, "-T", "fields", "-E", "separator=\t",
           "-E", "occurrence=f"]
    for d in decode_as:
        cmd += ["-d", d]
    for f in fields:
        cmd += ["-e", f]
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    rows = []
    for line in out.splitlines():
        cols = line.split("\t")
        if len(cols) == len(fields) and all(c != "" for c in cols):
            rows.append(dict(zip(fields, cols)))
    return rows


def flag(v):
    return v in ("1", "True", "true")


def as_int(v):
    return int(v, 0) if v.startswith("0x") else int(v)


def summarise(pkts, messages, round_trips):
    t = [float(p["frame.time_epoch"]) for p in pkts]
    return {
        "packets": len(pkts),
        "messages": messages,
        "round_trips": round_trips,
        "frame_octets": sum(int(p["frame.len"]) for p in pkts),
        "ip_octets": sum(int(p["ip.len"]) for p in pkts),
        "udp_payload": sum(int(p["udp.length"]) - 8 for p in pkts),
        "wire_ms": round((max(t) - min(t)) * 1e3, 3),
    }


IKE_FIELDS = ["frame.time_epoch", "frame.len", "ip.len", "udp.length", "isakmp.ispi",
              "isakmp.exchangetype", "isakmp.flag_r", "isakmp.messageid"]


def ike_by_sa(pcap):
    """IKE packets grouped by IKE_SA (initiator SPI), in capture order."""
    by_sa = {}
    for p in tshark(pcap, "isakmp", IKE_FIELDS):
        by_sa.setdefault(p["isakmp.ispi"], []).append(p)
    return by_sa.values()


def ike_ops(pcap):
    ops = []
    for pkts in ike_by_sa(pcap):
        boot = [p for p in pkts if as_int(p["isakmp.exchangetype"]) in (IKE_SA_INIT, IKE_AUTH)]
        if not boot or not any(as_int(p["isakmp.exchangetype"]) == IKE_SA_INIT for p in boot):
            continue
        msgs = {(p["isakmp.messageid"], flag(p["isakmp.flag_r"])) for p in boot}
        exchanges = {p["isakmp.messageid"] for p in boot}
        last_resp = [p for p in boot if flag(p["isakmp.flag_r"])]
        if not last_resp:
            continue
        ops.append(summarise(boot, len(msgs), len(exchanges)))
    return ops


def rekey_ops(pcap):
    # Each IKE rekey: one CREATE_CHILD_SA exchange on the old IKE_SA, then an
    # INFORMATIONAL exchange deleting it.  Teardown at the end of the run (an
    # INFORMATIONAL not preceded by a rekey on that SA) is left out.
    ops = []
    for pkts in ike_by_sa(pcap):
        if not any(as_int(p["isakmp.exchangetype"]) == CREATE_CHILD_SA for p in pkts):
            continue
        keep = [p for p in pkts if as_int(p["isakmp.exchangetype"]) in (CREATE_CHILD_SA, INFORMATIONAL)]
        msgs = {(p["isakmp.messageid"], flag(p["isakmp.flag_r"])) for p in keep}
        exchanges = {p["isakmp.messageid"] for p in keep}
        ops.append(summarise(keep, len(msgs), len(exchanges)))
    return ops


def mip_ops(pcap, port):
    # The Identification is read from the UDP payload (RFC 5944 layouts: at
    # octet 16 of a request, 12 of a reply); a reply is "keyed" when it carries
    # an MN-HA Key Generation Nonce Reply (RFC 3957, type 43): the reply to a
    # first registration.
    rows = tshark(pcap, "udp.port == %d" % port, ["frame.time_epoch", "frame.len", "ip.len", "udp.length",
                                                 "udp.payload"])
    keyed_frames = set()
    for r in tshark(pcap, "mip.ext.type == 43", ["frame.time_epoch"], ("udp.port==%d,mip" % port,)):
        keyed_frames.add(r["frame.time_epoch"])
    by_id = {}
    for p in rows:
        payload = bytes.fromhex(p["udp.payload"].replace(":", ""))
        if not payload or payload[0] not in (1, 3):
            continue
        off = 16 if payload[0] == 1 else 12
        if len(payload) < off + 8:
            continue
        ident = int.from_bytes(payload[off + 4:off + 8], "big")
        p["type"] = payload[0]
        by_id.setdefault(ident, []).append(p)
    ops = []
    for pkts in by_id.values():
        types = [p["type"] for p in pkts]
        if 1 not in types or 3 not in types:
            continue
        op = summarise(pkts, len(set(types)), 1)
        op["keyed"] = any(p["frame.time_epoch"] in keyed_frames for p in pkts if p["type"] == 3)
        op["t"] = min(float(p["frame.time_epoch"]) for p in pkts)
        ops.append(op)
    ops.sort(key=lambda o: o.pop("t"))
    return ops


def median(ops):
    if not ops:
        return {}
    return {k: statistics.median(o[k] for o in ops) for k in ops[0] if not isinstance(ops[0][k], bool)}


def main(argv):
    if len(argv) < 3 or argv[1] not in ("ike", "rekey", "mip"):
        sys.stderr.write(__doc__)
        return 2
    if argv[1] == "ike":
        ops = ike_ops(argv[2])
    elif argv[1] == "rekey":
        ops = rekey_ops(argv[2])
    else:
        ops = mip_ops(argv[2], int(argv[3]) if len(argv) > 3 else 434)
    print(json.dumps({"ops": ops, "median": median(ops)}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
