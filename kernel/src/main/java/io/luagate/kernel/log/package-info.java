/** The access log: formatted and written off the event loops; drops (and counts) rather than wait. */
package io.luagate.kernel.log;
