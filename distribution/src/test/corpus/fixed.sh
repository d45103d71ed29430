#!/usr/bin/env bash
# Lists the cases tagged '# differs:' that luagate now answers as HAProxy 2.6 did, so their tags
# can be removed. Usage: fixed.sh [case-glob]. Extra Maven options go in MAVEN_ARGS.
set -uo pipefail
cd "$(dirname "$0")/../../../.."
./mvnw -q verify -pl distribution -am -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false \
    -Dit.test=HaproxyCorpusIT -Dfailsafe.failIfNoSpecifiedTests=false \
    -Dcorpus.cases="${1:-**}" > /dev/null 2>&1
list=distribution/target/corpus/now-passing.txt
if [ -s "$list" ]; then cat "$list"; else echo "no differs-tagged case passes"; fi
