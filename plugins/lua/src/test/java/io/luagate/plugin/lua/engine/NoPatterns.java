package io.luagate.plugin.lua.engine;

import io.luagate.spi.pattern.MatchTable;
import io.luagate.spi.pattern.PatternFiles;

/** A configuration without map or ACL files, for engine tests whose scripts use none. */
public final class NoPatterns implements PatternFiles {

    @Override
    public MatchTable map(String file, String method) {
        throw new IllegalArgumentException("no maps here");
    }

    @Override
    public MatchTable loadedMap(String file, String method) {
        throw new IllegalArgumentException("no maps here");
    }

    @Override
    public void setMap(String file, String key, String value) {
        throw new IllegalArgumentException("no maps here");
    }

    @Override
    public void delMap(String file, String key) {
        throw new IllegalArgumentException("no maps here");
    }

    @Override
    public void addAcl(String file, String pattern) {
        throw new IllegalArgumentException("no acls here");
    }

    @Override
    public void delAcl(String file, String pattern) {
        throw new IllegalArgumentException("no acls here");
    }
}
