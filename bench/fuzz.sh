#!/usr/bin/env bash
# Runs luagate's Jazzer fuzz targets in fuzzing mode, one after another, each for a duration.
# Usage: bench/fuzz.sh [DURATION] [TARGET...]
#   DURATION  per target, Jazzer's syntax (30s, 5m, 1h); default 5m
#   TARGET    any of: rules settings http-requests http-responses http2-frames lua-api (default: all)
# Findings (crash-*, timeout-*) land in the target's inputs directory under src/test/resources,
# where `./mvnw verify` replays them from then on; the corpus Jazzer grows is kept in each
# module's .cifuzz-corpus/ (not committed) and resumed by the next run. See bench/README.md.
set -euo pipefail
cd "$(dirname "$0")/.."

log() { printf '[fuzz] %s\n' "$*" >&2; }
die() { printf '[fuzz] ERROR: %s\n' "$*" >&2; exit 1; }

DURATION=${1:-5m}
[[ "$DURATION" =~ ^[0-9]+[smhd]?$ ]] || die "duration '$DURATION' is not like 30s, 5m, 1h"
shift || true

# target -> module, test class#method, classes worth coverage feedback
declare -A MODULE=(
  [rules]=kernel [settings]=kernel
  [http-requests]=plugins/http [http-responses]=plugins/http [http2-frames]=plugins/http
  [lua-api]=plugins/lua)
declare -A TEST=(
  [rules]='RuleCompilerFuzzTest#rules' [settings]='SettingsFuzzTest#settings'
  [http-requests]='Http1FuzzTest#requests' [http-responses]='Http1FuzzTest#responses'
  [http2-frames]='Http2FuzzTest#frames'
  [lua-api]='LuaApiFuzzTest#calls')
declare -A INCLUDES=(
  [rules]='io.luagate.**' [settings]='io.luagate.**:com.typesafe.config.**'
  [http-requests]='io.luagate.**:io.netty.handler.codec.http.**'
  [http-responses]='io.luagate.**:io.netty.handler.codec.http.**'
  [http2-frames]='io.luagate.**:io.netty.handler.codec.http2.**'
  [lua-api]='io.luagate.**:org.luaj.vm2.**')
ALL=(rules settings http-requests http-responses http2-frames lua-api)
TARGETS=("${@:-${ALL[@]}}")
for t in "${TARGETS[@]}"; do [[ -n "${MODULE[$t]:-}" ]] || die "unknown target '$t' (known: ${ALL[*]})"; done

# A JDK >= 21 (the build's own requirement).
if [[ -z "${JAVA_HOME:-}" ]]; then
  for dir in /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/*; do
    if [[ -x "$dir/bin/javac" ]] && "$dir/bin/java" -version 2>&1 | grep -qE 'version "(2[1-9]|[3-9][0-9])'; then
      export JAVA_HOME=$dir; break
    fi
  done
fi
[[ -n "${JAVA_HOME:-}" ]] || die "no JDK >= 21 found; set JAVA_HOME"
export PATH="$JAVA_HOME/bin:$PATH"

# Several engineers share one machine: take the build lock when there is one.
MVN=(./mvnw -B -q)
if [[ -e /tmp/mvn.lock ]] && command -v flock >/dev/null; then MVN=(flock /tmp/mvn.lock "${MVN[@]}"); fi
[[ -n "${MAVEN_OFFLINE:-}" ]] && MVN+=(-o)

status=0
for t in "${TARGETS[@]}"; do
  log "$t: fuzzing ${TEST[$t]} in ${MODULE[$t]} for $DURATION"
  out=$(mktemp "/tmp/fuzz-$t.XXXXXX.log")
  if JAZZER_FUZZ=1 JAZZER_MAX_DURATION="$DURATION" JAZZER_INSTRUMENTATION_INCLUDES="${INCLUDES[$t]}" \
      "${MVN[@]}" verify -pl "${MODULE[$t]}" -am -DskipITs -Dsurefire.failIfNoSpecifiedTests=false \
      -Dtest="${TEST[$t]}" -Djazzer.max_duration="$DURATION" >"$out" 2>&1; then
    log "$t: no finding ($(grep -aoE '#[0-9]+[[:space:]]+DONE[^$]*' "$out" | tail -1 || true))"
  else
    status=1
    log "$t: FINDING or failure; see $out and the inputs directory of ${TEST[$t]%#*}"
    grep -aE '== Java Exception|FuzzTestFinding|Caused by|AssertionFailedError|crash-|timeout-' "$out" | head -20 >&2 || true
  fi
  log "$t: libFuzzer's last stats: $(grep -aE '^#[0-9]+' "$out" | tail -1 || true)"
done
exit $status
