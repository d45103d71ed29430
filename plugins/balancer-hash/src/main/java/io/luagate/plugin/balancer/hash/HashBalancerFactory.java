package io.luagate.plugin.balancer.hash;

import io.luagate.spi.balancer.Balancer;
import io.luagate.spi.balancer.BalancerContext;
import io.luagate.spi.balancer.BalancerFactory;
import io.luagate.spi.balancer.HashType;
import io.luagate.spi.http.HttpToken;
import java.util.List;
import java.util.Locale;
import org.pf4j.Extension;

/**
 * Serves HAProxy's hashing algorithms: {@code hash <expr>}, {@code source}, {@code uri [len N]
 * [depth N] [whole] [path-only]}, {@code url_param(name)} and {@code hdr(name) [use_domain_only]},
 * over the backend's {@code hash-type} (map-based by default, or consistent, with its
 * {@code hash-balance-factor}). Each algorithm asks the kernel for the key it hashes: the expression,
 * {@code src}, the request's URI, or the header's first value.
 */
@Extension
public final class HashBalancerFactory implements BalancerFactory {

    @Override
    public String algorithm() {
        return "hash";
    }

    @Override
    public List<String> otherAlgorithms() {
        return List.of("source", "uri", "url_param", "hdr");
    }

    @Override
    public void check(BalancerContext context) {
        hasher(context);
    }

    @Override
    public Balancer create(BalancerContext context) {
        return new HashBalancer(context.servers(), hasher(context), context.hashType().method(), context.hashBalanceFactor());
    }

    /** Reads the algorithm's arguments as HAProxy does, asks for its key; problems go to the context. */
    static KeyHasher hasher(BalancerContext context) {
        HashType type = context.hashType();
        List<String> args = context.arguments();
        switch (context.algorithm()) {
            case "hash" -> {
                if (args.isEmpty()) {
                    context.problem("hash requires a sample expression: \"hash req.hdr(x-user)\"");
                } else if (args.size() > 1) {
                    context.problem("hash takes one sample expression, without spaces (got also '" + args.get(1) + "')");
                } else {
                    context.useKey(args.get(0));
                }
                return KeyHasher.expression(type);
            }
            case "source" -> {
                noArguments(context, args);
                context.useKey("src");
                return KeyHasher.source(type);
            }
            case "uri" -> {
                return uri(context, type, args);
            }
            case "url_param" -> {
                if (args.isEmpty()) {
                    context.problem("url_param requires an URL parameter name: \"url_param(id)\"");
                    return KeyHasher.urlParam(type, "");
                }
                if (args.size() > 1) {
                    context.problem(args.get(1).equals("check_post")
                            ? "url_param: check_post (hashing a POST body) is not supported; only the query string is hashed"
                            : "url_param only accepts 'check_post' modifier (got '" + args.get(1) + "')");
                }
                context.useKey("url");
                return KeyHasher.urlParam(type, args.get(0));
            }
            case "hdr" -> {
                boolean domainOnly = false;
                if (args.isEmpty()) {
                    context.problem("hdr requires an http header field name: \"hdr(host)\"");
                    return KeyHasher.header(type, false);
                }
                for (String modifier : args.subList(1, args.size())) {
                    if (modifier.equals("use_domain_only")) {
                        domainOnly = true;
                    } else {
                        context.problem("hdr only accepts 'use_domain_only' modifier (got '" + modifier + "')");
                    }
                }
                String name = args.get(0).toLowerCase(Locale.ROOT);
                if (!HttpToken.isToken(args.get(0))) {
                    context.problem("hdr: '" + args.get(0) + "' is not a header name");
                } else {
                    // HAProxy hashes the first value (the header's first comma-separated element).
                    context.useKey("req.hdr(" + name + ",1)");
                }
                return KeyHasher.header(type, domainOnly);
            }
            default -> {
                context.problem("'" + context.algorithm() + "' is not one of hash, source, uri, url_param, hdr");
                return KeyHasher.expression(type);
            }
        }
    }

    private static KeyHasher uri(BalancerContext context, HashType type, List<String> args) {
        int length = 0;
        int depth = 0;
        boolean whole = false;
        boolean pathOnly = false;
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            switch (arg) {
                case "len", "depth" -> {
                    int value = i + 1 < args.size() ? positive(args.get(i + 1)) : 0;
                    if (value <= 0) {
                        context.problem("uri: '" + arg + "' expects a positive integer (got '"
                                + (i + 1 < args.size() ? args.get(i + 1) : "") + "')");
                    }
                    if (arg.equals("len")) {
                        length = Math.max(0, value);
                    } else {
                        depth = Math.max(0, value);
                    }
                    i++;
                }
                case "whole" -> whole = true;
                case "path-only" -> pathOnly = true;
                default -> context.problem("uri only accepts parameters 'len', 'depth', 'path-only', and 'whole' (got '" + arg + "')");
            }
        }
        context.useKey("url");
        return KeyHasher.uri(type, length, depth, whole, pathOnly);
    }

    private static void noArguments(BalancerContext context, List<String> args) {
        if (!args.isEmpty()) {
            context.problem("'" + context.algorithm() + "' takes no argument");
        }
    }

    private static int positive(String text) {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
