package io.luagate.kernel.config;

import com.typesafe.config.ConfigOrigin;
import java.util.ArrayList;
import java.util.List;

/** Collects configuration problems so that one run reports all of them. */
public final class Problems {

    private final List<ConfigProblem> list = new ArrayList<>();

    public void add(ConfigOrigin origin, String key, String message) {
        list.add(ConfigProblem.at(origin, key, message));
    }

    public void add(ConfigProblem problem) {
        list.add(problem);
    }

    public boolean isEmpty() {
        return list.isEmpty();
    }

    public List<ConfigProblem> list() {
        return List.copyOf(list);
    }

    /** Throws when anything was collected. */
    public void throwIfAny() {
        if (!list.isEmpty()) {
            throw new InvalidConfigException(list);
        }
    }
}
