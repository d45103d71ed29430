#!/usr/bin/env bash
# Two event loops, pinned and not, in alternate rounds of one JVM: luagate (global.threads = 2)
# against HAProxy (nbthread 2, cpu-map auto:1/1-2 0-1 unless HAPROXY_CPUMAP says otherwise; an
# empty HAPROXY_CPUMAP=" " leaves it unpinned), nginx and wrk -t2 unpinned on every CPU. After the
# warm-up (as proxy-vs-haproxy.sh's), each round measures HAProxy, then luagate with its loop
# threads left to the scheduler and with each bound to its own CPU (taskset -p on the loops' TIDs:
# what global.cpu-map = [ "auto:1/1-2 0-1" ] does from inside), the order of the two swapped every
# round; the proxy not measured is SIGSTOPped. Prints one line per round: requests, CPU us per
# request (the process's utime + stime), p50, p99. See bench/README.md, "Two loops: cpu-map".
#
#   R=5 LUAGATE_HOME=distribution/target/luagate bash bench/loops-pinned.sh
#
# One JVM serves both kinds of luagate round, so pinning is all that differs between them.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
HOST=127.0.0.1 UPSTREAM_PORT=18081 CONNECTIONS=64 KEEP_TMP=${KEEP_TMP:-0} ISOLATE=1
BODY='luagate bench: a fixed 100-byte response body, served by nginx as the upstream of both proxies. OK!!'
LUAGATE_HOME=${LUAGATE_HOME:-$(cd "$(dirname "$0")/.." && pwd)/distribution/target/luagate}
R=${R:-5}
bench_tools
bench_start_tmp
bench_maxconn
bench_start_nginx ""
cat >"$TMP/haproxy.cfg" <<H
global
    nbthread 2
    ${HAPROXY_CPUMAP:-cpu-map auto:1/1-2 0-1}
    maxconn $MAXCONN
$(bench_haproxy_defaults)
frontend bench
    bind $HOST:18080
    default_backend upstream
backend upstream
    balance roundrobin
    server nginx $HOST:$UPSTREAM_PORT
H
bench_start_haproxy haproxy 18080 "$TMP/haproxy.cfg"
cat >"$TMP/luagate.conf" <<L
global { threads = 2, maxconn = $MAXCONN, grace = 1s }
log { target = none }
frontends.bench {
  bind = [ "$HOST:18090" ]
  mode = http
  default-backend = upstream
}
backends.upstream {
  balance = roundrobin
  http-reuse = always
  servers { nginx = "$HOST:$UPSTREAM_PORT" }
}
L
JAVA_HOME=$(pick_java); export JAVA_HOME
JAVA_OPTS="-Xms256m -Xmx256m"; export JAVA_OPTS
bench_start_luagate luagate 18090 "$TMP/luagate.conf"
declare -A PORT=([haproxy]=18080 [luagate]=18090)
wrk2() { wrk -t2 -c64 -d"$2" --latency -H "Host: bench.test" "http://$HOST:${PORT[$1]}/" >"$3" 2>&1; }
act() { if [[ $1 == haproxy ]]; then kill -STOP "${PROC_PID[luagate]}"; kill -CONT "${PROC_PID[haproxy]}"; else kill -STOP "${PROC_PID[haproxy]}"; kill -CONT "${PROC_PID[luagate]}"; fi; }
act luagate
for c in 1 2 3; do wrk2 luagate 3s "$TMP/w.txt"; done
wrk -t2 -c64 -d3s -H "Connection: close" "http://$HOST:18090/" >/dev/null 2>&1
wrk2 luagate 3s "$TMP/w.txt"
act haproxy; wrk2 haproxy 5s "$TMP/w.txt"
LOOPS=""; for t in /proc/${PROC_PID[luagate]}/task/*; do if [[ $(<$t/comm) == luagate-loop-* ]]; then LOOPS+="${t##*/} "; fi; done
log "luagate loop tids: $LOOPS"
pin() { local i=0 t; for t in $LOOPS; do if [[ $1 == on ]]; then taskset -p -c $i $t >/dev/null; else taskset -p -c 0-1 $t >/dev/null; fi; i=$((i+1)); done; }
round() { # proxy label
  local pid=${PROC_PID[$1]} out="$TMP/wrk-$1-$2.txt"
  act "$1"
  before=$(cpu_ticks "$pid")
  wrk2 "$1" 5s "$out"
  after=$(cpu_ticks "$pid")
  n=$(awk '/ requests in /{print $1}' "$out"); p99=$(awk '$1=="99%"{print $2}' "$out"); p50=$(awk '$1=="50%"{print $2}' "$out")
  echo "$1 $2 n=$n cpu_us=$(awk -v a=$before -v b=$after -v n=$n 'BEGIN{printf "%.2f",(b-a)/100*1e6/n}') p50=$p50 p99=$p99" | tee -a "$TMP/rounds.txt"
}
for ((r=1; r<=R; r++)); do
  round haproxy h$r
  if ((r % 2)); then pin off; round luagate u$r; pin on; round luagate p$r; else pin on; round luagate p$r; pin off; round luagate u$r; fi
done
