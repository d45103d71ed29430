#!/usr/bin/env bash
# System calls per request: luagate vs HAProxy 2.6 (Debian package), one event loop each
# (global.threads = 1 / nbthread 1), proxying the same load to the same nginx upstream (the
# 100-byte body of proxy-vs-haproxy.sh). See bench/README.md, "System calls per request".
#
#   flock /tmp/mvn.lock bash bench/syscalls.sh
#
# For each protocol and proxy: warm-up traffic, then a tracer is attached to the proxy's whole
# process (every thread: luagate's JIT/GC threads count too) for one measured load run, and its
# per-syscall counts are divided by the requests the load generator saw completed.
#   h1: HTTP/1.1 keep-alive, wrk -t1 -c64 for $DURATION (the configuration of proxy-vs-haproxy.sh)
#   h2: HTTP/2 prior knowledge, h2load -t1 -c8 -m8 -n $H2_REQUESTS (that of h2-vs-haproxy.sh);
#       skipped when h2load is missing and cannot be installed (apt-get install nghttp2-client)
# The tracer slows the proxy (strace much more than perf): the counts per request are the
# result, not the time or the rate. A few hundred calls/s of idle background work (timers, GC and
# compiler threads) fall into the window too; against tens of thousands of requests they weigh
# well under 0.01 per request.
#
# Environment (all optional):
#   TRACER=perf         perf (perf trace -s, per thread, low overhead) or strace (strace -c -f)
#   PROTOCOLS="h1 h2"   which loads to run
#   DURATION=8s         length of the traced wrk run (h1)
#   WARMUP=15s          h1 warm-up for luagate (JIT), HAPROXY_WARMUP=3s for haproxy
#   H2_REQUESTS=100000  requests in the traced h2load run
#   H2_WARMUP=300000    h2 warm-up requests for luagate, H2_HAPROXY_WARMUP=30000 for haproxy
#   LUAGATE_HOME=/tmp/luagate-main-base   (relative paths: to the repository root)
#   JAVA_HOME           used if it is a JDK >= 21, else the newest JDK >= 21 under /usr/lib/jvm
#   JAVA_OPTS="-Xms256m -Xmx256m -XX:+UseParallelGC"
#   PROXIES="haproxy luagate"
#   PIN=1               proxies on CPU $PROXY_CPU (0), load generator and nginx on CPU $LOAD_CPU (1)
#   ISOLATE=1           SIGSTOP the proxy not being measured
#   SEQUENCE=1          with TRACER=perf, also trace call by call under one connection (h1: wrk -c1;
#                       h2: h2load -c1 -m1) and print $SEQUENCE_LINES calls of it: which call goes
#                       to which socket, in order
#   KEEP_TMP=0          1 keeps the temp dir (configs, logs, raw tracer and load output)
# All traffic stays on 127.0.0.1.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=bench/lib.sh
source "$ROOT/bench/lib.sh"

TRACER=${TRACER:-perf}
PROTOCOLS=${PROTOCOLS:-h1 h2}
DURATION=${DURATION:-8s}
WARMUP=${WARMUP:-15s}
HAPROXY_WARMUP=${HAPROXY_WARMUP:-3s}
H2_REQUESTS=${H2_REQUESTS:-100000}
H2_WARMUP=${H2_WARMUP:-300000}
H2_HAPROXY_WARMUP=${H2_HAPROXY_WARMUP:-30000}
CONNECTIONS=${CONNECTIONS:-64}
H2_CONNECTIONS=8
H2_STREAMS=8
PIN=${PIN:-1}
PROXY_CPU=${PROXY_CPU:-0}
LOAD_CPU=${LOAD_CPU:-1}
KEEP_TMP=${KEEP_TMP:-0}
ISOLATE=${ISOLATE:-1}
JAVA_OPTS=${JAVA_OPTS:--Xms256m -Xmx256m -XX:+UseParallelGC}
LUAGATE_HOME=${LUAGATE_HOME:-/tmp/luagate-main-base}
case "$LUAGATE_HOME" in /*) ;; *) LUAGATE_HOME="$ROOT/$LUAGATE_HOME" ;; esac
PROXIES=${PROXIES:-haproxy luagate}
SEQUENCE=${SEQUENCE:-1}
SEQUENCE_LINES=${SEQUENCE_LINES:-24}

HOST=127.0.0.1
UPSTREAM_PORT=18087
declare -A PORT=([haproxy.h1]=18085 [haproxy.h2]=18086 [luagate.h1]=18095 [luagate.h2]=18096)
# Exactly 100 bytes, as in proxy-vs-haproxy.sh.
BODY='luagate bench: a fixed 100-byte response body, served by nginx as the upstream of both proxies. OK!!'

for p in $PROXIES; do
  [[ "$p" == haproxy || "$p" == luagate ]] || die "PROXIES may only name haproxy and luagate (got '$p')"
done
for q in $PROTOCOLS; do
  [[ "$q" == h1 || "$q" == h2 ]] || die "PROTOCOLS may only name h1 and h2 (got '$q')"
done
[[ "$TRACER" == perf || "$TRACER" == strace ]] || die "TRACER must be perf or strace (got '$TRACER')"
want() { [[ " $PROXIES " == *" $1 "* ]]; }
want_proto() { [[ " $PROTOCOLS " == *" $1 "* ]]; }

# ---------------------------------------------------------------------------------------------
# 1. Tools
# ---------------------------------------------------------------------------------------------
bench_tools
H2LOAD=""
if want_proto h2; then
  if ! command -v h2load >/dev/null && [[ $(id -u) == 0 ]]; then
    log "installing nghttp2-client (h2load)"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nghttp2-client >/dev/null || true
  fi
  if H2LOAD=$(command -v h2load); then
    log "$("$H2LOAD" --version | head -1)"
  else
    log "h2load is missing (apt-get install -y nghttp2-client): HTTP/2 skipped"
    PROTOCOLS=${PROTOCOLS//h2/}
  fi
fi
if [[ "$TRACER" == perf ]]; then
  command -v perf >/dev/null || die "perf is missing (TRACER=strace uses strace)"
  # perf trace needs the syscall tracepoints: check once on a short command.
  perf trace -s -o /dev/null -- true >/dev/null 2>&1 \
    || die "perf trace does not work here (perf_event_paranoid, tracefs?): use TRACER=strace"
else
  command -v strace >/dev/null || die "strace is missing"
fi

NCPU=$(nproc)
if [[ "$PIN" == 1 && "$NCPU" -ge 2 ]] && command -v taskset >/dev/null; then
  ON_PROXY_CPU=(taskset -c "$PROXY_CPU")
  ON_LOAD_CPU=(taskset -c "$LOAD_CPU")
  log "pinning: proxies on CPU $PROXY_CPU; load generator and nginx on CPU $LOAD_CPU ($NCPU CPUs)"
else
  ON_PROXY_CPU=()
  ON_LOAD_CPU=()
  log "not pinning (PIN=$PIN, $NCPU CPUs)"
fi
if want luagate; then bench_use_luagate; fi

bench_start_tmp
bench_maxconn
bench_warn_if_busy
require_free "$UPSTREAM_PORT"
for k in "${!PORT[@]}"; do
  want "${k%.*}" && require_free "${PORT[$k]}"
done

# ---------------------------------------------------------------------------------------------
# 2. Upstream and proxies: each proxy has an HTTP/1.1 frontend and an HTTP/2 (prior knowledge)
#    one, both to the same backend; one process, one event loop.
# ---------------------------------------------------------------------------------------------
bench_start_nginx "" "${ON_LOAD_CPU[@]}"

check_h2() { # name port
  local got
  got=$(curl -sS --http2-prior-knowledge --max-time 5 "http://$HOST:$2/" 2>&1) || die "$1: HTTP/2 request to $HOST:$2 failed: $got"
  [[ "$got" == "$BODY" ]] || die "$1: unexpected HTTP/2 response from $HOST:$2: ${got:0:200}"
}

if want haproxy; then
  cat >"$TMP/haproxy.cfg" <<EOF
global
    nbthread 1
    maxconn $MAXCONN

$(bench_haproxy_defaults)

frontend bench
    bind $HOST:${PORT[haproxy.h1]}
    default_backend upstream

frontend bench_h2
    bind $HOST:${PORT[haproxy.h2]} proto h2
    default_backend upstream

backend upstream
    balance roundrobin
    server nginx $HOST:$UPSTREAM_PORT
EOF
  bench_start_haproxy haproxy "${PORT[haproxy.h1]}" "$TMP/haproxy.cfg" "${ON_PROXY_CPU[@]}"
  want_proto h2 && check_h2 haproxy "${PORT[haproxy.h2]}"
fi

if want luagate; then
  cat >"$TMP/luagate.conf" <<EOF
global { threads = 1, maxconn = $MAXCONN, grace = 1s }
log { target = none }
frontends.bench {
  bind = [ "$HOST:${PORT[luagate.h1]}" ]
  mode = http
  default-backend = upstream
}
frontends.bench_h2 {
  bind = [ { address = "$HOST:${PORT[luagate.h2]}", proto = h2 } ]
  mode = http
  default-backend = upstream
}
backends.upstream {
  balance = roundrobin
  http-reuse = always
  servers { nginx = "$HOST:$UPSTREAM_PORT" }
}
EOF
  bench_start_luagate luagate "${PORT[luagate.h1]}" "$TMP/luagate.conf" "${ON_PROXY_CPU[@]}"
  want_proto h2 && check_h2 luagate "${PORT[luagate.h2]}"
fi

# ---------------------------------------------------------------------------------------------
# 3. Load and tracing
# ---------------------------------------------------------------------------------------------
run_load() { # proxy proto amount outfile; prints the completed requests
  local p=$1 q=$2 n=$3 out=$4 done_n
  if [[ $q == h1 ]]; then
    "${ON_LOAD_CPU[@]}" "$WRK" -t1 -c"$CONNECTIONS" -d"$n" "http://$HOST:${PORT[$p.$q]}/" >"$out" 2>&1 \
      || die "wrk against $p failed: $(tail -n 5 "$out")"
    done_n=$(awk '/ requests in /{print $1; exit}' "$out")
    local bad
    bad=$(awk '/Non-2xx or 3xx responses:/{n += $NF} /Socket errors:/{gsub(",", ""); n += $4 + $6 + $8 + $10} END {print n + 0}' "$out")
    ((bad == 0)) || log "WARNING: $p $q: $bad non-2xx responses or socket errors"
  else
    "${ON_LOAD_CPU[@]}" "$H2LOAD" -t1 -c"$H2_CONNECTIONS" -m"$H2_STREAMS" -n"$n" "http://$HOST:${PORT[$p.$q]}/" >"$out" 2>&1 \
      || die "h2load against $p failed: $(tail -n 5 "$out")"
    done_n=$(sed -n 's/^requests: .* \([0-9]*\) succeeded.*/\1/p' "$out")
  fi
  [[ "$done_n" =~ ^[0-9]+$ ]] || die "could not parse the load output for $p $q: $(cat "$out")"
  echo "$done_n"
}

# Starts the tracer on every thread of pid, writing its summary to file; sets TRACER_PID.
trace_start() { # pid file
  if [[ "$TRACER" == perf ]]; then
    perf trace -s -p "$1" -o "$2" 2>"$2.err" &
  else
    # -f with -p attaches every thread of the process, not only the one whose id is pid.
    strace -c -f -p "$1" -o "$2" 2>"$2.err" &
  fi
  TRACER_PID=$!
  sleep 1 # attaching to a JVM's threads takes a moment; nothing is served meanwhile
  kill -0 "$TRACER_PID" 2>/dev/null || die "$TRACER did not attach to $1: $(cat "$2.err")"
}
trace_stop() {
  kill -INT "$TRACER_PID" 2>/dev/null || true
  wait "$TRACER_PID" 2>/dev/null || true
}
# "syscall calls" lines, summed over threads, from a perf trace -s or strace -c summary.
trace_counts() { # file
  if [[ "$TRACER" == perf ]]; then
    awk '$1 ~ /^[a-z_0-9]+$/ && $2 ~ /^[0-9]+$/ && $3 ~ /^[0-9]+$/ && NF >= 8 {n[$1] += $2}
         END {for (s in n) print s, n[s]}' "$1"
  else
    # % time, seconds, usecs/call, calls, [errors], syscall
    awk '$1 ~ /^[0-9.]+$/ && $4 ~ /^[0-9]+$/ && $NF ~ /^[a-z_0-9]+$/ && $NF != "total" {n[$NF] += $4}
         END {for (s in n) print s, n[s]}' "$1"
  fi
}
category() { # syscall -> column
  case "$1" in
    epoll_wait | epoll_pwait | epoll_pwait2) echo epoll_wait ;;
    epoll_ctl) echo epoll_ctl ;;
    read | readv | recvfrom | recvmsg | recvmmsg) echo read ;;
    write | writev | sendto | sendmsg | sendmmsg) echo write ;;
    futex) echo futex ;;
    *) echo other ;;
  esac
}

activate() { bench_activate "$1" $PROXIES; }

RESULTS=()                  # "proxy proto requests epoll_wait epoll_ctl read write futex other total"
declare -A DETAIL=() THREADS=() SEQ=()
for q in h1 h2; do
  want_proto "$q" || continue
  for p in haproxy luagate; do
    want "$p" || continue
    activate "$p"
    if [[ $q == h1 ]]; then
      w=$([[ $p == haproxy ]] && echo "$HAPROXY_WARMUP" || echo "$WARMUP")
      amount=$DURATION
    else
      w=$([[ $p == haproxy ]] && echo "$H2_HAPROXY_WARMUP" || echo "$H2_WARMUP")
      amount=$H2_REQUESTS
    fi
    log "$p $q: warm-up ($w)"
    run_load "$p" "$q" "$w" "$TMP/load-$p-$q-warmup.txt" >/dev/null
    tr="$TMP/trace-$p-$q.txt"
    trace_start "${PROC_PID[$p]}" "$tr"
    n=$(run_load "$p" "$q" "$amount" "$TMP/load-$p-$q.txt")
    trace_stop
    ((n > 0)) || die "$p $q: no request completed while traced"
    grep -q LOST "$tr" "$tr.err" 2>/dev/null && log "WARNING: $TRACER lost events for $p $q: $(grep -h LOST "$tr" "$tr.err" | head -3)"
    trace_counts "$tr" >"$tr.counts"
    [[ -s "$tr.counts" ]] || die "no syscall counts in $tr: $(head -20 "$tr" "$tr.err")"
    declare -A c=([epoll_wait]=0 [epoll_ctl]=0 [read]=0 [write]=0 [futex]=0 [other]=0)
    total=0
    while read -r s k; do
      cat_=$(category "$s")
      c[$cat_]=$((c[$cat_] + k))
      total=$((total + k))
    done <"$tr.counts"
    RESULTS+=("$p $q $n ${c[epoll_wait]} ${c[epoll_ctl]} ${c[read]} ${c[write]} ${c[futex]} ${c[other]} $total")
    DETAIL[$p.$q]=$(sort -k2,2nr "$tr.counts" | awk -v n="$n" '$2 / n >= 0.005 {printf "%s %.3f, ", $1, $2 / n}' | sed 's/, $//')
    if [[ "$TRACER" == perf ]]; then
      # Calls per request of each thread that made at least 1% of them: which threads do the work.
      THREADS[$p.$q]=$(awk -v n="$n" -v tot="$total" '
          /^ .* \([0-9]+\), [0-9]+ events/ {t = $0; sub(/^ +/, "", t); sub(/ \([0-9]+\),.*/, "", t); next}
          $1 ~ /^[a-z_0-9]+$/ && $2 ~ /^[0-9]+$/ && $3 ~ /^[0-9]+$/ && NF >= 8 {m[t] += $2}
          END {for (x in m) if (m[x] >= tot / 100) printf "%s %.3f\n", x, m[x] / n}' "$tr" \
        | sort -k2,2nr | awk '{printf "%s%s %s", (NR > 1 ? ", " : ""), $1, $2}')
    fi
    if [[ "$TRACER" == perf && "$SEQUENCE" == 1 ]]; then
      # One connection, one request at a time: the calls of consecutive requests, in order, with
      # their file descriptors. The first lines are skipped (a request may be cut in half there).
      sq="$TMP/sequence-$p-$q.txt"
      perf trace -p "${PROC_PID[$p]}" \
        -e epoll_wait,epoll_pwait,epoll_pwait2,epoll_ctl,recvfrom,recvmsg,read,readv,sendto,sendmsg,write,writev \
        -o "$sq" 2>"$sq.err" &
      TRACER_PID=$!
      sleep 1
      if [[ $q == h1 ]]; then
        "${ON_LOAD_CPU[@]}" "$WRK" -t1 -c1 -d1s "http://$HOST:${PORT[$p.$q]}/" >/dev/null 2>&1 || true
      else
        "${ON_LOAD_CPU[@]}" "$H2LOAD" -t1 -c1 -m1 -n2000 "http://$HOST:${PORT[$p.$q]}/" >/dev/null 2>&1 || true
      fi
      trace_stop
      # "time ( dur ms): thread/tid call(args) = result" -> "call(args) = result"
      # (perf names the thread only when the process has more than one)
      SEQ[$p.$q]=$(sed -n 's/^ *[0-9.]* *( *[0-9.]* ms): \([^ (]*\/[0-9]* \)\{0,1\}\(.*\)$/\2/p' "$sq" \
        | sed -e 's/ [a-z]*: 0x[0-9a-f]*,//g; s/  */ /g' \
        | sed -n "201,$((200 + SEQUENCE_LINES))p" || true)
      [[ -n "${SEQ[$p.$q]}" ]] || log "WARNING: no call-by-call trace for $p $q: $(head -3 "$sq.err")"
    fi
    log "$p $q: $n requests traced, $total syscalls, $(awk -v a="$total" -v n="$n" 'BEGIN {printf "%.2f", a / n}') per request"
    unset c
  done
done

# ---------------------------------------------------------------------------------------------
# 4. Report
# ---------------------------------------------------------------------------------------------
per() { awk -v a="$1" -v n="$2" 'BEGIN {printf "%.2f", a / n}'; }
echo
echo "System calls per request, whole proxy process (all threads), traced with $TRACER over one run after warm-up;"
want_proto h1 && echo "h1: wrk -t1 -c$CONNECTIONS -d$DURATION, HTTP/1.1 keep-alive;"
want_proto h2 && echo "h2: h2load -t1 -c$H2_CONNECTIONS -m$H2_STREAMS -n$H2_REQUESTS, HTTP/2 prior knowledge;"
echo "upstream nginx (HTTP/1.1 keep-alive), ${#BODY}-byte body;"
want haproxy && echo "$("$HAPROXY" -v | head -1 | cut -d' ' -f1-3), nbthread 1, http-reuse always, no logging;"
want luagate && echo "luagate ($LUAGATE_HOME) threads = 1, http-reuse always, log.target = none, Java $(java_major "$JAVA_HOME"), JAVA_OPTS=\"$JAVA_OPTS\";"
echo -n "$NCPU CPUs"
[[ ${#ON_PROXY_CPU[@]} -gt 0 ]] && echo -n ": proxies on CPU $PROXY_CPU, load generator + nginx on CPU $LOAD_CPU"
[[ "$ISOLATE" == 1 ]] && echo -n "; the proxy not measured is SIGSTOPped"
echo "."
echo
echo "| proxy | protocol | requests traced | epoll_wait | epoll_ctl | read/recv | write/send | futex | other | total | luagate/haproxy |"
echo "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
declare -A TOT=()
for line in "${RESULTS[@]}"; do
  read -r -a f <<<"$line"
  TOT[${f[0]}.${f[1]}]=$(per "${f[9]}" "${f[2]}")
done
for line in "${RESULTS[@]}"; do
  read -r -a f <<<"$line"
  n=${f[2]}
  r=""
  [[ ${f[0]} == luagate && -n "${TOT[haproxy.${f[1]}]:-}" ]] && r=$(ratio "${TOT[luagate.${f[1]}]}" "${TOT[haproxy.${f[1]}]}")
  echo "| ${f[0]} | ${f[1]} | $n | $(per "${f[3]}" "$n") | $(per "${f[4]}" "$n") | $(per "${f[5]}" "$n") | $(per "${f[6]}" "$n") | $(per "${f[7]}" "$n") | $(per "${f[8]}" "$n") | $(per "${f[9]}" "$n") | $r |"
done
echo
echo "Each system call at >= 0.005 per request:"
echo
for line in "${RESULTS[@]}"; do
  read -r -a f <<<"$line"
  echo "- ${f[0]} ${f[1]}: ${DETAIL[${f[0]}.${f[1]}]}"
done
if [[ "$TRACER" == perf ]]; then
  echo
  echo "Calls per request by thread (threads with >= 1% of the calls):"
  echo
  for line in "${RESULTS[@]}"; do
    read -r -a f <<<"$line"
    echo "- ${f[0]} ${f[1]}: ${THREADS[${f[0]}.${f[1]}]}"
  done
fi
if [[ "$TRACER" == perf && "$SEQUENCE" == 1 ]]; then
  echo
  echo "Call by call under one connection (h1: wrk -c1; h2: h2load -c1 -m1), $SEQUENCE_LINES calls after the first 200, futex not traced:"
  for line in "${RESULTS[@]}"; do
    read -r -a f <<<"$line"
    echo
    echo "${f[0]} ${f[1]}:"
    echo '```'
    echo "${SEQ[${f[0]}.${f[1]}]}"
    echo '```'
  done
fi
