package io.luagate.plugin.lua.api;

import io.luagate.spi.rule.Transaction;
import io.luagate.spi.sample.Converter;
import io.luagate.spi.sample.Fetch;
import io.luagate.spi.sample.SampleLibrary;
import io.luagate.spi.sample.Samples;
import java.util.ArrayList;
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

    SampleBridge(SampleLibrary library) {
        this.library = library;
        for (String keyword : library.fetchKeywords()) {
            fetchNames.putIfAbsent(mangle(keyword), keyword);
        }
        for (String keyword : library.converterKeywords()) {
            converterNames.putIfAbsent(mangle(keyword), keyword);
        }
        fetchNames.forEach((luaName, keyword) -> {
            fetchClass.methods.set(luaName, fetchMethod(keyword, false));
            stringFetchClass.methods.set(luaName, fetchMethod(keyword, true));
        });
        converterNames.forEach((luaName, keyword) -> {
            converterClass.methods.set(luaName, converterMethod(keyword, false));
            stringConverterClass.methods.set(luaName, converterMethod(keyword, true));
        });
    }

    static String mangle(String keyword) {
        return keyword.replace('.', '_').replace('-', '_').replace('+', '_');
    }

    private VarArgFunction fetchMethod(String keyword, boolean asString) {
        Compiled<Fetch> compiled = new Compiled<>(words -> library.fetch(keyword, words));
        return new VarArgFunction() {
            @Override
            public Varargs invoke(Varargs args) {
                Transaction txn = (asString ? stringFetchClass : fetchClass).self(args.arg1(), keyword);
                return result(compiled.get(args, 2).fetch(txn), asString);
            }
        };
    }

    private VarArgFunction converterMethod(String keyword, boolean asString) {
        Compiled<Converter> compiled = new Compiled<>(words -> library.converter(keyword, words));
        return new VarArgFunction() {
            @Override
            public Varargs invoke(Varargs args) {
                Transaction txn = (asString ? stringConverterClass : converterClass).self(args.arg1(), keyword);
                LuaValue input = args.arg(2);
                Converter converter = compiled.get(args, 3);
                Object sample = input.isnil() ? null : Values.toSample(input);
                if (sample == null) {
                    return asString ? LuaValue.valueOf("") : LuaValue.NIL;
                }
                return result(converter.convert(txn, sample), asString);
            }
        };
    }

    private static LuaValue result(Object sample, boolean asString) {
        if (asString) {
            String s = sample == null ? null : Samples.asString(sample);
            return Values.lua(s == null ? "" : s);
        }
        return Values.toLua(sample);
    }

    /**
     * One keyword's compiled samples by arguments. The usual calls take no argument or one
     * (a header name): those are found without building a key; more arguments use a list key.
     * Each map is bounded: a script that makes up arguments per request compiles each time.
     */
    private static final class Compiled<T> {

        private final java.util.function.Function<List<String>, T> compile;
        private T noArgument;
        private final Map<LuaValue, T> oneArgument = new HashMap<>();
        private final Map<List<String>, T> moreArguments = new HashMap<>();

        Compiled(java.util.function.Function<List<String>, T> compile) {
            this.compile = compile;
        }

        /** The sample for the arguments of {@code args} from position {@code first} on. */
        T get(Varargs args, int first) {
            int count = args.narg() - first + 1;
            if (count <= 0) {
                if (noArgument == null) {
                    noArgument = compile(List.of());
                }
                return noArgument;
            }
            if (count == 1) {
                LuaValue arg = args.arg(first);
                T found = oneArgument.get(arg);
                if (found == null) {
                    found = compile(List.of(arg.tojstring()));
                    if (oneArgument.size() < CACHE_LIMIT) {
                        oneArgument.put(arg, found);
                    }
                }
                return found;
            }
            List<String> words = new ArrayList<>(count);
            for (int i = first; i <= args.narg(); i++) {
                words.add(args.arg(i).tojstring());
            }
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
}
