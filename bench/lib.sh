# shellcheck shell=bash disable=SC2034 # (SC2034: the variables set here are read by the scripts that source this file)
# Shell functions shared by the side-by-side benchmarks (proxy-vs-haproxy.sh, lua-vs-haproxy.sh).
# Sourced, not run. The caller sets `set -euo pipefail` and these variables before using them:
#   HOST, BODY (the upstream's fixed response body), CONNECTIONS, KEEP_TMP, ISOLATE,
#   LUAGATE_HOME (for bench_use_luagate), UPSTREAM_PORT (for bench_start_nginx).
# See bench/README.md.

log() { printf '[bench] %s\n' "$*" >&2; }
die() { printf '[bench] ERROR: %s\n' "$*" >&2; exit 1; }
is_num() { [[ "$1" =~ ^[0-9]+([.][0-9]+)?$ ]]; }

# ---------------------------------------------------------------------------------------------
# Tools
# ---------------------------------------------------------------------------------------------
# Installs haproxy, wrk and nginx when missing; sets NGINX, HAPROXY and WRK.
bench_tools() {
  local missing=()
  command -v haproxy >/dev/null || missing+=(haproxy)
  command -v wrk >/dev/null || missing+=(wrk)
  if ! command -v nginx >/dev/null && [[ ! -x /usr/sbin/nginx ]]; then missing+=(nginx-light); fi
  if ((${#missing[@]} > 0)); then
    [[ $(id -u) == 0 ]] || die "missing ${missing[*]}; run as root or install them first"
    log "installing ${missing[*]} (apt-get)"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    if ! apt-get install -y -qq "${missing[@]}" >/dev/null; then
      # nginx-light is gone from newer Debian releases; plain nginx serves as well.
      missing=("${missing[@]/nginx-light/nginx}")
      apt-get install -y -qq "${missing[@]}" >/dev/null || die "apt-get install ${missing[*]} failed"
    fi
  fi
  NGINX=$(command -v nginx || echo /usr/sbin/nginx)
  HAPROXY=$(command -v haproxy)
  WRK=$(command -v wrk)
  log "$("$HAPROXY" -v | head -1)"
  log "$("$NGINX" -v 2>&1)"
}

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
# Checks the distribution, picks the JDK, exports JAVA_HOME and JAVA_OPTS for bin/luagate.
bench_use_luagate() {
  [[ -x "$LUAGATE_HOME/bin/luagate" ]] \
    || die "$LUAGATE_HOME/bin/luagate not found: build the distribution first, set LUAGATE_HOME, or run with PROXIES=haproxy"
  JAVA_HOME=$(pick_java)
  export JAVA_HOME JAVA_OPTS
  log "luagate: $LUAGATE_HOME, JAVA_HOME=$JAVA_HOME (Java $(java_major "$JAVA_HOME")), JAVA_OPTS=$JAVA_OPTS"
}

# ---------------------------------------------------------------------------------------------
# Processes and cleanup
# ---------------------------------------------------------------------------------------------
# Makes the temp dir TMP and installs the exit trap that stops every process in PIDS.
bench_start_tmp() {
  TMP=$(mktemp -d /tmp/luagate-bench.XXXXXX)
  PIDS=()       # processes we started, stopped in reverse order on exit
  declare -gA PROC_PID=() LOGF=() SAFEPOINT_LOG=()
  trap cleanup EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
}
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

# With ISOLATE=1, freezes (SIGSTOP) every proxy named after the first argument and resumes the
# first, so that nothing the others do in the background (a JVM's GC or JIT, timers) takes CPU
# from the one measured.
bench_activate() { # name-to-run other-names...
  local run=$1 q
  shift
  [[ "$ISOLATE" == 1 ]] || return 0
  for q in "$@"; do
    if [[ "$q" != "$run" ]]; then kill -STOP "${PROC_PID[$q]}"; fi
  done
  kill -CONT "${PROC_PID[$run]}"
}

# maxconn for the proxies: 100000 where the open-files limit allows (HAProxy refuses to start
# when it cannot raise RLIMIT_NOFILE to about 2 x maxconn), else what fits. Sets MAXCONN.
bench_maxconn() {
  local nofile
  nofile=$(ulimit -Hn)
  if [[ "$nofile" != unlimited ]]; then ulimit -Sn "$nofile" 2>/dev/null || true; fi
  MAXCONN=100000
  if [[ "$nofile" != unlimited ]] && ((nofile < 2 * MAXCONN + 1000)); then
    MAXCONN=$(((nofile - 1000) / 2))
    ((MAXCONN >= 4 * CONNECTIONS)) || die "open-files limit $nofile is too low"
    log "open-files hard limit is $nofile: maxconn = $MAXCONN for both proxies"
  fi
}

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
bench_warn_if_busy() {
  local busy
  busy=$(cpu_busy_pct)
  if ((busy > 10)); then
    log "WARNING: the CPUs are already ${busy}% busy before the benchmark starts; results will be noisy"
  fi
}

# ---------------------------------------------------------------------------------------------
# Upstream and proxies
# ---------------------------------------------------------------------------------------------
# nginx, one worker, keep-alive, BODY for every path; $1 is more directives for the server block
# (each line indented and ending with a newline; "" for none). The rest of the arguments prefix
# the command (taskset ...).
bench_start_nginx() { # extra-server-directives [command-prefix...]
  local extra=$1 nginx_temp_paths="" t
  shift
  mkdir -p "$TMP/nginx"
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
$extra  }
}
EOF
  "$NGINX" -t -q -e "$TMP/nginx.log" -c "$TMP/nginx.conf" -p "$TMP/nginx/" || die "nginx config test failed"
  LOGF[nginx]=$TMP/nginx.log
  "$@" "$NGINX" -e "$TMP/nginx.log" -c "$TMP/nginx.conf" -p "$TMP/nginx/" >"$TMP/nginx-stdout.log" 2>&1 &
  PROC_PID[nginx]=$!
  PIDS+=("$!")
  wait_port nginx "${PROC_PID[nginx]}" "$UPSTREAM_PORT" 10
  check_body nginx "$UPSTREAM_PORT"
  log "nginx upstream on $HOST:$UPSTREAM_PORT (pid ${PROC_PID[nginx]})"
}

# The `defaults` section of HAProxy in the proxying comparisons (proxy-vs-haproxy, h2-vs-haproxy,
# lua-vs-haproxy, syscalls): keep-alive on both sides, server connections always reused, no
# timeout a benchmark run could reach.
bench_haproxy_defaults() {
  cat <<'EOF'
defaults
    mode http
    option http-keep-alive
    http-reuse always
    timeout connect 5s
    timeout client 30s
    timeout server 30s
    timeout http-request 10s
    timeout http-keep-alive 5s
EOF
}

# Starts HAProxy with the config file cfg (checked first), logging to $TMP/<name>.log.
bench_start_haproxy() { # name port cfg [command-prefix...]
  local name=$1 port=$2 cfg=$3
  shift 3
  "$HAPROXY" -c -q -f "$cfg" >"$TMP/$name.log" 2>&1 || die "$name config check failed"
  LOGF[$name]=$TMP/$name.log
  "$@" "$HAPROXY" -db -f "$cfg" >>"$TMP/$name.log" 2>&1 &
  PROC_PID[$name]=$!
  PIDS+=("$!")
  wait_port "$name" "${PROC_PID[$name]}" "$port" 10
  check_body "$name" "$port"
  log "$name on $HOST:$port (pid ${PROC_PID[$name]})"
}

# Starts luagate (bin/luagate run -c conf), logging to $TMP/<name>.log; PROC_PID[name] is the JVM.
# With PAUSES=1 the JVM also logs its safepoints (GC pauses and every other stop of all Java
# threads) to $TMP/<name>-safepoint.log, which bench_measure reads per round.
bench_start_luagate() { # name port conf [command-prefix...]
  local name=$1 port=$2 conf=$3 launcher opts=$JAVA_OPTS
  shift 3
  LOGF[$name]=$TMP/$name.log
  if [[ "${PAUSES:-0}" == 1 ]]; then
    JAVA_OPTS="$JAVA_OPTS -Xlog:safepoint=info:file=$TMP/$name-safepoint.log:uptimenanos"
  fi
  "$@" "$LUAGATE_HOME/bin/luagate" run -c "$conf" >"$TMP/$name.log" 2>&1 &
  launcher=$!
  JAVA_OPTS=$opts
  PIDS+=("$launcher")
  wait_port "$name" "$launcher" "$port" 60
  PROC_PID[$name]=$(java_pid_under "$launcher") || die "no java process found under luagate launcher pid $launcher"
  [[ "${PROC_PID[$name]}" == "$launcher" ]] || PIDS+=("${PROC_PID[$name]}")
  if [[ "${PAUSES:-0}" == 1 ]]; then SAFEPOINT_LOG[${PROC_PID[$name]}]=$TMP/$name-safepoint.log; fi
  check_body "$name" "$port"
  log "$name on $HOST:$port (java pid ${PROC_PID[$name]})"
}

# ---------------------------------------------------------------------------------------------
# Measuring
# ---------------------------------------------------------------------------------------------
to_ms() { # wrk duration (e.g. 812.00us, 1.23ms, 1.01s, 2.00m) -> milliseconds
  awk -v d="$1" 'BEGIN {
    if (match(d, /^[0-9.]+/)) { n = substr(d, 1, RLENGTH); u = substr(d, RLENGTH + 1) } else { print "NaN"; exit }
    f = (u == "us") ? 0.001 : (u == "ms") ? 1 : (u == "s") ? 1000 : (u == "m") ? 60000 : (u == "h") ? 3600000 : -1
    if (f < 0) print "NaN"; else printf "%.3f", n * f }'
}

# Every thread of a process, one line each: "tid cpu-ticks involuntary-context-switches name".
thread_stats() { # pid
  local t stat rest nv
  for t in /proc/"$1"/task/*; do
    stat=$(<"$t/stat") 2>/dev/null || continue
    rest=${stat##*) }
    read -r -a f <<<"$rest"
    nv=$(awk '/^nonvoluntary_ctxt_switches:/{print $2}' "$t/status" 2>/dev/null) || nv=0
    echo "${t##*/} $((f[11] + f[12])) ${nv:-0} $(<"$t/comm")"
  done 2>/dev/null
}

# What happened inside the process during a round, from thread_stats before and after: the
# busiest thread (the event loop under load), how often the kernel took the CPU from it while it
# could run (involuntary context switches: another thread of the process, or anything else, ran on
# its core), and the CPU of all its other threads (JIT compilers, GC, timers). Sets M_TOP (its
# name), M_PREEMPT (its involuntary switches per second) and M_OTHER_US (the other threads' CPU
# per request, us); logs each thread that used CPU.
thread_deltas() { # before-file after-file seconds requests label
  local out
  out=$(awk -v secs="$3" -v n="$4" -v hz="$CLK_TCK" '
    NR == FNR { t0[$1] = $2; c0[$1] = $3; next }
    {
      name = $4; for (i = 5; i <= NF; i++) name = name " " $i
      d = $2 - t0[$1]; nv = $3 - c0[$1]; total += d
      if (d > 0) detail = detail sprintf(" %s=%d", name, d)
      if (d > top) { top = d; topname = name; topnv = nv }
    }
    END {
      gsub(" ", "_", topname)
      printf "%s %.0f %.2f %s\n", (topname == "" ? "n/a" : topname), (secs > 0 ? topnv / secs : 0),
        (n > 0 ? (total - top) / hz * 1e6 / n : 0), detail
    }' "$1" "$2")
  read -r M_TOP M_PREEMPT M_OTHER_US _ <<<"$out"
  log "$5: CPU ticks by thread:${out#* * * }"
}

# The safepoints (stops of every Java thread: GC pauses, deoptimisation, ...) a JVM logged after
# line `from` of its safepoint log: sets M_PAUSES (how many), M_PAUSE_MS (their total time) and
# M_PAUSE_MAX_MS (the longest), n/a without a log.
safepoint_deltas() { # log-file from-line
  if [[ -z "$1" || ! -f "$1" ]]; then M_PAUSES=n/a; M_PAUSE_MS=n/a; M_PAUSE_MAX_MS=n/a; return; fi
  read -r M_PAUSES M_PAUSE_MS M_PAUSE_MAX_MS < <(tail -n +"$(($2 + 1))" "$1" | awk '
    match($0, /Total: [0-9]+ ns/) { t = substr($0, RSTART + 7, RLENGTH - 10) / 1e6; n++; sum += t; if (t > max) max = t }
    END { printf "%d %.2f %.2f\n", n, sum, max }')
}

# One measured round: the process pid's CPU ticks around a load command that writes wrk's output
# (with --latency) to outfile. Sets M_REQUESTS, M_RPS, M_P99 (as wrk prints it), M_P99MS,
# M_ERRORS (non-2xx responses and socket errors), M_TICKS and M_CPU_US (CPU us per request);
# M_P99MS and M_CPU_US are n/a when the round served nothing. Also wrk's other percentiles and
# its maximum (M_P50MS, M_P75MS, M_P90MS, M_MAXMS; M_P999MS where the load's wrk script prints "99.9%"), and what thread_deltas and safepoint_deltas set.
bench_measure() { # label pid outfile load-command...
  local label=$1 pid=$2 out=$3 before after t0 t1 sp_from=0 sp_log
  shift 3
  sp_log=${SAFEPOINT_LOG[$pid]:-}
  if [[ -n "$sp_log" && -f "$sp_log" ]]; then sp_from=$(wc -l <"$sp_log"); fi
  thread_stats "$pid" >"$TMP/threads-before"
  t0=$(date +%s.%N)
  before=$(cpu_ticks "$pid")
  "$@"
  after=$(cpu_ticks "$pid")
  t1=$(date +%s.%N)
  thread_stats "$pid" >"$TMP/threads-after"
  M_TICKS=$((after - before))
  M_REQUESTS=$(awk '/ requests in /{print $1; exit}' "$out")
  M_RPS=$(awk '/^Requests\/sec:/{print $2; exit}' "$out")
  M_P99=$(awk '$1 == "99%" {print $2; exit}' "$out")
  { [[ "$M_REQUESTS" =~ ^[0-9]+$ ]] && is_num "$M_RPS"; } || die "could not parse wrk output for $label: $(cat "$out")"
  M_ERRORS=$(awk '/Non-2xx or 3xx responses:/{n += $NF} /Socket errors:/{gsub(",", ""); n += $4 + $6 + $8 + $10} END {print n + 0}' "$out")
  thread_deltas "$TMP/threads-before" "$TMP/threads-after" "$(awk -v a="$t0" -v b="$t1" 'BEGIN {print b - a}')" "$M_REQUESTS" "$label"
  safepoint_deltas "$sp_log" "$sp_from"
  if ((M_REQUESTS > 0)); then
    M_CPU_US=$(awk -v a="$before" -v b="$after" -v hz="$CLK_TCK" -v n="$M_REQUESTS" 'BEGIN {printf "%.2f", (b - a) / hz * 1e6 / n}')
    M_P99MS=$(to_ms "$M_P99")
    is_num "$M_P99MS" || M_P99MS=n/a
    M_P50MS=$(to_ms "$(awk '$1 == "50%" {print $2; exit}' "$out")")
    M_P75MS=$(to_ms "$(awk '$1 == "75%" {print $2; exit}' "$out")")
    M_P90MS=$(to_ms "$(awk '$1 == "90%" {print $2; exit}' "$out")")
    M_MAXMS=$(to_ms "$(awk '$1 == "Latency" && NF >= 4 {print $4; exit}' "$out")")
    M_P999MS=$(to_ms "$(awk '$1 == "99.9%" {print $2; exit}' "$out")")
  else
    M_CPU_US=n/a
    M_P99MS=n/a
    M_P50MS=n/a M_P75MS=n/a M_P90MS=n/a M_MAXMS=n/a M_P999MS=n/a
  fi
}

# ---------------------------------------------------------------------------------------------
# Reporting
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
col() { # key column -> the column's values of the RESULTS lines whose first field is key
  local line
  for line in "${RESULTS[@]}"; do
    read -r -a f <<<"$line"
    [[ "${f[0]}" == "$1" ]] && echo "${f[$2]}"
  done
  return 0
}
