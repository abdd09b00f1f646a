#!/usr/bin/env python3
"""Run a command and say what it and the daemons around it cost in CPU.

  run_cpu.py [--pids PID,...] [--stdout FILE] [--between-outcomes [--phase P]] -- CMD...

Prints one JSON line: wall_s (the command's run time), cmd_cpu_us (the
command's own user + system time, from wait4), pids_cpu_us (for each PID, the
run time its threads gained while the command ran, from
/proc/PID/task/*/schedstat), machine_busy_pct (all cores, everybody's
processes, while the command ran) and rc.  The command's standard output goes
to FILE (default: this program's standard error).

--between-outcomes is for mip4-mn --json: the command's standard output is a
pseudo-terminal (so that stdio writes it line by line, without an LD_PRELOAD
such as stdbuf's, which a sanitizer build refuses), read line by line, and the
command and PIDs are sampled when its first outcome line arrives and again at
its summary line.  "between" then
holds ops (outcome lines after the first), cmd_cpu_us and pids_cpu_us over
those operations only: no start-up, no priming, no first-operation warm-up.
With --phase P only outcome lines of that phase count.  "between_phases" holds
the same from the first line of each phase to the summary (mip4-mn with
--subscriber runs every Ub bootstrap, "ub" lines, before the registrations).
"""
import json
import os
import pty
import subprocess
import sys
import time
import tty

from schedstat import busy_pct, cpu_ns, machine_busy


def pty_lines(fd):
    """Lines read from a pseudo-terminal master until the other side is closed."""
    buf = b""
    while True:
        try:
            chunk = os.read(fd, 65536)
        except OSError:  # EIO: the child closed its end
            chunk = b""
        if not chunk:
            break
        buf += chunk
        while b"\n" in buf:
            line, buf = buf.split(b"\n", 1)
            yield line.decode(errors="replace") + "\n"
    if buf:
        yield buf.decode(errors="replace")


def main(argv):
    pids, out_path, between, phase = [], None, False, None
    args = argv[1:]
    while args and args[0] != "--":
        if args[0] == "--pids" and len(args) > 1:
            pids = [p for p in args[1].split(",") if p]
            args = args[2:]
        elif args[0] == "--stdout" and len(args) > 1:
            out_path = args[1]
            args = args[2:]
        elif args[0] == "--between-outcomes":
            between = True
            args = args[1:]
        elif args[0] == "--phase" and len(args) > 1:
            phase = args[1]
            args = args[2:]
        else:
            sys.stderr.write(__doc__)
            return 2
    if len(args) < 2:
        sys.stderr.write(__doc__)
        return 2
    cmd = args[1:]
    out = open(out_path, "w") if out_path else sys.stderr
    before = {p: cpu_ns(p) for p in pids}
    m0 = machine_busy()
    t0 = time.perf_counter()
    first, counts, end = {}, {}, None  # per phase: the mark at its first outcome, its outcomes; the summary's
    if between:
        master, slave = pty.openpty()
        tty.setraw(slave)
        child = subprocess.Popen(cmd, stdout=slave)
        os.close(slave)
        for line in pty_lines(master):
            out.write(line)
            try:
                rec = json.loads(line)
            except ValueError:
                continue
            if not isinstance(rec, dict):
                continue
            mark = (cpu_ns(child.pid), {p: cpu_ns(p) for p in pids})
            if rec.get("summary"):
                end = mark
                continue
            for key in (rec.get("phase"), None):  # None: any phase
                first.setdefault(key, mark)
                counts[key] = counts.get(key, 0) + 1
        os.close(master)
    else:
        child = subprocess.Popen(cmd, stdout=out)
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - t0
    after = {p: cpu_ns(p) for p in pids}
    m1 = machine_busy()
    rc = os.waitstatus_to_exitcode(status)
    res = {
        "wall_s": round(wall, 6),
        "cmd_cpu_us": round((usage.ru_utime + usage.ru_stime) * 1e6),
        "pids_cpu_us": {p: round((after[p] - before[p]) / 1e3) for p in pids},
        "machine_busy_pct": busy_pct(m0, m1),
        "rc": rc,
    }
    def span(key):
        (c0, p0), (c1, p1) = first[key], end
        return {"ops": counts[key] - 1, "cmd_cpu_us": round((c1 - c0) / 1e3),
                "pids_cpu_us": {p: round((p1[p] - p0[p]) / 1e3) for p in pids}}
    if between and end and counts.get(phase, 0) > 1:
        res["between"] = span(phase)
    if between and end:
        res["between_phases"] = {k: span(k) for k in first if k is not None and counts[k] > 1}
    print(json.dumps(res))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
