package io.luagate.kernel.rule.map;

import io.luagate.kernel.rule.map.PatternFiles.Entry;
import io.luagate.kernel.rule.match.MatchMethod;
import io.luagate.kernel.rule.match.Matcher;
import io.luagate.kernel.rule.match.Pattern;
import io.luagate.kernel.rule.match.PatternException;
import io.luagate.kernel.rule.match.Patterns;
import io.luagate.spi.pattern.PatternEntry;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A loaded pattern file ({@code acl ... -f file}), shared by every ACL that names it, and updatable
 * at run time (Lua's {@code core.add_acl}/{@code core.del_acl}, an admin API). Matchers read the
 * current immutable snapshot and never lock.
 *
 * <p>The patterns are checked for a match method when a matcher is made ({@link #matcher}); from
 * then on an added pattern that cannot be read that way is refused ({@link PatternException}).
 */
public final class AclStore {

    private final Path file;
    private final int id;
    final EntryStore store;

    AclStore(Path file, int id, List<Entry> entries) {
        this.file = file;
        this.id = id;
        this.store = new EntryStore(file.toString(), Patterns.Source.ACL_FILE, entries);
    }

    /**
     * Its number, unique among the maps and pattern files of the configuration and given in load
     * order from 0: HAProxy's {@code #<id>} of {@code show map} and {@code show acl}.
     */
    public int id() {
        return id;
    }

    /** The file, absolute and normalized. */
    public Path file() {
        return file;
    }

    /**
     * A live matcher over the patterns: it sees later {@link #add}, {@link #delete} and
     * {@link #clear}.
     *
     * @param ignoreCase HAProxy's {@code -i}
     * @throws PatternException if a pattern cannot be read with this method ({@code file:line})
     */
    public Matcher matcher(MatchMethod method, boolean ignoreCase) throws PatternException {
        int slot = store.prepareIndex(method, ignoreCase);
        return sample -> store.find(store.snapshot(), slot, sample) >= 0;
    }

    /**
     * Lua's {@code core.add_acl}: adds the pattern at the end unless the very same pattern text is
     * already there.
     *
     * @return whether it was added
     * @throws PatternException if a matcher of this file cannot read the pattern; then nothing changes
     */
    public boolean add(String pattern) throws PatternException {
        boolean[] added = {false};
        store.update(entries -> {
            for (Entry e : entries) {
                if (e.pattern().text().equals(pattern)) {
                    return entries;
                }
            }
            List<Entry> updated = new ArrayList<>(entries);
            updated.add(new Entry(new Pattern(pattern, store.runtimeOrigin()), null));
            added[0] = true;
            return updated;
        });
        return added[0];
    }

    /** HAProxy's {@code add acl}: adds the pattern at the end, even when it is there already. */
    public void append(String pattern) throws PatternException {
        store.append(pattern, null);
    }

    /** HAProxy's {@code del acl <acl> #<ref>}; false if no pattern has that ref. */
    public boolean deleteRef(long ref) {
        return store.deleteRef(ref);
    }

    /** The patterns now, in order, with their refs (values {@code null}). */
    public List<PatternEntry> listing() {
        return store.listing();
    }

    /** Lua's {@code core.del_acl}: removes every pattern that is exactly {@code pattern}; false if none. */
    public boolean delete(String pattern) {
        boolean[] found = {false};
        try {
            store.update(entries -> {
                List<Entry> kept = new ArrayList<>(entries.size());
                for (Entry e : entries) {
                    if (e.pattern().text().equals(pattern)) {
                        found[0] = true;
                    } else {
                        kept.add(e);
                    }
                }
                return found[0] ? kept : entries;
            });
        } catch (PatternException e) {
            throw new IllegalStateException("removing patterns cannot make others invalid", e);
        }
        return found[0];
    }

    /** Removes every pattern. */
    public void clear() {
        try {
            store.update(entries -> entries.isEmpty() ? entries : List.of());
        } catch (PatternException e) {
            throw new IllegalStateException("an empty pattern list cannot be invalid", e);
        }
    }

    /** The patterns in order, as of now. */
    public List<String> patterns() {
        List<Entry> entries = store.snapshot().entries;
        List<String> out = new ArrayList<>(entries.size());
        for (Entry e : entries) {
            out.add(e.pattern().text());
        }
        return out;
    }

    public int size() {
        return store.snapshot().entries.size();
    }

    @Override
    public String toString() {
        return "pattern file " + file;
    }
}
