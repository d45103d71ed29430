package io.luagate.plugin.lua.lib;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * C printf's numeric conversions ({@code d i u o x X e E f F g G a A}) with flags, width and
 * precision. {@link java.util.Formatter} is not usable: it rounds half-up on the shortest decimal
 * representation (C rounds the exact binary value, so {@code %.1f} of 2.25 is {@code 2.2}), has no
 * C {@code %g} trailing-zero rule, and prints hex floats differently.
 */
final class PrintfNumbers {

    static final int MINUS = 1;
    static final int PLUS = 2;
    static final int SPACE = 4;
    static final int HASH = 8;
    static final int ZERO = 16;

    /** Exact powers of ten (10^22 is the last one a double holds exactly). */
    private static final double[] POW10 = new double[23];

    static {
        double p = 1;
        for (int i = 0; i < POW10.length; i++) {
            POW10[i] = p;
            p *= 10;
        }
    }

    private PrintfNumbers() {
    }

    static void integer(ByteSink out, int conv, int flags, int width, int prec, long v) {
        String digits;
        String prefix = "";
        switch (conv) {
            case 'd', 'i' -> {
                String s = Long.toString(v);
                digits = v < 0 ? s.substring(1) : s;
                prefix = v < 0 ? "-" : (flags & PLUS) != 0 ? "+" : (flags & SPACE) != 0 ? " " : "";
            }
            case 'u' -> digits = Long.toUnsignedString(v);
            case 'o' -> digits = Long.toOctalString(v);
            case 'x' -> digits = Long.toHexString(v);
            default -> digits = Long.toHexString(v).toUpperCase(java.util.Locale.ROOT);
        }
        if (prec == 0 && v == 0) {
            digits = "";
        }
        if (prec > digits.length()) {
            digits = "0".repeat(prec - digits.length()) + digits;
        }
        if (conv == 'o' && (flags & HASH) != 0 && !digits.startsWith("0")) {
            digits = "0" + digits;
        }
        if ((conv == 'x' || conv == 'X') && (flags & HASH) != 0 && v != 0) {
            prefix = conv == 'x' ? "0x" : "0X";
        }
        pad(out, prefix, digits, width, flags, prec < 0);
    }

    static void floating(ByteSink out, int conv, int flags, int width, int prec, double x) {
        boolean upper = conv >= 'A' && conv <= 'Z';
        // NaN's sign bit depends on how the JVM produced it, so it is not shown (C on x86 prints "-nan" for 0/0).
        boolean neg = !Double.isNaN(x) && Double.doubleToRawLongBits(x) < 0;
        String sign = neg ? "-" : (flags & PLUS) != 0 ? "+" : (flags & SPACE) != 0 ? " " : "";
        if (Double.isNaN(x) || Double.isInfinite(x)) {
            String body = Double.isNaN(x) ? "nan" : "inf";
            pad(out, sign, upper ? body.toUpperCase(java.util.Locale.ROOT) : body, width, flags, false);
            return;
        }
        double a = Math.abs(x);
        boolean hash = (flags & HASH) != 0;
        StringBuilder sb = new StringBuilder(24);
        String pre = sign;
        switch (conv | 0x20) {
            case 'f' -> fixed(sb, a, prec < 0 ? 6 : prec, hash);
            case 'e' -> exponent(sb, a, prec < 0 ? 6 : prec, hash, upper);
            case 'g' -> general(sb, a, prec < 0 ? 6 : prec == 0 ? 1 : prec, hash, upper);
            default -> {
                pre = sign + (upper ? "0X" : "0x");
                hex(sb, a, prec, hash, upper);
            }
        }
        pad(out, pre, sb, width, flags, true);
    }

    /** {@code %f} of a non-negative finite value. */
    static void fixed(StringBuilder sb, double a, int prec, boolean hash) {
        if (prec <= 15) {
            double scaled = a * POW10[prec];
            if (scaled < 0x1p40) {
                // The product is within 2^-13 of the exact value, so away from a .5 tie the
                // rounding matches rounding the exact binary value (what C does).
                double fl = Math.floor(scaled);
                double frac = scaled - fl;
                if (Math.abs(frac - 0.5) > 0x1p-10) {
                    long n = (long) fl + (frac > 0.5 ? 1 : 0);
                    String digits = Long.toString(n);
                    if (digits.length() <= prec) {
                        sb.append("0".repeat(prec + 1 - digits.length()));
                    }
                    sb.append(digits);
                    if (prec > 0) {
                        sb.insert(sb.length() - prec, '.');
                    } else if (hash) {
                        sb.append('.');
                    }
                    return;
                }
            }
        }
        sb.append(new BigDecimal(a).setScale(prec, RoundingMode.HALF_EVEN).toPlainString());
        if (prec == 0 && hash) {
            sb.append('.');
        }
    }

    /** {@code %e} of a non-negative finite value. */
    static void exponent(StringBuilder sb, double a, int prec, boolean hash, boolean upper) {
        String digits;
        int e;
        if (a == 0) {
            digits = "0";
            e = 0;
        } else {
            BigDecimal r = new BigDecimal(a).round(new MathContext(prec + 1, RoundingMode.HALF_EVEN));
            digits = r.unscaledValue().toString();
            e = digits.length() - 1 - r.scale();
        }
        sb.append(digits.charAt(0));
        if (prec > 0 || hash) {
            sb.append('.');
        }
        int have = Math.min(digits.length() - 1, prec);
        sb.append(digits, 1, 1 + have);
        for (int i = have; i < prec; i++) {
            sb.append('0');
        }
        sb.append(upper ? 'E' : 'e').append(e < 0 ? '-' : '+');
        int ae = Math.abs(e);
        if (ae < 10) {
            sb.append('0');
        }
        sb.append(ae);
    }

    /** {@code %g}: the C rule (P significant digits, %e when the exponent is < -4 or >= P). */
    static void general(StringBuilder sb, double a, int p, boolean hash, boolean upper) {
        int x = 0;
        if (a != 0) {
            BigDecimal r = new BigDecimal(a).round(new MathContext(p, RoundingMode.HALF_EVEN));
            x = r.precision() - 1 - r.scale();
        }
        int start = sb.length();
        int expAt;
        if (p > x && x >= -4) {
            fixed(sb, a, p - 1 - x, hash);
            expAt = sb.length();
        } else {
            exponent(sb, a, p - 1, hash, upper);
            expAt = sb.indexOf(upper ? "E" : "e", start);
        }
        if (hash || sb.indexOf(".", start) < 0) {
            return;
        }
        int cut = expAt;
        while (sb.charAt(cut - 1) == '0') {
            cut--;
        }
        if (sb.charAt(cut - 1) == '.') {
            cut--;
        }
        sb.delete(cut, expAt);
    }

    /** {@code %a} digits after the "0x" prefix, as glibc prints them (no renormalisation after rounding). */
    static void hex(StringBuilder sb, double a, int prec, boolean hash, boolean upper) {
        long bits = Double.doubleToRawLongBits(a);
        int bexp = (int) (bits >>> 52) & 0x7ff;
        long mant = bits & ((1L << 52) - 1);
        long lead = bexp == 0 ? 0 : 1;
        int e = bexp == 0 ? (mant == 0 ? 0 : -1022) : bexp - 1023;
        String frac;
        if (prec >= 0 && prec < 13) {
            int drop = (13 - prec) * 4;
            long full = (lead << 52) | mant;
            long keep = full >>> drop;
            long rem = full & ((1L << drop) - 1);
            long half = 1L << (drop - 1);
            if (rem > half || (rem == half && (keep & 1) != 0)) {
                keep++;
            }
            lead = keep >>> (prec * 4);
            long f = keep & ((1L << (prec * 4)) - 1);
            frac = prec == 0 ? "" : String.format("%0" + prec + "x", f);
        } else {
            String all = String.format("%013x", mant);
            if (prec < 0) {
                int end = all.length();
                while (end > 0 && all.charAt(end - 1) == '0') {
                    end--;
                }
                frac = all.substring(0, end);
            } else {
                frac = all + "0".repeat(prec - 13);
            }
        }
        sb.append(Long.toHexString(lead));
        if (!frac.isEmpty() || hash) {
            sb.append('.');
        }
        sb.append(frac).append('p').append(e < 0 ? '-' : '+').append(Math.abs(e));
        if (upper) {
            for (int i = 0; i < sb.length(); i++) {
                sb.setCharAt(i, Character.toUpperCase(sb.charAt(i)));
            }
        }
    }

    static void pad(ByteSink out, String pre, CharSequence body, int width, int flags, boolean zeroAllowed) {
        int fill = width - pre.length() - body.length();
        if (fill <= 0) {
            out.addAscii(pre);
            out.addAscii(body);
        } else if ((flags & MINUS) != 0) {
            out.addAscii(pre);
            out.addAscii(body);
            out.fill(' ', fill);
        } else if (zeroAllowed && (flags & ZERO) != 0) {
            out.addAscii(pre);
            out.fill('0', fill);
            out.addAscii(body);
        } else {
            out.fill(' ', fill);
            out.addAscii(pre);
            out.addAscii(body);
        }
    }
}
