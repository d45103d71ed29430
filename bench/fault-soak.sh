#!/usr/bin/env bash
# Fault soak (issue 10 §5): keep-alive traffic through luagate for DURATION while its upstreams
# die, reset, stall, answer garbage, send half a body and close reused connections, and its Lua
# actions fail and time out. Every request carries an id the upstream echoes. Fails (exit 1) on
# one misrouted response, one request lost beyond what the failure semantics allow, or growth of
# luagate's live heap or open file descriptors between the start and the end. Not part of CI.
# See bench/README.md ("Fault soak").
#
#   bash bench/fault-soak.sh                  # 10 minutes
#   DURATION=60 bash bench/fault-soak.sh      # a quick run
#
# Environment (all optional):
#   DURATION=600        seconds of soak (after the warm-up); "10m" and "90s" work too
#   WARMUP=30           seconds of the same traffic first (JIT, caches), not counted
#   CONNECTIONS=32      client keep-alive connections
#   DEATH_INTERVAL=20   server b dies every this many seconds (0: never) ...
#   DEATH_SECONDS=2     ... for this long
#   HEAP_TOLERANCE_KB=1024   live-heap growth (after a full GC) still counted as no growth
#   FD_TOLERANCE=0      open-fd growth still counted as no growth
#   LUAGATE_HOME=distribution/target/luagate, JAVA_HOME, JAVA_OPTS="-Xms256m -Xmx256m", KEEP_TMP=0
#   BUILD=0             1 builds the distribution first (./mvnw -o -q package -DskipTests, under
#                       /tmp/mvn.lock when that exists)
# All traffic stays on 127.0.0.1 (ports 18200-18203).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=bench/lib.sh
source "$ROOT/bench/lib.sh"

seconds() { # 600 | 600s | 10m -> seconds
  case "$1" in
    *m) echo $((${1%m} * 60)) ;;
    *s) echo "${1%s}" ;;
    *) echo "$1" ;;
  esac
}
DURATION=$(seconds "${DURATION:-600}")
WARMUP=$(seconds "${WARMUP:-30}")
CONNECTIONS=${CONNECTIONS:-32}
DEATH_INTERVAL=${DEATH_INTERVAL:-20}
DEATH_SECONDS=${DEATH_SECONDS:-2}
HEAP_TOLERANCE_KB=${HEAP_TOLERANCE_KB:-1024}
FD_TOLERANCE=${FD_TOLERANCE:-0}
KEEP_TMP=${KEEP_TMP:-0}
ISOLATE=0
BUILD=${BUILD:-0}
JAVA_OPTS=${JAVA_OPTS:--Xms256m -Xmx256m}
LUAGATE_HOME=${LUAGATE_HOME:-distribution/target/luagate}
case "$LUAGATE_HOME" in /*) ;; *) LUAGATE_HOME="$ROOT/$LUAGATE_HOME" ;; esac
for v in DURATION WARMUP CONNECTIONS DEATH_INTERVAL HEAP_TOLERANCE_KB FD_TOLERANCE; do
  [[ "${!v}" =~ ^[0-9]+$ ]] || die "$v must be a whole number (got '${!v}')"
done

HOST=127.0.0.1
LUAGATE_PORT=18200
PORT_A=18201
PORT_B=18202
PORT_C=18203
SERVER_TIMEOUT=2

command -v python3 >/dev/null || die "python3 is needed for the driver"
if [[ "$BUILD" == 1 ]]; then
  log "building the distribution"
  lock=()
  [[ -e /tmp/mvn.lock ]] && lock=(flock /tmp/mvn.lock)
  (cd "$ROOT" && "${lock[@]}" ./mvnw -o -q package -DskipTests) || die "build failed"
fi
bench_use_luagate
JCMD="$JAVA_HOME/bin/jcmd"
[[ -x "$JCMD" ]] || die "no jcmd in $JAVA_HOME (a JDK, not a JRE, is needed)"

bench_start_tmp
for p in $LUAGATE_PORT $PORT_A $PORT_B $PORT_C; do require_free "$p"; done
bench_warn_if_busy

# ---------------------------------------------------------------------------------------------
# Lua: an action that fails or loops when asked (X-Lua), one that keeps the request id in a
# variable that the response rules copy into X-Lua-Id (a state shared across requests would
# show as a wrong id).
# ---------------------------------------------------------------------------------------------
cat >"$TMP/soak.lua" <<'EOF'
core.register_action("soak_fault", { "http-req" }, function(txn)
  local h = txn.http:req_get_headers()["x-lua"]
  local what = h and h[0]
  if what == "error" then
    error("soak: an action that fails")
  elseif what == "loop" then
    local n = 0
    while true do n = n + 1 end
  end
end)

core.register_action("soak_tag", { "http-req" }, function(txn)
  local h = txn.http:req_get_headers()["x-request-id"]
  if h then txn:set_var("txn.lua_rid", h[0]) end
end)
EOF

cat >"$TMP/luagate.conf" <<EOF
global { threads = 2, grace = 1s }
log { target = none }
lua {
  load-per-thread = [ "$TMP/soak.lua" ]
  session-timeout = 100ms
}
frontends.soak {
  bind = [ "$HOST:$LUAGATE_PORT" ]
  mode = http
  timeout { client = 10s, http-request = 5s, http-keep-alive = 5s }
  http-request = [ "lua.soak_fault", "lua.soak_tag" ]
  http-response = [ "set-header X-Lua-Id %[var(txn.lua_rid)]" ]
  use-backend = [ "post if { method POST }" ]
  default-backend = main
}
backends.main {
  servers { a = "$HOST:$PORT_A", b = "$HOST:$PORT_B" }
  http-reuse = always
  retries = 2
  timeout { connect = 1s, server = ${SERVER_TIMEOUT}s }
  pool { idle-timeout = 2s }
}
backends.post {
  servers { c = "$HOST:$PORT_C" }
  timeout { connect = 1s, server = ${SERVER_TIMEOUT}s }
  pool { idle-timeout = 2s }
}
EOF

# ---------------------------------------------------------------------------------------------
# Upstreams (the driver process), then luagate, then the load
# ---------------------------------------------------------------------------------------------
LOGF[driver]=$TMP/driver.log
python3 "$ROOT/bench/fault-soak.py" --port "$LUAGATE_PORT" --port-a "$PORT_A" --port-b "$PORT_B" \
  --port-c "$PORT_C" --jcmd "$JCMD" --duration "$DURATION" --warmup "$WARMUP" \
  --connections "$CONNECTIONS" --death-interval "$DEATH_INTERVAL" --death-seconds "$DEATH_SECONDS" \
  --server-timeout "$SERVER_TIMEOUT" --ready-file "$TMP/ready" --go-file "$TMP/go" \
  --out "$TMP/result.json" 2>"$TMP/driver.log" &
DRIVER=$!
PIDS+=("$DRIVER")
for _ in $(seq 100); do [[ -e "$TMP/ready" ]] && break; kill -0 "$DRIVER" 2>/dev/null || die "driver exited"; sleep 0.1; done
[[ -e "$TMP/ready" ]] || die "driver not ready"

LOGF[luagate]=$TMP/luagate.log
"$LUAGATE_HOME/bin/luagate" run -c "$TMP/luagate.conf" >"$TMP/luagate.log" 2>&1 &
launcher=$!
PIDS+=("$launcher")
wait_port luagate "$launcher" "$LUAGATE_PORT" 60
LUAGATE_PID=$(java_pid_under "$launcher") || die "no java process under the luagate launcher ($launcher)"
[[ "$LUAGATE_PID" == "$launcher" ]] || PIDS+=("$LUAGATE_PID")
got=$(curl -sS --max-time 5 -H 'X-Request-Id: check' "http://$HOST:$LUAGATE_PORT/get/check") || die "luagate does not answer"
[[ "$got" == "echo check GET from "* ]] || die "unexpected answer through luagate: $got"
log "luagate pid $LUAGATE_PID on $HOST:$LUAGATE_PORT; soak: ${WARMUP}s warm-up, then ${DURATION}s, $CONNECTIONS connections"

echo "$LUAGATE_PID" >"$TMP/go.tmp" && mv "$TMP/go.tmp" "$TMP/go"
tail -f "$TMP/driver.log" >&2 &
TAIL=$!
PIDS+=("$TAIL")
wait "$DRIVER" || die "the driver failed"
kill "$TAIL" 2>/dev/null || true
kill -0 "$LUAGATE_PID" 2>/dev/null || die "luagate died during the soak"

# ---------------------------------------------------------------------------------------------
# Report
# ---------------------------------------------------------------------------------------------
python3 - "$TMP/result.json" "$HEAP_TOLERANCE_KB" "$FD_TOLERANCE" <<'EOF'
import json, sys
r = json.load(open(sys.argv[1])); heap_tol = int(sys.argv[2]) * 1024; fd_tol = int(sys.argv[3])
b, a = r["before"], r["after"]
print(f"\nFault soak: {r['duration_s']} s, {r['requests']} requests ({r['rate']}/s, {r['posts']} POST), "
      f"{r['connections']} keep-alive connections, server b died {r['deaths_of_b']} times.\n")
print("| fault | requests | as the failure semantics say |")
print("|---|---:|---:|")
for f, n in sorted(r["by_fault"].items(), key=lambda e: -e[1]):
    ok = sum(v for k, v in r["ok"].items() if k.split(" ", 1)[1] == f)
    print(f"| {f} | {n} | {ok} |")
print()
print(f"- misrouted responses: {r['misrouted']}")
print(f"- lost requests: {sum(r['lost'].values())}" + "".join(f"\n  - {k}: {v}" for k, v in r["lost"].items()))
print(f"- failures the semantics allow: {sum(r['allowed'].values())}" + "".join(f"\n  - {k}: {v}" for k, v in r["allowed"].items()))
print(f"- slowest answer: {r['latency_max_s']} s; by fault: " + ", ".join(f"{k} {v}" for k, v in sorted(r["slowest"].items())))
print(f"- live heap after a full GC: {b['live_heap_bytes']} -> {a['live_heap_bytes']} bytes "
      f"({a['live_heap_bytes'] - b['live_heap_bytes']:+d})")
print(f"- sessions alive at rest: {b['sessions']} -> {a['sessions']}")
print(f"- open file descriptors: {b['fds']} -> {a['fds']} ({a['fds'] - b['fds']:+d})")
print(f"- RSS: {b['rss_mib']} -> {a['rss_mib']} MiB")
for e in r["misrouted_examples"]:
    print(f"  misrouted: {e}")
for e in r["lost_examples"]:
    print(f"  lost: {e}")
w = r["warmup"]
print(f"- warm-up (not counted): {w['requests']} requests, {w['misrouted']} misrouted, {sum(w['lost'].values())} lost")
bad = []
if r["misrouted"]: bad.append("misrouted responses")
if sum(r["lost"].values()): bad.append("lost requests")
if a["live_heap_bytes"] - b["live_heap_bytes"] > heap_tol: bad.append("live heap grew")
if a["fds"] - b["fds"] > fd_tol: bad.append("file descriptors grew")
if a["sessions"]: bad.append("sessions left at rest")
print("\nverdict: " + ("PASS" if not bad else "FAIL (" + ", ".join(bad) + ")"))
sys.exit(1 if bad else 0)
EOF
