/**
 * Fails a test class when Netty's leak detector reports a ByteBuf leak during it: luagate's own
 * tests and every plugin's testkit tests run with it.
 */
package io.luagate.leakcheck;
