/** The built-in rule actions ({@code set-header}, {@code set-var}, {@code return}, {@code redirect}...). */
package io.luagate.kernel.rule.action;
