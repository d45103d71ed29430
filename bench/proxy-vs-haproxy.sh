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
#   WARMUP_CYCLES=3     the warm-up as this many wrk runs (each a new set of connections, closed at its
#                       end), so that the JIT has seen connections close before the measured rounds
#   WARMUP_CHURN=3s     then this long of one request per connection (wrk -H "Connection: close"): the
#                       accept path runs thousands of times, as in a proxy that has been up a while; 0 skips
#   CONNECTIONS=64      wrk connections (one wrk thread)
#   CLOSE=0             1: the measured rounds send "Connection: close", one request per connection,
#                       so CPU us/req is the cost of a connection's set-up, one request and its close
#   LUAGATE_HOME=distribution/target/luagate   (relative paths: to the repository root)
#   JAVA_HOME           used if it is a JDK >= 21, else the newest JDK >= 21 under /usr/lib/jvm
#   JAVA_OPTS="-Xms256m -Xmx256m -XX:+UseParallelGC"   JVM options for luagate
#   BASE_JAVA_OPTS=$JAVA_OPTS   JVM options for the base (LUAGATE_BASE may be the same distribution:
#                       then one run compares two sets of JVM options, e.g. two GCs, side by side)
#   PROXIES="haproxy luagate"   PROXIES=haproxy measures HAProxy alone (no luagate needed)
#   LUAGATE_BASE        a second luagate build (another commit), run beside LUAGATE_HOME as "base"
#                       in the same rounds, with the ratio luagate/base (PROXIES then defaults to
#                       "haproxy luagate base")
#   THREADS=1           event loops (luagate global.threads) and HAProxy nbthread; above 1 the proxies
#                       run on all CPUs and wrk (with -t$THREADS) and nginx unpinned beside them
#   CPU_MAP=            a cpu-map line for both proxies (HAProxy's cpu-map, luagate's global.cpu-map),
#                       e.g. CPU_MAP="auto:1/1-2 0-1" with THREADS=2: each loop/thread on its own CPU
#   PIN=1               pin proxies to CPU $PROXY_CPU (0), wrk and nginx to CPU $LOAD_CPU (1); THREADS=1 only
#   ISOLATE=1           SIGSTOP the proxy not being measured, so it takes no CPU from the other
#   KEEP_TMP=0          1 keeps the temp dir (configs, logs, raw wrk output)
#   PAUSES=1            luagate's JVMs log their safepoints (GC and other pauses), counted per round
#
# The machine this was written for has 2 cores: core 0 runs the proxy under test (both proxies
# are pinned there; only one gets traffic at a time), core 1 runs the load generator and the
# upstream. Req/s is therefore bounded by what wrk+nginx manage on one core; the number that
# compares the proxies is the proxy's own CPU time per request.
# All traffic stays on 127.0.0.1.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=bench/lib.sh
source "$ROOT/bench/lib.sh"

ROUNDS=${ROUNDS:-3}
DURATION=${DURATION:-10s}
WARMUP=${WARMUP:-15s}
HAPROXY_WARMUP=${HAPROXY_WARMUP:-5s}
WARMUP_CYCLES=${WARMUP_CYCLES:-3}
WARMUP_CHURN=${WARMUP_CHURN:-3s}
CONNECTIONS=${CONNECTIONS:-64}
CLOSE=${CLOSE:-0}
THREADS=${THREADS:-1}
PIN=${PIN:-1}
PROXY_CPU=${PROXY_CPU:-0}
LOAD_CPU=${LOAD_CPU:-1}
KEEP_TMP=${KEEP_TMP:-0}
ISOLATE=${ISOLATE:-1}
PAUSES=${PAUSES:-1}
JAVA_OPTS=${JAVA_OPTS:--Xms256m -Xmx256m -XX:+UseParallelGC}
MEASURED_JAVA_OPTS=$JAVA_OPTS
BASE_JAVA_OPTS=${BASE_JAVA_OPTS-$JAVA_OPTS}
LUAGATE_HOME=${LUAGATE_HOME:-distribution/target/luagate}
case "$LUAGATE_HOME" in /*) ;; *) LUAGATE_HOME="$ROOT/$LUAGATE_HOME" ;; esac
LUAGATE_BASE=${LUAGATE_BASE:-}
case "$LUAGATE_BASE" in ""|/*) ;; *) LUAGATE_BASE="$ROOT/$LUAGATE_BASE" ;; esac
PROXIES=${PROXIES:-haproxy luagate${LUAGATE_BASE:+ base}}

HOST=127.0.0.1
UPSTREAM_PORT=18081
HAPROXY_PORT=18080
LUAGATE_PORT=18090
BASE_PORT=18091
# Exactly 100 bytes.
BODY='luagate bench: a fixed 100-byte response body, served by nginx as the upstream of both proxies. OK!!'

[[ "$ROUNDS" =~ ^[1-9][0-9]*$ ]] || die "ROUNDS must be a positive integer (got '$ROUNDS')"
[[ "$WARMUP_CYCLES" =~ ^[1-9][0-9]*$ ]] || die "WARMUP_CYCLES must be a positive integer (got '$WARMUP_CYCLES')"
[[ "$THREADS" =~ ^[1-9][0-9]*$ ]] || die "THREADS must be a positive integer (got '$THREADS')"
for p in $PROXIES; do
  [[ "$p" == haproxy || "$p" == luagate || "$p" == base ]] || die "PROXIES may only name haproxy, luagate and base (got '$p')"
done
[[ "$CLOSE" == 0 || "$CLOSE" == 1 ]] || die "CLOSE must be 0 or 1 (got '$CLOSE')"
want() { [[ " $PROXIES " == *" $1 "* ]]; }
want base && [[ -z "$LUAGATE_BASE" ]] && die "PROXIES names base: set LUAGATE_BASE to the build to compare with"

# ---------------------------------------------------------------------------------------------
# 1. Tools
# ---------------------------------------------------------------------------------------------
bench_tools

NCPU=$(nproc)
if ((THREADS > 1)); then
  # Both proxies' threads spread over every core, and the load generator takes what is left, as
  # it would on a machine where the proxy owns all cores: what counts is CPU per request and
  # whether req/s grows from 1 to $THREADS threads as much for luagate as for HAProxy.
  ON_PROXY_CPU=()
  ON_LOAD_CPU=()
  log "THREADS=$THREADS: proxies, wrk -t$THREADS and nginx unpinned on all $NCPU CPUs"
elif [[ "$PIN" == 1 && "$NCPU" -ge 2 ]] && command -v taskset >/dev/null; then
  ON_PROXY_CPU=(taskset -c "$PROXY_CPU")
  ON_LOAD_CPU=(taskset -c "$LOAD_CPU")
  log "pinning: proxies on CPU $PROXY_CPU; wrk and nginx on CPU $LOAD_CPU ($NCPU CPUs)"
else
  ON_PROXY_CPU=()
  ON_LOAD_CPU=()
  log "not pinning (PIN=$PIN, $NCPU CPUs)"
fi

if want base; then
  HOME_MEASURED=$LUAGATE_HOME
  LUAGATE_HOME=$LUAGATE_BASE
  JAVA_OPTS=$BASE_JAVA_OPTS
  bench_use_luagate
  LUAGATE_HOME=$HOME_MEASURED
  JAVA_OPTS=$MEASURED_JAVA_OPTS
fi
if want luagate; then
  bench_use_luagate
fi

# ---------------------------------------------------------------------------------------------
# Processes and cleanup
# ---------------------------------------------------------------------------------------------
bench_start_tmp
bench_maxconn
bench_warn_if_busy

require_free "$UPSTREAM_PORT"
if want haproxy; then require_free "$HAPROXY_PORT"; fi
if want luagate; then require_free "$LUAGATE_PORT"; fi
if want base; then require_free "$BASE_PORT"; fi

# ---------------------------------------------------------------------------------------------
# 2. Upstream: nginx, one worker, keep-alive, fixed 100-byte body
# ---------------------------------------------------------------------------------------------
bench_start_nginx "" "${ON_LOAD_CPU[@]}"

# ---------------------------------------------------------------------------------------------
# 3. HAProxy
# ---------------------------------------------------------------------------------------------
if want haproxy; then
  cat >"$TMP/haproxy.cfg" <<EOF
global
    nbthread $THREADS
    maxconn $MAXCONN
${CPU_MAP:+    cpu-map $CPU_MAP}

$(bench_haproxy_defaults)

frontend bench
    bind $HOST:$HAPROXY_PORT
    default_backend upstream

backend upstream
    balance roundrobin
    server nginx $HOST:$UPSTREAM_PORT
EOF
  bench_start_haproxy haproxy "$HAPROXY_PORT" "$TMP/haproxy.cfg" "${ON_PROXY_CPU[@]}"
fi

# ---------------------------------------------------------------------------------------------
# 4. luagate
# ---------------------------------------------------------------------------------------------
declare -A PORT=([haproxy]=$HAPROXY_PORT [luagate]=$LUAGATE_PORT [base]=$BASE_PORT)
for p in luagate base; do
  want "$p" || continue
  cat >"$TMP/$p.conf" <<EOF
global { threads = $THREADS, maxconn = $MAXCONN, grace = 1s${CPU_MAP:+, cpu-map = [ \"$CPU_MAP\" ]} }
log { target = none }
frontends.bench {
  bind = [ "$HOST:${PORT[$p]}" ]
  mode = http
  default-backend = upstream
}
backends.upstream {
  balance = roundrobin
  http-reuse = always
  servers { nginx = "$HOST:$UPSTREAM_PORT" }
}
EOF
  HOME_MEASURED=$LUAGATE_HOME
  if [[ $p == base ]]; then
    LUAGATE_HOME=$LUAGATE_BASE
    JAVA_OPTS=$BASE_JAVA_OPTS
  fi
  bench_start_luagate "$p" "${PORT[$p]}" "$TMP/$p.conf" "${ON_PROXY_CPU[@]}"
  LUAGATE_HOME=$HOME_MEASURED
  JAVA_OPTS=$MEASURED_JAVA_OPTS
done

# ---------------------------------------------------------------------------------------------
# 5./6. Load: warm-up, then alternating measured rounds
# ---------------------------------------------------------------------------------------------
# wrk's done() hook adds the percentiles beyond its own 99% (which bench_measure reads as "99.9%").
# A script with no request() or response() hook leaves wrk's fast path (one fixed request) as it is.
cat >"$TMP/percentiles.lua" <<'EOF'
done = function(summary, latency, requests)
  for _, p in ipairs({ 99.9, 99.99 }) do
    io.write(string.format("  %g%% %.2fus\n", p, latency:percentile(p)))
  end
end
EOF
# CLOSE=1: the measured rounds make one request per connection (the warm-up stays as it is).
ROUND_HEADERS=()
[[ "$CLOSE" == 1 ]] && ROUND_HEADERS=(-H "Connection: close")
# One Host for every proxy: wrk's default (127.0.0.1:<port>) differs between the two builds, and a
# value's bytes decide where luagate's per-loop table of recent header values keeps it, so the two
# builds would not parse the same request (issue 14, sixth round).
SAME_HOST=(-H "Host: bench.test")
run_wrk() { # proxy duration outfile [wrk options...]
  "${ON_LOAD_CPU[@]}" "$WRK" -t"$THREADS" -c"$CONNECTIONS" -d"$2" --latency "${SAME_HOST[@]}" "${@:4}" -s "$TMP/percentiles.lua" "http://$HOST:${PORT[$1]}/" >"$3" 2>&1 \
    || die "wrk against $1 failed: $(tail -n 5 "$3")"
}
# Both proxies share CPU 0. With ISOLATE=1 the one not being measured is frozen (SIGSTOP) so that
# nothing it does in the background (a JVM's GC or JIT, timers) takes CPU from the one measured.
activate() { # proxy
  local q others=()
  for q in haproxy luagate base; do
    if want "$q"; then others+=("$q"); fi
  done
  bench_activate "$1" "${others[@]}"
}

# Each round opens 64 connections and closes them at its end. A warm-up that is one long run closes
# none until it ends: a JVM's JIT then compiles the hot paths without the branches of a close, and the
# first close (the warm-up's end) sends them back to the interpreter ("uncommon trap") to be compiled
# again during the first measured rounds, on the proxy's core. Splitting the warm-up into cycles lets
# that happen before the rounds, as a proxy that has run for a while has seen connections come and go.
# Each round also starts with 64 new connections at once: with only the warm-up's few hundred
# accepted, a JVM still runs its accept and connection set-up code cold (interpreted or lightly
# compiled), and the first request on each new connection waited 10-40 ms for luagate against 2-3
# ms for HAProxy (bench/README.md, "The tail"). The churn runs that code thousands of times, after
# the keep-alive cycles (on a JVM that has not compiled the request path yet it gets through only a few
# hundred connections), and a last keep-alive cycle follows it.
warm_up() { # proxy total (wrk duration)
  local n=1 each c secs
  secs=$(awk -v d="$2" 'BEGIN { if (d ~ /^[0-9]+s?$/) print d + 0; else if (d ~ /^[0-9]+m$/) print 60 * d; else print "" }')
  if [[ -n "$secs" ]] && ((WARMUP_CYCLES > 1 && secs >= 2 * WARMUP_CYCLES)); then n=$WARMUP_CYCLES; each="$((secs / n))s"; else each=$2; fi
  for ((c = 1; c <= n; c++)); do
    run_wrk "$1" "$each" "$TMP/wrk-$1-warmup-$c.txt"
  done
  if [[ "$WARMUP_CHURN" != 0 ]]; then
    "${ON_LOAD_CPU[@]}" "$WRK" -t"$THREADS" -c"$CONNECTIONS" -d"$WARMUP_CHURN" -H "Connection: close" "${SAME_HOST[@]}" \
      "http://$HOST:${PORT[$1]}/" >"$TMP/wrk-$1-churn.txt" 2>&1 || die "wrk (churn) against $1 failed: $(tail -n 5 "$TMP/wrk-$1-churn.txt")"
    log "warm-up $1: churn $(awk '/ requests in /{print $1; exit}' "$TMP/wrk-$1-churn.txt") connections in $WARMUP_CHURN"
    run_wrk "$1" "$each" "$TMP/wrk-$1-warmup-last.txt"
  fi
}
for p in haproxy luagate base; do
  want "$p" || continue
  w=$([[ $p == haproxy ]] && echo "$HAPROXY_WARMUP" || echo "$WARMUP")
  log "warm-up $p: $WARMUP_CHURN of new connections, then $w of keep-alive ($WARMUP_CYCLES cycles where it lasts at least 2 s each)"
  activate "$p"
  warm_up "$p" "$w"
done

# "proxy round rps p99ms cpu_us_per_req requests errors p50ms p75ms p90ms maxms other_us preempt/s
#  pauses pause_ms pause_max_ms p99.9ms"; n/a where a round served nothing (or, for pauses, in HAProxy)
RESULTS=()
for ((r = 1; r <= ROUNDS; r++)); do
  for p in haproxy luagate base; do
    want "$p" || continue
    pid=${PROC_PID[$p]}
    out="$TMP/wrk-$p-$r.txt"
    activate "$p"
    bench_measure "$p round $r" "$pid" "$out" run_wrk "$p" "$DURATION" "$out" "${ROUND_HEADERS[@]}"
    RESULTS+=("$p $r $M_RPS $M_P99MS $M_CPU_US $M_REQUESTS $M_ERRORS $M_P50MS $M_P75MS $M_P90MS $M_MAXMS $M_OTHER_US $M_PREEMPT $M_PAUSES $M_PAUSE_MS $M_PAUSE_MAX_MS $M_P999MS")
    log "$p round $r: $M_RPS req/s, p50/p90/p99/p99.9/max $M_P50MS/$M_P90MS/$M_P99MS/$M_P999MS/$M_MAXMS ms, $M_CPU_US CPU us/req ($M_REQUESTS requests, $M_TICKS ticks, $M_ERRORS errors); busiest thread $M_TOP preempted $M_PREEMPT/s, other threads $M_OTHER_US us/req; safepoints $M_PAUSES ($M_PAUSE_MS ms, longest $M_PAUSE_MAX_MS ms)"
    ((M_ERRORS == 0)) || log "WARNING: $p round $r had $M_ERRORS non-2xx responses or socket errors (wrk counts a request over 2 s as a timeout)"
    ((M_REQUESTS > 0)) || log "WARNING: $p served no request in round $r"
  done
done

# ---------------------------------------------------------------------------------------------
# 7. Report
# ---------------------------------------------------------------------------------------------
echo
echo "wrk -t$THREADS -c$CONNECTIONS -d$DURATION --latency -H \"Host: bench.test\"${ROUND_HEADERS[*]:+ -H \"Connection: close\" (one request per connection)}, $ROUNDS rounds each, alternating; upstream nginx, ${#BODY}-byte body;"
want haproxy && echo "$("$HAPROXY" -v | head -1 | cut -d' ' -f1-3), nbthread $THREADS${CPU_MAP:+, cpu-map $CPU_MAP (luagate: global.cpu-map the same)}, http-reuse always, no logging;"
want luagate && echo "luagate threads = $THREADS, http-reuse always, log.target = none, Java $(java_major "$JAVA_HOME"), JAVA_OPTS=\"$JAVA_OPTS\";"
want base && echo "luagate: $LUAGATE_HOME; base: $LUAGATE_BASE (same settings, JAVA_OPTS=\"$BASE_JAVA_OPTS\");"
echo -n "$NCPU CPUs"
[[ ${#ON_PROXY_CPU[@]} -gt 0 ]] && echo -n ": proxies on CPU $PROXY_CPU, wrk + nginx on CPU $LOAD_CPU"
((THREADS > 1)) && echo -n ": proxies, wrk and nginx unpinned"
[[ "$ISOLATE" == 1 ]] && echo -n "; the proxy not measured is SIGSTOPped"
echo "."
echo
# Latencies as wrk measures them (from a request's write to its response's end, for each of the
# 64 connections); "preempted/s": how often per second the kernel took the core from the proxy's
# busiest thread while it could still run; "other us/req": the CPU of the proxy's other threads
# (a JVM's JIT compilers and GC); "safepoints": every stop of the JVM's threads (GC and others).
echo "| proxy | round | req/s | p50 (ms) | p75 (ms) | p90 (ms) | p99 (ms) | p99.9 (ms) | max (ms) | CPU us/req | other us/req | preempted/s | safepoints | their ms | longest ms | errors |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
for line in "${RESULTS[@]}"; do
  read -r -a f <<<"$line"
  echo "| ${f[0]} | ${f[1]} | $(fmt %.0f "${f[2]}") | $(fmt %.3f "${f[7]}") | $(fmt %.3f "${f[8]}") | $(fmt %.3f "${f[9]}") | $(fmt %.3f "${f[3]}") | $(fmt %.3f "${f[16]}") | $(fmt %.3f "${f[10]}") | $(fmt %.2f "${f[4]}") | $(fmt %.2f "${f[11]}") | ${f[12]} | ${f[13]} | ${f[14]} | ${f[15]} | ${f[6]} |"
done
echo
echo "Median over rounds:"
echo
echo "| proxy | req/s | p50 (ms) | p90 (ms) | p99 (ms) | p99.9 (ms) | CPU us/req |"
echo "|---|---:|---:|---:|---:|---:|---:|"
declare -A MED_RPS=() MED_CPU=() MED_P99=()
for p in haproxy luagate base; do
  want "$p" || continue
  MED_RPS[$p]=$(col "$p" 2 | median)
  MED_P99[$p]=$(col "$p" 3 | median)
  MED_CPU[$p]=$(col "$p" 4 | median)
  echo "| $p | $(fmt %.0f "${MED_RPS[$p]}") | $(fmt %.3f "$(col "$p" 7 | median)") | $(fmt %.3f "$(col "$p" 9 | median)") | $(fmt %.3f "${MED_P99[$p]}") | $(fmt %.3f "$(col "$p" 16 | median)") | $(fmt %.2f "${MED_CPU[$p]}") |"
done
# The median of the per-round ratios a/b of column c: rounds next to each other in time share the
# machine's drifts (other work on a shared machine), which the ratio of the medians does not cancel.
round_ratio() { # a b column
  paste <(col "$1" "$3") <(col "$2" "$3") | while read -r x y; do ratio "$x" "$y"; echo; done | median
}
if want haproxy && want luagate; then
  echo
  echo "luagate/haproxy CPU us/req (median): $(ratio "${MED_CPU[luagate]}" "${MED_CPU[haproxy]}")"
  echo "luagate/haproxy req/s (median): $(ratio "${MED_RPS[luagate]}" "${MED_RPS[haproxy]}")"
  echo "luagate/haproxy p99 (median): $(ratio "${MED_P99[luagate]}" "${MED_P99[haproxy]}")"
  echo "luagate/haproxy per round (median of the rounds' ratios): CPU us/req $(round_ratio luagate haproxy 4), p50 $(round_ratio luagate haproxy 7), p90 $(round_ratio luagate haproxy 9), p99 $(round_ratio luagate haproxy 3), p99.9 $(round_ratio luagate haproxy 16)"
fi
if want haproxy && want base; then
  echo
  echo "base/haproxy CPU us/req (median): $(ratio "${MED_CPU[base]}" "${MED_CPU[haproxy]}")"
  echo "base/haproxy p99 (median): $(ratio "${MED_P99[base]}" "${MED_P99[haproxy]}")"
  echo "base/haproxy per round (median of the rounds' ratios): CPU us/req $(round_ratio base haproxy 4), p50 $(round_ratio base haproxy 7), p90 $(round_ratio base haproxy 9), p99 $(round_ratio base haproxy 3), p99.9 $(round_ratio base haproxy 16)"
fi
if want base && want luagate; then
  echo
  echo "luagate/base CPU us/req (median): $(ratio "${MED_CPU[luagate]}" "${MED_CPU[base]}")"
  echo "luagate/base req/s (median): $(ratio "${MED_RPS[luagate]}" "${MED_RPS[base]}")"
  echo "luagate/base p99 (median): $(ratio "${MED_P99[luagate]}" "${MED_P99[base]}")"
  echo "luagate/base per round (median of the rounds' ratios): CPU us/req $(round_ratio luagate base 4), p50 $(round_ratio luagate base 7), p90 $(round_ratio luagate base 9), p99 $(round_ratio luagate base 3), p99.9 $(round_ratio luagate base 16)"
fi
