package io.luagate.spi.rule;

/** Which of a stream's two proxies declared a rule list or a filter: its frontend, or its backend. */
public enum ProxySide {
    FRONTEND,
    BACKEND
}
