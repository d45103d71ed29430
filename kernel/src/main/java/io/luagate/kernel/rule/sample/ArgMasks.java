package io.luagate.kernel.rule.sample;

import io.luagate.spi.sample.ArgMask;
import io.luagate.spi.sample.SampleType;
import java.util.HashMap;
import java.util.Map;

/**
 * The arguments HAProxy 2.6 declares for the built-in fetches and converters ({@code arg_mask} in
 * its keyword lists), by keyword: what Lua's {@code txn.f}/{@code txn.c} check typed arguments
 * against. Keywords without an entry declare nothing that can be checked.
 */
public final class ArgMasks {

    private static final Map<String, ArgMask> FETCHES = new HashMap<>();
    private static final Map<String, ArgMask> CONVERTERS = new HashMap<>();
    /** The converters' input types ({@code in_type}); those not listed take a string. */
    private static final Map<String, SampleType> CONVERTER_INPUTS = new HashMap<>();
    /** The fetches HAProxy 2.6 declares with an HTTP use ({@code SMP_USE_HRQHV}, {@code HRQHP}, {@code HRSHV}...). */
    private static final java.util.Set<String> HTTP_FETCHES = java.util.Set.of(
            "base", "capture.req.hdr", "capture.req.method", "capture.req.uri", "capture.req.ver", "capture.res.hdr",
            "capture.res.ver", "cook", "req.cook", "res.cook", "scook", "hdr", "req.hdr", "req.fhdr", "res.hdr",
            "res.fhdr", "shdr", "hdr_cnt", "req.hdr_cnt", "req.fhdr_cnt", "res.hdr_cnt", "req.hdrs", "method", "path",
            "pathq", "query", "req.ver", "status", "url", "url_param", "urlp", "req.body", "req.body_len",
            "req.body_param", "req.proto_http", "http_auth", "http_auth_group", "hdr_ip", "req.hdr_ip", "res.hdr_ip",
            "shdr_ip", "hdr_val", "req.hdr_val", "res.hdr_val", "shdr_val", "cook_cnt", "req.cook_cnt", "res.cook_cnt",
            "scook_cnt", "cook_val", "req.cook_val", "res.cook_val", "scook_val", "base32", "base32+src", "url32",
            "url32+src");

    static {
        fetches("0", "always_false", "always_true", "base", "be_name", "dst", "dst_port", "fe_name", "hostname",
                "method", "path", "pathq", "query", "req.body", "req.body_len", "req.hdrs", "req.len",
                "req.proto_http", "req.ver", "res.len", "src", "src_port", "srv_name", "ssl_fc", "ssl_bc", "status", "url",
                "capture.req.method", "capture.req.uri", "capture.req.ver", "capture.res.ver", "base32", "base32+src",
                "url32", "url32+src", "unique-id");
        // TLS (rule/fetch/TlsFetches): HAProxy's ssl_c_s_dn([entry[,occ[,format]]]).
        fetches("0", "ssl_fc_sni", "ssl_fc_protocol", "ssl_fc_cipher", "ssl_fc_alpn", "ssl_c_used", "ssl_c_verify",
                "ssl_c_serial", "ssl_c_notafter", "ssl_bc_protocol", "ssl_bc_cipher", "ssl_bc_alpn");
        fetches("0,STR,SINT,STR", "ssl_c_s_dn", "ssl_c_i_dn");
        fetches("0,STR,SINT", "hdr", "req.hdr", "req.fhdr", "res.hdr", "res.fhdr", "shdr", "hdr_ip", "req.hdr_ip",
                "res.hdr_ip", "shdr_ip", "hdr_val", "req.hdr_val", "res.hdr_val", "shdr_val");
        fetches("0,STR", "cook_cnt", "req.cook_cnt", "res.cook_cnt", "scook_cnt", "cook_val", "req.cook_val",
                "res.cook_val", "scook_val");
        fetches("0,STR", "req.body_param", "hdr_cnt", "req.hdr_cnt", "req.fhdr_cnt", "res.hdr_cnt", "cook", "req.cook", "res.cook",
                "scook");
        fetches("1,STR", "bool", "env", "str");
        fetches("1,SINT", "int", "capture.req.hdr", "capture.res.hdr");
        fetches("0,SINT,STR", "date");
        fetches("0,SINT", "rand", "uuid");
        fetches("1,BE", "nbsrv");
        fetches("1,USR", "http_auth", "http_auth_group");
        fetches("2,SINT,SINT", "req.payload", "res.payload");
        fetches("0,STR,STR", "url_param", "urlp");
        fetches("1,STR,STR", "var");

        converters("0", "b64dec", "base64", "bool", "cpl", "even", "hex", "hex2i", "length", "lower", "neg",
                "not", "odd", "sha1", "ub64dec", "ub64enc", "upper");
        converters("1,STR", "add", "and", "digest", "div", "json", "ltrim", "mod", "mul", "or", "rtrim",
                "secure_memcmp", "strcmp", "sub", "url_enc", "xor");
        converters("0,SINT", "crc32", "crc32c", "djb2", "sdbm", "sha2", "url_dec", "wt6", "xxh32", "xxh64");
        converters("1,SINT,SINT", "bytes");
        converters("1,STR,STR,STR", "concat");
        converters("2,SINT,STR,SINT", "field", "word");
        converters("2,STR,STR", "hmac", "iif");
        converters("0,SINT,STR", "http_date");
        converters("1,MSK4,MSK6", "ipmask");
        converters("1,STR,SINT", "ltime", "utime");
        converters("2,REG,STR,STR", "regsub");
        // map_<match>[_<output>]: the file and a default value, an integer one for _int outputs.
        converters("1,STR,STR", "map");
        for (String match : new String[] {"str", "beg", "sub", "dir", "dom", "end", "reg", "int", "ip"}) {
            converters("1,STR,STR", "map_" + match, "map_" + match + "_ip");
            converters("1,STR,SINT", "map_" + match + "_int");
        }

        inputs(SampleType.BIN, "base64", "ub64enc", "hex", "crc32", "crc32c", "djb2", "sdbm", "wt6", "xxh32", "xxh64",
                "bytes", "sha1", "sha2", "digest", "hmac", "secure_memcmp");
        inputs(SampleType.SINT, "ltime", "utime", "http_date", "and", "or", "xor", "cpl", "bool", "not", "odd", "even",
                "add", "sub", "mul", "div", "mod", "neg", "map_int", "map_int_int", "map_int_ip");
        inputs(SampleType.ADDR, "ipmask", "map_ip", "map_ip_int", "map_ip_ip");
        inputs(SampleType.BOOL, "iif");
    }

    private ArgMasks() {
    }

    /** What fetch {@code keyword} declares, or {@code null}. */
    public static ArgMask fetch(String keyword) {
        return FETCHES.get(keyword);
    }

    /** Whether fetch {@code keyword} reads the HTTP message (a Lua service may not call it). */
    public static boolean fetchNeedsHttp(String keyword) {
        return HTTP_FETCHES.contains(keyword);
    }

    /** What converter {@code keyword} declares, or {@code null}. */
    public static ArgMask converter(String keyword) {
        return CONVERTERS.get(keyword);
    }

    /** The input type converter {@code keyword} declares. */
    public static SampleType converterInput(String keyword) {
        return CONVERTER_INPUTS.getOrDefault(keyword, SampleType.STR);
    }

    private static void inputs(SampleType type, String... keywords) {
        for (String keyword : keywords) {
            CONVERTER_INPUTS.put(keyword, type);
        }
    }

    private static void fetches(String notation, String... keywords) {
        ArgMask mask = ArgMask.of(notation);
        for (String keyword : keywords) {
            FETCHES.put(keyword, mask);
        }
    }

    private static void converters(String notation, String... keywords) {
        ArgMask mask = ArgMask.of(notation);
        for (String keyword : keywords) {
            CONVERTERS.put(keyword, mask);
        }
    }
}
