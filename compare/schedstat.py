"""CPU time of a running process: the sum over its threads of the run time in
/proc/PID/task/*/schedstat (nanoseconds, scheduler accounting); and how busy
the whole machine is (/proc/stat), to tell our load from everybody else's."""
import glob
import os


def cpu_ns(pid):
    total = 0
    for path in glob.glob("/proc/%s/task/*/schedstat" % pid):
        try:
            with open(path) as f:
                total += int(f.read().split()[0])
        except (OSError, ValueError, IndexError):
            pass  # a thread that ended between glob and open
    return total


def machine_busy():
    """(busy, total) CPU time of the whole machine so far, in clock ticks."""
    with open("/proc/stat") as f:
        fields = [int(x) for x in f.readline().split()[1:]]
    idle = fields[3] + fields[4]  # idle + iowait
    total = sum(fields[:8])       # guest time is already in user
    return total - idle, total


def busy_pct(before, after):
    """Share of all cores busy between two machine_busy() samples, in percent."""
    busy, total = after[0] - before[0], after[1] - before[1]
    return round(100.0 * busy / total, 1) if total > 0 else 0.0


def ncpu():
    return os.cpu_count() or 1
