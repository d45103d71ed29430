#!/usr/bin/env bash
# TLS engines side by side: luagate on OpenSSL (BoringSSL, netty-tcnative), luagate on the JDK's
# SSLEngine, and HAProxy 2.6 (Debian's, OpenSSL 3.0), each terminating TLS on one thread and
# answering every request itself (http-request return), so that only TLS and HTTP parsing count.
#
#   bash bench/tls-engines.sh
#   BASELINE_HOME=/tmp/luagate-before bash bench/tls-engines.sh   # adds a row for another build
#
# Two figures per server, both from the server's own CPU time (utime + stime in /proc/PID/stat):
#   handshakes/CPU-s  full handshakes (TLS 1.3, X25519, ECDSA P-256 certificate, no resumption)
#                     per CPU-second, driven by `openssl s_time -new` (connect, handshake, close)
#   us CPU/request    keep-alive HTTPS requests (wrk, 16 connections) per CPU microsecond
# All servers run at once (idle ones cost nothing) on their own ports, all pinned to PROXY_CPU; after
# the warm-up, the measured rounds go round-robin over them, so that a machine whose load changes
# (other jobs) weighs on every server alike. Each figure sums ROUNDS rounds of DURATION seconds.
# Before measuring, what each server negotiates (version, cipher, key exchange, signature) is
# printed, so that all of them are seen to do the same handshake.
# Environment: DURATION=10 (seconds per measured round), ROUNDS=3, WARMUP=40 (seconds of each load
# per server first: luagate's JIT compiles the handshake path in that time; 15 s was measured too
# short), LUAGATE_HOME,
# BASELINE_HOME, JAVA_HOME, PROXY_CPU=0 and LOAD_CPU=1 (servers and load generators pinned apart),
# KEEP_TMP=0. All traffic stays on 127.0.0.1.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
DURATION=${DURATION:-10}
ROUNDS=${ROUNDS:-3}
WARMUP=${WARMUP:-40}
PROXY_CPU=${PROXY_CPU:-0}
LOAD_CPU=${LOAD_CPU:-1}
KEEP_TMP=${KEEP_TMP:-0}
LUAGATE_HOME=${LUAGATE_HOME:-$ROOT/distribution/target/luagate}
BASELINE_HOME=${BASELINE_HOME:-}
JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
export JAVA_HOME
BASE_PORT=18443

log() { printf '[tls-bench] %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }
[[ -x "$LUAGATE_HOME/bin/luagate" ]] || die "no $LUAGATE_HOME/bin/luagate: build the distribution first"
[[ -z "$BASELINE_HOME" || -x "$BASELINE_HOME/bin/luagate" ]] || die "no $BASELINE_HOME/bin/luagate"
for tool in openssl wrk haproxy taskset; do command -v "$tool" >/dev/null || die "$tool is missing"; done

TMP=$(mktemp -d /tmp/luagate-tls-bench.XXXXXX)
declare -A PID PORT
cleanup() {
  for p in "${PID[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${PID[@]}"; do wait "$p" 2>/dev/null || true; done
  [[ "$KEEP_TMP" == 1 ]] && log "kept $TMP" || rm -rf "$TMP"
}
trap cleanup EXIT

# An ECDSA P-256 certificate for 127.0.0.1, in one PEM (certificate + key) as both servers take it.
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$TMP/key.pem" -out "$TMP/crt.pem" \
  -days 2 -subj /CN=bench.test -addext subjectAltName=DNS:bench.test 2>/dev/null
cat "$TMP/crt.pem" "$TMP/key.pem" > "$TMP/site.pem"

cpu_ticks() { local f; read -ra f < "/proc/$1/stat"; echo $(( f[13] + f[14] )); }
wait_port() { for _ in $(seq 1 300); do (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0; sleep 0.1; done; die "nothing on $1"; }
HZ=$(getconf CLK_TCK)

start_luagate() { # name home engine port
  local name=$1 home=$2 engine=$3 port=$4
  cat > "$TMP/$name.conf" <<CONF
global.threads = 1
log.target = none
tls.engine = $engine
frontends.web {
  bind = [ { address = "127.0.0.1:$port", ssl = true, crt = "$TMP/site.pem" } ]
  http-request = [ "return status 200 content-type text/plain string ok" ]
}
CONF
  JAVA_OPTS="-Xms256m -Xmx256m -XX:+UseParallelGC -XX:ActiveProcessorCount=1" \
    taskset -c "$PROXY_CPU" "$home/bin/luagate" run -c "$TMP/$name.conf" > "$TMP/$name.log" 2>&1 &
  PID[$name]=$!; PORT[$name]=$port
}

start_haproxy() { # port
  cat > "$TMP/haproxy.cfg" <<CONF
global
  nbthread 1
defaults
  mode http
  timeout client 30s
  timeout server 30s
  timeout connect 5s
frontend web
  bind 127.0.0.1:$1 ssl crt $TMP/site.pem
  http-request return status 200 content-type text/plain string ok
CONF
  taskset -c "$PROXY_CPU" haproxy -f "$TMP/haproxy.cfg" -db > "$TMP/haproxy.log" 2>&1 &
  PID[haproxy]=$!; PORT[haproxy]=$1
}

SERVERS=()
if [[ -n "$BASELINE_HOME" ]]; then
  start_luagate baseline-openssl "$BASELINE_HOME" openssl $((BASE_PORT + 3)); SERVERS+=(baseline-openssl)
fi
start_luagate luagate-openssl "$LUAGATE_HOME" openssl $BASE_PORT; SERVERS+=(luagate-openssl)
start_luagate luagate-jdk "$LUAGATE_HOME" jdk $((BASE_PORT + 1)); SERVERS+=(luagate-jdk)
start_haproxy $((BASE_PORT + 2)); SERVERS+=(haproxy)
for s in "${SERVERS[@]}"; do wait_port "${PORT[$s]}"; done

# The same handshake everywhere: what each server negotiates with the load's own client.
for s in "${SERVERS[@]}"; do
  facts=$(openssl s_client -connect "127.0.0.1:${PORT[$s]}" -brief </dev/null 2>&1 \
    | sed -n 's/^\(Protocol version\|Ciphersuite\|Signature type\|Server Temp Key\|Negotiated TLS1.3 group\): *//p' | paste -sd' ')
  log "$s negotiates: $facts"
done

for s in "${SERVERS[@]}"; do
  log "warming $s up (${WARMUP}s of each load)"
  taskset -c "$LOAD_CPU" openssl s_time -connect "127.0.0.1:${PORT[$s]}" -new -time "$WARMUP" >/dev/null 2>&1 || true
  taskset -c "$LOAD_CPU" wrk -t1 -c16 -d"${WARMUP}s" "https://127.0.0.1:${PORT[$s]}/" >/dev/null 2>&1 || true
done

declare -A HS HS_T RQ RQ_T CLIENT
for s in "${SERVERS[@]}"; do HS[$s]=0; HS_T[$s]=0; RQ[$s]=0; RQ_T[$s]=0; CLIENT[$s]=0; done
for round in $(seq 1 "$ROUNDS"); do
  for s in "${SERVERS[@]}"; do
    pid=${PID[$s]} port=${PORT[$s]}
    t0=$(cpu_ticks "$pid")
    out=$(taskset -c "$LOAD_CPU" openssl s_time -connect "127.0.0.1:$port" -new -time "$DURATION" 2>&1)
    t1=$(cpu_ticks "$pid")
    n=$(sed -n 's/^\([0-9]*\) connections in [0-9.]*s.*/\1/p' <<<"$out" | head -1)
    [[ -n "$n" ]] || die "s_time said: $out"
    # s_time's own CPU: if it nears DURATION, the client, not the server, sets the pace.
    client=$(sed -n 's/^[0-9]* connections in \([0-9.]*\)s.*/\1/p' <<<"$out" | head -1)
    HS[$s]=$(( HS[$s] + n )); HS_T[$s]=$(( HS_T[$s] + t1 - t0 ))
    CLIENT[$s]=$(awk -v a="${CLIENT[$s]}" -v b="$client" 'BEGIN { print a + b }')
    t0=$(cpu_ticks "$pid")
    out=$(taskset -c "$LOAD_CPU" wrk -t1 -c16 -d"${DURATION}s" "https://127.0.0.1:$port/" 2>&1)
    t1=$(cpu_ticks "$pid")
    r=$(sed -n 's/^ *\([0-9]*\) requests in.*/\1/p' <<<"$out")
    [[ -n "$r" ]] || die "wrk said: $out"
    RQ[$s]=$(( RQ[$s] + r )); RQ_T[$s]=$(( RQ_T[$s] + t1 - t0 ))
    log "round $round $s: $n handshakes in $((HS_T[$s])) ticks so far, $r requests"
  done
done

printf '%-18s %18s %16s %12s %12s %16s\n' server handshakes/CPU-s "us CPU/request" handshakes requests "client CPU-s"
for s in "${SERVERS[@]}"; do
  hs=$(awk -v n="${HS[$s]}" -v t="${HS_T[$s]}" -v hz="$HZ" 'BEGIN { printf "%.0f", n / (t / hz) }')
  us=$(awk -v n="${RQ[$s]}" -v t="${RQ_T[$s]}" -v hz="$HZ" 'BEGIN { printf "%.1f", t / hz * 1e6 / n }')
  printf '%-18s %18s %16s %12s %12s %16s\n' "$s" "$hs" "$us" "${HS[$s]}" "${RQ[$s]}" "${CLIENT[$s]}"
done
