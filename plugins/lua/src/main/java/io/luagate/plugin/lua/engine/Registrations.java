package io.luagate.plugin.lua.engine;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;

/** What one state's scripts registered with {@code core.register_*}. */
public final class Registrations {

    /** A registered action for one rule list: its function and its argument count. */
    public record ActionEntry(LuaValue function, int arguments) {
    }

    /** A registered service and its mode ({@code http} or {@code tcp}). */
    public record ServiceEntry(LuaValue function, String mode) {
    }

    /** A registered filter: its class table, and the function each {@code filter lua.<name>} line calls with a copy of it. */
    public record FilterEntry(LuaTable filterClass, LuaValue init) {
    }

    public final Map<String, LuaValue> fetches = new LinkedHashMap<>();
    public final Map<String, LuaValue> converters = new LinkedHashMap<>();
    /**
     * Actions by name, then by environment ({@code http-req}, {@code http-res}, {@code tcp-req},
     * {@code tcp-res}): as in HAProxy, one name registered for two environments is two
     * independent actions, each with its own function and argument count.
     */
    public final Map<String, Map<String, ActionEntry>> actions = new LinkedHashMap<>();
    public final Map<String, ServiceEntry> services = new LinkedHashMap<>();
    public final Map<String, FilterEntry> filters = new LinkedHashMap<>();
    public final List<LuaValue> inits = new ArrayList<>();
    public final List<LuaValue> tasks = new ArrayList<>();

    /**
     * Registers {@code name} for {@code environment}. A second registration for the same
     * environment is ignored, as HAProxy's rule parser keeps finding the first one.
     */
    public void action(String name, String environment, ActionEntry entry) {
        actions.computeIfAbsent(name, n -> new LinkedHashMap<>()).putIfAbsent(environment, entry);
    }

    /** Every name with its kind, for the shared/per-thread consistency check. */
    Map<String, String> names() {
        Map<String, String> names = new LinkedHashMap<>();
        fetches.keySet().forEach(n -> names.put("fetch " + n, n));
        converters.keySet().forEach(n -> names.put("converter " + n, n));
        actions.forEach((n, envs) -> envs.keySet().forEach(env -> names.put("action " + n + " (" + env + ")", n)));
        services.keySet().forEach(n -> names.put("service " + n, n));
        filters.keySet().forEach(n -> names.put("filter " + n, n));
        return names;
    }
}
