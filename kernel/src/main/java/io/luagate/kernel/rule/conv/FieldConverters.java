package io.luagate.kernel.rule.conv;

import io.luagate.kernel.rule.RuleSyntaxException;
import io.luagate.kernel.rule.sample.Args;
import io.luagate.kernel.rule.sample.SampleRegistry;
import io.luagate.spi.sample.Samples;

/**
 * {@code field(<index>,<delimiters>[,<count>])} and {@code word(<index>,<delimiters>[,<count>])}
 * (sample_conv_field() and sample_conv_word() in src/sample.c). A negative index counts from the
 * end; a count of 0 (or less) takes everything up to the end (or the start). Every delimiter
 * separates two fields, so fields may be empty; words are the non-empty runs between delimiters.
 * A missing field fails the conversion; a missing word gives an empty string.
 */
final class FieldConverters {

    private FieldConverters() {
    }

    static void register(SampleRegistry registry) {
        registry.converter("field", (args, context) -> {
            Spec spec = spec(args);
            return (txn, input) -> {
                String s = Samples.asString(input);
                return s == null ? null : field(s, spec);
            };
        });
        registry.converter("word", (args, context) -> {
            Spec spec = spec(args);
            return (txn, input) -> {
                String s = Samples.asString(input);
                return s == null ? null : word(s, spec);
            };
        });
    }

    private record Spec(long index, String delimiters, long count) {
    }

    private static Spec spec(Args args) throws RuleSyntaxException {
        ConvArgs.count(args, 2, 3);
        long index = ConvArgs.integer(args, 0);
        if (index == 0) {
            throw args.error("unexpected value 0 for index");
        }
        String delimiters = args.all().get(1);
        if (delimiters.isEmpty()) {
            throw args.error("empty separators list");
        }
        Long count = ConvArgs.optionalInteger(args, 2);
        return new Spec(index, delimiters, count == null ? 1 : count);
    }

    private static boolean isDelimiter(Spec spec, char c) {
        return spec.delimiters.indexOf(c) >= 0;
    }

    private static String field(String s, Spec spec) {
        long count = spec.count;
        long field;
        int start;
        int end;
        if (spec.index < 0) {
            field = -1;
            start = s.length();
            end = start;
            for (; start > 0; start--) {
                if (isDelimiter(spec, s.charAt(start - 1))) {
                    if (field == spec.index) {
                        if (count == 1) {
                            return s.substring(start, end);
                        } else if (count > 1) {
                            count--;
                        }
                    } else {
                        end = start - 1;
                        field--;
                    }
                }
            }
        } else {
            field = 1;
            start = 0;
            end = 0;
            for (; end < s.length(); end++) {
                if (isDelimiter(spec, s.charAt(end))) {
                    if (field == spec.index) {
                        if (count == 1) {
                            return s.substring(start, end);
                        } else if (count > 1) {
                            count--;
                        }
                    } else {
                        start = end + 1;
                        field++;
                    }
                }
            }
        }
        return field == spec.index ? s.substring(start, end) : null;
    }

    private static String word(String s, Spec spec) {
        long count = spec.count;
        long word = 0;
        boolean inWord = false;
        int start;
        int end;
        if (spec.index < 0) {
            start = s.length();
            end = start;
            for (; start > 0; start--) {
                boolean separator = isDelimiter(spec, s.charAt(start - 1));
                if (!inWord) {
                    if (!separator) {
                        if (word != spec.index) {
                            word--;
                            end = start;
                        }
                        inWord = true;
                    }
                } else if (separator) {
                    if (word == spec.index) {
                        if (count == 1) {
                            return s.substring(start, end);
                        } else if (count > 1) {
                            count--;
                        }
                    }
                    inWord = false;
                }
            }
        } else {
            start = 0;
            end = 0;
            for (; end < s.length(); end++) {
                boolean separator = isDelimiter(spec, s.charAt(end));
                if (!inWord) {
                    if (!separator) {
                        if (word != spec.index) {
                            word++;
                            start = end;
                        }
                        inWord = true;
                    }
                } else if (separator) {
                    if (word == spec.index) {
                        if (count == 1) {
                            return s.substring(start, end);
                        } else if (count > 1) {
                            count--;
                        }
                    }
                    inWord = false;
                }
            }
        }
        return word == spec.index ? s.substring(start, end) : "";
    }
}
