#!/usr/bin/env bash
# Process memory with no traffic: the RSS of HAProxy 2.6 and of luagate (default options, and the
# small-footprint configuration of the README's "Memory and the JVM"), after start and after some
# traffic, all in front of the same nginx upstream. See bench/README.md.
#
#   bash bench/footprint.sh
#
# Environment (all optional):
#   SETTLE=5            seconds idle before each reading
#   TRAFFIC=10s         wrk -c$CONNECTIONS run against each proxy between the two readings
#   CONNECTIONS=64      wrk connections (closed before the second reading)
#   LUAGATE_HOME=distribution/target/luagate   (relative paths: to the repository root)
#   JAVA_HOME           used if it is a JDK >= 21, else the newest JDK >= 21 under /usr/lib/jvm
#   DEFAULT_JAVA_OPTS=""                    JAVA_OPTS of the "default" luagate
#   SMALL_JAVA_OPTS=<the README's small-footprint options>  JAVA_OPTS of the "small" luagate
#   SMALL_ENV="MALLOC_ARENA_MAX=1"          environment of the "small" luagate
#   SMALL_THREADS=1     global.threads of the "small" luagate (the default one has global.threads unset)
#   LUAGATE_BASE        another distribution (e.g. main before a change), run with default options as "base"
#                       and with the small-footprint options as "basesmall"
#   BASE_SMALL_JAVA_OPTS=$SMALL_JAVA_OPTS   JAVA_OPTS of "basesmall" (its environment and threads: SMALL_ENV, SMALL_THREADS)
#   PROXIES="haproxy default small" (plus "base basesmall" with LUAGATE_BASE)
#   LIMIT_MB=64         the bar: the small configuration's RSS must stay under it (the last line says whether it did)
#   KEEP_TMP=0          1 keeps the temp dir (configs, logs, raw wrk output)
#
# Every process runs at once, unpinned, with the same configuration as proxy-vs-haproxy.sh (one
# frontend, one backend of one nginx server, http-reuse always, no access log); only one gets
# traffic at a time. RSS is VmRSS from /proc (anonymous + file-backed pages: the JVM's libjvm.so
# text counts, as HAProxy's binary does). All traffic stays on 127.0.0.1.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=bench/lib.sh
source "$ROOT/bench/lib.sh"

SETTLE=${SETTLE:-5}
TRAFFIC=${TRAFFIC:-10s}
CONNECTIONS=${CONNECTIONS:-64}
KEEP_TMP=${KEEP_TMP:-0}
ISOLATE=0
LIMIT_MB=${LIMIT_MB:-64}
DEFAULT_JAVA_OPTS=${DEFAULT_JAVA_OPTS:-}
JAVA_OPTS=$DEFAULT_JAVA_OPTS
# Keep in step with README.md, "Memory and the JVM".
SMALL_JAVA_OPTS=${SMALL_JAVA_OPTS:--XX:+UseSerialGC -Xms8m -Xmx16m -Xmn1m -XX:MaxDirectMemorySize=16m -Xss256k -XX:TieredStopAtLevel=1 -XX:CICompilerCount=1 -XX:ReservedCodeCacheSize=16m -XX:CompileThresholdScaling=50 -XX:StringTableSize=4096 -Dio.netty.jfr.enabled=false -Dio.netty.allocator.type=unpooled -Xshare:off -XX:TrimNativeHeapInterval=1000}
SMALL_ENV=${SMALL_ENV:-MALLOC_ARENA_MAX=1}
BASE_SMALL_JAVA_OPTS=${BASE_SMALL_JAVA_OPTS:-$SMALL_JAVA_OPTS}
SMALL_THREADS=${SMALL_THREADS:-1}
LUAGATE_HOME=${LUAGATE_HOME:-distribution/target/luagate}
case "$LUAGATE_HOME" in /*) ;; *) LUAGATE_HOME="$ROOT/$LUAGATE_HOME" ;; esac
LUAGATE_BASE=${LUAGATE_BASE:-}
case "$LUAGATE_BASE" in ""|/*) ;; *) LUAGATE_BASE="$ROOT/$LUAGATE_BASE" ;; esac
PROXIES=${PROXIES:-haproxy default small${LUAGATE_BASE:+ base basesmall}}

HOST=127.0.0.1
UPSTREAM_PORT=18281
declare -A PORT=([haproxy]=18280 [default]=18290 [small]=18291 [base]=18292 [basesmall]=18293)
BODY='luagate bench: a fixed 100-byte response body, served by nginx as the upstream of both proxies. OK!!'

[[ "$SETTLE" =~ ^[0-9]+$ ]] || die "SETTLE must be a number of seconds (got '$SETTLE')"
for p in $PROXIES; do
  [[ -n "${PORT[$p]:-}" ]] || die "PROXIES may only name haproxy, default, small, base and basesmall (got '$p')"
done
want() { [[ " $PROXIES " == *" $1 "* ]]; }
if want base || want basesmall; then
  [[ -n "$LUAGATE_BASE" ]] || die "PROXIES names base or basesmall: set LUAGATE_BASE to the build to compare with"
fi

bench_tools
if want default || want small; then bench_use_luagate; fi
if want base || want basesmall; then
  HOME_MEASURED=$LUAGATE_HOME
  LUAGATE_HOME=$LUAGATE_BASE
  bench_use_luagate
  LUAGATE_HOME=$HOME_MEASURED
fi
bench_start_tmp
bench_maxconn
bench_warn_if_busy
require_free "$UPSTREAM_PORT"
for p in $PROXIES; do require_free "${PORT[$p]}"; done

bench_start_nginx ""

if want haproxy; then
  # HAProxy's defaults: nbthread unset (one thread per CPU, as luagate's global.threads = 0).
  cat >"$TMP/haproxy.cfg" <<EOF
global
    maxconn $MAXCONN

defaults
    mode http
    option http-keep-alive
    http-reuse always
    timeout connect 5s
    timeout client 30s
    timeout server 30s

frontend bench
    bind $HOST:${PORT[haproxy]}
    default_backend upstream

backend upstream
    server nginx $HOST:$UPSTREAM_PORT
EOF
  bench_start_haproxy haproxy "${PORT[haproxy]}" "$TMP/haproxy.cfg"
fi

luagate_conf() { # name threads-line
  cat >"$TMP/$1.conf" <<EOF
global { $2 maxconn = $MAXCONN, grace = 1s }
log { target = none }
frontends.bench {
  bind = [ "$HOST:${PORT[$1]}" ]
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
declare -A DESC=([haproxy]="HAProxy $("$HAPROXY" -v | head -1 | cut -d' ' -f3), defaults (nbthread: one per CPU)")
start_luagate() { # name home java-opts threads env...
  local name=$1 home=$2 opts=$3 threads=$4 saved_home=$LUAGATE_HOME saved_opts=$JAVA_OPTS
  shift 4
  luagate_conf "$name" "$( ((threads > 0)) && echo "threads = $threads,")"
  LUAGATE_HOME=$home
  JAVA_OPTS=$opts
  bench_start_luagate "$name" "${PORT[$name]}" "$TMP/$name.conf" env "$@"
  LUAGATE_HOME=$saved_home
  JAVA_OPTS=$saved_opts
}
if want default; then
  start_luagate default "$LUAGATE_HOME" "$DEFAULT_JAVA_OPTS" 0
  DESC[default]="luagate, bin/luagate's defaults, JAVA_OPTS=\"$DEFAULT_JAVA_OPTS\", global.threads unset"
fi
if want small; then
  # shellcheck disable=SC2086 # SMALL_ENV is a list of NAME=value words
  start_luagate small "$LUAGATE_HOME" "$SMALL_JAVA_OPTS" "$SMALL_THREADS" $SMALL_ENV
  DESC[small]="luagate, $SMALL_ENV JAVA_OPTS=\"$SMALL_JAVA_OPTS\", global.threads = $SMALL_THREADS"
fi
if want base; then
  start_luagate base "$LUAGATE_BASE" "$DEFAULT_JAVA_OPTS" 0
  DESC[base]="luagate base ($LUAGATE_BASE), its bin/luagate's defaults, JAVA_OPTS=\"$DEFAULT_JAVA_OPTS\""
fi
if want basesmall; then
  # shellcheck disable=SC2086 # SMALL_ENV is a list of NAME=value words
  start_luagate basesmall "$LUAGATE_BASE" "$BASE_SMALL_JAVA_OPTS" "$SMALL_THREADS" $SMALL_ENV
  DESC[basesmall]="luagate base ($LUAGATE_BASE), $SMALL_ENV JAVA_OPTS=\"$BASE_SMALL_JAVA_OPTS\", global.threads = $SMALL_THREADS"
fi

rss_kb() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status"; }
anon_kb() { awk '/^RssAnon:/ {print $2}' "/proc/$1/status"; }
mb() { awk -v k="$1" 'BEGIN {printf "%.1f", k / 1024}'; }
threads_of() { ls "/proc/$1/task" | wc -l; }

log "idle for ${SETTLE}s"
sleep "$SETTLE"
declare -A RSS0=() ANON0=() RSS1=() ANON1=() RPS=() ERR=() THR=()
for p in $PROXIES; do
  RSS0[$p]=$(rss_kb "${PROC_PID[$p]}")
  ANON0[$p]=$(anon_kb "${PROC_PID[$p]}")
  THR[$p]=$(threads_of "${PROC_PID[$p]}")
  log "$p after start: RSS $(mb "${RSS0[$p]}") MB (anonymous $(mb "${ANON0[$p]}") MB), ${THR[$p]} threads"
done
for p in $PROXIES; do
  out="$TMP/wrk-$p.txt"
  "$WRK" -t1 -c"$CONNECTIONS" -d"$TRAFFIC" --latency "http://$HOST:${PORT[$p]}/" >"$out" 2>&1 || die "wrk against $p failed: $(tail -n 5 "$out")"
  RPS[$p]=$(awk '/^Requests\/sec:/{print $2; exit}' "$out")
  ERR[$p]=$(awk '/Non-2xx or 3xx responses:/{n += $NF} /Socket errors:/{gsub(",", ""); n += $4 + $6 + $8 + $10} END {print n + 0}' "$out")
  check_body "$p" "${PORT[$p]}"
  log "$p: ${RPS[$p]} req/s for $TRAFFIC, ${ERR[$p]} errors"
done
log "idle for ${SETTLE}s"
sleep "$SETTLE"
for p in $PROXIES; do
  RSS1[$p]=$(rss_kb "${PROC_PID[$p]}")
  ANON1[$p]=$(anon_kb "${PROC_PID[$p]}")
  log "$p after traffic: RSS $(mb "${RSS1[$p]}") MB (anonymous $(mb "${ANON1[$p]}") MB)"
done

echo
echo "RSS (VmRSS) in MB, idle ${SETTLE}s after start and ${SETTLE}s after wrk -t1 -c$CONNECTIONS -d$TRAFFIC against each;"
echo "anonymous memory (RssAnon) in parentheses; Java $(java_major "$JAVA_HOME"), $(nproc) CPUs."
echo
echo "| process | RSS after start | RSS after traffic | threads | req/s | errors |"
echo "|---|---:|---:|---:|---:|---:|"
for p in $PROXIES; do
  echo "| $p | $(mb "${RSS0[$p]}") ($(mb "${ANON0[$p]}")) | $(mb "${RSS1[$p]}") ($(mb "${ANON1[$p]}")) | ${THR[$p]} | $(fmt %.0f "${RPS[$p]}") | ${ERR[$p]} |"
done
echo
for p in $PROXIES; do echo "- $p: ${DESC[$p]}"; done
if want small; then
  peak=$(( RSS0[small] > RSS1[small] ? RSS0[small] : RSS1[small] ))
  echo
  if ((peak < LIMIT_MB * 1024 && ERR[small] == 0)); then
    echo "small: under ${LIMIT_MB} MB ($(mb "$peak") MB at most) and proxied without errors."
  else
    echo "small: NOT under ${LIMIT_MB} MB with no errors ($(mb "$peak") MB at most, ${ERR[small]} errors)."
  fi
fi
