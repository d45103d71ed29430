package io.luagate.plugin.lua.lib;

import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.lib.VarArgFunction;

/**
 * {@code string.format} with Lua 5.3's option set and C printf's flags, width and precision.
 * LuaJ 3.0.1 ignores width and precision for floats and strings, truncates {@code %d} to 32 bits
 * and refuses non-strings for {@code %s}; header and log building depend on all of these.
 *
 * <p>Runs on every request that builds a header, so the format string is scanned as bytes and
 * plain {@code %s}/{@code %d} append straight into one buffer. No state is kept between calls:
 * {@code %s} may run a {@code __tostring} that calls {@code string.format} again.
 */
final class StringFormat extends VarArgFunction {

    private static final String NAME = "format";

    @Override
    public Varargs invoke(Varargs args) {
        LuaString fmt = LuaArgs.checkString(args, 1, NAME);
        byte[] f = fmt.m_bytes;
        int p = fmt.m_offset;
        int end = p + fmt.m_length;
        int top = args.narg();
        int arg = 1;
        ByteSink out = new ByteSink(fmt.m_length + 16);
        while (p < end) {
            int c = f[p++];
            if (c != '%') {
                out.add(c);
                continue;
            }
            if (p < end && f[p] == '%') {
                out.add('%');
                p++;
                continue;
            }
            if (++arg > top) {
                throw LuaArgs.argError(arg, NAME, "no value");
            }
            // Flags, then at most two digits of width and two of precision, as 5.3's scanformat.
            int flags = 0;
            int start = p;
            while (p < end) {
                int flag = switch (f[p]) {
                    case '-' -> PrintfNumbers.MINUS;
                    case '+' -> PrintfNumbers.PLUS;
                    case ' ' -> PrintfNumbers.SPACE;
                    case '#' -> PrintfNumbers.HASH;
                    case '0' -> PrintfNumbers.ZERO;
                    default -> 0;
                };
                if (flag == 0) {
                    break;
                }
                flags |= flag;
                p++;
            }
            if (p - start >= 6) {
                throw new LuaError("invalid format (repeated flags)");
            }
            int width = -1;
            if (p < end && isDigit(f[p])) {
                width = f[p++] - '0';
                if (p < end && isDigit(f[p])) {
                    width = width * 10 + (f[p++] - '0');
                }
            }
            int prec = -1;
            if (p < end && f[p] == '.') {
                p++;
                prec = 0;
                if (p < end && isDigit(f[p])) {
                    prec = f[p++] - '0';
                    if (p < end && isDigit(f[p])) {
                        prec = prec * 10 + (f[p++] - '0');
                    }
                }
            }
            if (p < end && isDigit(f[p])) {
                throw new LuaError("invalid format (width or precision too long)");
            }
            int conv = p < end ? f[p++] & 0xff : -1;
            switch (conv) {
                case 'd', 'i' -> {
                    long v = LuaArgs.checkInteger(args, arg, NAME);
                    if (flags == 0 && width < 0 && prec < 0) {
                        out.addDecimal(v);
                    } else {
                        PrintfNumbers.integer(out, conv, flags, width, prec, v);
                    }
                }
                case 'u', 'o', 'x', 'X' ->
                    PrintfNumbers.integer(out, conv, flags, width, prec, LuaArgs.checkInteger(args, arg, NAME));
                case 'c' -> {
                    int ch = (int) LuaArgs.checkInteger(args, arg, NAME);
                    padBytes(out, new byte[] {(byte) ch}, 0, 1, width, flags);
                }
                case 'e', 'E', 'f', 'g', 'G', 'a', 'A' ->
                    PrintfNumbers.floating(out, conv, flags, width, prec, LuaArgs.checkNumber(args, arg, NAME));
                case 'q' -> quote(out, args, arg);
                case 's' -> {
                    LuaString s = LuaToString.tolstring(args.arg(arg));
                    int n = prec >= 0 ? Math.min(prec, s.m_length) : s.m_length;
                    padBytes(out, s.m_bytes, s.m_offset, n, width, flags);
                }
                default -> throw new LuaError("invalid option '%"
                        + (conv < 0 ? "" : String.valueOf((char) conv)) + "' to 'format'");
            }
        }
        return out.toLuaString();
    }

    private static boolean isDigit(byte b) {
        return b >= '0' && b <= '9';
    }

    private static void padBytes(ByteSink out, byte[] b, int off, int n, int width, int flags) {
        int fill = width - n;
        if (fill > 0 && (flags & PrintfNumbers.MINUS) == 0) {
            out.fill(' ', fill);
        }
        out.add(b, off, n);
        if (fill > 0 && (flags & PrintfNumbers.MINUS) != 0) {
            out.fill(' ', fill);
        }
    }

    /** {@code %q}: a literal that reads back as the same value. */
    private static void quote(ByteSink out, Varargs args, int arg) {
        LuaValue v = args.arg(arg);
        switch (v.type()) {
            case LuaValue.TSTRING -> quoteString(out, v.strvalue());
            case LuaValue.TNUMBER -> {
                double d = v.todouble();
                if (LuaArgs.fitsLong(d)) {
                    long n = (long) d;
                    if (n == Long.MIN_VALUE) {
                        out.addAscii("0x8000000000000000");
                    } else {
                        out.addDecimal(n);
                    }
                } else if (Double.isNaN(d)) {
                    out.addAscii("(0/0)");
                } else if (Double.isInfinite(d)) {
                    out.addAscii(d > 0 ? "1e9999" : "-1e9999");
                } else {
                    PrintfNumbers.floating(out, 'a', 0, -1, -1, d);
                }
            }
            case LuaValue.TNIL, LuaValue.TBOOLEAN -> out.addAscii(v.tojstring());
            default -> throw LuaArgs.argError(arg, NAME, "value has no literal form");
        }
    }

    private static void quoteString(ByteSink out, LuaString s) {
        byte[] b = s.m_bytes;
        int end = s.m_offset + s.m_length;
        out.add('"');
        for (int i = s.m_offset; i < end; i++) {
            int c = b[i] & 0xff;
            if (c == '"' || c == '\\' || c == '\n') {
                out.add('\\');
                out.add(c);
            } else if (c < 32 || c == 127) {
                out.add('\\');
                // Three digits when a digit follows, or "\1" + "2" would read back as "\12".
                if (i + 1 < end && isDigit(b[i + 1])) {
                    out.add('0' + c / 100);
                    out.add('0' + c / 10 % 10);
                    out.add('0' + c % 10);
                } else {
                    out.addDecimal(c);
                }
            } else {
                out.add(c);
            }
        }
        out.add('"');
    }
}
