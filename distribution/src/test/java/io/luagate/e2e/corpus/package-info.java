/**
 * The HAProxy 2.6 differential corpus: reads cases, runs them against a target (the real HAProxy
 * to record, luagate to check) with test upstreams and a raw-socket client, and writes what the
 * client saw in a normalised text form (see distribution/src/test/corpus/README.md).
 */
package io.luagate.e2e.corpus;
