package io.luagate.plugin.lua.api;

import io.luagate.plugin.lua.lib.LuaArgs;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaUserdata;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.lib.VarArgFunction;

/**
 * One class of HAProxy's Lua object model: objects are plain tables whose slot {@code [0]} holds
 * the Java object, with a per-class metatable whose {@code __index} holds the methods. Scripts may
 * add fields to them, as in HAProxy.
 */
final class LuaClass {

    /** A method body: the Java object, and the arguments after {@code self}. */
    @FunctionalInterface
    interface Method<T> {
        Varargs call(T self, Varargs args);
    }

    private final String name;
    private final Class<?> type;
    final LuaTable methods = new LuaTable();
    final LuaTable metatable = new LuaTable();

    LuaClass(String name, Class<?> type) {
        this.name = name;
        this.type = type;
        metatable.set(LuaValue.INDEX, methods);
        // HAProxy's hlua_dump_object. (Inside the function, a bare "name" would be LibFunction's own field.)
        LuaValue text = LuaValue.valueOf("HAProxy class " + name);
        metatable.set("__tostring", new VarArgFunction() {
            @Override
            public Varargs invoke(Varargs args) {
                return text;
            }
        });
    }

    /**
     * Gives objects of this class a data field made on first read (then stored in the object, as
     * HAProxy stores it at creation): a rule that never touches {@code txn.c} does not pay for it.
     */
    <T> LuaClass lazyField(String field, java.util.function.Function<T, LuaValue> make) {
        lazyFields.put(field, make);
        metatable.set(LuaValue.INDEX, new org.luaj.vm2.lib.TwoArgFunction() {
            @Override
            @SuppressWarnings("unchecked")
            public LuaValue call(LuaValue object, LuaValue key) {
                LuaValue method = methods.rawget(key);
                if (!method.isnil()) {
                    return method;
                }
                java.util.function.Function<Object, LuaValue> maker =
                        (java.util.function.Function<Object, LuaValue>) lazyFields.get(LuaArgs.jstring(key));
                if (maker == null) {
                    return NIL;
                }
                // Made without the liveness check: the Java side reads it before the call starts
                // (a filter's txn.req), and every method of what it makes checks on use.
                LuaValue value = maker.apply(unchecked(object, LuaArgs.jstring(key)));
                object.rawset(key, value);
                return value;
            }
        });
        return this;
    }

    private final java.util.Map<String, java.util.function.Function<?, LuaValue>> lazyFields = new java.util.HashMap<>();

    /** Adds a method called with {@code obj:name(...)}. */
    <T> LuaClass method(String methodName, Method<T> body) {
        methods.set(methodName, new VarArgFunction() {
            @Override
            public Varargs invoke(Varargs args) {
                return body.call(self(args.arg1(), methodName), args.subargs(2));
            }
        });
        return this;
    }

    /** A new object of this class around {@code object}. */
    LuaTable wrap(Object object) {
        LuaTable t = new LuaTable();
        t.rawset(0, new LuaUserdata(object));
        t.setmetatable(metatable);
        return t;
    }

    /** The Java object of {@code value}, which must be of this class and, if it stands for a request, in a call for it. */
    <T> T self(LuaValue value, String methodName) {
        T object = unchecked(value, methodName);
        RequestBound.checkLive(object, name, methodName);
        return object;
    }

    @SuppressWarnings("unchecked")
    private <T> T unchecked(LuaValue value, String methodName) {
        if (value.istable() && value.getmetatable() == metatable) {
            LuaValue slot = value.rawget(0);
            if (slot.isuserdata() && type.isInstance(slot.touserdata())) {
                return (T) slot.touserdata();
            }
        }
        throw new LuaError("bad argument #1 to '" + methodName + "' (" + name + " expected, got " + value.typename()
                + "; call it as obj:" + methodName + "(...))");
    }
}
