#!/usr/bin/env python3
"""Time IKEv2 bootstraps and rekeys through one persistent VICI connection to
the MN's charon, and sample both charons' CPU time around each operation.

  ike_bench.py bootstrap SOCKET CONN N MN_PID HA_PID
      N x (initiate IKE_SA + CHILD_SA CONN, terminate it); one JSON line per
      bootstrap: wall_ms (initiate until the CHILD_SA is installed, which is
      when charon answers), cpu_mn_us, cpu_ha_us, ok.
  ike_bench.py rekey SOCKET CONN N MN_PID HA_PID
      bring CONN up once, then N x (rekey the IKE_SA, wait for the ike-rekey
      event); one JSON line per rekey with the same fields.
  ike_bench.py window SOCKET SECONDS MN_PID HA_PID
      a measurement window of SECONDS whole seconds (it starts on a second
      boundary): one JSON line with start and end (epoch seconds), cpu_s and
      counters_s (the real spans between the two CPU and the two counter
      samples), cpu_mn_us, cpu_ha_us, machine_busy_pct (all cores, everybody's processes) and the
      change of each of the daemon's global counters (counters plugin:
      ike-rekey-init, ike-init-out-req, ...).

CPU is the sum over a daemon's threads of /proc/PID/task/*/schedstat (run
time in ns), so it includes vici handling and, for a bootstrap, installing the
SA and routes in libipsec.  Exit status 1 if any operation failed.
"""
import json
import sys
import time

import vici
from schedstat import busy_pct, cpu_ns, machine_busy

SETTLE_S = 0.05  # lets the peer finish the previous operation before sampling


def sample(pids):
    return [cpu_ns(p) for p in pids]


def emit(wall_s, c0, c1, ok, **extra):
    rec = {"wall_ms": round(wall_s * 1e3, 3), "cpu_mn_us": round((c1[0] - c0[0]) / 1e3),
           "cpu_ha_us": round((c1[1] - c0[1]) / 1e3), "ok": ok}
    rec.update(extra)
    print(json.dumps(rec), flush=True)
    return ok


def bootstrap(s, conn, n, pids):
    all_ok = True
    for _ in range(n):
        time.sleep(SETTLE_S)
        c0 = sample(pids)
        t0 = time.perf_counter()
        r = s.request("initiate", {"ike": conn, "child": conn, "timeout": 20000, "init-limits": "no"})
        t1 = time.perf_counter()
        c1 = sample(pids)
        ok = r.get("success") == "yes"
        all_ok &= emit(t1 - t0, c0, c1, ok, **({} if ok else {"errmsg": r.get("errmsg", "")}))
        s.request("terminate", {"ike": conn, "timeout": 20000})
    return all_ok


def rekey(s, conn, n, pids):
    r = s.request("initiate", {"ike": conn, "child": conn, "timeout": 20000, "init-limits": "no"})
    if r.get("success") != "yes":
        print(json.dumps({"ok": False, "errmsg": "initiate: " + r.get("errmsg", "")}), flush=True)
        return False
    s.register("ike-rekey")
    all_ok = True
    for _ in range(n):
        time.sleep(SETTLE_S)
        c0 = sample(pids)
        t0 = time.perf_counter()
        r = s.request("rekey", {"ike": conn})
        ok = r.get("success") == "yes"
        t1 = t0
        if ok:
            try:
                t1, _ = s.wait_event("ike-rekey", 20)
            except vici.ViciError:
                ok = False
        # The event fires when the initiator is done; the responder's last
        # step (deleting the old SA) follows at once.
        time.sleep(SETTLE_S)
        c1 = sample(pids)
        all_ok &= emit(t1 - t0, c0, c1, ok)
    s.request("terminate", {"ike": conn, "timeout": 20000})
    return all_ok


def counters(s):
    r = s.request("get-counters", {})
    return {k: int(v) for k, v in r.get("counters", {}).get("", {}).items()}


def window(s, seconds, pids):
    # CPU is sampled first and counters right after; a busy charon may take a
    # while to answer get-counters, so each side's real span is recorded.
    time.sleep(1 - time.time() % 1)
    t0 = round(time.time())
    a0, c0, m0 = time.monotonic(), sample(pids), machine_busy()
    k0, b0 = counters(s), time.monotonic()
    time.sleep(max(0.0, t0 + seconds - time.time()))
    a1, c1, m1 = time.monotonic(), sample(pids), machine_busy()
    k1, b1 = counters(s), time.monotonic()
    print(json.dumps({"start": t0, "end": t0 + seconds,
                      "cpu_s": round(a1 - a0, 3), "counters_s": round(b1 - b0, 3),
                      "cpu_mn_us": round((c1[0] - c0[0]) / 1e3), "cpu_ha_us": round((c1[1] - c0[1]) / 1e3),
                      "machine_busy_pct": busy_pct(m0, m1),
                      "counters": {k: k1[k] - k0.get(k, 0) for k in k1}}), flush=True)
    return True


def main(argv):
    if len(argv) == 6 and argv[1] == "window":
        s = vici.Session(argv[2])
        try:
            return 0 if window(s, int(argv[3]), argv[4:6]) else 1
        finally:
            s.close()
    if len(argv) != 7 or argv[1] not in ("bootstrap", "rekey"):
        sys.stderr.write(__doc__)
        return 2
    what, path, conn, n, pids = argv[1], argv[2], argv[3], int(argv[4]), argv[5:7]
    s = vici.Session(path)
    try:
        ok = (bootstrap if what == "bootstrap" else rekey)(s, conn, n, pids)
    finally:
        s.close()
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
