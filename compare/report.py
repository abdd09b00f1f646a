#!/usr/bin/env python3
"""Turn one run of compare/compare.sh into report.json, report.md and
report.png (gnuplot).

  report.py RAW_DIR OUT_DIR

Reads only what compare.sh left in RAW_DIR (captures summarised by
pcap_stats.py, per-operation samples, load windows, iperf3 results, status
files); computes medians, per-operation CPU and the ratios the issue's aims
are judged on.  Every row of the table is there: one that did not run says why.
"""
import json
import os
import re
import shutil
import statistics
import subprocess
import sys

ROWS = [
    # id, label, family
    ("ike-aka-rsa", "IKEv2 EAP-AKA, HA cert RSA-2048", "ike"),
    ("ike-aka-ecdsa", "IKEv2 EAP-AKA, HA cert ECDSA P-256", "ike"),
    ("ike-aka-eaponly", "IKEv2 EAP-AKA, EAP-only (RFC 5998)", "ike"),
    ("ike-psk", "IKEv2 PSK (the floor of IKEv2)", "ike"),
    ("mip4-m1-warm", "MIPv4 + GBA method 1, warm (Ub done)", "mip4"),
    ("mip4-m1-cold", "MIPv4 + GBA method 1, cold (Ub + registration)", "mip4"),
    ("mip4-m2", "MIPv4 + GBA method 2 (HA as NAF)", "mip4"),
]
# Which load-tester variant measures which IKEv2 row under load.
IKE_LOAD = {"ike-aka-rsa": "aka-rsa", "ike-aka-eaponly": "aka-eaponly", "ike-psk": "psk"}
IKE_LOAD_MISSING = {
    "ike-aka-ecdsa": "load-tester signs only with RSA issuer keys (load_tester_creds.c), so no ECDSA load run",
}
DATAPATHS = [
    ("dp-ipip", "ipip", "MIPv4: our IP-in-IP tunnel (mip4-ha data plane, mip4-mn --tun)"),
    ("dp-esp", "esp", "IKEv2: strongSwan ESP tunnel (libipsec, aes128gcm16, UDP-encapsulated)"),
    ("dp-plain", "plain", "reference: plain routing through the HA namespace, no tunnel"),
]


def load(path, default=None):
    try:
        with open(path) as f:
            return json.load(f)
    except (OSError, ValueError):
        return default


def jsonl(path):
    out = []
    try:
        with open(path) as f:
            for line in f:
                line = line.strip()
                if line.startswith("{"):
                    try:
                        out.append(json.loads(line))
                    except ValueError:
                        pass
    except OSError:
        pass
    return out


def med(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def rnd(v, nd=1):
    if v is None:
        return None
    return round(v, nd) if nd else int(round(v))


# ---- IKEv2 ---------------------------------------------------------------------

def ike_seq(d):
    ops = jsonl(os.path.join(d, "ops.jsonl"))
    ok = [o for o in ops if o.get("ok")]
    wire = (load(os.path.join(d, "wire.json")) or {}).get("median", {})
    return {
        "n": len(ops), "ok": len(ok),
        "time_to_sa_ms": rnd(med(o["wall_ms"] for o in ok), 2),
        "time_to_sa_range_ms": [min(o["wall_ms"] for o in ok), max(o["wall_ms"] for o in ok)] if ok else None,
        "cpu_mn_us": rnd(med(o["cpu_mn_us"] for o in ok), 0),
        "cpu_ha_us": rnd(med(o["cpu_ha_us"] for o in ok), 0),
        "wire": wire,
        "behind_ha": {"messages": 0, "round_trips": 0, "octets": 0,
                      "note": "none: the EAP-AKA server (eap-aka-3gpp) runs inside the HA's charon"},
    }


def ike_load(raw, variant, ncpu):
    w = load(os.path.join(raw, "load", "ike-%s.json" % variant))
    if not w:
        return None
    secs = w["end"] - w["start"]        # the whole seconds the log lines are counted in
    cpu_s = w.get("cpu_s") or secs      # the real span of the CPU samples
    est = w.get("established", 0)
    rate = est / secs if secs else 0
    per = rate * cpu_s                  # setups during the CPU span
    return {
        "per_s": rnd(rate, 1), "window_s": secs, "operations": est,
        "cpu_mn_us": rnd(w["cpu_mn_us"] / per, 0) if per else None,
        "cpu_ha_us": rnd(w["cpu_ha_us"] / per, 0) if per else None,
        "our_busy_pct": rnd(100.0 * (w["cpu_mn_us"] + w["cpu_ha_us"]) / (cpu_s * 1e6 * ncpu), 1),
        "machine_busy_pct": w.get("machine_busy_pct"),
        "method": "strongSwan load-tester, 2 initiator threads 1 ms apart, no window (open loop), each "
                  "IKE_SA deleted once established, SAs not installed (fake_kernel)",
    }


# ---- Mobile IPv4 ---------------------------------------------------------------

# freeDiameterd's message dumps: "RCV from"/"SND to", command code, request flag, length.
def dump_pat(direction, cmd, request):
    return re.compile(r"%s '[^']*':.*(?<![0-9])%s f:%s.*len:(\d+)" % (direction, cmd, "R" if request else "-"))


def dump_counts(d, logs, n, round_trip_names, note):
    """Messages per registration matched in the logs of d ({log: [(name, pattern)]}); None without them."""
    counts = {name: 0 for ps in logs.values() for name, _ in ps}
    octets = 0
    for log, ps in logs.items():
        try:
            with open(os.path.join(d, log)) as fh:
                for line in fh:
                    for name, pat in ps:
                        m = pat.search(line)
                        if m:
                            counts[name] += 1
                            octets += int(m.group(1))
        except OSError:
            return None
    if not n:
        return None
    return {
        "messages": rnd(sum(counts.values()) / n, 2),
        "round_trips": rnd(sum(counts[k] for k in round_trip_names) / n, 2),
        "octets": rnd(octets / n, 0),
        "per_registration": {k: rnd(v / n, 2) for k, v in counts.items()},
        "note": note,
    }


def diameter_counts(d, n):
    """AMR/AMA and BIR/BIA per registration, as the AAA logged them."""
    return dump_counts(d, {"aaa.log": [("AMR", dump_pat("RCV from", "2/260", True)),
                                       ("AMA", dump_pat("SND to", "2/260", False)),
                                       ("BIR", dump_pat("SND to", "16777220/310", True)),
                                       ("BIA", dump_pat("RCV from", "16777220/310", False))]},
                       n, ("AMR", "BIR"),
                       "Diameter messages behind the HA (HA-AAA AMR/AMA, AAA-BSF Zn BIR/BIA), octets of the "
                       "Diameter messages without TCP/TLS")


def mip4_between(cpu):
    """Per-operation CPU of the MN and of the servers (HA + AAA + BSF) between
    the first and the last outcome of a run (run_cpu.py --between-outcomes)."""
    b = (cpu or {}).get("between")
    if not b or not b.get("ops"):
        return None, None
    return rnd(b["cmd_cpu_us"] / b["ops"], 0), rnd(sum(b["pids_cpu_us"].values()) / b["ops"], 0)


def mip4_ops(d, phase):
    return [o for o in jsonl(os.path.join(d, "ops.jsonl")) if o.get("phase") == phase]


def mip4_seq(raw, name, phase, keyed):
    d = os.path.join(raw, "seq", name)
    ops = mip4_ops(d, phase)
    ok = [o for o in ops if o.get("code") in (0, 1)]
    wire_ops = [o for o in (load(os.path.join(d, "wire.json")) or {}).get("ops", []) if o.get("keyed") == keyed]
    wire = {k: med(o[k] for o in wire_ops) for k in wire_ops[0] if k != "keyed"} if wire_ops else {}
    mn, ha = mip4_between(load(os.path.join(d, "cpu.json")))
    return {
        "n": len(ops), "ok": len(ok),
        "time_to_sa_ms": rnd(med(o["rtt_us"] / 1e3 for o in ok), 2),
        "time_to_sa_range_ms": [min(o["rtt_us"] for o in ok) / 1e3, max(o["rtt_us"] for o in ok) / 1e3] if ok else None,
        "cpu_mn_us": mn, "cpu_ha_us": ha,
        "wire": wire,
        "behind_ha": diameter_counts(d, len(ops)) if phase == "initial" else
        {"messages": 0, "round_trips": 0, "octets": 0, "note": "none: MN-HA authentication at the HA"},
    }


def gba_behind(d, n):
    """Diameter for a cold bootstrap away from the MN's link: AMR/AMA between HA and AAA (aaa.log), Zn BIR/BIA
    and Zh MAR/MAA at the BSF (bsf.log: whoever asked, the AAA in method 1, the HA in method 2)."""
    return dump_counts(d, {"aaa.log": [("AMR", dump_pat("RCV from", "2/260", True)),
                                       ("AMA", dump_pat("SND to", "2/260", False))],
                           "bsf.log": [("BIR", dump_pat("RCV from", "16777220/310", True)),
                                       ("BIA", dump_pat("SND to", "16777220/310", False)),
                                       ("MAR", dump_pat("SND to", "16777221/303", True)),
                                       ("MAA", dump_pat("RCV from", "16777221/303", False))]},
                       n, ("AMR", "BIR", "MAR"),
                       "Diameter away from the MN's link: HA-AAA AMR/AMA, Zn BIR/BIA at the BSF, Zh MAR/MAA between "
                       "BSF and HSS (during Ub); octets of the Diameter messages without TCP/TLS")


def gba_cpu(cpu, lines):
    """CPU per cold bootstrap, MN and servers, from the spans of run_cpu.py's between_phases: mip4-mn runs
    the N Ub bootstraps, then the N registrations, so the span from the first registration holds N-1
    registrations (R each) and the span from the first Ub N-1 bootstraps and N registrations."""
    bp = (cpu or {}).get("between_phases") or {}
    ub, reg = bp.get("ub"), bp.get("initial")
    phases = [o.get("phase") for o in lines if o.get("phase") in ("ub", "initial")]
    n = phases.count("initial")
    if not ub or not reg or n < 2 or phases != ["ub"] * n + ["initial"] * n:
        return None, None
    out = []
    for total in (lambda s: s["cmd_cpu_us"], lambda s: sum(s["pids_cpu_us"].values())):
        r = total(reg) / (n - 1)
        u = (total(ub) - n * r) / (n - 1)
        out.append(rnd(u + r, 0))
    return out[0], out[1]


def gba_pairs(lines):
    """(Ub outcome, accepted first registration) of each cold bootstrap, paired by B-TID (the registration's NAI)."""
    ubs = {o.get("btid"): o for o in lines if o.get("phase") == "ub" and o.get("status") == 200}
    return [(ubs[o["nai"]], o) for o in lines
            if o.get("phase") == "initial" and o.get("code") in (0, 1) and o.get("nai") in ubs]


def mip4_seq_gba(raw, name):
    """A cold row: Ub then the first registration, paired by B-TID (the ub line's btid, the registration's NAI)."""
    d = os.path.join(raw, "seq", name)
    lines = jsonl(os.path.join(d, "ops.jsonl"))
    regs = [o for o in lines if o.get("phase") == "initial"]
    ok = gba_pairs(lines)
    wire_json = load(os.path.join(d, "wire.json")) or {}
    wire = dict(wire_json.get("median") or {})
    ops = wire_json.get("ops") or []
    if ops:
        wire["ub"] = {k: med(o["ub"][k] for o in ops) for k in ops[0]["ub"]}
        wire["registration"] = {k: med(o["registration"][k] for o in ops) for k in ops[0]["registration"]}
    mn, ha = gba_cpu(load(os.path.join(d, "cpu.json")), lines)
    times = [u["ms"] + r["rtt_us"] / 1e3 for u, r in ok]
    return {
        "n": len(regs), "ok": len(ok),
        "time_to_sa_ms": rnd(med(times), 2),
        "time_to_sa_range_ms": [min(times), max(times)] if times else None,
        "ub_ms": rnd(med(u["ms"] for u, _ in ok), 2),
        "registration_ms": rnd(med(r["rtt_us"] / 1e3 for _, r in ok), 2),
        "cpu_mn_us": mn, "cpu_ha_us": ha,
        "wire": wire,
        "behind_ha": gba_behind(d, len(regs)),
    }


def mn_summary(path):
    """mip4-mn's text summary line as a dict of numbers."""
    try:
        with open(path) as f:
            lines = [l for l in f if l.startswith("summary:")]
    except OSError:
        return None
    if not lines:
        return None
    out = {}
    for tok in lines[-1].split()[1:]:
        k, _, v = tok.partition("=")
        m = re.match(r"([0-9.]+)", v)
        if m:
            out[k] = float(m.group(1))
    return out


def mip4_load(raw, name, base_name, ncpu):
    s = mn_summary(os.path.join(raw, "load", name + ".txt"))
    main = load(os.path.join(raw, "load", name + ".cpu.json"))
    if not s or not main:
        return None
    base = load(os.path.join(raw, "load", base_name + ".cpu.json")) if base_name else None
    ops = s.get("accepted", 0)
    if base:
        mn = (main["cmd_cpu_us"] - base["cmd_cpu_us"]) / ops if ops else None
        ha = (sum(main["pids_cpu_us"].values()) - sum(base["pids_cpu_us"].values())) / ops if ops else None
    else:
        mn = main["cmd_cpu_us"] / ops if ops else None
        ha = sum(main["pids_cpu_us"].values()) / ops if ops else None
    busy = None
    if main.get("wall_s"):
        busy = 100.0 * (main["cmd_cpu_us"] + sum(main["pids_cpu_us"].values())) / (main["wall_s"] * 1e6 * ncpu)
    return {
        "per_s": rnd(s.get("rate"), 1), "window_s": s.get("elapsed"), "operations": int(ops),
        "sent": int(s.get("sent", 0)), "timeouts": int(s.get("timeouts", 0)),
        "p50_ms": rnd(s.get("p50", 0) / 1e3, 2), "p99_ms": rnd(s.get("p99", 0) / 1e3, 2),
        "cpu_mn_us": rnd(mn, 1), "cpu_ha_us": rnd(ha, 1),
        "our_busy_pct": rnd(busy, 1), "machine_busy_pct": main.get("machine_busy_pct"),
        "method": "mip4-mn --load, 64 requests outstanding at most (closed window), TLS between HA, AAA "
                  "and BSF, no per-message logging",
    }


# ---- data path -----------------------------------------------------------------

def iperf(path):
    j = load(path)
    if not j:
        return None
    if j.get("error"):
        return {"error": j["error"]}
    end = j.get("end", {})
    rec = end.get("sum_received") or end.get("sum") or {}
    sent = end.get("sum_sent") or {}
    return {"received_mbps": rnd(rec.get("bits_per_second", 0) / 1e6, 1),
            "sent_mbps": rnd(sent.get("bits_per_second", 0) / 1e6, 1),
            "lost_pct": rnd(rec.get("lost_percent"), 2) if "lost_percent" in rec else None}


def datapath(raw, key):
    d = os.path.join(raw, "dp", key)
    if not os.path.isdir(d):
        return None
    tcp = iperf(os.path.join(d, "tcp.json"))
    udp_max = iperf(os.path.join(d, "udp-max.json"))
    best = None
    i = 1
    while os.path.exists(os.path.join(d, "udp-%d.json" % i)):
        r = iperf(os.path.join(d, "udp-%d.json" % i))
        if r and r.get("lost_pct") is not None and r["lost_pct"] <= 1.0:
            best = r
            break
        i += 1
    return {"tcp_mbps": tcp.get("received_mbps") if tcp and "error" not in tcp else None,
            "udp_unlimited": udp_max, "udp_le1pct_loss_mbps": best["received_mbps"] if best else None,
            "errors": [x["error"] for x in (tcp, udp_max) if x and "error" in x]}


# ---- the whole report ----------------------------------------------------------

def build(raw):
    machine = load(os.path.join(raw, "machine.json"), {})
    ncpu = machine.get("cpus", 2)
    report = {
        "machine": machine, "versions": load(os.path.join(raw, "versions.json"), {}),
        "plugins": load(os.path.join(raw, "plugins.json")), "netem": load(os.path.join(raw, "netem.json")),
        "run": load(os.path.join(raw, "run.json"), {}), "rows": [], "keep": {}, "datapath": [], "aims": [],
    }
    rtts = sorted(int(x) for x in os.listdir(os.path.join(raw, "rtt")) if x.isdigit()) \
        if os.path.isdir(os.path.join(raw, "rtt")) else []
    for rid, label, family in ROWS:
        st = load(os.path.join(raw, "status", rid + ".json"), {"status": "not-run",
                                                               "reason": "no result from this run"})
        row = {"id": rid, "label": label, "family": family, "status": st["status"], "reason": st.get("reason", "")}
        if st["status"] == "ok" or os.path.isdir(os.path.join(raw, "seq", rid)):
            if family == "ike":
                row["seq"] = ike_seq(os.path.join(raw, "seq", rid))
            elif rid == "mip4-m1-warm":
                row["seq"] = mip4_seq(raw, rid, "initial", True)
            else:
                row["seq"] = mip4_seq_gba(raw, rid)
        if family == "ike":
            v = IKE_LOAD.get(rid)
            row["load"] = ike_load(raw, v, ncpu) if v else None
            if not v:
                row["load_missing"] = IKE_LOAD_MISSING.get(rid)
            row["cold_warm"] = "cold" if "aka" in rid else "warm"
        elif rid == "mip4-m1-warm":
            row["load"] = mip4_load(raw, "mip4-initial", None, ncpu)
            if row["load"]:
                row["load"]["method"] += ("; the AAA keeps home address assignments in memory, as charon's pool "
                                          "does")
            zc = mip4_load(raw, "mip4-initial-zncached", "mip4-initial-zncached-base", ncpu)
            if zc:
                zc["method"] += ("; a new MN-HA key for a B-TID whose Ks_NAF the AAA has cached (no Zn round "
                                 "trip: 1 MN-HA + 1 AAA round trip), 2000 nodes registered once before")
                row["load_zncached"] = zc
            sf = mip4_load(raw, "mip4-initial-statefile", None, ncpu)
            if sf:
                sf["method"] += ("; every registration a subscriber the AAA has never seen, whose address "
                                 "assignment it writes to its pool-state-file and fdatasyncs first")
                row["load_statefile"] = sf
            row["cold_warm"] = "warm"
        else:
            row["cold_warm"] = "cold"
        row["rtt"] = {}
        for r in rtts:
            d = os.path.join(raw, "rtt", str(r), rid)
            if not os.path.isdir(d):
                continue
            if family == "ike":
                ok = [o for o in jsonl(os.path.join(d, "ops.jsonl")) if o.get("ok")]
                row["rtt"][str(r)] = {"time_to_sa_ms": rnd(med(o["wall_ms"] for o in ok), 1), "ok": len(ok)}
            elif rid == "mip4-m1-warm":
                ok = [o for o in mip4_ops(d, "initial") if o.get("code") in (0, 1)]
                row["rtt"][str(r)] = {"time_to_sa_ms": rnd(med(o["rtt_us"] / 1e3 for o in ok), 1), "ok": len(ok)}
            else:
                ok = gba_pairs(jsonl(os.path.join(d, "ops.jsonl")))
                row["rtt"][str(r)] = {"time_to_sa_ms": rnd(med(u["ms"] + g["rtt_us"] / 1e3 for u, g in ok), 1),
                                      "ok": len(ok)}
        report["rows"].append(row)

    # Keeping the security association.
    d = os.path.join(raw, "keep", "ike-rekey")
    if os.path.isdir(d):
        k = ike_seq(d)
        k["wire"] = (load(os.path.join(d, "wire.json")) or {}).get("median", {})
        k.pop("behind_ha", None)
        k["what"] = "IKE_SA rekey (CREATE_CHILD_SA with a new x25519 exchange, then the INFORMATIONAL that deletes the old IKE_SA)"
        lr = load(os.path.join(raw, "load", "ike-rekey.json"))
        if lr:
            secs = lr.get("counters_s") or (lr["end"] - lr["start"])
            n = lr["counters"].get("ike-rekey-init", 0)
            k["load"] = {"per_s": rnd(n / secs, 1), "operations": n, "window_s": secs,
                         "offered_per_s": rnd(lr["sas"] / lr["rekey_every_s"], 1),
                         # CPU per rekey over the CPU span, at the rate seen over the counters' span
                         "cpu_mn_us": rnd(lr["cpu_mn_us"] / (n / secs * lr.get("cpu_s", secs)), 0) if n else None,
                         "cpu_ha_us": rnd(lr["cpu_ha_us"] / (n / secs * lr.get("cpu_s", secs)), 0) if n else None,
                         "our_busy_pct": rnd(100.0 * (lr["cpu_mn_us"] + lr["cpu_ha_us"]) /
                                             (lr.get("cpu_s", secs) * 1e6 * ncpu), 1),
                         "machine_busy_pct": lr.get("machine_busy_pct"),
                         "method": "load-tester: %d PSK IKE_SAs, each rekeyed every %d s (open loop)"
                                   % (lr["sas"], lr["rekey_every_s"])}
        report["keep"]["ike_rekey"] = k
    if os.path.isdir(os.path.join(raw, "seq", "keep-mip4-rereg")):
        k = mip4_seq(raw, "keep-mip4-rereg", "rereg", False)
        k.pop("behind_ha", None)
        k["what"] = "MIPv4 re-registration (RRQ/RRP with MN-HA authentication under the RFC 3957 key; no AAA)"
        k["load"] = mip4_load(raw, "mip4-rereg", "mip4-rereg-base", ncpu)
        k["rtt"] = {}
        for r in rtts:
            ok = [o for o in mip4_ops(os.path.join(raw, "rtt", str(r), "keep-mip4-rereg"), "rereg")
                  if o.get("code") in (0, 1)]
            if ok:
                k["rtt"][str(r)] = {"time_to_sa_ms": rnd(med(o["rtt_us"] / 1e3 for o in ok), 1), "ok": len(ok)}
        report["keep"]["mip4_rereg"] = k

    for sid, key, label in DATAPATHS:
        st = load(os.path.join(raw, "status", sid + ".json"), {"status": "not-run", "reason": "no result from this run"})
        entry = {"id": sid, "label": label, "status": st["status"], "reason": st.get("reason", "")}
        if st["status"] == "ok":
            entry.update(datapath(raw, key) or {})
        report["datapath"].append(entry)
    report["aims"] = aims(report)
    return report


def row(report, rid):
    return next(r for r in report["rows"] if r["id"] == rid)


def ratio(a, b):
    return round(a / b, 1) if a and b else None


def aims(rep):
    out = []
    warm = row(rep, "mip4-m1-warm")
    seq = warm.get("seq") or {}
    w, b = seq.get("wire") or {}, seq.get("behind_ha") or {}
    per = b.get("per_registration", {}) if b else {}
    if warm["status"] == "ok" and w:
        rt_ok = w.get("round_trips") == 1 and per.get("AMR") == 1
        oct_ok = (w.get("frame_octets") or 1e9) < 500
        verdict = "shown" if rt_ok and oct_ok else "refuted"
        ev = ("on the MN's link %s round trip (%s messages, %s octets in Ethernet frames, %s in IP packets); "
              "behind the HA %s AMR/AMA round trip per registration%s"
              % (f(w.get("round_trips"), 0), f(w.get("messages"), 0), f(w.get("frame_octets"), 0),
                 f(w.get("ip_octets"), 0), f(per.get("AMR"), 0),
                 (", plus %s Zn BIR/BIA round trip between AAA and BSF because each registration used a B-TID "
                  "the AAA had not seen (cached afterwards: a later key for the same B-TID needs none)"
                  % f(per.get("BIR"), 0)) if per.get("BIR") else ""))
        best_ike = min((r["seq"]["wire"].get("frame_octets") for r in rep["rows"]
                        if r["family"] == "ike" and r.get("seq") and r["seq"].get("wire")), default=None)
        if best_ike:
            ev += "; the smallest IKEv2 bootstrap (PSK) took %s octets" % rnd(best_ike, 0)
    else:
        verdict, ev = "not measured", warm.get("reason") or "the warm row did not run"
    out.append({"aim": "A GBA-keyed first registration in 1 MN-HA round trip + 1 AAA round trip and under 500 "
                       "octets on the MN's link", "verdict": verdict, "evidence": ev})

    ours = (warm.get("load") or {})
    akas = [(r["id"], r["load"]) for r in rep["rows"] if r["family"] == "ike" and "aka" in r["id"] and r.get("load")]
    if ours.get("per_s") and akas:
        fastest_id, fastest = max(akas, key=lambda x: x[1]["per_s"] or 0)
        rate_ratio = ratio(ours["per_s"], fastest["per_s"])
        cpu_ours = (ours.get("cpu_mn_us") or 0) + (ours.get("cpu_ha_us") or 0)
        cpu_ike = (fastest.get("cpu_mn_us") or 0) + (fastest.get("cpu_ha_us") or 0)
        cpu_ratio = ratio(cpu_ike, cpu_ours)
        verdict = ("shown" if rate_ratio >= 10 and (cpu_ratio or 0) >= 10 else
                   "refuted" if rate_ratio < 10 and (cpu_ratio or 0) < 10 else "partly shown")
        ev = ("%s first registrations/s with a B-TID new to the AAA (MN, HA, AAA and BSF on the same %s cores) "
              "against %s EAP-AKA bootstraps/s for the fastest IKEv2 EAP-AKA row (%s): %sx; CPU per bootstrap, "
              "all processes of both sides: %s us against %s us: %sx"
              % (f(ours["per_s"], 0), rep["machine"].get("cpus"), f(fastest["per_s"], 0), fastest_id, rate_ratio,
                 f(cpu_ours, 0), f(cpu_ike, 0), cpu_ratio))
        zc = warm.get("load_zncached") or {}
        if zc.get("per_s"):
            ev += ("; a new key for a B-TID whose Ks_NAF the AAA has cached (no Zn round trip) runs at %s/s: "
                   "%sx" % (f(zc["per_s"], 0), ratio(zc["per_s"], fastest["per_s"])))
        ev += (". strongSwan's EAP-AKA server runs inside the HA's charon (no AAA, no Diameter, no TLS), which "
               "favours IKEv2 here")
    else:
        verdict, ev = "not measured", "needs the load runs of the full form (make compare)"
    out.append({"aim": ">= 10x IKEv2/EAP-AKA's bootstraps/s on the same cores", "verdict": verdict, "evidence": ev})

    rr, rk = rep["keep"].get("mip4_rereg", {}), rep["keep"].get("ike_rekey", {})
    rrl, rkl = rr.get("load") or {}, rk.get("load") or {}
    if rrl.get("per_s") and rkl.get("per_s"):
        rate_ratio = ratio(rrl["per_s"], rkl["per_s"])
        cpu_rr = (rrl.get("cpu_mn_us") or 0) + (rrl.get("cpu_ha_us") or 0)
        cpu_rk = (rkl.get("cpu_mn_us") or 0) + (rkl.get("cpu_ha_us") or 0)
        cpu_ratio = ratio(cpu_rk, cpu_rr)
        seq_rr = (rr.get("cpu_mn_us") or 0) + (rr.get("cpu_ha_us") or 0)
        seq_rk = (rk.get("cpu_mn_us") or 0) + (rk.get("cpu_ha_us") or 0)
        verdict = ("shown" if rate_ratio >= 100 and (cpu_ratio or 0) >= 100 else
                   "refuted" if rate_ratio < 100 and (cpu_ratio or 0) < 100 else "partly shown")
        ev = ("%s re-registrations/s against %s IKE rekeys/s (%s offered): %sx; CPU per operation under load, "
              "both sides: %s us against %s us: %sx; one at a time: %s us against %s us (%sx); on the wire %s "
              "against %s octets, %s against %s round trips"
              % (f(rrl["per_s"], 0), f(rkl["per_s"], 0), f(rkl.get("offered_per_s"), 0), rate_ratio, f(cpu_rr, 1),
                 f(cpu_rk, 0), cpu_ratio, f(seq_rr, 0), f(seq_rk, 0), ratio(seq_rk, seq_rr),
                 f((rr.get("wire") or {}).get("frame_octets"), 0), f((rk.get("wire") or {}).get("frame_octets"), 0),
                 f((rr.get("wire") or {}).get("round_trips"), 0), f((rk.get("wire") or {}).get("round_trips"), 0)))
        if rkl.get("per_s") and rkl.get("offered_per_s") and rkl["per_s"] >= 0.95 * rkl["offered_per_s"]:
            ev += " (the rekey rate is what was offered, not charon's ceiling: the CPU ratio is the fairer one)"
    else:
        verdict, ev = "not measured", "needs the load runs of the full form (make compare)"
    out.append({"aim": "re-registration >= 100x an IKE rekey", "verdict": verdict, "evidence": ev})
    return out


# ---- markdown ------------------------------------------------------------------

def f(v, nd=1, unit=""):
    if v is None:
        return "–"
    if isinstance(v, float) and nd == 0:
        v = int(round(v))
    elif isinstance(v, float):
        v = round(v, nd)
    return "%s%s" % (v, unit)


def md(rep):
    m, v = rep["machine"], rep["versions"]
    L = []
    L.append("# Mobile IPv4 + GBA beside IKEv2-bootstrapped Mobile IPv6 security (strongSwan)")
    L.append("")
    L.append("Run of `make compare` (%s form) on %s, commit %s." % (m.get("mode"), m.get("date"), m.get("commit")))
    L.append("")
    L.append("Machine: %s CPU(s) %s, %s GiB, kernel %s, Debian %s; load average %s at the start, %s at the end. "
             "Every daemon of both sides, the load generators and tshark share these cores."
             % (m.get("cpus"), m.get("cpu_model"), m.get("mem_gib"), m.get("kernel"), m.get("debian"),
                m.get("loadavg_start"), rep["run"].get("loadavg_end")))
    L.append("")
    L.append("Versions: strongSwan %s (charon-systemd, kernel-libipsec), freeDiameter %s, %s, iperf3 %s, tshark %s, "
             "gnuplot %s, OpenSSL %s." % (v.get("strongswan"), v.get("freediameter"), v.get("mip4-gba"),
                                          v.get("iperf3"), v.get("tshark"), v.get("gnuplot"), v.get("openssl")))
    p = rep.get("plugins")
    if p:
        L.append("")
        L.append("strongSwan plugins eap-aka-3gpp and load-tester (not shipped by Debian) built from Debian's source "
                 "package strongswan %s for the installed %s: %s (the first build takes %s s here: %s s fetching "
                 "the source, %s s configure, the rest compiling; later runs reuse it)."
                 % (p["source"], p["installed"], "reused from an earlier run" if p["cached"] else "built in this run",
                    p["build_s"], p["fetch_s"], f(p.get("configure_s"), 0)))
    L.append("")
    L.append("Subscriber of every row: TS 35.208 test set 1 (K 465b5ce8…, OPc cd63cb71…), IMSI 001010123456789. "
             "IKEv2: IKE aes128-sha256-x25519, ESP aes128gcm16 tunnel in libipsec (the kernel has no ESP), "
             "MOBIKE off, home address by configuration payload, AKA-Identity round skipped "
             "(request_identity = no). MIPv4: RRQ/RRP with NAI = B-TID, MN-HA KeyGen Request/Reply (RFC 3957), "
             "MN-AAA HMAC-MD5 keyed with Ks_NAF; HA → AAA/NAF → lab BSF over Diameter/TLS on the HA "
             "namespace's loopback; Ks = CK||IK from MILENAGE of that K/OP.")
    L.append("")
    L.append("## Bootstrapping the MN-HA security association")
    L.append("")
    L.append("Medians over %s bootstraps one at a time (%s), captured with tshark on the MN's veth. "
             "Octets: Ethernet frames (IP packets). Round trips: on the MN's link + behind the HA. "
             "Time to SA: from the request until the MN holds a usable SA (IKEv2: `initiate` answered, CHILD_SA "
             "installed; MIPv4: RRP verified with the derived key). CPU per bootstrap: MN side / network side "
             "(IKEv2: the two charons; MIPv4: mip4-ha + AAA + BSF)."
             % (m.get("n_seq"), "no added delay"))
    L.append("")
    L.append("| row | msgs | round trips | octets on MN link | time to SA, cold | time to SA, warm | on-wire | CPU MN / network side | bootstraps/s under load | CPU/bootstrap under load MN / network |")
    L.append("|---|---|---|---|---|---|---|---|---|---|")
    for r in rep["rows"]:
        if r["status"] != "ok":
            L.append("| %s | %s: %s | | | | | | | | |" % (r["label"], "FAILED" if r["status"] == "failed"
                                                          else "not run", r["reason"]))
            continue
        s = r.get("seq") or {}
        w, b = s.get("wire") or {}, s.get("behind_ha") or {}
        t = f(s.get("time_to_sa_ms"), 2, " ms")
        cold = t if r["cold_warm"] == "cold" else ("no AKA" if r["id"] == "ike-psk" else "the cold row")
        warm = t if r["cold_warm"] == "warm" else ("the warm row" if r["id"] == "mip4-m1-cold" else
                                                   "–" if r["id"] == "mip4-m2" else "no resumption in strongSwan")
        behind = b.get("round_trips") or 0
        rts = "%s + %s" % (f(w.get("round_trips"), 0), f(behind, 2)) if behind else f(w.get("round_trips"), 0)
        msgs = "%s + %s" % (f(w.get("messages"), 0), f(b.get("messages"), 2)) if b.get("messages") else f(w.get("messages"), 0)
        ld = r.get("load")
        load_s = f(ld.get("per_s"), 0, "/s") if ld else ("– (%s)" % r["load_missing"] if r.get("load_missing") else "–")
        load_cpu = "%s / %s µs" % (f(ld.get("cpu_mn_us"), 0), f(ld.get("cpu_ha_us"), 0)) if ld else "–"
        L.append("| %s | %s | %s | %s (%s) | %s | %s | %s | %s / %s µs | %s | %s |" % (
            r["label"], msgs, rts, f(w.get("frame_octets"), 0), f(w.get("ip_octets"), 0), cold, warm,
            f(w.get("wire_ms"), 2, " ms"), f(s.get("cpu_mn_us"), 0), f(s.get("cpu_ha_us"), 0), load_s, load_cpu))
    L.append("")
    L.append("Messages and round trips after a `+` are behind the HA (MIPv4: Diameter AMR/AMA between HA and AAA, "
             "Zn BIR/BIA between AAA and BSF for a B-TID the AAA has not seen). The IKEv2 rows have none: "
             "strongSwan's EAP-AKA server (eap-aka-3gpp) computes the vectors inside the HA's charon, which "
             "favours IKEv2 in time and CPU. IKEv2 EAP-AKA has no warm case here (strongSwan 5.9.8 has no "
             "session resumption, RFC 5723), so every IKEv2 bootstrap runs AKA again.")
    for r in rep["rows"]:
        s = r.get("seq") or {}
        if r["status"] != "ok" or s.get("ub_ms") is None:
            continue
        u, g, b = (s.get("wire") or {}).get("ub") or {}, (s.get("wire") or {}).get("registration") or {}, \
            (s.get("behind_ha") or {}).get("per_registration") or {}
        L.append("- %s: Ub %s ms (%s TCP connection(s) to the BSF over %s, %s flights, %s round trips, %s octets "
                 "in Ethernet frames), then the registration %s ms (%s messages, %s octets); away from the MN's "
                 "link per bootstrap: %s Zh MAR/MAA (BSF-HSS, during Ub), %s Zn BIR/BIA, %s AMR/AMA. Over TCP a "
                 "message is a flight (what one side sends before the other answers; SYN and FIN count)."
                 % (r["label"], f(s.get("ub_ms"), 2), f(u.get("connections"), 0),
                    "TLS" if m.get("ub_tls", True) else "plain HTTP", f(u.get("messages"), 0),
                    f(u.get("round_trips"), 0), f(u.get("frame_octets"), 0), f(s.get("registration_ms"), 2),
                    f(g.get("messages"), 0), f(g.get("frame_octets"), 0), f(b.get("MAR"), 0), f(b.get("BIR"), 0),
                    f(b.get("AMR"), 0)))
    for r in rep["rows"]:
        for key, what in (("load_zncached", "Zn cache warm"), ("load_statefile", "first-ever subscribers")):
            ld = r.get(key)
            if not ld:
                continue
            L.append("- Load, %s, %s: %s/s over %s s (%s operations), CPU per registration %s / %s µs; our "
                     "processes %s %% of the machine, the whole machine %s %% busy. %s." % (
                         r["label"], what, f(ld.get("per_s"), 0), f(ld.get("window_s"), 1), ld.get("operations"),
                         f(ld.get("cpu_mn_us"), 0), f(ld.get("cpu_ha_us"), 0), f(ld.get("our_busy_pct")),
                         f(ld.get("machine_busy_pct")), ld.get("method")))
        ld = r.get("load")
        if ld:
            L.append("- Load, %s: %s/s over %s s (%s operations); our processes %s %% of the machine, the whole "
                     "machine %s %% busy. %s." % (r["label"], f(ld.get("per_s"), 0), f(ld.get("window_s"), 1),
                                                 ld.get("operations"), f(ld.get("our_busy_pct")),
                                                 f(ld.get("machine_busy_pct")), ld.get("method")))
    L.append("")
    if any(r.get("rtt") for r in rep["rows"]):
        ne = rep.get("netem") or {}
        rtts = sorted({k for r in rep["rows"] for k in r.get("rtt", {})}, key=int)
        L.append("## Time to the first usable SA with added round-trip time")
        L.append("")
        L.append("`tc netem`: %s%s. Delay added on the MN-HA link by %s; medians over %s bootstraps."
                 % ("available" if ne.get("available") else "not available on this kernel",
                    "" if ne.get("available") else " (%s; `tc qdisc add ... netem` says: %s)"
                    % (ne.get("kernel_config"), (ne.get("tc_error") or "").strip()),
                    ne.get("emulation"), m.get("n_rtt")))
        L.append("")
        L.append("| row | round trips | no added delay | %s |" % " | ".join("+%s ms RTT" % x for x in rtts))
        L.append("|---|---|---|" + "---|" * len(rtts))
        for r in rep["rows"]:
            if r["status"] != "ok":
                continue
            L.append("| %s | %s | %s | %s |" % (
                r["label"], f(((r.get("seq") or {}).get("wire") or {}).get("round_trips"), 0),
                f((r.get("seq") or {}).get("time_to_sa_ms"), 2, " ms"),
                " | ".join(f(r["rtt"].get(x, {}).get("time_to_sa_ms"), 1, " ms") for x in rtts)))
        k = rep["keep"].get("mip4_rereg") or {}
        if k.get("rtt"):
            L.append("| MIPv4 re-registration (calibration: one round trip, almost no processing) | 1 | %s | %s |" % (
                f(k.get("time_to_sa_ms"), 2, " ms"),
                " | ".join(f(k["rtt"].get(x, {}).get("time_to_sa_ms"), 1, " ms") for x in rtts)))
        L.append("")
    L.append("## Keeping it: IKE rekey against MIPv4 re-registration")
    L.append("")
    L.append("| | msgs | round trips | octets on MN link | time | CPU MN / network side, one at a time | per second under load | CPU per op under load MN / network |")
    L.append("|---|---|---|---|---|---|---|---|")
    for key in ("ike_rekey", "mip4_rereg"):
        k = rep["keep"].get(key)
        if not k:
            L.append("| %s | not measured | | | | | | |" % key)
            continue
        w, ld = k.get("wire") or {}, k.get("load") or {}
        L.append("| %s | %s | %s | %s (%s) | %s | %s / %s µs | %s | %s / %s µs |" % (
            k["what"], f(w.get("messages"), 0), f(w.get("round_trips"), 0), f(w.get("frame_octets"), 0),
            f(w.get("ip_octets"), 0), f(k.get("time_to_sa_ms"), 2, " ms"), f(k.get("cpu_mn_us"), 0),
            f(k.get("cpu_ha_us"), 0), f(ld.get("per_s"), 0, "/s") if ld else "–",
            f(ld.get("cpu_mn_us"), 1), f(ld.get("cpu_ha_us"), 1)))
    for key in ("ike_rekey", "mip4_rereg"):
        ld = (rep["keep"].get(key) or {}).get("load")
        if ld:
            L.append("- %s: %s; our processes %s %%, machine %s %% busy%s." % (
                key, ld.get("method"), f(ld.get("our_busy_pct")), f(ld.get("machine_busy_pct")),
                ", %s/s offered" % f(ld["offered_per_s"], 0) if ld.get("offered_per_s") else ""))
    L.append("")
    L.append("## Data path: iperf3 from the CN (home link) to the MN")
    L.append("")
    L.append("%s s per test; UDP with 1200-octet datagrams. \"UDP, unlimited\" offers as much as the sender can "
             "(received rate and loss); \"UDP ≤ 1 %% loss\" is the highest offered rate (stepping down from what "
             "the unlimited run delivered) that lost at most 1 %%." % m.get("datapath_s"))
    L.append("")
    L.append("| path | TCP | UDP, unlimited: received (loss) | UDP ≤ 1 % loss |")
    L.append("|---|---|---|---|")
    for d in rep["datapath"]:
        if d["status"] != "ok":
            L.append("| %s | %s: %s | | |" % (d["label"], "FAILED" if d["status"] == "failed" else "not run",
                                              d["reason"]))
            continue
        u = d.get("udp_unlimited") or {}
        L.append("| %s | %s | %s (%s) | %s |" % (d["label"], f(d.get("tcp_mbps"), 1, " Mbit/s"),
                                                 f(u.get("received_mbps"), 1, " Mbit/s"), f(u.get("lost_pct"), 1, " %"),
                                                 f(d.get("udp_le1pct_loss_mbps"), 1, " Mbit/s")))
    L.append("")
    L.append("## The issue's aims")
    L.append("")
    for a in rep["aims"]:
        L.append("- **%s: %s.** %s." % (a["aim"], a["verdict"], a["evidence"]))
    L.append("")
    L.append("## How to read it")
    L.append("")
    L.append("- CPU is scheduler time of the processes named, from /proc/PID/task/*/schedstat. On a veth pair the "
             "kernel runs a received packet's processing in the sender's context, so part of one side's receive "
             "cost is charged to the other side: the sum of the two columns is the robust figure.")
    L.append("- One at a time, an IKEv2 bootstrap's CPU includes installing the CHILD_SA and its routes in "
             "libipsec and answering the VICI request; a MIPv4 first registration's includes the HA, the AAA "
             "(TLS, Diameter, verifier, key derivation) and the BSF, sampled between the mobile node's first and "
             "last outcome (no start-up).")
    L.append("- IKEv2 under load: strongSwan's load-tester does not install SAs (fake_kernel). Its credential "
             "set answers every EAP secret lookup with its own eap_password, which outranks a swanctl secret, "
             "and that password is a string, so the load runs use a 32-character ASCII K||OPc instead of "
             "TS 35.208 set 1 (MILENAGE costs the same for any key). With an RSA HA certificate load-tester "
             "issues the HA a fresh certificate per setup (one more RSA signature on the HA side). The "
             "initiator runs with reuse_ikesa = no: otherwise each initiate scans the IKE_SAs for one to reuse "
             "and the initiator threads serialise.")
    L.append("- Ours under load: mip4-mn keeps at most 64 requests outstanding (a closed window, where "
             "load-tester is open loop); every registration of the main figure uses a B-TID the AAA has not "
             "seen, so the figure includes one Zn BIR/BIA with the BSF per registration.")
    L.append("- Time to SA with added delay: the delay bridge is userspace Python and adds its own "
             "scheduling latency; the re-registration line of that table (one round trip, microseconds of "
             "processing) shows what one round trip through it really costs in this run.")
    L.append("")
    L.append("Rerun: `make compare` as root (the short form runs in `make check`). Raw captures, logs and samples "
             "of this run: `raw/` beside this file. Figures measured on a machine shared with other work are "
             "indicative; the load and CPU columns move most.")
    return "\n".join(L) + "\n"


# ---- gnuplot -------------------------------------------------------------------

def plot(rep, out_dir):
    if not shutil.which("gnuplot"):
        return "gnuplot not installed"
    pd = os.path.join(out_dir, "raw", "plot")
    os.makedirs(pd, exist_ok=True)
    ok_rows = [r for r in rep["rows"] if r["status"] == "ok" and r.get("seq")]

    def name(r):
        names = {"mip4-m1-warm": "MIPv4+GBA", "mip4-m1-cold": "MIPv4+GBA cold", "mip4-m2": "MIPv4+GBA m2"}
        return names.get(r["id"]) or r["id"].replace("ike-", "IKE ").replace("aka-", "AKA-")

    with open(os.path.join(pd, "boot.dat"), "w") as fh:
        for r in ok_rows:
            w = r["seq"].get("wire") or {}
            b = r["seq"].get("behind_ha") or {}
            fh.write('"%s" %s %s %s\n' % (name(r), w.get("messages") or 0, w.get("frame_octets") or 0,
                                         b.get("messages") or 0))
    rtts = sorted({k for r in ok_rows for k in r.get("rtt", {})}, key=int)
    with open(os.path.join(pd, "rtt.dat"), "w") as fh:
        for r in ok_rows:
            vals = [r["seq"].get("time_to_sa_ms") or 0] + [r["rtt"].get(x, {}).get("time_to_sa_ms") or 0 for x in rtts]
            fh.write('"%s" %s\n' % (name(r), " ".join(str(v) for v in vals)))
    with open(os.path.join(pd, "load.dat"), "w") as fh:
        for r in ok_rows:
            fh.write('"%s" %s\n' % (name(r), (r.get("load") or {}).get("per_s") or 0))
        for key, label in (("ike_rekey", "IKE rekey"), ("mip4_rereg", "MIPv4 re-reg")):
            fh.write('"%s" %s\n' % (label, ((rep["keep"].get(key) or {}).get("load") or {}).get("per_s") or 0))
    with open(os.path.join(pd, "cpu.dat"), "w") as fh:
        for r in ok_rows:
            ld = r.get("load") or {}
            fh.write('"%s" %s %s\n' % (name(r), ld.get("cpu_mn_us") or 0, ld.get("cpu_ha_us") or 0))
        for key, label in (("ike_rekey", "IKE rekey"), ("mip4_rereg", "MIPv4 re-reg")):
            ld = (rep["keep"].get(key) or {}).get("load") or {}
            fh.write('"%s" %s %s\n' % (label, ld.get("cpu_mn_us") or 0, ld.get("cpu_ha_us") or 0))
    with open(os.path.join(pd, "dp.dat"), "w") as fh:
        for d in rep["datapath"]:
            if d["status"] == "ok":
                fh.write('"%s" %s %s\n' % (d["id"].replace("dp-", ""), d.get("tcp_mbps") or 0,
                                           d.get("udp_le1pct_loss_mbps") or (d.get("udp_unlimited") or {}).get("received_mbps") or 0))
    png = os.path.join(out_dir, "report.png")
    rtt_cols = "".join(", '' using %d title '+%s ms RTT'" % (i + 3, x) for i, x in enumerate(rtts))
    has_load = any((r.get("load") or {}).get("per_s") for r in ok_rows) or \
        any(((rep["keep"].get(k) or {}).get("load") or {}).get("per_s") for k in ("ike_rekey", "mip4_rereg"))
    has_dp = any(d["status"] == "ok" for d in rep["datapath"])

    def panel(title, body, present, log=False):
        if not present:
            return ("set title '%s'\nunset logscale y\nset yrange [0:1]\nset label 1 'not measured in this run' "
                    "at graph 0.5,0.5 center\nplot 2 notitle\nunset label 1\n" % title)
        pre = "set logscale y\nset yrange [0.5:*]\n" if log else "unset logscale y\nset yrange [0:*]\n"
        pre += "set offsets 0, 0, graph 0.15, 0\n"
        return "set title '%s'\n%s%s\n" % (title, pre, body)

    gp = """
set terminal pngcairo size 1500,1500 font ',10'
set output '%(png)s'
set multiplot layout 3,2 title 'MIPv4 + GBA vs IKEv2 (strongSwan): %(date)s, %(cpus)s cores (indicative on a shared machine)'
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.8 border -1
set boxwidth 0.9
set grid ytics
set xtics rotate by -25 scale 0
set key top right
""" % {"png": png, "date": rep["machine"].get("date"), "cpus": rep["machine"].get("cpus")}
    gp += panel("Messages per bootstrap", "plot '%s/boot.dat' using 2:xtic(1) title 'on the MN link', "
                "'' using 4 title 'behind the HA (Diameter)'" % pd, bool(ok_rows))
    gp += panel("Octets per bootstrap on the MN link (Ethernet frames)",
                "plot '%s/boot.dat' using 3:xtic(1) title 'octets'" % pd, bool(ok_rows))
    gp += panel("Time to the first usable MN-HA SA (ms, median, log scale)",
                "plot '%s/rtt.dat' using 2:xtic(1) title 'no added delay'%s" % (pd, rtt_cols), bool(ok_rows), True)
    gp += panel("Operations per second under load (log scale)",
                "plot '%s/load.dat' using 2:xtic(1) title 'per second'" % pd, has_load, True)
    gp += panel("CPU per operation under load (us, log scale)", "plot '%s/cpu.dat' using 2:xtic(1) "
                "title 'MN side', '' using 3 title 'network side (HA; AAA, BSF)'" % pd, has_load, True)
    gp += panel("Data path CN -> MN (Mbit/s, log scale)", "plot '%s/dp.dat' using 2:xtic(1) title 'TCP', "
                "'' using 3 title 'UDP (<= 1%% loss, or unlimited)'" % pd, has_dp, True)
    gp += "unset multiplot\n"
    with open(os.path.join(pd, "report.gp"), "w") as fh:
        fh.write(gp)
    r = subprocess.run(["gnuplot", os.path.join(pd, "report.gp")], capture_output=True, text=True)
    return None if r.returncode == 0 else "gnuplot failed: " + r.stderr.strip()[-300:]


def main(argv):
    if len(argv) != 3:
        sys.stderr.write(__doc__)
        return 2
    raw, out_dir = argv[1], argv[2]
    rep = build(raw)
    err = plot(rep, out_dir)
    if err:
        rep["plot_error"] = err
    with open(os.path.join(out_dir, "report.json"), "w") as fh:
        json.dump(rep, fh, indent=1)
        fh.write("\n")
    with open(os.path.join(out_dir, "report.md"), "w") as fh:
        fh.write(md(rep))
    if err:
        sys.stderr.write("report: %s\n" % err)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
