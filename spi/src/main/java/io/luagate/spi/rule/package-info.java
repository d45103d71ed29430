/** The rule vocabulary: compiled actions run by codecs on each transaction. */
package io.luagate.spi.rule;
