#!/usr/bin/env bash
# Side-by-side reverse-proxy benchmark: luagate vs HAProxy 2.6 (Debian package), same upstream,
# same load, alternating rounds. See bench/README.md.
#
#   bash bench/proxy-vs-haproxy.sh
#
# Environment (all optional):
#   ROUNDS=3            measured rounds per proxy (haproxy, luagate, haproxy, luagate, ...)
#   DURATION=10s        length of one measured wrk round
#   WARMUP=15s          warm-up traffic for luagate (JVM JIT) before the measured rounds
#   HAPROXY_WARMUP=5s   warm-up traffic for haproxy
#   CONNECTIONS=64      wrk connections (one wrk thread)
#   LUAGATE_HOME=distribution/target/luagate   (relative paths: to the repository root)
#   JAVA_HOME           used if it is a JDK >= 21, else the newest JDK >= 21 under /usr/lib/jvm
#   JAVA_OPTS="-Xms256m -Xmx256m -XX:+UseParallelGC"   JVM options for luagate
#   PROXIES="haproxy luagate"   PROXIES=haproxy measures HAProxy alone (no luagate needed)
#   PIN=1               pin proxies to CPU $PROXY_CPU (0), wrk and nginx to CPU $LOAD_CPU (1)
#   ISOLATE=1           SIGSTOP the proxy not being measured, so it takes no CPU from the other
#   KEEP_TMP=0          1 keeps the temp dir (configs, logs, raw wrk output)
#
# The machine this was written for has 2 cores: core 0 runs the proxy under test (both proxies
# are pinned there; only one gets traffic at a time), core 1 runs the load generator and the
# upstream. Req/s is therefore bounded by what wrk+nginx manage on one core; the number that
# compares the proxies is the proxy's own CPU time per request.
# All traffic stays on 127.0.0.1.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

ROUNDS=${ROUNDS:-3}
DURATION=${DURATION:-10s}
WARMUP=${WARMUP:-15s}
HAPROXY_WARMUP=${HAPROXY_WARMUP:-5s}
CONNECTIONS=${CONNECTIONS:-64}
PROXIES=${PROXIES:-haproxy luagate}
PIN=${PIN:-1}
PROXY_CPU=${PROXY_CPU:-0}
LOAD_CPU=${LOAD_CPU:-1}
KEEP_TMP=${KEEP_TMP:-0}
ISOLATE=${ISOLATE:-1}
JAVA_OPTS=${JAVA_OPTS:--Xms256m -Xmx256m -XX:+UseParallelGC}
LUAGATE_HOME=${LUAGATE_HOME:-distribution/target/luagate}
case "$LUAGATE_HOME" in /*) ;; *) LUAGATE_HOME="$ROOT/$LUAGATE_HOME" ;; esac

HOST=127.0.0.1
UPSTREAM_PORT=18081
HAPROXY_PORT=18080
LUAGATE_PORT=18090
# Exactly 100 bytes.
BODY='luagate bench: a fixed 100-byte response body, served by nginx as the upstream of both proxies. OK!!'

log() { printf '[bench] %s\n' "$*" >&2; }
die() { printf '[bench] ERROR: %s\n' "$*" >&2; exit 1; }

[[ "$ROUNDS" =~ ^[1-9][0-9]*$ ]] || die "ROUNDS must be a positive integer (got '$ROUNDS')"
for p in $PROXIES; do
  [[ "$p" == haproxy || "$p" == luagate ]] || die "PROXIES may only name haproxy and luagate (got '$p')"
done
want() { [[ " $PROXIES " == *" $1 "* ]]; }

# ---------------------------------------------------------------------------------------------
# 1. Tools
# ---------------------------------------------------------------------------------------------
install_missing() {
  local missing=()
  command -v haproxy >/dev/null || missing+=(haproxy)
  command -v wrk >/dev/null || missing+=(wrk)
  if ! command -v nginx >/dev/null && [[ ! -x /usr/sbin/nginx ]]; then missing+=(nginx-light); fi
  ((${#missing[@]} == 0)) && return 0
  [[ $(id -u) == 0 ]] || die "missing ${missing[*]}; run as root or install them first"
  log "installing ${missing[*]} (apt-get)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  if ! apt-get install -y -qq "${missing[@]}" >/dev/null; then
    # nginx-light is gone from newer Debian releases; plain nginx serves as well.
    missing=("${missing[@]/nginx-light/nginx}")
    apt-get install -y -qq "${missing[@]}" >/dev/null || die "apt-get install ${missing[*]} failed"
  fi
}
install_missing
NGINX=$(command -v nginx || echo /usr/sbin/nginx)
HAPROXY=$(command -v haproxy)
WRK=$(command -v wrk)
log "$("$HAPROXY" -v | head -1)"
log "$("$NGINX" -v 2>&1)"

NCPU=$(nproc)
if [[ "$PIN" == 1 && "$NCPU" -ge 2 ]] && command -v taskset >/dev/null; then
  ON_PROXY_CPU=(taskset -c "$PROXY_CPU")
  ON_LOAD_CPU=(taskset -c "$LOAD_CPU")
  log "pinning: proxies on CPU $PROXY_CPU; wrk and nginx on CPU $LOAD_CPU ($NCPU CPUs)"
else
  ON_PROXY_CPU=()
  ON_LOAD_CPU=()
  log "not pinning (PIN=$PIN, $NCPU CPUs)"
fi

# A JDK >= 21 for luagate (bin/luagate reads JAVA_HOME).
java_major() { # $1 = JDK home; prints the major version or nothing
  [[ -x "$1/bin/java" ]] || return 0
  "$1/bin/java" -version 2>&1 | sed -n 's/.*version "\([0-9][0-9]*\)\(\.[^"]*\)\{0,1\}".*/\1/p' | head -1
}
pick_java() {
  local v best="" best_v=0 d
  if [[ -n "${JAVA_HOME:-}" ]]; then
    v=$(java_major "$JAVA_HOME")
    if [[ -n "$v" && "$v" -ge 21 ]]; then echo "$JAVA_HOME"; return; fi
    log "JAVA_HOME=$JAVA_HOME is not a JDK >= 21 (version '${v:-?}'); looking under /usr/lib/jvm"
  fi
  for d in /usr/lib/jvm/*/; do
    d=${d%/}
    [[ -L "$d" ]] && continue
    v=$(java_major "$d")
    if [[ -n "$v" && "$v" -gt "$best_v" ]]; then best=$d; best_v=$v; fi
  done
  [[ -n "$best" && "$best_v" -ge 21 ]] || die "no JDK >= 21 found (set JAVA_HOME)"
  echo "$best"
}

if want luagate; then
  [[ -x "$LUAGATE_HOME/bin/luagate" ]] \
    || die "$LUAGATE_HOME/bin/luagate not found: build the distribution first, set LUAGATE_HOME, or run with PROXIES=haproxy"
  JAVA_HOME=$(pick_java)
  export JAVA_HOME JAVA_OPTS
  log "luagate: $LUAGATE_HOME, JAVA_HOME=$JAVA_HOME (Java $(java_major "$JAVA_HOME")), JAVA_OPTS=$JAVA_OPTS"
fi

# ---------------------------------------------------------------------------------------------
# Processes and cleanup
# ---------------------------------------------------------------------------------------------
TMP=$(mktemp -d /tmp/luagate-bench.XXXXXX)
PIDS=()       # processes we started, stopped in reverse order on exit
declare -A PROC_PID=() LOGF=()

dump_logs() {
  local f
  for f in "$TMP"/*.log; do
    [[ -s "$f" ]] || continue
    printf '[bench] ---- %s (last 20 lines) ----\n' "${f##*/}" >&2
    tail -n 20 "$f" >&2
  done
}
cleanup() {
  local rc=$? i pid
  trap - EXIT INT TERM
  if ((rc != 0)); then dump_logs; fi
  for ((i = ${#PIDS[@]} - 1; i >= 0; i--)); do
    pid=${PIDS[i]}
    kill -CONT "$pid" 2>/dev/null || true # a frozen proxy would not act on SIGTERM
    kill -TERM "$pid" 2>/dev/null || true
  done
  for pid in "${PIDS[@]}"; do
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  if [[ "$KEEP_TMP" == 1 || $rc != 0 ]]; then
    log "temp dir kept: $TMP"
  else
    rm -rf "$TMP"
  fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

port_open() { (exec 3<>"/dev/tcp/$HOST/$1") 2>/dev/null; }
require_free() {
  ! port_open "$1" || die "port $HOST:$1 is already in use (a previous run still going?)"
}
wait_port() { # name pid port timeout_s
  local name=$1 pid=$2 port=$3 t=$4 i
  for ((i = 0; i < t * 10; i++)); do
    kill -0 "$pid" 2>/dev/null || die "$name exited during start-up (see ${LOGF[$name]})"
    port_open "$port" && return 0
    sleep 0.1
  done
  die "$name did not listen on $HOST:$port within ${t}s"
}
check_body() { # name port
  local got
  got=$(curl -sS --max-time 5 "http://$HOST:$2/" 2>&1) || die "$1: request to $HOST:$2 failed: $got"
  [[ "$got" == "$BODY" ]] || die "$1: unexpected response from $HOST:$2: ${got:0:200}"
}
# The java process under a launcher pid (bin/luagate may exec java, or run it as a child).
java_pid_under() {
  local pid=$1 c
  [[ "$(cat "/proc/$pid/comm" 2>/dev/null)" == java ]] && { echo "$pid"; return 0; }
  for c in $(pgrep -P "$pid" || true); do
    java_pid_under "$c" && return 0
  done
  return 1
}
cpu_ticks() { # utime + stime of a whole process (all threads), in clock ticks
  local stat rest
  stat=$(<"/proc/$1/stat") || die "process $1 is gone"
  rest=${stat##*) }        # fields from 3 (state) on; comm may hold spaces and parentheses
  read -r -a f <<<"$rest"
  echo $((f[11] + f[12])) # fields 14 (utime) and 15 (stime)
}
CLK_TCK=$(getconf CLK_TCK)

# maxconn for both proxies: 100000 where the open-files limit allows (HAProxy refuses to start
# when it cannot raise RLIMIT_NOFILE to about 2 x maxconn), else what fits. 64 connections are used.
nofile=$(ulimit -Hn)
if [[ "$nofile" != unlimited ]]; then ulimit -Sn "$nofile" 2>/dev/null || true; fi
MAXCONN=100000
if [[ "$nofile" != unlimited ]] && ((nofile < 2 * MAXCONN + 1000)); then
  MAXCONN=$(((nofile - 1000) / 2))
  ((MAXCONN >= 4 * CONNECTIONS)) || die "open-files limit $nofile is too low"
  log "open-files hard limit is $nofile: maxconn = $MAXCONN for both proxies"
fi

# Other work on the machine skews every number: say so if the CPUs are busy before we start.
cpu_busy_pct() { # share of all CPUs busy over one second, from /proc/stat
  local a b
  a=$(head -1 /proc/stat); sleep 1; b=$(head -1 /proc/stat)
  awk -v a="$a" -v b="$b" 'BEGIN {
    n = split(a, x, " "); split(b, y, " "); t = 0
    for (i = 2; i <= n; i++) t += y[i] - x[i]
    idle = (y[5] - x[5]) + (y[6] - x[6])
    printf "%d", (t > 0 ? 100 * (t - idle) / t : 0) }'
}
busy=$(cpu_busy_pct)
if ((busy > 10)); then
  log "WARNING: the CPUs are already ${busy}% busy before the benchmark starts; results will be noisy"
fi

require_free "$UPSTREAM_PORT"
if want haproxy; then require_free "$HAPROXY_PORT"; fi
if want luagate; then require_free "$LUAGATE_PORT"; fi

# ---------------------------------------------------------------------------------------------
# 2. Upstream: nginx, one worker, keep-alive, fixed 100-byte body
# ---------------------------------------------------------------------------------------------
mkdir -p "$TMP/nginx"
nginx_temp_paths=""
for t in client_body proxy fastcgi uwsgi scgi; do
  if [[ $t == client_body ]] || ! "$NGINX" -V 2>&1 | grep -q -- "--without-http_${t}_module"; then
    nginx_temp_paths+="  ${t}_temp_path $TMP/nginx/${t}_temp;"$'\n'
  fi
done
cat >"$TMP/nginx.conf" <<EOF
daemon off;
user root;
worker_processes 1;
pid $TMP/nginx/nginx.pid;
error_log $TMP/nginx.log warn;
events { worker_connections 4096; }
http {
  access_log off;
$nginx_temp_paths  keepalive_timeout 75s;
  keepalive_requests 1000000;
  server {
    listen $HOST:$UPSTREAM_PORT;
    location / {
      default_type text/plain;
      return 200 "$BODY";
    }
  }
}
EOF
"$NGINX" -t -q -e "$TMP/nginx.log" -c "$TMP/nginx.conf" -p "$TMP/nginx/" || die "nginx config test failed"
LOGF[nginx]=$TMP/nginx.log
"${ON_LOAD_CPU[@]}" "$NGINX" -e "$TMP/nginx.log" -c "$TMP/nginx.conf" -p "$TMP/nginx/" >"$TMP/nginx-stdout.log" 2>&1 &
PROC_PID[nginx]=$!
PIDS+=("$!")
wait_port nginx "${PROC_PID[nginx]}" "$UPSTREAM_PORT" 10
check_body nginx "$UPSTREAM_PORT"
log "nginx upstream on $HOST:$UPSTREAM_PORT (pid ${PROC_PID[nginx]})"

# ---------------------------------------------------------------------------------------------
# 3. HAProxy
# ---------------------------------------------------------------------------------------------
if want haproxy; then
  cat >"$TMP/haproxy.cfg" <<EOF
global
    nbthread 1
    maxconn $MAXCONN

defaults
    mode http
    option http-keep-alive
    http-reuse always
    timeout connect 5s
    timeout client 30s
    timeout server 30s
    timeout http-request 10s
    timeout http-keep-alive 5s

frontend bench
    bind $HOST:$HAPROXY_PORT
    default_backend upstream

backend upstream
    balance roundrobin
    server nginx $HOST:$UPSTREAM_PORT
EOF
  "$HAPROXY" -c -q -f "$TMP/haproxy.cfg" >"$TMP/haproxy.log" 2>&1 || die "haproxy config check failed"
  LOGF[haproxy]=$TMP/haproxy.log
  "${ON_PROXY_CPU[@]}" "$HAPROXY" -db -f "$TMP/haproxy.cfg" >>"$TMP/haproxy.log" 2>&1 &
  PROC_PID[haproxy]=$!
  PIDS+=("$!")
  wait_port haproxy "${PROC_PID[haproxy]}" "$HAPROXY_PORT" 10
  check_body haproxy "$HAPROXY_PORT"
  log "haproxy on $HOST:$HAPROXY_PORT (pid ${PROC_PID[haproxy]})"
fi

# ---------------------------------------------------------------------------------------------
# 4. luagate
# ---------------------------------------------------------------------------------------------
if want luagate; then
  cat >"$TMP/luagate.conf" <<EOF
global { threads = 1, maxconn = $MAXCONN, grace = 1s }
log { target = none }
frontends.bench {
  bind = [ "$HOST:$LUAGATE_PORT" ]
  mode = http
  default-backend = upstream
}
backends.upstream {
  balance = roundrobin
  http-reuse = always
  servers { nginx = "$HOST:$UPSTREAM_PORT" }
}
EOF
  LOGF[luagate]=$TMP/luagate.log
  "${ON_PROXY_CPU[@]}" "$LUAGATE_HOME/bin/luagate" run -c "$TMP/luagate.conf" >"$TMP/luagate.log" 2>&1 &
  launcher=$!
  PIDS+=("$launcher")
  wait_port luagate "$launcher" "$LUAGATE_PORT" 60
  PROC_PID[luagate]=$(java_pid_under "$launcher") || die "no java process found under luagate launcher pid $launcher"
  [[ "${PROC_PID[luagate]}" == "$launcher" ]] || PIDS+=("${PROC_PID[luagate]}")
  check_body luagate "$LUAGATE_PORT"
  log "luagate on $HOST:$LUAGATE_PORT (java pid ${PROC_PID[luagate]})"
fi

declare -A PORT=([haproxy]=$HAPROXY_PORT [luagate]=$LUAGATE_PORT)

# ---------------------------------------------------------------------------------------------
# 5./6. Load: warm-up, then alternating measured rounds
# ---------------------------------------------------------------------------------------------
run_wrk() { # proxy duration outfile
  "${ON_LOAD_CPU[@]}" "$WRK" -t1 -c"$CONNECTIONS" -d"$2" --latency "http://$HOST:${PORT[$1]}/" >"$3" 2>&1 \
    || die "wrk against $1 failed: $(tail -n 5 "$3")"
}
to_ms() { # wrk duration (e.g. 812.00us, 1.23ms, 1.01s, 2.00m) -> milliseconds
  awk -v d="$1" 'BEGIN {
    if (match(d, /^[0-9.]+/)) { n = substr(d, 1, RLENGTH); u = substr(d, RLENGTH + 1) } else { print "NaN"; exit }
    f = (u == "us") ? 0.001 : (u == "ms") ? 1 : (u == "s") ? 1000 : (u == "m") ? 60000 : (u == "h") ? 3600000 : -1
    if (f < 0) print "NaN"; else printf "%.3f", n * f }'
}

# Both proxies share CPU 0. With ISOLATE=1 the one not being measured is frozen (SIGSTOP) so that
# nothing it does in the background (a JVM's GC or JIT, timers) takes CPU from the one measured.
activate() { # proxy
  local q
  [[ "$ISOLATE" == 1 ]] || return 0
  for q in haproxy luagate; do
    if want "$q" && [[ "$q" != "$1" ]]; then kill -STOP "${PROC_PID[$q]}"; fi
  done
  kill -CONT "${PROC_PID[$1]}"
}
is_num() { [[ "$1" =~ ^[0-9]+([.][0-9]+)?$ ]]; }

for p in haproxy luagate; do
  want "$p" || continue
  w=$([[ $p == luagate ]] && echo "$WARMUP" || echo "$HAPROXY_WARMUP")
  log "warm-up $p for $w"
  activate "$p"
  run_wrk "$p" "$w" "$TMP/wrk-$p-warmup.txt"
done

RESULTS=()   # "proxy round rps p99ms cpu_us_per_req requests errors"; n/a where a round served nothing
for ((r = 1; r <= ROUNDS; r++)); do
  for p in haproxy luagate; do
    want "$p" || continue
    pid=${PROC_PID[$p]}
    out="$TMP/wrk-$p-$r.txt"
    activate "$p"
    before=$(cpu_ticks "$pid")
    run_wrk "$p" "$DURATION" "$out"
    after=$(cpu_ticks "$pid")
    requests=$(awk '/ requests in /{print $1; exit}' "$out")
    rps=$(awk '/^Requests\/sec:/{print $2; exit}' "$out")
    p99=$(awk '$1 == "99%" {print $2; exit}' "$out")
    { [[ "$requests" =~ ^[0-9]+$ ]] && is_num "$rps"; } || die "could not parse wrk output for $p round $r: $(cat "$out")"
    errors=$(awk '/Non-2xx or 3xx responses:/{n += $NF} /Socket errors:/{gsub(",", ""); n += $4 + $6 + $8 + $10} END {print n + 0}' "$out")
    if ((requests > 0)); then
      cpu_us=$(awk -v a="$before" -v b="$after" -v hz="$CLK_TCK" -v n="$requests" 'BEGIN {printf "%.2f", (b - a) / hz * 1e6 / n}')
      p99ms=$(to_ms "$p99")
      is_num "$p99ms" || p99ms=n/a
    else
      cpu_us=n/a
      p99ms=n/a
    fi
    RESULTS+=("$p $r $rps $p99ms $cpu_us $requests $errors")
    log "$p round $r: $rps req/s, p99 ${p99:-?}, $cpu_us CPU us/req ($requests requests, $((after - before)) ticks, $errors errors)"
    ((errors == 0)) || log "WARNING: $p round $r had $errors non-2xx responses or socket errors (wrk counts a request over 2 s as a timeout)"
    ((requests > 0)) || log "WARNING: $p served no request in round $r"
  done
done

# ---------------------------------------------------------------------------------------------
# 7. Report
# ---------------------------------------------------------------------------------------------
median() { # numbers, one a line (anything else is skipped) -> their median, or n/a
  grep -E '^[0-9]+([.][0-9]+)?$' | sort -g \
    | awk '{v[NR] = $1} END {if (NR == 0) print "n/a"; else if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2}'
}
fmt() { # printf format, value: formats numbers, passes n/a through
  # shellcheck disable=SC2059 # the format is the argument
  if is_num "$2"; then printf "$1" "$2"; else printf '%s' "$2"; fi
}
ratio() { # a b -> a/b with two decimals, or n/a
  if is_num "$1" && is_num "$2" && awk -v b="$2" 'BEGIN {exit !(b > 0)}'; then
    awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", a / b}'
  else
    printf 'n/a'
  fi
}
col() { # proxy column -> values, one a line
  local line
  for line in "${RESULTS[@]}"; do
    read -r -a f <<<"$line"
    [[ "${f[0]}" == "$1" ]] && echo "${f[$2]}"
  done
  return 0
}

echo
echo "wrk -t1 -c$CONNECTIONS -d$DURATION --latency, $ROUNDS rounds each, alternating; upstream nginx, ${#BODY}-byte body;"
want haproxy && echo "$("$HAPROXY" -v | head -1 | cut -d' ' -f1-3), nbthread 1, http-reuse always, no logging;"
want luagate && echo "luagate threads = 1, http-reuse always, log.target = none, Java $(java_major "$JAVA_HOME"), JAVA_OPTS=\"$JAVA_OPTS\";"
echo -n "$NCPU CPUs"
[[ ${#ON_PROXY_CPU[@]} -gt 0 ]] && echo -n ": proxies on CPU $PROXY_CPU, wrk + nginx on CPU $LOAD_CPU"
[[ "$ISOLATE" == 1 ]] && echo -n "; the proxy not measured is SIGSTOPped"
echo "."
echo
echo "| proxy | round | req/s | p99 (ms) | CPU us/req | errors |"
echo "|---|---:|---:|---:|---:|---:|"
for line in "${RESULTS[@]}"; do
  read -r -a f <<<"$line"
  echo "| ${f[0]} | ${f[1]} | $(fmt %.0f "${f[2]}") | $(fmt %.3f "${f[3]}") | $(fmt %.2f "${f[4]}") | ${f[6]} |"
done
echo
echo "Median over rounds:"
echo
echo "| proxy | req/s | p99 (ms) | CPU us/req |"
echo "|---|---:|---:|---:|"
declare -A MED_RPS=() MED_CPU=() MED_P99=()
for p in haproxy luagate; do
  want "$p" || continue
  MED_RPS[$p]=$(col "$p" 2 | median)
  MED_P99[$p]=$(col "$p" 3 | median)
  MED_CPU[$p]=$(col "$p" 4 | median)
  echo "| $p | $(fmt %.0f "${MED_RPS[$p]}") | $(fmt %.3f "${MED_P99[$p]}") | $(fmt %.2f "${MED_CPU[$p]}") |"
done
if want haproxy && want luagate; then
  echo
  echo "luagate/haproxy CPU us/req (median): $(ratio "${MED_CPU[luagate]}" "${MED_CPU[haproxy]}")"
  echo "luagate/haproxy req/s (median): $(ratio "${MED_RPS[luagate]}" "${MED_RPS[haproxy]}")"
  echo "luagate/haproxy p99 (median): $(ratio "${MED_P99[luagate]}" "${MED_P99[haproxy]}")"
fi
