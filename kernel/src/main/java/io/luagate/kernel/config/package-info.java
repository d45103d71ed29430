/** Configuration: HOCON loading, strict validation with file:line for every problem, typed settings. */
package io.luagate.kernel.config;
