package io.luagate.kernel.plugin;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Which plugin provides each name (a mode, a balance algorithm, an action...): the one place
 * where two providers of one name are found, so that neither silently wins.
 */
public final class ProvidedNames {

    /** The owner of names built into the kernel itself. */
    public static final String KERNEL = "kernel";

    private final Map<ProvidedKind, Map<String, String>> owners = new EnumMap<>(ProvidedKind.class);
    private final Map<String, String> labels = new TreeMap<>();

    /** How problems name plugin {@code id}: {@code 'id' version (file)}. */
    /** Takes {@code other}'s plugin labels, none of its claims (a new generation claims its names anew). */
    void labelsFrom(ProvidedNames other) {
        Map<String, String> copy;
        synchronized (other) {
            copy = new TreeMap<>(other.labels);
        }
        synchronized (this) {
            labels.putAll(copy);
        }
    }

    synchronized void label(String id, String label) {
        labels.put(id, label);
    }

    /**
     * Records that {@code plugin} provides {@code name}.
     *
     * @return {@code null}, or the problem naming both providers when another already provides it
     *         (the name then stays with the first, and the start is refused)
     */
    public synchronized String claim(ProvidedKind kind, String name, String plugin) {
        Map<String, String> names = owners.computeIfAbsent(kind, k -> new TreeMap<>());
        String earlier = names.putIfAbsent(name, plugin);
        if (earlier == null || earlier.equals(plugin)) {
            // A plugin may register one name for several places (an action for requests and responses).
            return null;
        }
        String what = name.startsWith("(") ? kind.label() + " " + name : kind.label() + " '" + name + "'";
        return what + " is provided by two plugins: " + describe(earlier) + " and "
                + describe(plugin) + "; remove one of them";
    }

    private String describe(String plugin) {
        if (plugin.equals(KERNEL)) {
            return "the kernel (built in)";
        }
        String label = labels.get(plugin);
        return label == null ? "'" + plugin + "'" : label;
    }

    /** The plugin that provides {@code name}, or {@code null}. */
    public synchronized String owner(ProvidedKind kind, String name) {
        return owners.getOrDefault(kind, Map.of()).get(name);
    }

    /** Every name of {@code kind} any plugin provides, sorted. */
    public synchronized Set<String> names(ProvidedKind kind) {
        Set<String> names = new TreeSet<>();
        owners.getOrDefault(kind, Map.of()).forEach((name, owner) -> {
            if (!owner.equals(KERNEL)) {
                names.add(name);
            }
        });
        return names;
    }

    /** What {@code plugin} provides, by kind in listing order, each sorted. */
    public synchronized Map<ProvidedKind, List<String>> of(String plugin) {
        Map<ProvidedKind, List<String>> provided = new EnumMap<>(ProvidedKind.class);
        owners.forEach((kind, names) -> names.forEach((name, owner) -> {
            if (owner.equals(plugin)) {
                provided.computeIfAbsent(kind, k -> new ArrayList<>()).add(name);
            }
        }));
        return provided;
    }
}
