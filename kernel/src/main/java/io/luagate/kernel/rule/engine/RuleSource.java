package io.luagate.kernel.rule.engine;

import io.luagate.spi.filter.Filter;
import io.luagate.spi.rule.Action;
import io.luagate.spi.rule.ProxySide;
import io.luagate.spi.rule.RuleList;
import java.util.List;

/** Where a stream's rule engine finds the compiled lists and filters of the stream's proxies. */
public interface RuleSource {

    /** The compiled {@code list}; empty when its proxy has none, or for a backend's list before a backend is chosen. */
    List<Action> rules(RuleList list);

    /** The filters declared on {@code side}, in order; empty before a backend is chosen. */
    List<Filter> filters(ProxySide side);
}
