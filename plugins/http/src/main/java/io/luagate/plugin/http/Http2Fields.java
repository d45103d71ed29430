package io.luagate.plugin.http;

import io.netty.handler.codec.CharSequenceValueConverter;
import io.netty.handler.codec.EmptyHeaders;
import io.netty.handler.codec.Headers;
import io.netty.handler.codec.HeadersUtils;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.util.AsciiString;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * An HTTP/2 field section as name and value pairs in one array, in the order they were appended:
 * a response's head ({@code :status} first) or trailers as {@link Http2StreamBridge} picks them,
 * and, through {@link Http2RequestFields}, a request's fields as HPACK decodes them. What HPACK's
 * encoder, Netty's connection encoder and decoder and the bridge read (the fields in order, a
 * pseudo-header, a name's values) costs here a scan of a handful of pairs, not the hash table,
 * the entry per field and the hash of every name of a {@code DefaultHttp2Headers} (whose copies of
 * the response head and the request's fields were a fifth of the event loop's allocation per
 * request). Look-ups compare names as {@code DefaultHttp2Headers} does (case-sensitive: HTTP/2
 * names are lower-case). Every mutator of {@code Headers} throws, but what a subclass lets through
 * ({@link #append}, {@link #replace}). Netty's {@code ReadOnlyHttp2Headers} is not used: it takes
 * only an exact-size {@code AsciiString[]}, so every {@code String} value would be copied into one.
 * Confined to the connection's loop.
 */
class Http2Fields extends EmptyHeaders<CharSequence, CharSequence, Http2Headers> implements Http2Headers {

    private static final AsciiString STATUS = PseudoHeaderName.STATUS.value();
    /** How a number becomes a value (also {@link Http2RequestFields#setLong}'s). */
    static final CharSequenceValueConverter CONVERTER = CharSequenceValueConverter.INSTANCE;

    /** name, value, name, value, ...: {@link #count} pairs. */
    private CharSequence[] fields;
    private int count;

    /** {@code capacity}: the fields it holds before it grows. */
    Http2Fields(int capacity) {
        fields = new CharSequence[Math.max(1, capacity) << 1];
    }

    /** A head: {@code :status}, then room for {@code fields} more fields. */
    static Http2Fields head(CharSequence status, int fields) {
        Http2Fields head = new Http2Fields(fields + 1);
        head.append(STATUS, status);
        return head;
    }

    /** A trailer section of at most {@code fields} fields. */
    static Http2Fields trailers(int fields) {
        return new Http2Fields(fields);
    }

    /** Adds a field behind the others (while the section is made: it is read-only once handed on). */
    final void append(CharSequence name, CharSequence value) {
        int at = count << 1;
        if (at == fields.length) {
            fields = Arrays.copyOf(fields, at << 1);
        }
        fields[at] = name;
        fields[at + 1] = value;
        count++;
    }

    /**
     * {@code name}'s fields replaced by one with {@code value}, behind all the others: where
     * {@code DefaultHeaders.set} puts it (Netty's decoder sets a request's {@code content-length}
     * that way).
     */
    final void replace(CharSequence name, CharSequence value) {
        int kept = 0;
        for (int i = 0; i < count; i++) {
            CharSequence n = fields[i << 1];
            if (!AsciiString.contentEquals(n, name)) {
                fields[kept << 1] = n;
                fields[(kept << 1) + 1] = value(i);
                kept++;
            }
        }
        Arrays.fill(fields, kept << 1, count << 1, null);
        count = kept;
        append(name, value);
    }

    private int indexOf(CharSequence name, int from) {
        for (int i = from; i < count; i++) {
            if (AsciiString.contentEquals(fields[i << 1], name)) {
                return i;
            }
        }
        return -1;
    }

    private CharSequence value(int i) {
        return fields[(i << 1) + 1];
    }

    // ---- reading ----

    @Override
    public CharSequence get(CharSequence name) {
        int i = indexOf(name, 0);
        return i < 0 ? null : value(i);
    }

    @Override
    public CharSequence get(CharSequence name, CharSequence defaultValue) {
        CharSequence value = get(name);
        return value == null ? defaultValue : value;
    }

    @Override
    public List<CharSequence> getAll(CharSequence name) {
        List<CharSequence> values = new ArrayList<>(2);
        for (int i = indexOf(name, 0); i >= 0; i = indexOf(name, i + 1)) {
            values.add(value(i));
        }
        return values;
    }

    @Override
    public Iterator<CharSequence> valueIterator(CharSequence name) {
        return getAll(name).iterator();
    }

    @Override
    public boolean contains(CharSequence name) {
        return indexOf(name, 0) >= 0;
    }

    @Override
    public boolean contains(CharSequence name, CharSequence value) {
        return contains(name, value, false);
    }

    @Override
    public boolean contains(CharSequence name, CharSequence value, boolean caseInsensitive) {
        for (int i = indexOf(name, 0); i >= 0; i = indexOf(name, i + 1)) {
            if (caseInsensitive ? AsciiString.contentEqualsIgnoreCase(value(i), value)
                    : AsciiString.contentEquals(value(i), value)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public boolean containsObject(CharSequence name, Object value) {
        return contains(name, CONVERTER.convertObject(value));
    }

    @Override
    public boolean containsBoolean(CharSequence name, boolean value) {
        return contains(name, CONVERTER.convertBoolean(value));
    }

    @Override
    public boolean containsByte(CharSequence name, byte value) {
        return contains(name, CONVERTER.convertByte(value));
    }

    @Override
    public boolean containsChar(CharSequence name, char value) {
        return contains(name, CONVERTER.convertChar(value));
    }

    @Override
    public boolean containsShort(CharSequence name, short value) {
        return contains(name, CONVERTER.convertShort(value));
    }

    @Override
    public boolean containsInt(CharSequence name, int value) {
        return contains(name, CONVERTER.convertInt(value));
    }

    @Override
    public boolean containsLong(CharSequence name, long value) {
        return contains(name, CONVERTER.convertLong(value));
    }

    @Override
    public boolean containsFloat(CharSequence name, float value) {
        return contains(name, CONVERTER.convertFloat(value));
    }

    @Override
    public boolean containsDouble(CharSequence name, double value) {
        return contains(name, CONVERTER.convertDouble(value));
    }

    @Override
    public boolean containsTimeMillis(CharSequence name, long value) {
        return contains(name, CONVERTER.convertTimeMillis(value));
    }

    @Override
    public Boolean getBoolean(CharSequence name) {
        CharSequence v = get(name);
        return v == null ? null : CONVERTER.convertToBoolean(v);
    }

    @Override
    public boolean getBoolean(CharSequence name, boolean defaultValue) {
        Boolean v = getBoolean(name);
        return v == null ? defaultValue : v;
    }

    @Override
    public Byte getByte(CharSequence name) {
        CharSequence v = get(name);
        return v == null ? null : CONVERTER.convertToByte(v);
    }

    @Override
    public byte getByte(CharSequence name, byte defaultValue) {
        Byte v = getByte(name);
        return v == null ? defaultValue : v;
    }

    @Override
    public Character getChar(CharSequence name) {
        CharSequence v = get(name);
        return v == null ? null : CONVERTER.convertToChar(v);
    }

    @Override
    public char getChar(CharSequence name, char defaultValue) {
        Character v = getChar(name);
        return v == null ? defaultValue : v;
    }

    @Override
    public Short getShort(CharSequence name) {
        CharSequence v = get(name);
        return v == null ? null : CONVERTER.convertToShort(v);
    }

    @Override
    public short getShort(CharSequence name, short defaultValue) {
        Short v = getShort(name);
        return v == null ? defaultValue : v;
    }

    @Override
    public Integer getInt(CharSequence name) {
        CharSequence v = get(name);
        return v == null ? null : CONVERTER.convertToInt(v);
    }

    @Override
    public int getInt(CharSequence name, int defaultValue) {
        Integer v = getInt(name);
        return v == null ? defaultValue : v;
    }

    @Override
    public Long getLong(CharSequence name) {
        CharSequence v = get(name);
        return v == null ? null : CONVERTER.convertToLong(v);
    }

    @Override
    public long getLong(CharSequence name, long defaultValue) {
        Long v = getLong(name);
        return v == null ? defaultValue : v;
    }

    @Override
    public Float getFloat(CharSequence name) {
        CharSequence v = get(name);
        return v == null ? null : CONVERTER.convertToFloat(v);
    }

    @Override
    public float getFloat(CharSequence name, float defaultValue) {
        Float v = getFloat(name);
        return v == null ? defaultValue : v;
    }

    @Override
    public Double getDouble(CharSequence name) {
        CharSequence v = get(name);
        return v == null ? null : CONVERTER.convertToDouble(v);
    }

    @Override
    public double getDouble(CharSequence name, double defaultValue) {
        Double v = getDouble(name);
        return v == null ? defaultValue : v;
    }

    @Override
    public Long getTimeMillis(CharSequence name) {
        CharSequence v = get(name);
        return v == null ? null : CONVERTER.convertToTimeMillis(v);
    }

    @Override
    public long getTimeMillis(CharSequence name, long defaultValue) {
        Long v = getTimeMillis(name);
        return v == null ? defaultValue : v;
    }

    @Override
    public int size() {
        return count;
    }

    @Override
    public boolean isEmpty() {
        return count == 0;
    }

    @Override
    public Set<CharSequence> names() {
        Set<CharSequence> names = new LinkedHashSet<>();
        for (int i = 0; i < count; i++) {
            names.add(fields[i << 1]);
        }
        return Collections.unmodifiableSet(names);
    }

    @Override
    public Iterator<Map.Entry<CharSequence, CharSequence>> iterator() {
        return new Fields();
    }

    @Override
    public CharSequence status() {
        return get(STATUS);
    }

    @Override
    public CharSequence method() {
        return get(PseudoHeaderName.METHOD.value());
    }

    @Override
    public CharSequence scheme() {
        return get(PseudoHeaderName.SCHEME.value());
    }

    @Override
    public CharSequence authority() {
        return get(PseudoHeaderName.AUTHORITY.value());
    }

    @Override
    public CharSequence path() {
        return get(PseudoHeaderName.PATH.value());
    }

    /** As {@code DefaultHeaders}: the same names, each with the same values in the same order. */
    @Override
    public boolean equals(Object o) {
        if (o == this) {
            return true;
        }
        if (!(o instanceof Headers<?, ?, ?> other) || other.size() != count) {
            return false;
        }
        @SuppressWarnings("unchecked")
        Headers<CharSequence, CharSequence, ?> h = (Headers<CharSequence, CharSequence, ?>) other;
        for (CharSequence name : names()) {
            List<CharSequence> mine = getAll(name);
            List<CharSequence> theirs = h.getAll(name);
            if (mine.size() != theirs.size()) {
                return false;
            }
            for (int i = 0; i < mine.size(); i++) {
                if (!AsciiString.contentEquals(mine.get(i), theirs.get(i))) {
                    return false;
                }
            }
        }
        return true;
    }

    /**
     * As {@link #equals}: per name, its values in order; the names in any order (a sum), and every
     * name and value by its content whatever its type, so that equal sections hash equal. (Not
     * {@code DefaultHeaders}'s figure, which hangs on the names' order and a value's own type.)
     */
    @Override
    public int hashCode() {
        int hash = 0xc2b2ae35;
        for (int i = 0; i < count; i++) {
            CharSequence name = fields[i << 1];
            if (indexOf(name, 0) < i) {
                // Hashed at its first field (names() would not do: a String and an AsciiString of one name are two there).
                continue;
            }
            int one = AsciiString.hashCode(name);
            for (int j = i; j >= 0; j = indexOf(name, j + 1)) {
                one = 31 * one + AsciiString.hashCode(value(j));
            }
            hash += one;
        }
        return hash;
    }

    @Override
    public String toString() {
        return HeadersUtils.toString(getClass(), iterator(), count);
    }

    // ---- read-only: what EmptyHeaders lets pass as a no-op would be a lie here ----

    @Override
    public Http2Headers method(CharSequence value) {
        throw readOnly();
    }

    @Override
    public Http2Headers scheme(CharSequence value) {
        throw readOnly();
    }

    @Override
    public Http2Headers authority(CharSequence value) {
        throw readOnly();
    }

    @Override
    public Http2Headers path(CharSequence value) {
        throw readOnly();
    }

    @Override
    public Http2Headers status(CharSequence value) {
        throw readOnly();
    }

    @Override
    public boolean remove(CharSequence name) {
        throw readOnly();
    }

    @Override
    public Http2Headers clear() {
        throw readOnly();
    }

    @Override
    public CharSequence getAndRemove(CharSequence name) {
        throw readOnly();
    }

    @Override
    public CharSequence getAndRemove(CharSequence name, CharSequence defaultValue) {
        throw readOnly();
    }

    @Override
    public List<CharSequence> getAllAndRemove(CharSequence name) {
        throw readOnly();
    }

    @Override
    public Boolean getBooleanAndRemove(CharSequence name) {
        throw readOnly();
    }

    @Override
    public boolean getBooleanAndRemove(CharSequence name, boolean defaultValue) {
        throw readOnly();
    }

    @Override
    public Byte getByteAndRemove(CharSequence name) {
        throw readOnly();
    }

    @Override
    public byte getByteAndRemove(CharSequence name, byte defaultValue) {
        throw readOnly();
    }

    @Override
    public Character getCharAndRemove(CharSequence name) {
        throw readOnly();
    }

    @Override
    public char getCharAndRemove(CharSequence name, char defaultValue) {
        throw readOnly();
    }

    @Override
    public Short getShortAndRemove(CharSequence name) {
        throw readOnly();
    }

    @Override
    public short getShortAndRemove(CharSequence name, short defaultValue) {
        throw readOnly();
    }

    @Override
    public Integer getIntAndRemove(CharSequence name) {
        throw readOnly();
    }

    @Override
    public int getIntAndRemove(CharSequence name, int defaultValue) {
        throw readOnly();
    }

    @Override
    public Long getLongAndRemove(CharSequence name) {
        throw readOnly();
    }

    @Override
    public long getLongAndRemove(CharSequence name, long defaultValue) {
        throw readOnly();
    }

    @Override
    public Float getFloatAndRemove(CharSequence name) {
        throw readOnly();
    }

    @Override
    public float getFloatAndRemove(CharSequence name, float defaultValue) {
        throw readOnly();
    }

    @Override
    public Double getDoubleAndRemove(CharSequence name) {
        throw readOnly();
    }

    @Override
    public double getDoubleAndRemove(CharSequence name, double defaultValue) {
        throw readOnly();
    }

    @Override
    public Long getTimeMillisAndRemove(CharSequence name) {
        throw readOnly();
    }

    @Override
    public long getTimeMillisAndRemove(CharSequence name, long defaultValue) {
        throw readOnly();
    }

    private static UnsupportedOperationException readOnly() {
        return new UnsupportedOperationException("read only");
    }

    /** The fields in order; the iterator is its own entry (HPACK reads name and value before the next). */
    private final class Fields implements Iterator<Map.Entry<CharSequence, CharSequence>>, Map.Entry<CharSequence, CharSequence> {

        private int next;
        private int current = -1;

        @Override
        public boolean hasNext() {
            return next < count;
        }

        @Override
        public Map.Entry<CharSequence, CharSequence> next() {
            if (next >= count) {
                throw new NoSuchElementException();
            }
            current = next++;
            return this;
        }

        @Override
        public CharSequence getKey() {
            return fields[current << 1];
        }

        @Override
        public CharSequence getValue() {
            return value(current);
        }

        @Override
        public CharSequence setValue(CharSequence value) {
            throw readOnly();
        }

        @Override
        public String toString() {
            return getKey() + "=" + getValue();
        }
    }
}
