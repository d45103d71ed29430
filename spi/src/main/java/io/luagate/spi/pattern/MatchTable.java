package io.luagate.spi.pattern;

/** A map file loaded with one match method (HAProxy's Lua {@code Map.new(file, method)}). */
public interface MatchTable {

    /** The value of the first entry that matches {@code key}, or {@code null}. */
    String lookup(String key);
}
