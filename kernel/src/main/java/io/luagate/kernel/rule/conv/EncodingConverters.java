package io.luagate.kernel.rule.conv;

import io.luagate.kernel.rule.sample.SampleRegistry;
import io.luagate.spi.sample.Samples;
import java.util.Base64;

/**
 * Encodings: {@code base64}, {@code b64dec}, {@code ub64enc}, {@code ub64dec}, {@code hex},
 * {@code hex2i}, {@code url_enc([query])}, {@code url_dec([<in_form>])} and
 * {@code json([<input-code>])}.
 */
final class EncodingConverters {

    private static final Base64.Encoder BASE64 = Base64.getEncoder();
    private static final Base64.Encoder BASE64_URL = Base64.getUrlEncoder().withoutPadding();
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private EncodingConverters() {
    }

    static void register(SampleRegistry registry) {
        registry.converter("base64", (args, context) -> {
            ConvArgs.none(args);
            return (txn, input) -> {
                byte[] bytes = Samples.asBytes(input);
                return bytes == null ? null : BASE64.encodeToString(bytes);
            };
        });
        registry.converter("ub64enc", (args, context) -> {
            ConvArgs.none(args);
            return (txn, input) -> {
                byte[] bytes = Samples.asBytes(input);
                return bytes == null ? null : BASE64_URL.encodeToString(bytes);
            };
        });
        registry.converter("b64dec", (args, context) -> {
            ConvArgs.none(args);
            return (txn, input) -> {
                String text = Samples.asString(input);
                return text == null ? null : Base64Decoder.standard(Samples.asBytes(text));
            };
        });
        registry.converter("ub64dec", (args, context) -> {
            ConvArgs.none(args);
            return (txn, input) -> {
                String text = Samples.asString(input);
                return text == null ? null : Base64Decoder.url(Samples.asBytes(text));
            };
        });
        registry.converter("hex", (args, context) -> {
            ConvArgs.none(args);
            return (txn, input) -> {
                byte[] bytes = Samples.asBytes(input);
                return bytes == null ? null : hex(bytes);
            };
        });
        registry.converter("hex2i", (args, context) -> {
            ConvArgs.none(args);
            return (txn, input) -> {
                String text = Samples.asString(input);
                return text == null ? null : hex2i(text);
            };
        });
        registry.converter("url_enc", (args, context) -> {
            ConvArgs.count(args, 0, 1);
            String type = ConvArgs.string(args, 0);
            if (!type.isEmpty() && !type.equals("query")) {
                throw args.error("unexpected encode type '" + type + "'; the allowed value is 'query'");
            }
            return (txn, input) -> {
                String text = Samples.asString(input);
                return text == null ? null : UrlCodec.encodeQuery(text);
            };
        });
        registry.converter("url_dec", (args, context) -> {
            ConvArgs.count(args, 0, 1);
            Long inForm = ConvArgs.optionalInteger(args, 0);
            boolean form = inForm != null && inForm != 0;
            return (txn, input) -> {
                String text = Samples.asString(input);
                return text == null ? null : UrlCodec.decode(text, form);
            };
        });
        registry.converter("json", (args, context) -> {
            ConvArgs.count(args, 0, 1);
            JsonEscaper escaper = JsonEscaper.named(ConvArgs.string(args, 0));
            if (escaper == null) {
                throw args.error("unexpected input code type '" + args.all().get(0)
                        + "'; allowed values are 'ascii', 'utf8', 'utf8s', 'utf8p' and 'utf8ps'");
            }
            return (txn, input) -> {
                String text = Samples.asString(input);
                return text == null ? null : escaper.escape(text);
            };
        });
    }

    /** Two upper-case hex digits per byte. */
    static String hex(byte[] bytes) {
        char[] out = new char[bytes.length * 2];
        for (int i = 0; i < bytes.length; i++) {
            out[2 * i] = HEX[(bytes[i] >> 4) & 0xf];
            out[2 * i + 1] = HEX[bytes[i] & 0xf];
        }
        return new String(out);
    }

    /** Hex digits to an integer, wrapping past 64 bits; {@code null} on any other character. */
    private static Long hex2i(String text) {
        long n = 0;
        for (int i = 0; i < text.length(); i++) {
            int digit = UrlCodec.hex(text.charAt(i));
            if (digit < 0) {
                return null;
            }
            n = (n << 4) + digit;
        }
        return n;
    }
}
