/** Plugin configuration sections, read strictly with file:line in every problem. */
package io.luagate.spi.config;
