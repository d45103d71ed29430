/** How plugins add fetches, converters, actions and services to the rule language. */
package io.luagate.spi.vocabulary;
