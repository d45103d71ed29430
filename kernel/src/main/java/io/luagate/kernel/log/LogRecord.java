package io.luagate.kernel.log;

/** A finished stream as the access log sees it: formats its own line on the writer thread. */
public interface LogRecord {

    /** Appends this record's line, without the line feed. */
    void format(StringBuilder out);
}
