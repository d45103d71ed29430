/** Sample expressions ({@code fetch(args),conv(args)...}) and log-format strings ({@code text %[expr] text}). */
package io.luagate.kernel.rule.expr;
