package io.luagate.plugin.lua.api;

import io.luagate.spi.rule.Transaction;
import io.luagate.spi.sample.ArgMask;
import io.luagate.spi.sample.Converter;
import io.luagate.spi.sample.Fetch;
import io.luagate.spi.sample.SampleLibrary;
import io.luagate.spi.sample.SampleType;
import io.luagate.spi.sample.Samples;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.lib.VarArgFunction;

/**
 * {@code txn.f}, {@code txn.sf}, {@code txn.c}, {@code txn.sc}: every fetch and converter of the
 * rule language as a method, named as HAProxy names them in Lua ({@code req.hdr} is
 * {@code req_hdr}). One bridge per state; what it compiles is cached by name and arguments.
 */
final class SampleBridge {

    private static final int CACHE_LIMIT = 4096;

    private final SampleLibrary library;
    private final Map<String, String> fetchNames = new HashMap<>();
    private final Map<String, String> converterNames = new HashMap<>();
    final LuaClass fetchClass = new LuaClass("Fetches", Transaction.class);
    final LuaClass stringFetchClass = new LuaClass("Fetches", Transaction.class);
    final LuaClass converterClass = new LuaClass("Converters", Transaction.class);
    final LuaClass stringConverterClass = new LuaClass("Converters", Transaction.class);
    /** A service's fetches: the same, except that those reading the HTTP message raise HAProxy's error. */
    final LuaClass serviceFetchClass = new LuaClass("Fetches", Transaction.class);
    final LuaClass serviceStringFetchClass = new LuaClass("Fetches", Transaction.class);

    SampleBridge(SampleLibrary library) {
        this.library = library;
        for (String keyword : library.fetchKeywords()) {
            fetchNames.putIfAbsent(mangle(keyword), keyword);
        }
        for (String keyword : library.converterKeywords()) {
            converterNames.putIfAbsent(mangle(keyword), keyword);
        }
        fetchNames.forEach((luaName, keyword) -> {
            VarArgFunction plain = fetchMethod(keyword, false, fetchClass);
            VarArgFunction string = fetchMethod(keyword, true, stringFetchClass);
            fetchClass.methods.set(luaName, plain);
            stringFetchClass.methods.set(luaName, string);
            boolean http = library.fetchNeedsHttp(keyword);
            serviceFetchClass.methods.set(luaName, http ? noHttpParser(keyword) : fetchMethod(keyword, false, serviceFetchClass));
            serviceStringFetchClass.methods.set(luaName,
                    http ? noHttpParser(keyword) : fetchMethod(keyword, true, serviceStringFetchClass));
        });
        converterNames.forEach((luaName, keyword) -> {
            converterClass.methods.set(luaName, converterMethod(keyword, false));
            stringConverterClass.methods.set(luaName, converterMethod(keyword, true));
        });
    }

    static String mangle(String keyword) {
        return keyword.replace('.', '_').replace('-', '_').replace('+', '_');
    }

    private VarArgFunction fetchMethod(String keyword, boolean asString, LuaClass owner) {
        SampleArgs checks = new SampleArgs(mangle(keyword), mask(library.fetchArgs(keyword), keyword), 1);
        Compiled<Fetch> compiled = new Compiled<>(words -> library.fetch(keyword, words));
        return new VarArgFunction() {
            @Override
            public Varargs invoke(Varargs args) {
                Transaction txn = owner.self(args.arg1(), keyword);
                return result(compiled.get(args, 2, checks).fetch(txn), asString);
            }
        };
    }

    /** HAProxy's hlua_run_sample_fetch in an applet: a fetch that needs the HTTP parser is an error. */
    private static VarArgFunction noHttpParser(String keyword) {
        return new VarArgFunction() {
            @Override
            public Varargs invoke(Varargs args) {
                throw new LuaError("the sample-fetch '" + keyword + "' needs an HTTP parser which is not available in Lua services");
            }
        };
    }

    private VarArgFunction converterMethod(String keyword, boolean asString) {
        SampleArgs checks = new SampleArgs(mangle(keyword), mask(library.converterArgs(keyword), keyword), 2);
        Compiled<Converter> compiled = new Compiled<>(words -> library.converter(keyword, words));
        SampleType input = library.converterInput(keyword);
        return new VarArgFunction() {
            @Override
            public Varargs invoke(Varargs args) {
                Transaction txn = (asString ? stringConverterClass : converterClass).self(args.arg1(), keyword);
                Converter converter = compiled.get(args, 3, checks);
                // hlua_lua2smp: nil, none and any other non-value are the boolean false.
                Object sample = Values.toSample(args.arg(2));
                InputCast.check(sample, input);
                return result(converter.convert(txn, sample), asString);
            }
        };
    }

    /** What the keyword declares; the fetches and converters scripts register take up to 12 strings, as in HAProxy. */
    private static ArgMask mask(ArgMask declared, String keyword) {
        return declared == null && keyword.startsWith("lua.") ? SampleArgs.SCRIPT_KEYWORD : declared;
    }

    private static LuaValue result(Object sample, boolean asString) {
        if (asString) {
            // hlua_smp2lua_str: binary whole (no cut at a NUL, as the cast to str makes), the rest cast to str.
            if (sample instanceof byte[] bytes) {
                return LuaValue.valueOf(bytes);
            }
            String s = sample == null ? null : Samples.asString(sample);
            return Values.lua(s == null ? "" : s);
        }
        return Values.toLua(sample);
    }

    /**
     * One keyword's compiled samples by arguments. The usual calls take no argument or one
     * string (a header name): those are found without building a key; others use a list key.
     * Each map is bounded: a script that makes up arguments per request compiles each time.
     */
    private static final class Compiled<T> {

        private final java.util.function.Function<List<String>, T> compile;
        private T noArgument;
        private final Map<LuaValue, T> oneString = new HashMap<>();
        private final Map<List<String>, T> moreArguments = new HashMap<>();

        Compiled(java.util.function.Function<List<String>, T> compile) {
            this.compile = compile;
        }

        /** The sample for the arguments of {@code args} from position {@code first} on, checked by {@code checks}. */
        T get(Varargs args, int first, SampleArgs checks) {
            int count = checks.count(args, first);
            if (count == 0) {
                if (noArgument == null) {
                    // Checked once: a keyword that needs an argument fails here on every call.
                    noArgument = compile(checks.words(args, first));
                }
                return noArgument;
            }
            if (count == 1 && args.arg(first).type() == LuaValue.TSTRING) {
                LuaValue arg = args.arg(first);
                T found = oneString.get(arg);
                if (found == null) {
                    found = compile(checks.words(args, first));
                    if (oneString.size() < CACHE_LIMIT) {
                        oneString.put(arg, found);
                    }
                }
                return found;
            }
            List<String> words = checks.words(args, first);
            T found = moreArguments.get(words);
            if (found == null) {
                found = compile(words);
                if (moreArguments.size() < CACHE_LIMIT) {
                    moreArguments.put(words, found);
                }
            }
            return found;
        }

        private T compile(List<String> words) {
            try {
                return compile.apply(words);
            } catch (IllegalArgumentException e) {
                throw new LuaError(e.getMessage());
            }
        }
    }

    /** Makes {@code f}, {@code sf}, {@code c} and {@code sc} lazy fields of {@code objects} made from a transaction. */
    <T> void lazyFields(LuaClass objects, java.util.function.Function<T, Transaction> txn) {
        objects.<T>lazyField("f", o -> fetchClass.wrap(txn.apply(o)));
        objects.<T>lazyField("sf", o -> stringFetchClass.wrap(txn.apply(o)));
        objects.<T>lazyField("c", o -> converterClass.wrap(txn.apply(o)));
        objects.<T>lazyField("sc", o -> stringConverterClass.wrap(txn.apply(o)));
    }

    /** The four bridges of one transaction. */
    void attach(LuaTable object, Transaction txn) {
        object.rawset("f", fetchClass.wrap(txn));
        object.rawset("sf", stringFetchClass.wrap(txn));
        object.rawset("c", converterClass.wrap(txn));
        object.rawset("sc", stringConverterClass.wrap(txn));
    }

    /** The fetch and converter objects of a service (AppletHTTP, AppletTCP): no fetch of the HTTP message. */
    void attachToService(LuaTable object, Transaction txn) {
        object.rawset("f", serviceFetchClass.wrap(txn));
        object.rawset("sf", serviceStringFetchClass.wrap(txn));
        object.rawset("c", converterClass.wrap(txn));
        object.rawset("sc", stringConverterClass.wrap(txn));
    }
}
