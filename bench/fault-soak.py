#!/usr/bin/env python3
"""Fault soak driver for luagate (issue 10 §5). Started by bench/fault-soak.sh; see bench/README.md.

One asyncio process plays both ends around a running luagate:

* the upstreams: three HTTP/1.1 servers (main backend: a and b; post backend: c). Each request
  names its fault in X-Fault and its id in X-Request-Id; the server echoes the id (X-Echo-Id and
  the body) or misbehaves as asked: stalls, resets, answers garbage, sends half a body, closes the
  connection after answering. Server b also dies now and then: it stops listening and resets
  every connection it holds, then comes back;
* the clients: keep-alive connections sending requests one after the other with a fresh id each,
  checking every response against what that request's fault allows.

A response carrying another request's id is misrouted. A request whose outcome its fault does not
allow is lost, counted by cause; the only failures allowed beyond a fault's own are those the
failure semantics allow: 502/503 (or a close) for a request in flight on server b when it died,
502 for a POST no server received (a pooled connection its server had closed: not replayable),
and 504 when this process itself stalled past timeout.server. Before and after the soak (load stopped, client
connections closed, luagate's pools expired) the driver takes luagate's live heap after a full GC
(jcmd GC.class_histogram) and its open file descriptors (/proc/PID/fd).
"""
import argparse
import asyncio
import collections
import json
import os
import random
import socket
import struct
import sys
import time

# fault -> (weight, what the client must get). Statuses in "expect"; "echo" means a 200 whose
# X-Echo-Id, body and X-Lua-Id all carry the request's id; "truncated" a 200 head with the right
# X-Echo-Id whose body the connection's close cuts short.
FAULTS = {
    "none":        (44, "echo"),
    "slow":        (8, "echo"),
    "chunked":     (8, "echo"),
    "close-after": (8, "echo"),
    "lua-error":   (8, "echo"),
    "lua-timeout": (0.5, "echo"),
    "stall":       (1.5, 504),
    "reset":       (5, 502),
    "garbage":     (5, 502),
    "half":        (4, "truncated"),
}
POST_SHARE = 0.15
LUA_HEADER = {"lua-error": "error", "lua-timeout": "loop"}


def log(msg):
    print(f"[soak] {msg}", file=sys.stderr, flush=True)


# ------------------------------------------------------------------------------------------------
# Upstreams
# ------------------------------------------------------------------------------------------------
class Upstream:
    """One fault-injecting HTTP/1.1 server on one port."""

    def __init__(self, name, port, deliveries):
        self.name = name
        self.port = port
        self.deliveries = deliveries  # request id -> times a server received it
        self.server = None
        self.writers = set()
        self.deaths = []  # (time of death, time back)

    async def start(self):
        self.server = await asyncio.start_server(self.serve, "127.0.0.1", self.port, reuse_address=True, backlog=1024)

    async def die(self, down_seconds):
        """Stops listening, resets every connection, listens again after down_seconds."""
        t = time.monotonic()
        self.server.close()
        for w in list(self.writers):
            reset(w)
        self.writers.clear()
        await asyncio.sleep(down_seconds)
        await self.start()
        self.deaths.append((t, time.monotonic()))

    async def serve(self, reader, writer):
        self.writers.add(writer)
        try:
            while True:
                head = await read_head(reader)
                if head is None:
                    return
                method, target, headers = parse_request_head(head)
                length = int(headers.get("content-length", "0"))
                if length:
                    await reader.readexactly(length)
                rid = headers.get("x-request-id", "")
                fault = headers.get("x-fault", "none")
                self.deliveries[rid] += 1
                if not await self.answer(reader, writer, rid, fault, method):
                    return
        except (ConnectionError, asyncio.IncompleteReadError, ValueError):
            pass
        finally:
            self.writers.discard(writer)
            if not writer.is_closing():
                writer.close()

    async def answer(self, reader, writer, rid, fault, method):
        """Answers one request as its fault says; False when the connection is over."""
        body = f"echo {rid} {method} from {self.name}\n".encode()
        if fault == "slow":
            await asyncio.sleep(random.uniform(0.02, 0.1))
        if fault == "stall":
            # Never answers; luagate's timeout.server gives up and closes the connection.
            while await reader.read(4096):
                pass
            return False
        if fault == "reset":
            reset(writer)
            return False
        if fault == "garbage":
            writer.write(b"HTTP/1.1 2OO NOT A STATUS\r\n\x00\x01garbage: " + os.urandom(16).hex().encode() + b"\r\n\r\n")
            await writer.drain()
            writer.close()
            return False
        head = f"HTTP/1.1 200 OK\r\nX-Echo-Id: {rid}\r\nX-Served-By: {self.name}\r\n"
        if fault == "chunked":
            half = len(body) // 2
            writer.write((head + "Transfer-Encoding: chunked\r\n\r\n").encode()
                         + b"%x\r\n%s\r\n%x\r\n%s\r\n0\r\n\r\n" % (half, body[:half], len(body) - half, body[half:]))
        elif fault == "half":
            writer.write((head + f"Content-Length: {len(body) + 1000}\r\n\r\n").encode() + body)
            await writer.drain()
            writer.close()
            return False
        else:
            writer.write((head + f"Content-Length: {len(body)}\r\n\r\n").encode() + body)
        await writer.drain()
        if fault == "close-after":
            # No "Connection: close": luagate learns it only from the FIN, maybe after pooling it.
            writer.close()
            return False
        return True


def reset(writer):
    sock = writer.get_extra_info("socket")
    if sock is not None:
        try:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        except OSError:
            pass
    writer.transport.abort()


async def read_head(reader):
    try:
        return await reader.readuntil(b"\r\n\r\n")
    except asyncio.IncompleteReadError as e:
        if e.partial:
            raise
        return None
    except asyncio.LimitOverrunError:
        raise ValueError("head too large")


def parse_request_head(head):
    lines = head.decode("latin-1").split("\r\n")
    method, target, _ = lines[0].split(" ", 2)
    return method, target, parse_headers(lines[1:])


def parse_headers(lines):
    headers = {}
    for line in lines:
        if ":" in line:
            k, v = line.split(":", 1)
            headers[k.strip().lower()] = v.strip()
    return headers


# ------------------------------------------------------------------------------------------------
# Clients
# ------------------------------------------------------------------------------------------------
class Response:
    def __init__(self, status, headers, body, complete):
        self.status = status
        self.headers = headers
        self.body = body
        self.complete = complete  # the body arrived in full, as its framing announced


async def read_response(reader):
    """One response; None when the connection closed before a head."""
    head = await read_head(reader)
    if head is None:
        return None
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split(" ")[1])
    headers = parse_headers(lines[1:])
    if "chunked" in headers.get("transfer-encoding", "").lower():
        body = b""
        try:
            while True:
                size = int((await reader.readuntil(b"\r\n")).split(b";")[0].strip(), 16)
                if size == 0:
                    while (await reader.readuntil(b"\r\n")) != b"\r\n":
                        pass
                    return Response(status, headers, body, True)
                body += (await reader.readexactly(size + 2))[:-2]
        except (asyncio.IncompleteReadError, ConnectionError):
            return Response(status, headers, body, False)
    if "content-length" in headers:
        n = int(headers["content-length"])
        try:
            return Response(status, headers, await reader.readexactly(n), True)
        except asyncio.IncompleteReadError as e:
            return Response(status, headers, e.partial, False)
        except ConnectionError:
            return Response(status, headers, b"", False)
    if status in (204, 304) or 100 <= status < 200:
        return Response(status, headers, b"", True)
    try:
        return Response(status, headers, await reader.read(), True)
    except ConnectionError:
        return Response(status, headers, b"", False)


class Stats:
    def __init__(self):
        self.sent = 0
        self.by_fault = collections.Counter()
        self.ok = collections.Counter()          # fault -> outcomes as the fault allows
        self.allowed = collections.Counter()     # cause -> failures the failure semantics allow
        self.lost = collections.Counter()        # cause -> outcomes nothing allows
        self.misrouted = 0
        self.misrouted_examples = []
        self.lost_examples = []
        self.posts = 0
        self.latency_max = 0.0
        self.slowest = {}                        # fault -> longest wait for its answer, seconds

    def lose(self, cause, detail):
        self.lost[cause] += 1
        if len(self.lost_examples) < 20:
            self.lost_examples.append(f"{cause}: {detail}")

    def misroute(self, detail):
        self.misrouted += 1
        if len(self.misrouted_examples) < 20:
            self.misrouted_examples.append(detail)


class Soak:
    def __init__(self, args):
        self.args = args
        self.deliveries = collections.Counter()
        self.upstreams = {n: Upstream(n, p, self.deliveries) for n, p in
                          (("a", args.port_a), ("b", args.port_b), ("c", args.port_c))}
        self.stats = Stats()
        self.running = False
        self.dying_since = None
        self.lags = []
        self.next_id = 0
        self.run_tag = os.urandom(3).hex()
        faults = list(FAULTS)
        self.fault_names = faults
        self.fault_weights = [FAULTS[f][0] for f in faults]

    def new_id(self):
        self.next_id += 1
        return f"{self.run_tag}-{self.next_id}"

    def died_during(self, t0, t1):
        """Whether server b died while [t0, t1] was in flight (or just around it)."""
        return any(t0 - 0.05 <= d <= t1 + 0.05 for d, _ in self.upstreams["b"].deaths) or \
            (self.dying_since is not None and self.dying_since <= t1 + 0.05)

    async def client(self, n):
        reader = writer = None
        while self.running:
            if writer is None:
                try:
                    reader, writer = await asyncio.open_connection("127.0.0.1", self.args.port)
                except OSError as e:
                    self.stats.lose("cannot connect to luagate", repr(e))
                    await asyncio.sleep(0.1)
                    continue
            keep = await self.one_request(reader, writer)
            if not keep:
                writer.close()
                reader = writer = None
        if writer is not None:
            writer.close()

    async def one_request(self, reader, writer):
        """Sends one request and checks its answer; False when the connection must not be reused."""
        s = self.stats
        fault = random.choices(self.fault_names, self.fault_weights)[0]
        post = random.random() < POST_SHARE
        if post and fault.startswith("lua"):
            fault = "none"
        rid = self.new_id()
        s.sent += 1
        s.by_fault[fault] += 1
        extra = f"X-Fault: {fault}\r\n"
        if fault in LUA_HEADER:
            extra += f"X-Lua: {LUA_HEADER[fault]}\r\n"
        if post:
            s.posts += 1
            body = f"payload of {rid}".encode()
            req = (f"POST /post/{rid} HTTP/1.1\r\nHost: soak\r\nX-Request-Id: {rid}\r\n{extra}"
                   f"Content-Length: {len(body)}\r\n\r\n").encode() + body
        else:
            req = f"GET /get/{rid} HTTP/1.1\r\nHost: soak\r\nX-Request-Id: {rid}\r\n{extra}\r\n".encode()
        if reader._buffer:  # noqa: SLF001 - bytes nobody asked for: a response meant for no request of ours
            s.misroute(f"{len(reader._buffer)} unsolicited bytes before {rid}: {bytes(reader._buffer[:80])!r}")
            return False
        t0 = time.monotonic()
        try:
            writer.write(req)
            await writer.drain()
            resp = await asyncio.wait_for(read_response(reader), self.args.request_timeout)
        except asyncio.TimeoutError:
            s.lose(f"{fault}: no response within {self.args.request_timeout}s", rid)
            return False
        except (ConnectionError, asyncio.IncompleteReadError, ValueError) as e:
            resp = None
            err = repr(e)
        else:
            err = "closed before a response"
        t1 = time.monotonic()
        s.latency_max = max(s.latency_max, t1 - t0)
        expect = FAULTS[fault][1]
        key = f"{'POST' if post else 'GET'} {fault}"
        s.slowest[key] = max(s.slowest.get(key, 0.0), round(t1 - t0, 3))
        if resp is None:
            if self.died_during(t0, t1) and not post:
                s.allowed["connection closed: server b died in flight"] += 1
            else:
                s.lose(f"{key}: {err}", rid)
            return False
        # Whatever the outcome, a response naming another request is misrouted.
        echo = resp.headers.get("x-echo-id")
        if echo is not None and echo != rid:
            s.misroute(f"sent {rid} ({key}), got X-Echo-Id {echo} status {resp.status}")
            return False
        if resp.status == 200:
            body_id = resp.body.split(b" ")[1].decode("latin-1") if resp.body.startswith(b"echo ") else None
            lua_id = resp.headers.get("x-lua-id")
            if echo is None:
                s.misroute(f"sent {rid} ({key}), got a 200 without X-Echo-Id")
                return False
            if expect == "truncated":
                if resp.complete:
                    s.lose(f"{key}: a half-sent response reached the client as complete", rid)
                else:
                    s.ok[key] += 1
                return False
            if not resp.complete:
                s.lose(f"{key}: body cut short", rid)
                return False
            if body_id != rid or lua_id != rid:
                s.misroute(f"sent {rid} ({key}), body id {body_id}, X-Lua-Id {lua_id}")
                return False
            if expect == "echo":
                s.ok[key] += 1
            else:
                s.lose(f"{key}: 200 where {expect} was expected", rid)
        elif resp.status == expect:
            s.ok[key] += 1
        elif resp.status in (502, 503) and self.died_during(t0, t1):
            s.allowed[f"{resp.status}: server b died in flight"] += 1
        elif resp.status == 502 and post and self.deliveries[rid] == 0:
            # A POST is not replayable: on a pooled connection the server had already closed
            # (close-after) it gets 502, and no server ever saw it.
            s.allowed["502: POST on a pooled connection its server had closed (not replayable, never delivered)"] += 1
        elif resp.status == 504 and self.driver_stalled(t0, t1):
            s.allowed["504: the driver (the upstreams' process) stalled past timeout.server"] += 1
        else:
            s.lose(f"{key}: status {resp.status} (expected {expect})", f"{rid}, delivered {self.deliveries[rid]} times")
        # Attempts are bounded: a POST reaches a server at most once, a GET at most twice (once
        # more on a brand-new connection after a reused one failed before any response byte).
        if self.deliveries[rid] > (1 if post else 2):
            s.lose(f"{key}: reached the servers {self.deliveries[rid]} times", rid)
        return resp.headers.get("connection", "").lower() != "close" and resp.complete

    def driver_stalled(self, t0, t1):
        """Whether this process stalled long enough inside [t0, t1] for luagate's timeout.server to fire."""
        return any(a < t1 and b > t0 and b - a >= self.args.server_timeout * 0.5 for a, b in self.lags)

    async def deaths(self):
        """Server b dies every death_interval seconds for death_seconds."""
        while self.running:
            await asyncio.sleep(self.args.death_interval)
            if not self.running:
                return
            self.dying_since = time.monotonic()
            await self.upstreams["b"].die(self.args.death_seconds)
            self.dying_since = None

    async def load(self, seconds, label):
        self.running = True
        self.dying_since = None
        tasks = [asyncio.create_task(self.client(i)) for i in range(self.args.connections)]
        killer = asyncio.create_task(self.deaths()) if self.args.death_interval > 0 else None
        start = time.monotonic()
        sent0 = self.stats.sent
        next_report = start + 30
        while time.monotonic() - start < seconds:
            await asyncio.sleep(min(1.0, max(0.0, seconds - (time.monotonic() - start))))
            if time.monotonic() >= next_report:
                next_report += 30
                await self.report_progress(label, start, sent0)
        self.running = False
        await asyncio.gather(*tasks)
        if killer is not None:
            killer.cancel()
            try:
                await killer
            except asyncio.CancelledError:
                pass
            if self.upstreams["b"].server is None or not self.upstreams["b"].server.is_serving():
                await self.upstreams["b"].start()
        return self.stats.sent - sent0, time.monotonic() - start

    async def report_progress(self, label, start, sent0):
        s = self.stats
        fds = count_fds(self.args.pid)
        log(f"{label} {time.monotonic() - start:.0f}s: {s.sent - sent0} requests "
            f"({(s.sent - sent0) / (time.monotonic() - start):.0f}/s), misrouted {s.misrouted}, "
            f"lost {sum(s.lost.values())}, allowed failures {sum(s.allowed.values())}; luagate fds {fds}, "
            f"rss {rss_mib(self.args.pid)} MiB")

    async def sample(self, label):
        """luagate at rest: live heap after a full GC, sessions, fds."""
        await asyncio.sleep(self.args.quiet)
        proc = await asyncio.create_subprocess_exec(self.args.jcmd, str(self.args.pid), "GC.class_histogram",
                                                    stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
        out, _ = await proc.communicate()
        total = sessions = None
        for line in out.decode().splitlines():
            f = line.split()
            if len(f) >= 3 and f[0] == "Total":
                total = int(f[2])
            if len(f) >= 4 and f[3] == "io.luagate.kernel.stream.DefaultSession":
                sessions = (sessions or 0) + int(f[1])
        s = {"label": label, "live_heap_bytes": total, "sessions": sessions or 0,
             "fds": count_fds(self.args.pid), "rss_mib": rss_mib(self.args.pid)}
        log(f"sample {label}: live heap {total} bytes, {s['sessions']} sessions, {s['fds']} fds, rss {s['rss_mib']} MiB")
        return s

    async def run(self):
        for u in self.upstreams.values():
            await u.start()
        log(f"upstreams a, b, c on 127.0.0.1:{self.args.port_a}, {self.args.port_b}, {self.args.port_c}")
        if self.args.ready_file:
            with open(self.args.ready_file, "w") as f:
                f.write("ready\n")
        while not os.path.exists(self.args.go_file):
            await asyncio.sleep(0.1)
        with open(self.args.go_file) as f:
            self.args.pid = int(f.read().strip())
        lag = asyncio.create_task(self.watch_lag())
        log(f"warm-up: {self.args.warmup}s against luagate pid {self.args.pid}")
        await self.load(self.args.warmup, "warm-up")
        warm_stats = self.stats
        self.stats = Stats()
        self.deliveries.clear()
        for u in self.upstreams.values():
            u.deaths.clear()
        before = await self.sample("before")
        log(f"soak: {self.args.duration}s, {self.args.connections} connections")
        n, secs = await self.load(self.args.duration, "soak")
        after = await self.sample("after")
        lag.cancel()
        return self.result(before, after, n, secs, warm_stats)

    async def watch_lag(self):
        """Records when this process's own loop fell behind (the upstreams answer late then)."""
        while True:
            t = time.monotonic()
            await asyncio.sleep(0.05)
            late = time.monotonic() - t - 0.05
            if late > 0.25:
                self.lags.append((t, t + 0.05 + late))

    def result(self, before, after, n, secs, warm):
        s = self.stats
        return {
            "duration_s": round(secs, 1), "requests": n, "rate": round(n / secs, 1), "posts": s.posts,
            "connections": self.args.connections, "deaths_of_b": len(self.upstreams["b"].deaths),
            "by_fault": dict(s.by_fault), "ok": dict(s.ok), "allowed": dict(s.allowed), "lost": dict(s.lost),
            "misrouted": s.misrouted, "misrouted_examples": s.misrouted_examples, "lost_examples": s.lost_examples,
            "latency_max_s": round(s.latency_max, 3), "slowest": s.slowest, "before": before, "after": after,
            "warmup": {"requests": warm.sent, "misrouted": warm.misrouted, "lost": dict(warm.lost)},
        }


def count_fds(pid):
    try:
        return len(os.listdir(f"/proc/{pid}/fd"))
    except OSError:
        return -1


def rss_mib(pid):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) // 1024
    except OSError:
        pass
    return -1


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--port", type=int, required=True, help="luagate's frontend port")
    p.add_argument("--port-a", type=int, required=True)
    p.add_argument("--port-b", type=int, required=True)
    p.add_argument("--port-c", type=int, required=True)
    p.add_argument("--jcmd", default="jcmd")
    p.add_argument("--duration", type=float, default=600)
    p.add_argument("--warmup", type=float, default=30)
    p.add_argument("--quiet", type=float, default=5, help="seconds at rest before a sample (> pool idle-timeout)")
    p.add_argument("--connections", type=int, default=32)
    p.add_argument("--request-timeout", type=float, default=10)
    p.add_argument("--death-interval", type=float, default=20)
    p.add_argument("--death-seconds", type=float, default=2)
    p.add_argument("--ready-file", default="")
    p.add_argument("--go-file", required=True, help="holds luagate's JVM pid; the load starts once it exists")
    p.add_argument("--server-timeout", type=float, default=2, help="luagate's timeout.server, in seconds")
    p.add_argument("--out", required=True, help="JSON results")
    args = p.parse_args()
    result = asyncio.run(Soak(args).run())
    with open(args.out, "w") as f:
        json.dump(result, f, indent=1)


if __name__ == "__main__":
    main()
