#!/usr/bin/env bash
# TCP mode, side by side: one or two luagate builds (and HAProxy 2.6) as TCP proxies in front of
# the same nginx, a new connection per request, alternating rounds. See bench/README.md.
#
#   bash bench/tcp-mode.sh
#   LUAGATE_BASE=/tmp/before/distribution/target/luagate bash bench/tcp-mode.sh   # before/after
#
# Environment (all optional): ROUNDS=3, DURATION=10s, WARMUP=15s, HAPROXY_WARMUP=5s,
# CONNECTIONS=64, LUAGATE_HOME (the build measured, default distribution/target/luagate),
# LUAGATE_BASE (a second build to compare with; unset: none), PROXIES="haproxy luagate base",
# JAVA_HOME, JAVA_OPTS, PIN=1, PROXY_CPU=0, LOAD_CPU=1, ISOLATE=1, KEEP_TMP=0: as in
# proxy-vs-haproxy.sh. All traffic stays on 127.0.0.1.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=bench/lib.sh
source "$ROOT/bench/lib.sh"

ROUNDS=${ROUNDS:-3}
DURATION=${DURATION:-10s}
WARMUP=${WARMUP:-15s}
HAPROXY_WARMUP=${HAPROXY_WARMUP:-5s}
CONNECTIONS=${CONNECTIONS:-64}
PIN=${PIN:-1}
PROXY_CPU=${PROXY_CPU:-0}
LOAD_CPU=${LOAD_CPU:-1}
KEEP_TMP=${KEEP_TMP:-0}
ISOLATE=${ISOLATE:-1}
JAVA_OPTS=${JAVA_OPTS:--Xms256m -Xmx256m -XX:+UseParallelGC}
LUAGATE_HOME=${LUAGATE_HOME:-distribution/target/luagate}
case "$LUAGATE_HOME" in /*) ;; *) LUAGATE_HOME="$ROOT/$LUAGATE_HOME" ;; esac
LUAGATE_BASE=${LUAGATE_BASE:-}
PROXIES=${PROXIES:-haproxy luagate${LUAGATE_BASE:+ base}}

HOST=127.0.0.1
UPSTREAM_PORT=18201
BODY='luagate bench: a fixed 100-byte response body, served by nginx as the upstream of both proxies. OK!!'
# Each proxy has two frontends: "plain" (no rules) and "inspect" (tcp-request inspect-delay and a
# content rule that waits for the client's first bytes).
declare -A PORT_PLAIN=([haproxy]=18210 [luagate]=18220 [base]=18230)
declare -A PORT_INSPECT=([haproxy]=18211 [luagate]=18221 [base]=18231)
KINDS="plain inspect"

[[ "$ROUNDS" =~ ^[1-9][0-9]*$ ]] || die "ROUNDS must be a positive integer (got '$ROUNDS')"
for p in $PROXIES; do
  [[ "$p" == haproxy || "$p" == luagate || "$p" == base ]] || die "PROXIES may only name haproxy, luagate and base (got '$p')"
done
want() { [[ " $PROXIES " == *" $1 "* ]]; }
want base && [[ -z "$LUAGATE_BASE" ]] && die "PROXIES names base: set LUAGATE_BASE to the build to compare with"
case "$LUAGATE_BASE" in ""|/*) ;; *) LUAGATE_BASE="$ROOT/$LUAGATE_BASE" ;; esac

bench_tools
if [[ "$PIN" == 1 && "$(nproc)" -ge 2 ]] && command -v taskset >/dev/null; then
  ON_PROXY_CPU=(taskset -c "$PROXY_CPU")
  ON_LOAD_CPU=(taskset -c "$LOAD_CPU")
else
  ON_PROXY_CPU=()
  ON_LOAD_CPU=()
fi
if want base; then
  HOME_MEASURED=$LUAGATE_HOME
  LUAGATE_HOME=$LUAGATE_BASE
  bench_use_luagate
  LUAGATE_HOME=$HOME_MEASURED
fi
if want luagate; then bench_use_luagate; fi

bench_start_tmp
bench_maxconn
bench_warn_if_busy
require_free "$UPSTREAM_PORT"
for p in $PROXIES; do require_free "${PORT_PLAIN[$p]}"; require_free "${PORT_INSPECT[$p]}"; done

bench_start_nginx "" "${ON_LOAD_CPU[@]}"

if want haproxy; then
  cat >"$TMP/haproxy.cfg" <<EOF
global
    nbthread 1
    maxconn $MAXCONN

defaults
    mode tcp
    timeout connect 5s
    timeout client 30s
    timeout server 30s

frontend plain
    bind $HOST:${PORT_PLAIN[haproxy]}
    default_backend upstream

frontend inspect
    bind $HOST:${PORT_INSPECT[haproxy]}
    tcp-request inspect-delay 1s
    tcp-request content accept if { req.len gt 0 }
    default_backend upstream

backend upstream
    server nginx $HOST:$UPSTREAM_PORT
EOF
  bench_start_haproxy haproxy "${PORT_PLAIN[haproxy]}" "$TMP/haproxy.cfg" "${ON_PROXY_CPU[@]}"
fi

luagate_conf() { # name -> writes $TMP/<name>.conf
  cat >"$TMP/$1.conf" <<EOF
global { threads = 1, maxconn = $MAXCONN, grace = 1s }
log { target = none }
frontends.plain {
  bind = [ "$HOST:${PORT_PLAIN[$1]}" ]
  mode = tcp
  default-backend = upstream
}
frontends.inspect {
  bind = [ "$HOST:${PORT_INSPECT[$1]}" ]
  mode = tcp
  tcp-request = [ "inspect-delay 1s", "content accept if { req.len gt 0 }" ]
  default-backend = upstream
}
backends.upstream {
  mode = tcp
  servers { nginx = "$HOST:$UPSTREAM_PORT" }
}
EOF
}
for p in luagate base; do
  want "$p" || continue
  luagate_conf "$p"
  HOME_MEASURED=$LUAGATE_HOME
  [[ $p == base ]] && LUAGATE_HOME=$LUAGATE_BASE
  bench_start_luagate "$p" "${PORT_PLAIN[$p]}" "$TMP/$p.conf" "${ON_PROXY_CPU[@]}"
  LUAGATE_HOME=$HOME_MEASURED
done

run_wrk() { # proxy kind duration outfile
  local port
  port=$([[ $2 == plain ]] && echo "${PORT_PLAIN[$1]}" || echo "${PORT_INSPECT[$1]}")
  # Connection: close: nginx ends each connection after its response, so every request is a new
  # TCP stream through the proxy (accept, rules, connect, tunnel, close).
  "${ON_LOAD_CPU[@]}" "$WRK" -t1 -c"$CONNECTIONS" -d"$3" --latency -H 'Connection: close' "http://$HOST:$port/" >"$4" 2>&1 \
    || die "wrk against $1 $2 failed: $(tail -n 5 "$4")"
}
activate() { # proxy
  local q others=()
  for q in $PROXIES; do others+=("$q"); done
  bench_activate "$1" "${others[@]}"
}

for p in $PROXIES; do
  w=$([[ $p == haproxy ]] && echo "$HAPROXY_WARMUP" || echo "$WARMUP")
  activate "$p"
  for k in $KINDS; do
    log "warm-up $p $k for $w"
    run_wrk "$p" "$k" "$w" "$TMP/wrk-$p-$k-warmup.txt"
  done
done

RESULTS=()   # "proxy/kind round rps p99ms cpu_us requests errors"
for ((r = 1; r <= ROUNDS; r++)); do
  for k in $KINDS; do
    for p in $PROXIES; do
      out="$TMP/wrk-$p-$k-$r.txt"
      activate "$p"
      bench_measure "$p $k round $r" "${PROC_PID[$p]}" "$out" run_wrk "$p" "$k" "$DURATION" "$out"
      RESULTS+=("$p/$k $r $M_RPS $M_P99MS $M_CPU_US $M_REQUESTS $M_ERRORS")
      log "$p $k round $r: $M_RPS conn/s, p99 ${M_P99:-?}, $M_CPU_US CPU us/conn ($M_REQUESTS, $M_ERRORS errors)"
    done
  done
done

echo
echo "wrk -t1 -c$CONNECTIONS -d$DURATION --latency -H 'Connection: close' (a new TCP connection per request), $ROUNDS rounds, alternating;"
echo "luagate: $LUAGATE_HOME${LUAGATE_BASE:+; base: $LUAGATE_BASE}; Java $(java_major "$JAVA_HOME"), JAVA_OPTS=\"$JAVA_OPTS\"."
echo
echo "| proxy/frontend | round | conn/s | p99 (ms) | CPU us/conn | errors |"
echo "|---|---:|---:|---:|---:|---:|"
for line in "${RESULTS[@]}"; do
  read -r -a f <<<"$line"
  echo "| ${f[0]} | ${f[1]} | $(fmt %.0f "${f[2]}") | $(fmt %.3f "${f[3]}") | $(fmt %.2f "${f[4]}") | ${f[6]} |"
done
echo
echo "| proxy/frontend | median conn/s | median p99 (ms) | median CPU us/conn |"
echo "|---|---:|---:|---:|"
declare -A MED=()
for k in $KINDS; do
  for p in $PROXIES; do
    MED[$p/$k]=$(col "$p/$k" 4 | median)
    echo "| $p/$k | $(fmt %.0f "$(col "$p/$k" 2 | median)") | $(fmt %.3f "$(col "$p/$k" 3 | median)") | $(fmt %.2f "${MED[$p/$k]}") |"
  done
done
# The median of the per-round ratios a/b of CPU us/conn: rounds next to each other in time share
# the machine's drifts (other work on a shared machine), which the ratio of the medians does not cancel.
round_ratio() { # a b
  paste <(col "$1" 4) <(col "$2" 4) | while read -r x y; do ratio "$x" "$y"; echo; done | median
}
echo
for k in $KINDS; do
  if want base && want luagate; then
    echo "$k: luagate/base CPU us/conn: $(ratio "${MED[luagate/$k]}" "${MED[base/$k]}") (of the medians), $(round_ratio "luagate/$k" "base/$k") (median of the rounds' ratios)"
  fi
  if want haproxy && want luagate; then
    echo "$k: luagate/haproxy CPU us/conn: $(ratio "${MED[luagate/$k]}" "${MED[haproxy/$k]}") (of the medians), $(round_ratio "luagate/$k" "haproxy/$k") (median of the rounds' ratios)"
  fi
  if want haproxy && want base; then
    echo "$k: base/haproxy CPU us/conn: $(ratio "${MED[base/$k]}" "${MED[haproxy/$k]}") (of the medians), $(round_ratio "base/$k" "haproxy/$k") (median of the rounds' ratios)"
  fi
done
