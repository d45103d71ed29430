package io.luagate.kernel.rule.map;

import io.luagate.spi.pattern.FileNameBytes;
import io.luagate.kernel.rule.ConfigBytes;
import io.luagate.kernel.rule.RuleSyntaxException;
import io.luagate.kernel.rule.match.IpAddresses;
import io.luagate.kernel.rule.match.MatchMethod;
import io.luagate.kernel.rule.match.PatternException;
import io.luagate.kernel.rule.sample.Args;
import io.luagate.kernel.rule.sample.ConverterCompiler;
import io.luagate.kernel.rule.sample.SampleRegistry;
import io.luagate.spi.sample.Samples;
import java.util.List;
import java.util.Locale;

/**
 * HAProxy's map converters (doc 7.3.1): {@code map(file[,default])}, which is {@code map_str},
 * {@code map_<match>(file[,default])} for match in str, beg, sub, dir, dom, end, reg, int and ip
 * (string output), and {@code map_<match>_int} / {@code map_<match>_ip} for the integer and address
 * outputs: the same 28 keywords as HAProxy 2.6 (which has no {@code map_<match>_str} and whose
 * {@code map_regm} is not provided here).
 *
 * <p>Each converter loads its file (once per configuration, shared) and checks its keys and values
 * when it is compiled, so that a bad line is a load-time error naming {@code file:line}: keys must
 * read with the match method (an address for ip, an integer range for int), values with the output
 * type (an integer for _int, where a key alone counts as 0 as in HAProxy; an address for _ip). The
 * input is cast as the match method needs (to a string, an integer, an address); when that cast is
 * impossible the converter fails; when no entry matches it gives the default, or fails without
 * one. Later updates of the map are seen by every converter using it.
 */
public final class MapConverters {

    private static final List<MatchMethod> METHODS = List.of(MatchMethod.STR, MatchMethod.BEG, MatchMethod.SUB,
            MatchMethod.DIR, MatchMethod.DOM, MatchMethod.END, MatchMethod.REG, MatchMethod.INT, MatchMethod.IP);

    private MapConverters() {
    }

    public static void register(SampleRegistry registry) {
        registry.converter("map", compiler(MatchMethod.STR, MapStore.Output.STR));
        for (MatchMethod method : METHODS) {
            String name = "map_" + method.name().toLowerCase(Locale.ROOT);
            registry.converter(name, compiler(method, MapStore.Output.STR));
            registry.converter(name + "_int", compiler(method, MapStore.Output.INT));
            registry.converter(name + "_ip", compiler(method, MapStore.Output.IP));
        }
    }

    private static ConverterCompiler compiler(MatchMethod method, MapStore.Output output) {
        return (args, context) -> {
            args.expect(1, 2);
            String file = args.string(0);
            if (file.isEmpty()) {
                throw args.error("needs a map file name");
            }
            MapStore.Lookup lookup;
            try {
                // A rule's words hold bytes; the file system's name is their UTF-8.
                MapStore map = context.maps().map(FileNameBytes.decode(file));
                lookup = map.view(method, output);
            } catch (PatternException e) {
                throw args.error(ConfigBytes.of(e.origin()) + ": " + e.getMessage());
            }
            Object fallback = args.count() == 2 ? fallback(args, output) : null;
            return (txn, input) -> lookup.get(input, fallback);
        };
    }

    /** The default value, read for the output type as HAProxy reads the argument. */
    private static Object fallback(Args args, MapStore.Output output) throws RuleSyntaxException {
        String text = args.string(1);
        return switch (output) {
            case STR -> text;
            case INT -> {
                Long value = text.isEmpty() ? null : Samples.parseInt64(text);
                if (value == null) {
                    throw args.error("default value '" + text + "' is not an integer");
                }
                yield value;
            }
            case IP -> {
                Object address = IpAddresses.parseInetAddress(text);
                if (address == null) {
                    throw args.error("cannot parse default ip '" + text + "'");
                }
                yield address;
            }
        };
    }
}
