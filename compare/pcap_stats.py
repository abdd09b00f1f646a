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
  pcap_stats.py gba PCAP PORT UBPORT  cold GBA bootstraps: the TCP connections to
                             the BSF's Ub port of one bootstrap and its first
                             registration, as one operation ("ub" and
                             "registration" hold the parts)

Prints one JSON object: "ops" (one entry per operation) and "median" (the
median of each field over the operations).  Fields: packets, messages (a
message split into IKE fragments counts once), round_trips (request/response
exchanges), frame_octets (Ethernet frames on the veth), ip_octets, udp_payload
(UDP payload; on port 4500 it includes the 4-octet non-ESP marker), wire_ms
(first to last packet of the operation).  Over TCP (Ub) a message is a flight:
the segments one side sends before the other answers (SYN and FIN count, bare
ACKs do not); a round trip is a flight of the MN's that the BSF answers, and
the payload is TCP's.
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
        "udp_payload": sum(int(p["udp.length"]) - 8 for p in pkts if "udp.length" in p),
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


def mip_groups(pcap, port):
    """Registration datagrams grouped by the low 32 bits of the Identification
    (read from the UDP payload, RFC 5944 layouts: at octet 16 of a request, 12
    of a reply); only groups with a request and a reply."""
    rows = tshark(pcap, "udp.port == %d" % port, ["frame.time_epoch", "frame.len", "ip.len", "udp.length",
                                                 "udp.payload"])
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
    return [pkts for pkts in by_id.values() if {1, 3} <= {p["type"] for p in pkts}]


def mip_ops(pcap, port):
    # A reply is "keyed" when it carries an MN-HA Key Generation Nonce Reply
    # (RFC 3957, type 43): the reply to a first registration.
    keyed_frames = set()
    for r in tshark(pcap, "mip.ext.type == 43", ["frame.time_epoch"], ("udp.port==%d,mip" % port,)):
        keyed_frames.add(r["frame.time_epoch"])
    ops = []
    for pkts in mip_groups(pcap, port):
        op = summarise(pkts, len({p["type"] for p in pkts}), 1)
        op["keyed"] = any(p["frame.time_epoch"] in keyed_frames for p in pkts if p["type"] == 3)
        op["t"] = min(float(p["frame.time_epoch"]) for p in pkts)
        ops.append(op)
    ops.sort(key=lambda o: o.pop("t"))
    return ops


UB_FIELDS = ["frame.time_epoch", "frame.len", "ip.len", "tcp.srcport", "tcp.stream", "tcp.len", "tcp.flags.syn",
             "tcp.flags.fin"]


def ub_flights(pkts, bsf_port):
    """Flights and round trips of one Ub connection, in capture order."""
    flights, round_trips, last = 0, 0, None
    for p in pkts:
        if int(p["tcp.len"]) == 0 and not flag(p["tcp.flags.syn"]) and not flag(p["tcp.flags.fin"]):
            continue
        side = "bsf" if int(p["tcp.srcport"]) == bsf_port else "mn"
        if side != last:
            flights += 1
            if side == "bsf" and last == "mn":
                round_trips += 1
            last = side
    return flights, round_trips


def gba_ops(pcap, port, ub_port):
    # mip4-mn runs every Ub bootstrap before the registrations: the Ub
    # connections, in time order, split into as many equal groups as there are
    # registrations, the i-th group with the i-th registration.  wire_ms is the
    # Ub group's time on the wire plus the registration's.
    streams = {}
    for p in tshark(pcap, "tcp.port == %d" % ub_port, UB_FIELDS):
        streams.setdefault(p["tcp.stream"], []).append(p)
    conns = sorted(streams.values(), key=lambda pkts: float(pkts[0]["frame.time_epoch"]))
    regs = sorted(mip_groups(pcap, port), key=lambda pkts: min(float(p["frame.time_epoch"]) for p in pkts))
    if not regs or not conns or len(conns) % len(regs):
        return []
    k = len(conns) // len(regs)
    ops = []
    for i, pkts in enumerate(regs):
        mine = conns[i * k:(i + 1) * k]
        ub_pkts = [p for c in mine for p in c]
        fl = [ub_flights(c, ub_port) for c in mine]
        ub = summarise(ub_pkts, sum(x[0] for x in fl), sum(x[1] for x in fl))
        ub.pop("udp_payload")
        ub["payload"] = sum(int(p["tcp.len"]) for p in ub_pkts)
        ub["connections"] = k
        reg = summarise(pkts, len({p["type"] for p in pkts}), 1)
        ops.append({
            "packets": ub["packets"] + reg["packets"],
            "messages": ub["messages"] + reg["messages"],
            "round_trips": ub["round_trips"] + reg["round_trips"],
            "frame_octets": ub["frame_octets"] + reg["frame_octets"],
            "ip_octets": ub["ip_octets"] + reg["ip_octets"],
            "wire_ms": round(ub["wire_ms"] + reg["wire_ms"], 3),
            "ub": ub, "registration": reg,
        })
    return ops


def median(ops):
    if not ops:
        return {}
    return {k: statistics.median(o[k] for o in ops) for k in ops[0] if isinstance(ops[0][k], (int, float))
            and not isinstance(ops[0][k], bool)}


def main(argv):
    if len(argv) < 3 or argv[1] not in ("ike", "rekey", "mip", "gba") or (argv[1] == "gba" and len(argv) < 5):
        sys.stderr.write(__doc__)
        return 2
    if argv[1] == "ike":
        ops = ike_ops(argv[2])
    elif argv[1] == "rekey":
        ops = rekey_ops(argv[2])
    elif argv[1] == "gba":
        ops = gba_ops(argv[2], int(argv[3]), int(argv[4]))
    else:
        ops = mip_ops(argv[2], int(argv[3]) if len(argv) > 3 else 434)
    print(json.dumps({"ops": ops, "median": median(ops)}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
