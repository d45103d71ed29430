#!/usr/bin/env bash
# TLS engines side by side: luagate on OpenSSL (BoringSSL, netty-tcnative), luagate on the JDK's
# SSLEngine, and HAProxy 2.6 (Debian's, OpenSSL 3.0), each terminating TLS on one thread and
# answering every request itself (http-request return), so that only TLS and HTTP parsing count.
#
#   bash bench/tls-engines.sh
#
# Two figures per server, both from the server's own CPU time (utime + stime in /proc/PID/stat):
#   handshakes/CPU-s  full handshakes (TLS 1.3, ECDSA P-256, no resumption) per CPU-second, driven
#                     by `openssl s_time -new` (connect, handshake, close)
#   us CPU/request    keep-alive HTTPS requests (wrk, 16 connections) per CPU microsecond
# Environment: DURATION=10 (seconds per measured round), WARMUP=10, LUAGATE_HOME, JAVA_HOME,
# PROXY_CPU=0 and LOAD_CPU=1 (the server and the load generators are pinned apart), KEEP_TMP=0.
# All traffic stays on 127.0.0.1.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
DURATION=${DURATION:-10}
WARMUP=${WARMUP:-10}
PROXY_CPU=${PROXY_CPU:-0}
LOAD_CPU=${LOAD_CPU:-1}
KEEP_TMP=${KEEP_TMP:-0}
LUAGATE_HOME=${LUAGATE_HOME:-$ROOT/distribution/target/luagate}
JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
export JAVA_HOME
PORT=18443

log() { printf '[tls-bench] %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }
[[ -x "$LUAGATE_HOME/bin/luagate" ]] || die "no $LUAGATE_HOME/bin/luagate: build the distribution first"
for tool in openssl wrk haproxy taskset; do command -v "$tool" >/dev/null || die "$tool is missing"; done

TMP=$(mktemp -d /tmp/luagate-tls-bench.XXXXXX)
SERVER_PID=""
cleanup() {
  [[ -n "$SERVER_PID" ]] && kill "$SERVER_PID" 2>/dev/null && wait "$SERVER_PID" 2>/dev/null || true
  [[ "$KEEP_TMP" == 1 ]] && log "kept $TMP" || rm -rf "$TMP"
}
trap cleanup EXIT

# An ECDSA P-256 certificate for 127.0.0.1, in one PEM (certificate + key) as both servers take it.
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$TMP/key.pem" -out "$TMP/crt.pem" \
  -days 2 -subj /CN=bench.test -addext subjectAltName=DNS:bench.test 2>/dev/null
cat "$TMP/crt.pem" "$TMP/key.pem" > "$TMP/site.pem"

cpu_ticks() { local f; read -ra f < "/proc/$1/stat"; echo $(( f[13] + f[14] )); }
wait_port() { for _ in $(seq 1 300); do (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null && return 0; sleep 0.1; done; die "nothing on $PORT"; }
HZ=$(getconf CLK_TCK)

# Runs the two measures against whatever listens on $PORT with pid $1; prints "hs_per_cpu_s us_per_req".
measure() {
  local pid=$1 t0 t1 out handshakes requests
  # Warm-up (the JIT, for luagate): both kinds of traffic.
  taskset -c "$LOAD_CPU" openssl s_time -connect 127.0.0.1:$PORT -new -time "$WARMUP" >/dev/null 2>&1 || true
  taskset -c "$LOAD_CPU" wrk -t1 -c16 -d"${WARMUP}s" "https://127.0.0.1:$PORT/" >/dev/null 2>&1 || true
  t0=$(cpu_ticks "$pid")
  out=$(taskset -c "$LOAD_CPU" openssl s_time -connect 127.0.0.1:$PORT -new -time "$DURATION" 2>&1)
  t1=$(cpu_ticks "$pid")
  handshakes=$(sed -n 's/^\([0-9]*\) connections in [0-9.]*s.*/\1/p' <<<"$out" | head -1)
  [[ -n "$handshakes" ]] || die "s_time said: $out"
  local hs_rate; hs_rate=$(awk -v n="$handshakes" -v t=$((t1 - t0)) -v hz="$HZ" 'BEGIN { printf "%.0f", n / (t / hz) }')
  t0=$(cpu_ticks "$pid")
  out=$(taskset -c "$LOAD_CPU" wrk -t1 -c16 -d"${DURATION}s" "https://127.0.0.1:$PORT/" 2>&1)
  t1=$(cpu_ticks "$pid")
  requests=$(sed -n 's/^ *\([0-9]*\) requests in.*/\1/p' <<<"$out")
  [[ -n "$requests" ]] || die "wrk said: $out"
  local us; us=$(awk -v n="$requests" -v t=$((t1 - t0)) -v hz="$HZ" 'BEGIN { printf "%.1f", t / hz * 1e6 / n }')
  echo "$hs_rate $us $handshakes $requests"
}

run_luagate() { # engine
  cat > "$TMP/luagate-$1.conf" <<CONF
global.threads = 1
log.target = none
tls.engine = $1
frontends.web {
  bind = [ { address = "127.0.0.1:$PORT", ssl = true, crt = "$TMP/site.pem" } ]
  http-request = [ "return status 200 content-type text/plain string ok" ]
}
CONF
  JAVA_OPTS="-Xms256m -Xmx256m -XX:+UseParallelGC -XX:ActiveProcessorCount=1" \
    taskset -c "$PROXY_CPU" "$LUAGATE_HOME/bin/luagate" run -c "$TMP/luagate-$1.conf" > "$TMP/luagate-$1.log" 2>&1 &
  SERVER_PID=$!
  wait_port
  grep -o 'TLS engine: [^(]*' "$TMP/luagate-$1.log" | head -1 >&2 || true
  measure "$SERVER_PID"
  kill "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true; SERVER_PID=""
}

run_haproxy() {
  cat > "$TMP/haproxy.cfg" <<CONF
global
  nbthread 1
defaults
  mode http
  timeout client 30s
  timeout server 30s
  timeout connect 5s
frontend web
  bind 127.0.0.1:$PORT ssl crt $TMP/site.pem
  http-request return status 200 content-type text/plain string ok
CONF
  taskset -c "$PROXY_CPU" haproxy -f "$TMP/haproxy.cfg" -db > "$TMP/haproxy.log" 2>&1 &
  SERVER_PID=$!
  wait_port
  measure "$SERVER_PID"
  kill "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true; SERVER_PID=""
}

printf '%-18s %18s %16s %12s %12s\n' server handshakes/CPU-s "us CPU/request" handshakes requests
for server in luagate-openssl luagate-jdk haproxy; do
  case $server in
    luagate-openssl) read -r hs us n r < <(run_luagate openssl) ;;
    luagate-jdk) read -r hs us n r < <(run_luagate jdk) ;;
    haproxy) read -r hs us n r < <(run_haproxy) ;;
  esac
  printf '%-18s %18s %16s %12s %12s\n' "$server" "$hs" "$us" "$n" "$r"
done
