#!/usr/bin/env bash
# What one Lua fetch + one Lua action per request cost in luagate and in HAProxy 2.6 (Debian
# package): each proxy runs plain and with the same Lua script (bench/lua/flow.lua), shared
# (lua-load / lua.load) and per thread (lua-load-per-thread / lua.load-per-thread), at 1 and 2
# threads (event loops); the report gives the CPU us per request each proxy's Lua adds over its
# own plain proxying at the same thread count. See bench/README.md.
#
#   flock /tmp/mvn.lock bash bench/lua-vs-haproxy.sh
#
# Environment (all optional):
#   ROUNDS=3            measured rounds per configuration (every configuration once per round)
#   DURATION=10s        length of one measured wrk round
#   WARMUP=15s          warm-up traffic for each luagate configuration (JVM JIT)
#   HAPROXY_WARMUP=5s   warm-up traffic for each haproxy configuration
#   CONNECTIONS=64      wrk connections (one wrk thread)
#   PROXIES="haproxy luagate"
#   THREADS="1 2"       thread counts: HAProxy nbthread, luagate global.threads
#   LUA_MODES="per-thread load"   per-thread: lua-load-per-thread / lua.load-per-thread;
#                                 load: lua-load / lua.load (one shared state, locked)
#   LUAGATE_HOME=distribution/target/luagate   (relative paths: to the repository root)
#   JAVA_HOME           used if it is a JDK >= 21, else the newest JDK >= 21 under /usr/lib/jvm
#   JAVA_OPTS="-Xms256m -Xmx256m -XX:+UseParallelGC"   JVM options for luagate
#   PIN=1               1 thread: proxy on CPU $PROXY_CPU (0); more: on CPUs $MULTI_CPUS (all);
#                       wrk and nginx always on CPU $LOAD_CPU (1)
#   ISOLATE=1           SIGSTOP every proxy not being measured
#   BAR_US=4            issue 14's bar: what luagate's Lua fetch + action may add per request (us)
#   FLAT_TOLERANCE_US=1 how much more luagate's per-thread Lua may add at 2 loops than at 1 and
#                       still count as flat
#   KEEP_TMP=0          1 keeps the temp dir (configs, logs, raw wrk output)
#
# All traffic stays on 127.0.0.1.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=bench/lib.sh
source "$ROOT/bench/lib.sh"

ROUNDS=${ROUNDS:-3}
DURATION=${DURATION:-10s}
WARMUP=${WARMUP:-15s}
HAPROXY_WARMUP=${HAPROXY_WARMUP:-5s}
CONNECTIONS=${CONNECTIONS:-64}
PROXIES=${PROXIES:-haproxy luagate}
THREADS=${THREADS:-1 2}
LUA_MODES=${LUA_MODES:-per-thread load}
PIN=${PIN:-1}
PROXY_CPU=${PROXY_CPU:-0}
LOAD_CPU=${LOAD_CPU:-1}
NCPU=$(nproc)
MULTI_CPUS=${MULTI_CPUS:-0-$((NCPU - 1))}
KEEP_TMP=${KEEP_TMP:-0}
ISOLATE=${ISOLATE:-1}
FLAT_TOLERANCE_US=${FLAT_TOLERANCE_US:-1}
BAR_US=${BAR_US:-4}
JAVA_OPTS=${JAVA_OPTS:--Xms256m -Xmx256m -XX:+UseParallelGC}
LUAGATE_HOME=${LUAGATE_HOME:-distribution/target/luagate}
case "$LUAGATE_HOME" in /*) ;; *) LUAGATE_HOME="$ROOT/$LUAGATE_HOME" ;; esac

HOST=127.0.0.1
UPSTREAM_PORT=18101
FIRST_PROXY_PORT=18110   # one port per configuration from here on
LUA_SCRIPT=$ROOT/bench/lua/flow.lua
# Every request (plain runs too) takes the script's matching branch: tenant header and path.
REQUEST_PATH=/orders/42
TENANT_HEADER='X-Tenant: pfb'
# Exactly 100 bytes.
BODY='luagate bench: a fixed 100-byte response body, served by nginx as the upstream of both proxies. OK!!'

[[ "$ROUNDS" =~ ^[1-9][0-9]*$ ]] || die "ROUNDS must be a positive integer (got '$ROUNDS')"
for p in $PROXIES; do
  [[ "$p" == haproxy || "$p" == luagate ]] || die "PROXIES may only name haproxy and luagate (got '$p')"
done
for t in $THREADS; do
  [[ "$t" =~ ^[1-9][0-9]*$ ]] || die "THREADS must list positive integers (got '$t')"
done
for m in $LUA_MODES; do
  [[ "$m" == per-thread || "$m" == load ]] || die "LUA_MODES may only name per-thread and load (got '$m')"
done
is_num "$BAR_US" || die "BAR_US must be a number (got '$BAR_US')"
is_num "$FLAT_TOLERANCE_US" || die "FLAT_TOLERANCE_US must be a number (got '$FLAT_TOLERANCE_US')"
[[ -r "$LUA_SCRIPT" ]] || die "$LUA_SCRIPT not found"
want() { [[ " $PROXIES " == *" $1 "* ]]; }

# ---------------------------------------------------------------------------------------------
# 1. Tools
# ---------------------------------------------------------------------------------------------
bench_tools
if want haproxy; then
  HAPROXY_LUA=$("$HAPROXY" -vv 2>&1 | sed -n 's/^Built with Lua version : //p' | head -1)
  [[ "$HAPROXY_LUA" =~ ^Lua\ 5\.[3-9] ]] \
    || die "$HAPROXY was not built with Lua 5.3 or newer (haproxy -vv: '${HAPROXY_LUA:-no Lua}')"
  log "haproxy Lua: $HAPROXY_LUA"
fi

if [[ "$PIN" == 1 && "$NCPU" -ge 2 ]] && command -v taskset >/dev/null; then
  ON_LOAD_CPU=(taskset -c "$LOAD_CPU")
  log "pinning: 1-thread proxies on CPU $PROXY_CPU, multi-thread proxies on CPUs $MULTI_CPUS; wrk and nginx on CPU $LOAD_CPU ($NCPU CPUs)"
else
  PIN=0
  ON_LOAD_CPU=()
  log "not pinning ($NCPU CPUs)"
fi
on_proxy_cpus() { # threads -> the command prefix that pins a proxy with that many threads
  if [[ "$PIN" != 1 ]]; then return 0; fi
  if (($1 == 1)); then echo "taskset -c $PROXY_CPU"; else echo "taskset -c $MULTI_CPUS"; fi
}

if want luagate; then
  bench_use_luagate
fi

# ---------------------------------------------------------------------------------------------
# 2. The configurations: proxy x threads x (plain + each Lua mode), in the order of every round
# ---------------------------------------------------------------------------------------------
CONFIGS=()
declare -A C_PROXY=() C_THREADS=() C_MODE=() C_PORT=()
port=$FIRST_PROXY_PORT
for t in $THREADS; do
  for p in haproxy luagate; do
    want "$p" || continue
    for m in plain $LUA_MODES; do
      c="$p-t$t-$m"
      CONFIGS+=("$c")
      C_PROXY[$c]=$p
      C_THREADS[$c]=$t
      C_MODE[$c]=$m
      C_PORT[$c]=$port
      port=$((port + 1))
    done
  done
done
label() { # config -> what the report calls it
  local c=$1
  case "${C_PROXY[$c]}:${C_MODE[$c]}" in
    haproxy:plain) echo "haproxy" ;;
    haproxy:load) echo "haproxy lua-load" ;;
    haproxy:per-thread) echo "haproxy lua-load-per-thread" ;;
    luagate:plain) echo "luagate" ;;
    luagate:load) echo "luagate lua.load" ;;
    luagate:per-thread) echo "luagate lua.load-per-thread" ;;
  esac
}

bench_start_tmp
bench_maxconn
bench_warn_if_busy

require_free "$UPSTREAM_PORT"
for c in "${CONFIGS[@]}"; do require_free "${C_PORT[$c]}"; done

# ---------------------------------------------------------------------------------------------
# 3. Upstream: nginx as in proxy-vs-haproxy.sh, plus /orders/check, which answers with the X-Flow
#    header it received. Idle keep-alive connections are kept for an hour: a proxy frozen while
#    the others run finds its pooled upstream connections still open when it resumes.
# ---------------------------------------------------------------------------------------------
bench_start_nginx "    keepalive_timeout 3600s;
    location = /orders/check {
      default_type text/plain;
      return 200 \"x-flow: \$http_x_flow\";
    }
" "${ON_LOAD_CPU[@]}"

# ---------------------------------------------------------------------------------------------
# 4. The proxies, every configuration its own process
# ---------------------------------------------------------------------------------------------
haproxy_cfg() { # config -> haproxy.cfg text
  local c=$1 lua_global="" lua_rules=""
  case "${C_MODE[$c]}" in
    load) lua_global="    lua-load $LUA_SCRIPT" ;;
    per-thread) lua_global="    lua-load-per-thread $LUA_SCRIPT" ;;
  esac
  if [[ "${C_MODE[$c]}" != plain ]]; then
    lua_rules="    http-request set-var(req.flow) lua.flow_type
    http-request lua.add_flow_header"
  fi
  cat <<EOF
global
    nbthread ${C_THREADS[$c]}
    maxconn $MAXCONN
$lua_global

$(bench_haproxy_defaults)

frontend bench
    bind $HOST:${C_PORT[$c]}
$lua_rules
    default_backend upstream

backend upstream
    balance roundrobin
    server nginx $HOST:$UPSTREAM_PORT
EOF
}
luagate_conf() { # config -> luagate.conf text
  local c=$1 lua_section="" lua_rules=""
  case "${C_MODE[$c]}" in
    load) lua_section="lua { load = [ \"$LUA_SCRIPT\" ] }" ;;
    per-thread) lua_section="lua { load-per-thread = [ \"$LUA_SCRIPT\" ] }" ;;
  esac
  if [[ "${C_MODE[$c]}" != plain ]]; then
    lua_rules='  http-request = [ "set-var(req.flow) lua.flow_type", "lua.add_flow_header" ]'
  fi
  cat <<EOF
global { threads = ${C_THREADS[$c]}, maxconn = $MAXCONN, grace = 1s }
log { target = none }
$lua_section
frontends.bench {
  bind = [ "$HOST:${C_PORT[$c]}" ]
  mode = http
$lua_rules
  default-backend = upstream
}
backends.upstream {
  balance = roundrobin
  http-reuse = always
  servers { nginx = "$HOST:$UPSTREAM_PORT" }
}
EOF
}
# Proves the Lua ran (or, plain, that nothing set the header): the fetch must have classified the
# request as "pfb" and the action must have sent that to the upstream as X-Flow.
check_flow() { # config
  local c=$1 want_flow="pfb" got
  [[ "${C_MODE[$c]}" == plain ]] && want_flow=""
  got=$(curl -sS --max-time 5 -H "$TENANT_HEADER" "http://$HOST:${C_PORT[$c]}/orders/check" 2>&1) \
    || die "$c: request to /orders/check failed: $got"
  [[ "$got" == "x-flow: $want_flow" ]] || die "$c: the upstream saw '${got:0:200}', expected 'x-flow: $want_flow'"
}

for c in "${CONFIGS[@]}"; do
  read -r -a pin <<<"$(on_proxy_cpus "${C_THREADS[$c]}")"
  if [[ "${C_PROXY[$c]}" == haproxy ]]; then
    haproxy_cfg "$c" >"$TMP/$c.cfg"
    bench_start_haproxy "$c" "${C_PORT[$c]}" "$TMP/$c.cfg" "${pin[@]}"
  else
    luagate_conf "$c" >"$TMP/$c.conf"
    bench_start_luagate "$c" "${C_PORT[$c]}" "$TMP/$c.conf" "${pin[@]}"
  fi
  check_flow "$c"
  # Frozen until its turn, so that the next ones start on a quiet machine.
  if [[ "$ISOLATE" == 1 ]]; then kill -STOP "${PROC_PID[$c]}"; fi
done

# ---------------------------------------------------------------------------------------------
# 5./6. Load: warm-up, then measured rounds going through every configuration in turn
# ---------------------------------------------------------------------------------------------
run_wrk() { # config duration outfile
  "${ON_LOAD_CPU[@]}" "$WRK" -t1 -c"$CONNECTIONS" -d"$2" --latency -H "$TENANT_HEADER" \
    "http://$HOST:${C_PORT[$1]}$REQUEST_PATH" >"$3" 2>&1 \
    || die "wrk against $1 failed: $(tail -n 5 "$3")"
}
activate() { bench_activate "$1" "${CONFIGS[@]}"; }

for c in "${CONFIGS[@]}"; do
  w=$([[ ${C_PROXY[$c]} == luagate ]] && echo "$WARMUP" || echo "$HAPROXY_WARMUP")
  log "warm-up $c for $w"
  activate "$c"
  run_wrk "$c" "$w" "$TMP/wrk-$c-warmup.txt"
done

RESULTS=()   # "config round rps p99ms cpu_us_per_req requests errors"; n/a where a round served nothing
for ((r = 1; r <= ROUNDS; r++)); do
  for c in "${CONFIGS[@]}"; do
    out="$TMP/wrk-$c-$r.txt"
    activate "$c"
    bench_measure "$c round $r" "${PROC_PID[$c]}" "$out" run_wrk "$c" "$DURATION" "$out"
    RESULTS+=("$c $r $M_RPS $M_P99MS $M_CPU_US $M_REQUESTS $M_ERRORS")
    log "$c round $r: $M_RPS req/s, p99 ${M_P99:-?}, $M_CPU_US CPU us/req ($M_REQUESTS requests, $M_TICKS ticks, $M_ERRORS errors)"
    ((M_ERRORS == 0)) || log "WARNING: $c round $r had $M_ERRORS non-2xx responses or socket errors (wrk counts a request over 2 s as a timeout)"
    ((M_REQUESTS > 0)) || log "WARNING: $c served no request in round $r"
  done
done

# ---------------------------------------------------------------------------------------------
# 7. Report
# ---------------------------------------------------------------------------------------------
minus() { # a b -> a-b with two decimals (signed), or n/a
  if is_num "$1" && is_num "$2"; then awk -v a="$1" -v b="$2" 'BEGIN {printf "%+.2f", a - b}'; else printf 'n/a'; fi
}
commit=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)

echo
echo "$(date -u '+%Y-%m-%d %H:%M UTC'), commit $commit, $NCPU CPUs ($(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1))."
echo "wrk -t1 -c$CONNECTIONS -d$DURATION --latency -H '$TENANT_HEADER' $REQUEST_PATH, $ROUNDS rounds, every configuration once per round in"
echo "the order below; upstream nginx, ${#BODY}-byte body; Lua: bench/lua/flow.lua (http-request set-var(req.flow) lua.flow_type,"
echo "http-request lua.add_flow_header)."
want haproxy && echo "$("$HAPROXY" -v | head -1 | cut -d' ' -f1-3) with $HAPROXY_LUA, http-reuse always, no logging;"
want luagate && echo "luagate http-reuse always, log.target = none, Java $(java_major "$JAVA_HOME"), JAVA_OPTS=\"$JAVA_OPTS\";"
if [[ "$PIN" == 1 ]]; then
  echo -n "1-thread proxies on CPU $PROXY_CPU, multi-thread proxies on CPUs $MULTI_CPUS, wrk + nginx on CPU $LOAD_CPU"
else
  echo -n "nothing pinned"
fi
[[ "$ISOLATE" == 1 ]] && echo -n "; every proxy not measured is SIGSTOPped"
echo "."
echo
echo "| config | threads | round | req/s | p99 (ms) | CPU us/req | errors |"
echo "|---|---:|---:|---:|---:|---:|---:|"
for line in "${RESULTS[@]}"; do
  read -r -a f <<<"$line"
  echo "| $(label "${f[0]}") | ${C_THREADS[${f[0]}]} | ${f[1]} | $(fmt %.0f "${f[2]}") | $(fmt %.3f "${f[3]}") | $(fmt %.2f "${f[4]}") | ${f[6]} |"
done
echo
echo "Median over rounds; \"Lua adds\" is the config's median CPU us/req minus that of the same proxy's"
echo "plain run at the same thread count:"
echo
echo "| config | threads | req/s | p99 (ms) | CPU us/req | Lua adds (us/req) |"
echo "|---|---:|---:|---:|---:|---:|"
declare -A MED_CPU=() ADDED=()
for c in "${CONFIGS[@]}"; do
  MED_CPU[$c]=$(col "$c" 4 | median)
done
for c in "${CONFIGS[@]}"; do
  base="${C_PROXY[$c]}-t${C_THREADS[$c]}-plain"
  if [[ "${C_MODE[$c]}" == plain ]]; then
    ADDED[$c]=""
  else
    ADDED[$c]=$(minus "${MED_CPU[$c]}" "${MED_CPU[$base]}")
  fi
  echo "| $(label "$c") | ${C_THREADS[$c]} | $(fmt %.0f "$(col "$c" 2 | median)") | $(fmt %.3f "$(col "$c" 3 | median)") | $(fmt %.2f "${MED_CPU[$c]}") | ${ADDED[$c]:--} |"
done

# Per round: a Lua round minus (or over) the round measured next to it in time, so that the
# machine's drift from round to round (several us here) cancels out; then the median over rounds.
paired() { # diff|ratio config-a config-b -> median over rounds of a-b or a/b of CPU us/req, or n/a
  paste -d' ' <(col "$2" 4) <(col "$3" 4) \
    | awk -v op="$1" '$1 ~ /^[0-9.]+$/ && $2 ~ /^[0-9.]+$/ && $2 > 0 {printf "%.4f\n", (op == "diff" ? $1 - $2 : $1 / $2)}' \
    | sort -g | awk -v op="$1" '{v[NR] = $1} END {
        if (NR == 0) { print "n/a"; exit }
        m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
        f = (op == "diff") ? "%+.2f" : "%.2f"; printf f, m }'
}
echo
echo "Medians of per-round figures: what Lua adds (each Lua round minus the same proxy's plain round"
echo "at the same thread count, measured just before it), and luagate's CPU us/req over HAProxy's in"
echo "the same mode (each round over HAProxy's round in that mode):"
echo
echo "| config | threads | Lua adds, per round (us/req) | luagate / HAProxy, per round |"
echo "|---|---:|---:|---:|"
declare -A ADDED_PR=() LEAD=()
for c in "${CONFIGS[@]}"; do
  base="${C_PROXY[$c]}-t${C_THREADS[$c]}-plain"
  other="haproxy-t${C_THREADS[$c]}-${C_MODE[$c]}"
  [[ "${C_MODE[$c]}" == plain ]] || ADDED_PR[$c]=$(paired diff "$c" "$base")
  if [[ "${C_PROXY[$c]}" == luagate ]] && want haproxy; then LEAD[$c]=$(paired ratio "$c" "$other"); fi
  echo "| $(label "$c") | ${C_THREADS[$c]} | ${ADDED_PR[$c]:--} | ${LEAD[$c]:--} |"
done

# Issue 14's bars: luagate's Lua adds at most BAR_US (4) us per request (the Lua issue had 10),
# in per-thread mode no more at 2 event loops than at 1, and luagate with Lua keeps its lead
# over HAProxy with Lua (under 1x its CPU per request).
if want luagate && [[ " $LUA_MODES " == *" per-thread "* ]]; then
  echo
  one=${ADDED[luagate-t1-per-thread]:-n/a}
  two=${ADDED[luagate-t2-per-thread]:-n/a}
  for m in $LUA_MODES; do
    for t in $THREADS; do
      a=${ADDED[luagate-t$t-$m]}
      h=${ADDED[haproxy-t$t-$m]:-n/a}
      if [[ "$a" == n/a ]]; then v=n/a; elif awk -v a="$a" -v bar="$BAR_US" 'BEGIN {exit !(a <= bar)}'; then v=met; else v=MISSED; fi
      echo "bar (<= $BAR_US us): $(label "luagate-t$t-$m"), $t thread(s): adds $a us (per round ${ADDED_PR[luagate-t$t-$m]:-n/a}; HAProxy: $h us): $v"
      l=${LEAD[luagate-t$t-$m]:-n/a}
      if [[ "$l" == n/a ]]; then v=n/a; elif awk -v l="$l" 'BEGIN {exit !(l < 1)}'; then v=kept; else v=LOST; fi
      want haproxy && echo "lead: $(label "luagate-t$t-$m"), $t thread(s): ${l}x the CPU us/req of $(label "haproxy-t$t-$m") (median of per-round ratios): $v"
    done
  done
  if [[ -n "${ADDED[luagate-t1-per-thread]+x}" && -n "${ADDED[luagate-t2-per-thread]+x}" ]]; then
    if [[ "$one" == n/a || "$two" == n/a ]]; then
      v=n/a
    elif awk -v a="$one" -v b="$two" -v tol="$FLAT_TOLERANCE_US" 'BEGIN {exit !(b - a <= tol)}'; then
      v=met
    else
      v=MISSED
    fi
    echo "bar (flat from 1 to 2 event loops, within $FLAT_TOLERANCE_US us): luagate lua.load-per-thread adds $one us at 1, $two us at 2: $v"
  fi
fi
