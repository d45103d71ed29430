/** Sample expressions ({@code fetch[,conv(args)]...}) and the registries of fetches and converters. */
package io.luagate.kernel.rule.sample;
