package io.luagate.kernel.rule.conv;

import io.luagate.kernel.rule.sample.SampleRegistry;
import io.luagate.spi.sample.Samples;
import java.util.Arrays;

/**
 * Strings: {@code lower}, {@code upper}, {@code length}, {@code ltrim(<chars>)},
 * {@code rtrim(<chars>)}, {@code bytes(<offset>[,<length>])}, {@code concat([<start>],[<var>],[<end>])},
 * {@code strcmp(<var>)} and {@code iif(<true>,<false>)}.
 */
final class StringConverters {

    private StringConverters() {
    }

    static void register(SampleRegistry registry) {
        registry.converter("lower", (args, context) -> {
            ConvArgs.none(args);
            return (txn, input) -> {
                String s = Samples.asString(input);
                return s == null ? null : asciiCase(s, 'A', 'Z', 'a' - 'A');
            };
        });
        registry.converter("upper", (args, context) -> {
            ConvArgs.none(args);
            return (txn, input) -> {
                String s = Samples.asString(input);
                return s == null ? null : asciiCase(s, 'a', 'z', 'A' - 'a');
            };
        });
        registry.converter("length", (args, context) -> {
            ConvArgs.none(args);
            return (txn, input) -> {
                String s = Samples.asString(input);
                return s == null ? null : (long) s.length();
            };
        });
        registry.converter("ltrim", (args, context) -> {
            ConvArgs.count(args, 0, 1);
            String chars = ConvArgs.string(args, 0);
            return (txn, input) -> {
                String s = Samples.asString(input);
                if (s == null) {
                    return null;
                }
                int from = 0;
                while (from < s.length() && chars.indexOf(s.charAt(from)) >= 0) {
                    from++;
                }
                return s.substring(from);
            };
        });
        registry.converter("rtrim", (args, context) -> {
            ConvArgs.count(args, 0, 1);
            String chars = ConvArgs.string(args, 0);
            return (txn, input) -> {
                String s = Samples.asString(input);
                if (s == null) {
                    return null;
                }
                int to = s.length();
                while (to > 0 && chars.indexOf(s.charAt(to - 1)) >= 0) {
                    to--;
                }
                return s.substring(0, to);
            };
        });
        registry.converter("bytes", (args, context) -> {
            ConvArgs.count(args, 1, 2);
            long offset = ConvArgs.integer(args, 0);
            Long length = ConvArgs.optionalInteger(args, 1);
            return (txn, input) -> {
                byte[] bytes = Samples.asBytes(input);
                if (bytes == null) {
                    return null;
                }
                // HAProxy compares these as unsigned sizes: a negative offset leaves nothing, a
                // negative length keeps everything.
                if (Long.compareUnsigned(bytes.length, offset) <= 0) {
                    return new byte[0];
                }
                int end = bytes.length;
                if (length != null && Long.compareUnsigned(length, end - offset) < 0) {
                    end = (int) (offset + length);
                }
                return Arrays.copyOfRange(bytes, (int) offset, end);
            };
        });
        registry.converter("concat", (args, context) -> {
            ConvArgs.count(args, 0, 3);
            String start = ConvArgs.string(args, 0);
            VarRef var = ConvArgs.string(args, 1).isEmpty() ? null : ConvArgs.variable(args, 1);
            String end = ConvArgs.string(args, 2);
            return (txn, input) -> {
                String s = Samples.asString(input);
                if (s == null) {
                    return null;
                }
                StringBuilder out = new StringBuilder(s.length() + start.length() + end.length() + 16);
                out.append(s).append(start);
                if (var != null) {
                    Object value = var.get(txn);
                    String text = value == null ? null : Samples.asString(value);
                    if (text != null) {
                        out.append(text);
                    }
                }
                return out.append(end).toString();
            };
        });
        registry.converter("strcmp", (args, context) -> {
            ConvArgs.count(args, 1, 1);
            VarRef var = ConvArgs.variable(args, 0);
            return (txn, input) -> {
                String left = Samples.asString(input);
                Object value = var.get(txn);
                String right = value == null ? null : Samples.asString(value);
                return left == null || right == null ? null : (long) strcmp(left, right);
            };
        });
        registry.converter("iif", (args, context) -> {
            ConvArgs.count(args, 2, 2);
            String whenTrue = args.all().get(0);
            String whenFalse = args.all().get(1);
            return (txn, input) -> {
                Boolean b = Samples.asBoolean(input);
                return b == null ? null : b ? whenTrue : whenFalse;
            };
        });
    }

    private static String asciiCase(String s, char from, char to, int shift) {
        char[] chars = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= from && c <= to) {
                if (chars == null) {
                    chars = s.toCharArray();
                }
                chars[i] = (char) (c + shift);
            }
        }
        return chars == null ? s : new String(chars);
    }

    /**
     * HAProxy's strcmp converter: strncmp() over the shorter length (stopping at a NUL byte, and
     * giving the difference of the first differing bytes as glibc does), then -1 or 1 when only
     * the lengths differ.
     */
    private static int strcmp(String left, String right) {
        int max = Math.min(left.length(), right.length());
        for (int i = 0; i < max; i++) {
            int a = left.charAt(i) & 0xff;
            int b = right.charAt(i) & 0xff;
            if (a != b) {
                return a - b;
            }
            if (a == 0) {
                break;
            }
        }
        return Integer.compare(left.length(), right.length());
    }
}
