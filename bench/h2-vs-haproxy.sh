#!/usr/bin/env bash
# HTTP/2 on client connections: luagate vs HAProxy 2.6 (Debian package), each on a cleartext
# `proto h2` bind (prior knowledge), same HTTP/1.1 upstream (nginx, the 100-byte body of
# proxy-vs-haproxy.sh), same load, alternating rounds. See bench/README.md.
#
#   bash bench/h2-vs-haproxy.sh
#
# Needs h2load (Debian: apt-get install nghttp2-client), besides what bench/lib.sh installs.
# The load is h2load -c 8 -m 8 -n $REQUESTS: 8 connections with 8 streams each, 64 streams in
# flight. Per round: requests/s (h2load's), the proxy's CPU time per request (utime + stime of
# its process around the round), and p99 latency computed from h2load's per-request log
# (--log-file: one line per request, its duration in microseconds).
#
# Environment (all optional):
#   ROUNDS=3             measured rounds per proxy (haproxy, luagate, haproxy, luagate, ...)
#   REQUESTS=200000      requests per measured round
#   WARMUP=500000        warm-up requests for luagate (JVM JIT) before the measured rounds
#   HAPROXY_WARMUP=50000 warm-up requests for haproxy
#   CONNECTIONS=8 STREAMS=8   h2load -c / -m
#   LUAGATE_HOME=distribution/target/luagate   (relative paths: to the repository root)
#   JAVA_HOME            used if it is a JDK >= 21, else the newest JDK >= 21 under /usr/lib/jvm
#   JAVA_OPTS="-Xms256m -Xmx256m -XX:+UseParallelGC"   JVM options for luagate
#   BASELINE_HOME        another luagate build (e.g. one made before a change), measured as the
#                        proxy "baseline" in the same run, on port 18093 (adds it to PROXIES)
#   PROXIES="haproxy luagate"   (with BASELINE_HOME: "haproxy baseline luagate")
#   PIN=1                pin proxies to CPU $PROXY_CPU (0), h2load and nginx to CPU $LOAD_CPU (1)
#   ISOLATE=1            SIGSTOP the proxy not being measured
#   KEEP_TMP=0           1 keeps the temp dir (configs, logs, h2load output and request logs)
# All traffic stays on 127.0.0.1.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=bench/lib.sh
source "$ROOT/bench/lib.sh"

ROUNDS=${ROUNDS:-3}
REQUESTS=${REQUESTS:-200000}
WARMUP=${WARMUP:-500000}
HAPROXY_WARMUP=${HAPROXY_WARMUP:-50000}
CONNECTIONS=${CONNECTIONS:-8}
STREAMS=${STREAMS:-8}
PIN=${PIN:-1}
PROXY_CPU=${PROXY_CPU:-0}
LOAD_CPU=${LOAD_CPU:-1}
KEEP_TMP=${KEEP_TMP:-0}
ISOLATE=${ISOLATE:-1}
JAVA_OPTS=${JAVA_OPTS:--Xms256m -Xmx256m -XX:+UseParallelGC}
LUAGATE_HOME=${LUAGATE_HOME:-distribution/target/luagate}
case "$LUAGATE_HOME" in /*) ;; *) LUAGATE_HOME="$ROOT/$LUAGATE_HOME" ;; esac
BASELINE_HOME=${BASELINE_HOME:-}
if [[ -n "$BASELINE_HOME" ]]; then
  case "$BASELINE_HOME" in /*) ;; *) BASELINE_HOME="$ROOT/$BASELINE_HOME" ;; esac
  PROXIES=${PROXIES:-haproxy baseline luagate}
else
  PROXIES=${PROXIES:-haproxy luagate}
fi
ALL_PROXIES="haproxy baseline luagate"

HOST=127.0.0.1
UPSTREAM_PORT=18083
HAPROXY_PORT=18082
LUAGATE_PORT=18092
BASELINE_PORT=18093
# Exactly 100 bytes, as in proxy-vs-haproxy.sh.
BODY='luagate bench: a fixed 100-byte response body, served by nginx as the upstream of both proxies. OK!!'

[[ "$ROUNDS" =~ ^[1-9][0-9]*$ ]] || die "ROUNDS must be a positive integer (got '$ROUNDS')"
for p in $PROXIES; do
  [[ "$p" == haproxy || "$p" == luagate || ( "$p" == baseline && -n "$BASELINE_HOME" ) ]] \
    || die "PROXIES may only name haproxy, luagate and (with BASELINE_HOME) baseline (got '$p')"
done
want() { [[ " $PROXIES " == *" $1 "* ]]; }

# ---------------------------------------------------------------------------------------------
# 1. Tools
# ---------------------------------------------------------------------------------------------
bench_tools
H2LOAD=$(command -v h2load) || die "h2load is missing: apt-get install -y nghttp2-client"
log "$("$H2LOAD" --version | head -1)"

NCPU=$(nproc)
if [[ "$PIN" == 1 && "$NCPU" -ge 2 ]] && command -v taskset >/dev/null; then
  ON_PROXY_CPU=(taskset -c "$PROXY_CPU")
  ON_LOAD_CPU=(taskset -c "$LOAD_CPU")
  log "pinning: proxies on CPU $PROXY_CPU; h2load and nginx on CPU $LOAD_CPU ($NCPU CPUs)"
else
  ON_PROXY_CPU=()
  ON_LOAD_CPU=()
  log "not pinning (PIN=$PIN, $NCPU CPUs)"
fi
if want luagate || want baseline; then
  bench_use_luagate
fi
if want baseline; then
  [[ -x "$BASELINE_HOME/bin/luagate" ]] || die "BASELINE_HOME: $BASELINE_HOME/bin/luagate not found"
fi

bench_start_tmp
bench_maxconn
bench_warn_if_busy
require_free "$UPSTREAM_PORT"
if want haproxy; then require_free "$HAPROXY_PORT"; fi
if want luagate; then require_free "$LUAGATE_PORT"; fi
if want baseline; then require_free "$BASELINE_PORT"; fi

# ---------------------------------------------------------------------------------------------
# 2. Upstream (HTTP/1.1) and the two proxies, HTTP/2 toward the client only
# ---------------------------------------------------------------------------------------------
bench_start_nginx "" "${ON_LOAD_CPU[@]}"

# The proxies speak HTTP/2 only on their binds: their start-up check asks in HTTP/2 (nginx's, above, in HTTP/1.1).
check_body() { # name port
  local got
  got=$(curl -sS --http2-prior-knowledge --max-time 5 "http://$HOST:$2/" 2>&1) || die "$1: HTTP/2 request to $HOST:$2 failed: $got"
  [[ "$got" == "$BODY" ]] || die "$1: unexpected response from $HOST:$2: ${got:0:200}"
}

if want haproxy; then
  cat >"$TMP/haproxy.cfg" <<EOF
global
    nbthread 1
    maxconn $MAXCONN

$(bench_haproxy_defaults)

frontend bench
    bind $HOST:$HAPROXY_PORT proto h2
    default_backend upstream

backend upstream
    balance roundrobin
    server nginx $HOST:$UPSTREAM_PORT
EOF
  bench_start_haproxy haproxy "$HAPROXY_PORT" "$TMP/haproxy.cfg" "${ON_PROXY_CPU[@]}"
fi

declare -A PORT=([haproxy]=$HAPROXY_PORT [luagate]=$LUAGATE_PORT [baseline]=$BASELINE_PORT)
luagate_conf() { # port
  cat <<EOF
global { threads = 1, maxconn = $MAXCONN, grace = 1s }
log { target = none }
frontends.bench {
  bind = [ { address = "$HOST:$1", proto = h2 } ]
  mode = http
  default-backend = upstream
}
backends.upstream {
  balance = roundrobin
  http-reuse = always
  servers { nginx = "$HOST:$UPSTREAM_PORT" }
}
EOF
}
if want baseline; then
  luagate_conf "$BASELINE_PORT" >"$TMP/baseline.conf"
  LUAGATE_HOME=$BASELINE_HOME bench_start_luagate baseline "$BASELINE_PORT" "$TMP/baseline.conf" "${ON_PROXY_CPU[@]}"
fi
if want luagate; then
  luagate_conf "$LUAGATE_PORT" >"$TMP/luagate.conf"
  bench_start_luagate luagate "$LUAGATE_PORT" "$TMP/luagate.conf" "${ON_PROXY_CPU[@]}"
fi

# ---------------------------------------------------------------------------------------------
# 3. Load: warm-up, then alternating measured rounds
# ---------------------------------------------------------------------------------------------
run_h2load() { # proxy requests outfile [request-log]
  local extra=()
  [[ -n "${4:-}" ]] && extra=(--log-file="$4")
  "${ON_LOAD_CPU[@]}" "$H2LOAD" -t1 -c"$CONNECTIONS" -m"$STREAMS" -n"$2" "${extra[@]}" "http://$HOST:${PORT[$1]}/" >"$3" 2>&1 \
    || die "h2load against $1 failed: $(tail -n 5 "$3")"
}
activate() { # proxy
  local q others=()
  for q in $ALL_PROXIES; do
    if want "$q"; then others+=("$q"); fi
  done
  bench_activate "$1" "${others[@]}"
}
# p99 of the third column (microseconds) of an h2load request log, in milliseconds.
p99_ms() {
  awk -F'\t' '{print $3}' "$1" | sort -n | awk '{v[NR] = $1} END {if (NR == 0) print "n/a"; else {i = int(NR * 0.99); if (i < 1) i = 1; printf "%.3f", v[i] / 1000}}'
}

for p in $ALL_PROXIES; do
  want "$p" || continue
  n=$([[ $p == haproxy ]] && echo "$HAPROXY_WARMUP" || echo "$WARMUP")
  log "warm-up $p: $n requests"
  activate "$p"
  run_h2load "$p" "$n" "$TMP/h2load-$p-warmup.txt"
done

RESULTS=()   # "proxy round rps p99ms cpu_us_per_req requests errors"
for ((r = 1; r <= ROUNDS; r++)); do
  for p in $ALL_PROXIES; do
    want "$p" || continue
    pid=${PROC_PID[$p]}
    out="$TMP/h2load-$p-$r.txt"
    reqlog="$TMP/requests-$p-$r.tsv"
    activate "$p"
    before=$(cpu_ticks "$pid")
    run_h2load "$p" "$REQUESTS" "$out" "$reqlog"
    after=$(cpu_ticks "$pid")
    done_n=$(sed -n 's/^requests: .* \([0-9]*\) succeeded.*/\1/p' "$out")
    rps=$(sed -n 's/^finished in .*, \([0-9.]*\) req\/s.*/\1/p' "$out")
    failed=$(awk '/^requests:/{for (i = 1; i <= NF; i++) if ($(i + 1) ~ /^(failed|errored|timeout)/) n += $i} END {print n + 0}' "$out")
    [[ "$done_n" =~ ^[0-9]+$ ]] && is_num "$rps" || die "could not parse h2load output for $p round $r: $(cat "$out")"
    cpu=$(awk -v a="$before" -v b="$after" -v hz="$CLK_TCK" -v n="$done_n" 'BEGIN {if (n > 0) printf "%.2f", (b - a) / hz * 1e6 / n; else print "n/a"}')
    p99=$(p99_ms "$reqlog")
    RESULTS+=("$p $r $rps $p99 $cpu $done_n $failed")
    log "$p round $r: $rps req/s, p99 $p99 ms, $cpu CPU us/req ($done_n requests, $((after - before)) ticks, $failed failed)"
  done
done

# ---------------------------------------------------------------------------------------------
# 4. Report
# ---------------------------------------------------------------------------------------------
echo
echo "h2load -t1 -c$CONNECTIONS -m$STREAMS -n$REQUESTS (prior knowledge, $((CONNECTIONS * STREAMS)) streams in flight), $ROUNDS rounds each, alternating;"
echo "upstream nginx over HTTP/1.1, ${#BODY}-byte body;"
want haproxy && echo "$("$HAPROXY" -v | head -1 | cut -d' ' -f1-3), bind ... proto h2, nbthread 1, http-reuse always, no logging;"
want baseline && echo "baseline: $BASELINE_HOME, configured as luagate;"
want luagate && echo "luagate proto = h2, threads = 1, http-reuse always, log.target = none, Java $(java_major "$JAVA_HOME"), JAVA_OPTS=\"$JAVA_OPTS\";"
echo -n "$NCPU CPUs"
[[ ${#ON_PROXY_CPU[@]} -gt 0 ]] && echo -n ": proxies on CPU $PROXY_CPU, h2load + nginx on CPU $LOAD_CPU"
[[ "$ISOLATE" == 1 ]] && echo -n "; the proxy not measured is SIGSTOPped"
echo "."
echo
echo "| proxy | round | req/s | p99 (ms) | CPU us/req | failed |"
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
for p in $ALL_PROXIES; do
  want "$p" || continue
  MED_RPS[$p]=$(col "$p" 2 | median)
  MED_P99[$p]=$(col "$p" 3 | median)
  MED_CPU[$p]=$(col "$p" 4 | median)
  echo "| $p | $(fmt %.0f "${MED_RPS[$p]}") | $(fmt %.3f "${MED_P99[$p]}") | $(fmt %.2f "${MED_CPU[$p]}") |"
done
if want haproxy && want luagate; then
  echo
  echo "luagate/haproxy CPU us/req (median): $(ratio "${MED_CPU[luagate]}" "${MED_CPU[haproxy]}") (bar: 1.3)"
  echo "luagate/haproxy req/s (median): $(ratio "${MED_RPS[luagate]}" "${MED_RPS[haproxy]}")"
  echo "luagate/haproxy p99 (median): $(ratio "${MED_P99[luagate]}" "${MED_P99[haproxy]}")"
fi
if want haproxy && want baseline; then
  echo "baseline/haproxy CPU us/req (median): $(ratio "${MED_CPU[baseline]}" "${MED_CPU[haproxy]}")"
fi
if want baseline && want luagate; then
  echo "luagate/baseline CPU us/req (median): $(ratio "${MED_CPU[luagate]}" "${MED_CPU[baseline]}")"
fi
