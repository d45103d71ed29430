#!/usr/bin/env bash
# Memory per idle client connection: luagate vs HAProxy 2.6 (and nginx), side by side. See
# bench/README.md, "Idle connections: idle-connections.sh".
#
#   bash bench/idle-connections.sh
#
# For each proxy, in turn: N connections that never send anything ("silent"), then N keep-alive
# connections idle after one proxied request each ("after-request"), each kind held open alone,
# measured, and closed. A proxy's memory is read with none held and with the N held: its RSS
# (VmRSS, /proc/<pid>/status) and, for luagate, its live heap after a full GC (the total of
# `jcmd <pid> GC.class_histogram`, which collects first). The difference divided by N is the
# memory one idle connection costs. Each kind is measured in a freshly started proxy, as its
# first N connections held: a proxy keeps what it allocated for connections after they close
# (HAProxy's and nginx's pools, the JVM's heap pages), so a second batch would cost nothing more
# in RSS. Before the first sample, WARMUP connections are made one after the other, every other
# one with one request, each closed before the next: the code paths warm up (the JVM's JIT
# compiles them) but no pool grows beyond one connection.
#
# For luagate the heap is pre-touched (-XX:+AlwaysPreTouch in the default JAVA_OPTS): its pages
# are resident from the start, so the RSS growth is what lives outside the heap (direct buffers,
# native memory), and the live heap after a full GC is what the objects take in it. Their sum is
# the all-in figure. (Without pre-touching, the RSS growth mostly counts the young generation's
# pages that the garbage of accepting touches for the first time: up to the size of the young
# generation, whatever the number of connections; see bench/README.md.) For HAProxy and nginx the
# all-in figure is the RSS growth.
#
# Environment (all optional):
#   CONNECTIONS=9500    connections held at once (the open-files hard limit bounds it)
#   ROUNDS=1            measured rounds per proxy and kind (each a fresh start of the proxy)
#   PROXIES="haproxy luagate"   any of haproxy, luagate, base (LUAGATE_BASE), nginx
#   LUAGATE_HOME=distribution/target/luagate   (relative paths: to the repository root)
#   LUAGATE_BASE        a second luagate build measured as "base" (PROXIES then defaults to
#                       "haproxy luagate base")
#   JAVA_HOME           used if it is a JDK >= 21, else the newest JDK >= 21 under /usr/lib/jvm
#   JAVA_OPTS="-Xms256m -Xmx256m -XX:+UseParallelGC -XX:+AlwaysPreTouch"   JVM options for luagate
#   WARMUP=2000         connections made (one at a time) before the first sample
#   SETTLE=10           seconds waited before each RSS reading (transient native memory goes first)
#   THREADS=1           luagate event loops and HAProxy threads
#   DETAIL=1            per luagate build, the classes whose live bytes grew most per connection
#   KEEP_TMP=0          1 keeps the temp dir (configs, logs, class histograms)
#
# All traffic stays on 127.0.0.1. Run it alone on the machine (under the benchmark lock).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=bench/lib.sh
source "$ROOT/bench/lib.sh"

CONNECTIONS=${CONNECTIONS:-9500}
ROUNDS=${ROUNDS:-1}
THREADS=${THREADS:-1}
DETAIL=${DETAIL:-1}
KEEP_TMP=${KEEP_TMP:-0}
ISOLATE=0
JAVA_OPTS=${JAVA_OPTS:--Xms256m -Xmx256m -XX:+UseParallelGC -XX:+AlwaysPreTouch}
WARMUP=${WARMUP:-2000}
SETTLE=${SETTLE:-10}
PRETOUCHED=0
if [[ " $JAVA_OPTS " == *" -XX:+AlwaysPreTouch "* ]]; then PRETOUCHED=1; fi
LUAGATE_HOME=${LUAGATE_HOME:-distribution/target/luagate}
case "$LUAGATE_HOME" in /*) ;; *) LUAGATE_HOME="$ROOT/$LUAGATE_HOME" ;; esac
LUAGATE_BASE=${LUAGATE_BASE:-}
case "$LUAGATE_BASE" in ""|/*) ;; *) LUAGATE_BASE="$ROOT/$LUAGATE_BASE" ;; esac
PROXIES=${PROXIES:-haproxy luagate${LUAGATE_BASE:+ base}}

HOST=127.0.0.1
UPSTREAM_PORT=24181
declare -A PORT=([haproxy]=24180 [luagate]=24190 [base]=24191 [nginx]=24182)
BODY='luagate bench: a fixed 100-byte response body, served by nginx as the upstream of both proxies. OK!!'
CLIENT=$ROOT/bench/idle-client.py

[[ "$CONNECTIONS" =~ ^[1-9][0-9]*$ ]] || die "CONNECTIONS must be a positive integer (got '$CONNECTIONS')"
[[ "$ROUNDS" =~ ^[1-9][0-9]*$ ]] || die "ROUNDS must be a positive integer (got '$ROUNDS')"
for p in $PROXIES; do
  [[ -n "${PORT[$p]:-}" ]] || die "PROXIES may only name haproxy, luagate, base and nginx (got '$p')"
done
want() { [[ " $PROXIES " == *" $1 "* ]]; }
want base && [[ -z "$LUAGATE_BASE" ]] && die "PROXIES names base: set LUAGATE_BASE to the build to compare with"
command -v python3 >/dev/null || die "python3 is needed for the client (bench/idle-client.py)"

# ---------------------------------------------------------------------------------------------
# Tools, limits, processes
# ---------------------------------------------------------------------------------------------
bench_tools
if want base; then
  HOME_MEASURED=$LUAGATE_HOME
  LUAGATE_HOME=$LUAGATE_BASE
  bench_use_luagate
  LUAGATE_HOME=$HOME_MEASURED
fi
if want luagate; then bench_use_luagate; fi
if want luagate || want base; then
  JCMD=$JAVA_HOME/bin/jcmd
  [[ -x "$JCMD" ]] || die "no jcmd in $JAVA_HOME/bin"
fi

# Every proxy holds N client sockets (and a few more); the client holds N. Each process gets the
# hard limit; HAProxy wants about 2 x maxconn of it.
NOFILE=$(ulimit -Hn)
if [[ "$NOFILE" != unlimited ]]; then
  ulimit -Sn "$NOFILE"
  ((CONNECTIONS + 500 <= NOFILE)) || die "open-files hard limit $NOFILE is too low for $CONNECTIONS connections"
fi
MAXCONN=$((CONNECTIONS + 100))
if [[ "$NOFILE" != unlimited ]] && ((2 * MAXCONN + 200 > NOFILE)); then
  MAXCONN=$(((NOFILE - 200) / 2))
  ((MAXCONN >= CONNECTIONS)) || die "open-files hard limit $NOFILE is too low for HAProxy with $CONNECTIONS connections (it wants 2 x maxconn)"
fi
log "$CONNECTIONS connections per kind, maxconn $MAXCONN, open-files limit $NOFILE"

bench_start_tmp
bench_warn_if_busy
require_free "$UPSTREAM_PORT"
for p in $PROXIES; do require_free "${PORT[$p]}"; done

# Upstream: nginx, one worker, fixed 100-byte body.
bench_start_nginx ""

# A long idle time everywhere: nothing may be closed by a timeout while it is measured.
if want haproxy; then
  cat >"$TMP/haproxy.cfg" <<EOF
global
    nbthread $THREADS
    maxconn $MAXCONN

defaults
    mode http
    option http-keep-alive
    http-reuse always
    timeout connect 5s
    timeout client 10m
    timeout server 10m
    timeout http-request 10m
    timeout http-keep-alive 10m

frontend bench
    bind $HOST:${PORT[haproxy]}
    default_backend upstream

backend upstream
    server nginx $HOST:$UPSTREAM_PORT
EOF
fi

if want nginx; then
  mkdir -p "$TMP/nginx-proxy"
  # master_process off: the one process that holds the connections is the one measured.
  cat >"$TMP/nginx-proxy.conf" <<EOF
daemon off;
master_process off;
user root;
worker_processes 1;
worker_rlimit_nofile $NOFILE;
pid $TMP/nginx-proxy/nginx.pid;
error_log $TMP/nginx-proxy.log warn;
events { worker_connections $((MAXCONN + 100)); }
http {
  access_log off;
  client_body_temp_path $TMP/nginx-proxy/client_body_temp;
  proxy_temp_path $TMP/nginx-proxy/proxy_temp;
  keepalive_timeout 10m;
  keepalive_requests 1000000;
  client_header_timeout 10m;
  upstream up {
    server $HOST:$UPSTREAM_PORT;
    keepalive 64;
  }
  server {
    listen $HOST:${PORT[nginx]} backlog=4096;
    location / {
      proxy_pass http://up;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
    }
  }
}
EOF
  "$NGINX" -t -q -e "$TMP/nginx-proxy.log" -c "$TMP/nginx-proxy.conf" -p "$TMP/nginx-proxy/" || die "nginx proxy config test failed"
fi

for p in luagate base; do
  want "$p" || continue
  cat >"$TMP/$p.conf" <<EOF
global { threads = $THREADS, maxconn = $MAXCONN, grace = 1s }
log { target = none }
frontends.bench {
  bind = [ "$HOST:${PORT[$p]}" ]
  mode = http
  timeout { client = 10m, http-request = 10m, http-keep-alive = 10m }
  default-backend = upstream
}
backends.upstream {
  http-reuse = always
  timeout { server = 10m }
  servers { nginx = "$HOST:$UPSTREAM_PORT" }
}
EOF
done

# Each kind is measured in a fresh process: memory a proxy keeps for reuse after connections
# close (HAProxy's pools, the JVM's heap pages) would otherwise hide what the next ones cost.
PROXY_PIDS=() # the processes start_proxy started (for luagate: the launcher and the JVM)
start_proxy() { # proxy
  local p=$1 home n=${#PIDS[@]}
  case $p in
    haproxy) bench_start_haproxy haproxy "${PORT[haproxy]}" "$TMP/haproxy.cfg" ;;
    nginx)
      LOGF[nginx]=$TMP/nginx-proxy.log
      "$NGINX" -e "$TMP/nginx-proxy.log" -c "$TMP/nginx-proxy.conf" -p "$TMP/nginx-proxy/" >"$TMP/nginx-proxy-stdout.log" 2>&1 &
      PROC_PID[nginx]=$!
      PIDS+=("$!")
      wait_port nginx "${PROC_PID[nginx]}" "${PORT[nginx]}" 10
      check_body nginx "${PORT[nginx]}"
      ;;
    *)
      home=$LUAGATE_HOME
      [[ $p == base ]] && LUAGATE_HOME=$LUAGATE_BASE
      bench_start_luagate "$p" "${PORT[$p]}" "$TMP/$p.conf"
      LUAGATE_HOME=$home
      ;;
  esac
  PROXY_PIDS=("${PIDS[@]:n}")
}
stop_proxy() { # proxy
  local q i
  for q in "${PROXY_PIDS[@]}"; do kill -TERM "$q" 2>/dev/null || true; done
  for q in "${PROXY_PIDS[@]}"; do
    for ((i = 0; i < 100; i++)); do kill -0 "$q" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$q" 2>/dev/null || true
    wait "$q" 2>/dev/null || true
  done
  PROXY_PIDS=()
  for ((i = 0; i < 100; i++)); do port_open "${PORT[$1]}" || return 0; sleep 0.1; done
  die "$1 still listens on ${PORT[$1]} after it was stopped"
}

# ---------------------------------------------------------------------------------------------
# Holding connections, measuring
# ---------------------------------------------------------------------------------------------
fd_count() { local fds=("/proc/$1/fd"/*); echo "${#fds[@]}"; }
rss_kb() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status"; }
anon_kb() { awk '/^RssAnon:/ {print $2}' "/proc/$1/status"; }
is_jvm() { [[ $1 == luagate || $1 == base ]]; }

# Live heap in bytes after a full GC (GC.class_histogram collects first); the histogram is kept.
live_heap() { # pid histogram-file
  "$JCMD" "$1" GC.class_histogram >"$2" 2>&1 || die "jcmd $1 GC.class_histogram failed: $(tail -n 3 "$2")"
  awk '$1 == "Total" {print $3}' "$2"
}

# Reads the proxy's memory now. Sets S_RSS (KB) and S_HEAP (bytes, or n/a). With no connection
# held, the live heap is read first (its full GC settles the JVM) and the RSS after; with the
# connections held, the RSS first: the full GC that jcmd forces to count live objects grows the
# collector's native marking stacks with the number of objects, which is the measurement's
# doing, not what the connections hold. Before reading a JVM's RSS, what its malloc has freed
# but kept (the JIT compiler's arenas, mostly) goes back to the system (System.trim_native_heap):
# it is held by no connection, and how much of it glibc keeps varies from run to run.
sample() { # proxy label rss-first(0|1)
  local pid=${PROC_PID[$1]}
  S_HEAP=n/a
  if [[ $3 == 1 ]]; then rss_now "$1"; fi
  if is_jvm "$1"; then
    S_HEAP=$(live_heap "$pid" "$TMP/hist-$1-$2.txt")
  fi
  if [[ $3 == 0 ]]; then rss_now "$1"; fi
}
rss_now() { # proxy -> S_RSS
  local pid=${PROC_PID[$1]}
  sleep "$SETTLE"
  if is_jvm "$1"; then
    "$JCMD" "$pid" System.trim_native_heap >/dev/null 2>&1 || die "jcmd $pid System.trim_native_heap failed"
  fi
  S_RSS=$(rss_kb "$pid")
  S_ANON=$(anon_kb "$pid")
}

# Opens N connections of one kind to proxy and waits until the proxy holds them all.
HOLD_PID=""
HOLD_FDS0=0
hold_open() { # proxy kind
  local pid=${PROC_PID[$1]} i
  HOLD_FDS0=$(fd_count "$pid")
  rm -f "$TMP/hold.fifo" "$TMP/client.out"
  mkfifo "$TMP/hold.fifo"
  python3 "$CLIENT" "$HOST" "${PORT[$1]}" "$CONNECTIONS" "$2" <"$TMP/hold.fifo" >"$TMP/client.out" 2>"$TMP/client.log" &
  HOLD_PID=$!
  PIDS+=("$HOLD_PID")
  exec 7>"$TMP/hold.fifo"
  for ((i = 0; i < 1200; i++)); do
    grep -q '^ready' "$TMP/client.out" 2>/dev/null && break
    kill -0 "$HOLD_PID" 2>/dev/null || die "the client failed against $1 ($2): $(cat "$TMP/client.log")"
    sleep 0.1
  done
  grep -q '^ready' "$TMP/client.out" || die "the client did not open $CONNECTIONS connections to $1 within 120 s"
  # Accepted by the proxy, not only queued by the kernel. (A proxy may close an idle server
  # connection meanwhile, hence the few descriptors of slack.)
  for ((i = 0; i < 300; i++)); do
    (($(fd_count "$pid") >= HOLD_FDS0 + CONNECTIONS - 8)) && return 0
    sleep 0.2
  done
  die "$1 holds $(($(fd_count "$pid") - HOLD_FDS0)) more descriptors, not $CONNECTIONS, 60 s after the client connected"
}

hold_close() { # proxy
  local pid=${PROC_PID[$1]} i
  exec 7>&-
  wait "$HOLD_PID" || die "the client against $1 failed: $(cat "$TMP/client.log")"
  HOLD_PID=""
  # Closed on the proxy's side too before the next sample.
  for ((i = 0; i < 300; i++)); do
    (($(fd_count "$pid") <= HOLD_FDS0 + 20)) && return 0
    sleep 0.1
  done
  die "$1 still holds $(fd_count "$pid") descriptors 30 s after the client closed"
}

RESULTS=() # "proxy kind round rss_kb_per_conn heap_kb_per_conn rss_before_kb rss_held_kb"
for ((r = 1; r <= ROUNDS; r++)); do
  for p in $PROXIES; do
    for kind in silent after-request; do
      mode=$([[ $kind == silent ]] && echo silent || echo request)
      start_proxy "$p"
      if ((WARMUP > 0)); then
        python3 "$CLIENT" "$HOST" "${PORT[$p]}" "$WARMUP" warm >"$TMP/warm.out" 2>&1 </dev/null \
          || die "warm-up of $p failed: $(tail -n 3 "$TMP/warm.out")"
        # The JIT compiles what the warm-up made hot for a few seconds after it: its arenas are
        # in use meanwhile, and would count in "none" and not in "held".
        sleep 5
      fi
      sample "$p" "$kind-$r-none" 0
      rss0=$S_RSS heap0=$S_HEAP anon0=$S_ANON
      hold_open "$p" "$mode"
      sample "$p" "$kind-$r-held" 1
      rss1=$S_RSS heap1=$S_HEAP anon1=$S_ANON
      hold_close "$p"
      stop_proxy "$p"
      rss_pc=$(awk -v a="$rss0" -v b="$rss1" -v n="$CONNECTIONS" 'BEGIN {printf "%.2f", (b - a) / n}')
      heap_pc=n/a
      if [[ $heap0 != n/a ]]; then
        heap_pc=$(awk -v a="$heap0" -v b="$heap1" -v n="$CONNECTIONS" 'BEGIN {printf "%.2f", (b - a) / n / 1024}')
      fi
      all_pc=$rss_pc
      if [[ $heap_pc != n/a && $PRETOUCHED == 1 ]]; then
        all_pc=$(awk -v a="$rss_pc" -v b="$heap_pc" 'BEGIN {printf "%.2f", a + b}')
      fi
      RESULTS+=("$p $kind $r $rss_pc $heap_pc $all_pc $rss0 $rss1")
      anon_pc=$(awk -v a="$anon0" -v b="$anon1" -v n="$CONNECTIONS" 'BEGIN {printf "%.2f", (b - a) / n}')
      log "$p round $r ($kind): anonymous RSS $anon_pc KB/conn, RSS $rss_pc KB/conn ($((rss0 / 1024)) -> $((rss1 / 1024)) MiB), live heap $heap_pc KB/conn, all-in $all_pc KB/conn"
    done
  done
done

# ---------------------------------------------------------------------------------------------
# Report
# ---------------------------------------------------------------------------------------------
echo
echo "Memory per idle client connection, $CONNECTIONS connections held at once (KB = 1024 bytes)"
echo
if ((PRETOUCHED)); then
  echo "luagate's heap is pre-touched: its RSS growth is off-heap; all-in = RSS growth + live heap."
else
  echo "luagate's heap is not pre-touched: its RSS growth includes heap pages touched by garbage; all-in = RSS growth."
fi
echo
echo "| proxy | kind | round | RSS KB/conn | live heap KB/conn | all-in KB/conn | RSS none -> held (MiB) |"
echo "|---|---|---:|---:|---:|---:|---|"
for line in "${RESULTS[@]}"; do
  read -r p kind r rss_pc heap_pc all_pc rss0 rss1 <<<"$line"
  printf '| %s | %s | %s | %s | %s | %s | %d -> %d |\n' "$p" "$kind" "$r" "$rss_pc" "$heap_pc" "$all_pc" $((rss0 / 1024)) $((rss1 / 1024))
done
echo
echo "Medians over $ROUNDS round(s):"
echo
echo "| proxy | kind | RSS KB/conn | live heap KB/conn | all-in KB/conn |"
echo "|---|---|---:|---:|---:|"
values() { # proxy kind field -> that field of the proxy's results of that kind, one a line
  local line
  for line in "${RESULTS[@]}"; do
    read -r -a f <<<"$line"
    if [[ ${f[0]} == "$1" && ${f[1]} == "$2" ]]; then echo "${f[$3]}"; fi
  done
}
for p in $PROXIES; do
  for kind in silent after-request; do
    printf '| %s | %s | %s | %s | %s |\n' "$p" "$kind" "$(fmt %.2f "$(values "$p" "$kind" 3 | median)")" \
      "$(fmt %.2f "$(values "$p" "$kind" 4 | median)")" "$(fmt %.2f "$(values "$p" "$kind" 5 | median)")"
  done
done

# Where a luagate build's bytes per connection go: the last round's histograms, held minus none.
if [[ "$DETAIL" == 1 ]]; then
  for p in luagate base; do
    want "$p" || continue
    for kind in silent after-request; do
      echo
      echo "$p, $kind: classes whose live bytes grew most per connection (round $ROUNDS)"
      echo
      echo "| bytes/conn | objects/conn | class |"
      echo "|---:|---:|---|"
      awk -v n="$CONNECTIONS" '
        FNR == 1 { file++ }
        $1 ~ /^[0-9]+:$/ { key = $4; if (file == 1) { b0[key] += $3; i0[key] += $2 } else { b1[key] += $3; i1[key] += $2 }; seen[key] = 1 }
        END { for (k in seen) { d = (b1[k] - b0[k]) / n; if (d >= 4 || d <= -4) printf "%.1f %.2f %s\n", d, (i1[k] - i0[k]) / n, k } }
      ' "$TMP/hist-$p-$kind-$ROUNDS-none.txt" "$TMP/hist-$p-$kind-$ROUNDS-held.txt" \
        | sort -gr | head -n 40 | awk '{printf "| %s | %s | `%s` |\n", $1, $2, $3}'
    done
  done
fi
