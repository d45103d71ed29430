#!/usr/bin/env bash
# How an event loop spends its wake-ups: every epoll_wait of a running proxy, recorded with perf's
# syscall tracepoints (two events per wake-up: cheap next to the requests' own system calls), and
# summed per thread. See bench/README.md, "The HTTP/1.1 tail: GC pauses and the loop's wake-ups".
#
#   bash bench/loop-wakeups.sh record OUT.data PID [PID...]   # until the processes exit or ^C
#   bash bench/loop-wakeups.sh report OUT.data [FROM TO]      # FROM/TO: perf timestamps (s), optional
#
# For the thread that waits most often (the event loop: HAProxy's one thread, luagate's
# luagate-loop-1) the report prints:
#   wake-ups/s          epoll_wait returns per second of the recorded time
#   empty               the share of them that returned no event (a timeout, a signal, or Netty's
#                       non-blocking check before running its task queue)
#   events/wake-up      ready sockets per wake-up that had any: mean, p50, p90, p99, max
#   work (us)           time from a wake-up to the next epoll_wait: the batch, its tasks, and any
#                       pause of the process (GC) in between: p50, p90, p99, p99.9, max
#   work > 2 ms         how many such batches per second lasted over 2 ms, and over 5 ms (a batch of
#                       all 64 connections of proxy-vs-haproxy.sh takes 0.6-0.9 ms in luagate)
#   busy                the share of the time spent outside epoll_wait (stopped gaps left out)
# A request waits for the batches that read it, send it on, read its response and write that, so
# the longest batches are the latency's tail. Gaps over 500 ms are left out (a process SIGSTOPped
# by proxy-vs-haproxy.sh's ISOLATE=1 while it was not measured).
set -euo pipefail

# Netty's epoll transport waits with epoll_pwait2 where the kernel has it (5.11+), HAProxy with epoll_wait.
EVENTS='syscalls:sys_enter_epoll_wait,syscalls:sys_exit_epoll_wait,syscalls:sys_enter_epoll_pwait,syscalls:sys_exit_epoll_pwait,syscalls:sys_enter_epoll_pwait2,syscalls:sys_exit_epoll_pwait2'

case "${1:-}" in
  record)
    out=$2
    shift 2
    pids=$(IFS=,; echo "$*")
    exec perf record -q -o "$out" -e "$EVENTS" -p "$pids"
    ;;
  report)
    data=$2
    from=${3:-0}
    to=${4:-1e18}
    perf script -i "$data" -F comm,tid,time,event,trace 2>/dev/null | python3 -c '
import re, sys
lo, hi = float(sys.argv[1]), float(sys.argv[2])
line_re = re.compile(r"^\s*(\S.*?)\s+(\d+)\s+([\d.]+):\s+syscalls:sys_(enter|exit)_epoll_(?:p?wait|pwait2):\s*(.*)$")
th = {}
for line in sys.stdin:
    m = line_re.match(line)
    if not m:
        continue
    comm, tid, t, kind, trace = m.group(1), m.group(2), float(m.group(3)), m.group(4), m.group(5)
    if t < lo or t > hi:
        continue
    s = th.setdefault(tid, {"comm": comm, "enter": None, "exit": None, "work": [], "events": [], "wake": 0,
                            "empty": 0, "blocked": 0.0, "first": t, "last": t})
    if kind == "enter":
        if s["exit"] is not None and t - s["exit"] < 0.5:
            s["work"].append((t - s["exit"]) * 1e6)
        s["exit"] = None
        s["enter"] = t
    elif s["enter"] is not None:
        if t - s["enter"] < 0.5:
            s["blocked"] += (t - s["enter"]) * 1e6
        n = int(trace.split()[0], 0)
        if n >= 1 << 63:
            n -= 1 << 64  # -EINTR (a signal): counted as empty
        s["wake"] += 1
        if n <= 0:
            s["empty"] += 1
        else:
            s["events"].append(n)
        s["exit"] = t
        s["enter"] = None
        s["last"] = t
if not th:
    sys.exit("no epoll_wait recorded")
tid, s = max(th.items(), key=lambda kv: kv[1]["wake"])
def pct(v, p):
    return v[min(len(v) - 1, int(len(v) * p / 100))] if v else float("nan")
w, e = sorted(s["work"]), sorted(s["events"])
busy = sum(w)
active = (busy + s["blocked"]) / 1e6
print("thread %s (%s), %.1f s recorded, %.1f s not stopped" % (tid, s["comm"], s["last"] - s["first"], active))
print("wake-ups/s %.0f, empty %.1f%%" % (s["wake"] / active, 100.0 * s["empty"] / s["wake"]))
print("events/wake-up mean %.1f, p50 %d, p90 %d, p99 %d, max %d" % (sum(e) / len(e), pct(e, 50), pct(e, 90), pct(e, 99), e[-1]))
print("work (us) p50 %.0f, p90 %.0f, p99 %.0f, p99.9 %.0f, max %.0f" % (pct(w, 50), pct(w, 90), pct(w, 99), pct(w, 99.9), w[-1]))
print("work > 2 ms %.1f/s, > 5 ms %.2f/s; busy %.1f%%" % (sum(x > 2000 for x in w) / active, sum(x > 5000 for x in w) / active, 100.0 * busy / (busy + s["blocked"])))
' "$from" "$to"
    ;;
  *)
    echo "usage: $0 record OUT.data PID... | report OUT.data [FROM TO]" >&2
    exit 2
    ;;
esac
