#!/usr/bin/env bash
# Records the real HAProxy 2.6's answers for the corpus cases: writes <name>.recording next to each
# cases/<area>/<name>.case. Usage: record.sh [case-glob], e.g. 'rules-*/*' or '**/set-header*'
# (default: every case). Extra Maven options go in MAVEN_ARGS (e.g. MAVEN_ARGS=-o).
set -euo pipefail
cd "$(dirname "$0")/../../../.."
if [ ! -x /usr/sbin/haproxy ]; then
    sudo=""; [ "$(id -u)" = 0 ] || sudo="sudo"
    $sudo apt-get install -y haproxy
fi
/usr/sbin/haproxy -v | sed -n 1p   # sed reads to the end: no SIGPIPE to trip pipefail
./mvnw -q verify -pl distribution -am -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false \
    -Dit.test=HaproxyCorpusIT -Dfailsafe.failIfNoSpecifiedTests=false \
    -Dcorpus.record=true -Dcorpus.cases="${1:-**}"
git status --short -- distribution/src/test/corpus/cases
