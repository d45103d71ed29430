/** Services that answer clients in place of a server: HTTP ({@code http-request use-service}) and TCP ({@code tcp-request content use-service}). */
package io.luagate.spi.service;
