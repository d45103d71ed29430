package io.luagate.kernel;

import com.typesafe.config.Config;
import io.luagate.kernel.config.Settings;
import io.luagate.kernel.net.BoundListener;
import io.luagate.kernel.net.Listeners;
import io.luagate.kernel.proxy.DefaultFrontend;
import io.luagate.kernel.stream.Acceptor;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The listeners' side of a reload, from one generation to the next. A bind of the new
 * configuration equal to an open one of the old (same address, thread, TLS settings and
 * protocol, whatever frontend holds it) keeps its sockets: they are never closed nor bound again,
 * so not one connection is refused, and their acceptor routes to the new generation from the
 * switch on. Other binds of the new configuration are bound first, all or none (a bind that fails
 * refuses the reload). Binds of the old one left over close.
 */
final class GenerationSwitch {

    /** Makes the acceptor of a newly bound listener. */
    interface Acceptors {
        Acceptor make(DefaultFrontend frontend, BoundListener listener, Generation generation);
    }

    /** What identifies a bind across reloads: everything but where it was written. */
    private record BindKey(InetSocketAddress address, int thread, Config tls, String proto) {
        static BindKey of(Settings.Bind bind) {
            return new BindKey(bind.address(), bind.thread(), bind.tls(), bind.proto());
        }
    }

    /** A bind entry of the new generation, with its frontend. */
    private record Place(DefaultFrontend frontend, BoundListener listener) {
    }

    private final Generation old;
    private final Generation fresh;
    private final Listeners listeners;
    private final Acceptors acceptors;
    /** New binds that keep an old listener's sockets, with that listener. */
    private final Map<Place, BoundListener> kept = new HashMap<>();
    private final List<Place> opened = new ArrayList<>();
    private final Set<Acceptor> rerouted = Collections.newSetFromMap(new IdentityHashMap<>());
    private final List<String> notes = new ArrayList<>();
    private int closed;

    GenerationSwitch(Generation old, Generation fresh, Listeners listeners, Acceptors acceptors) {
        this.old = old;
        this.fresh = fresh;
        this.listeners = listeners;
        this.acceptors = acceptors;
        Map<BindKey, ArrayDeque<BoundListener>> open = new HashMap<>();
        for (DefaultFrontend frontend : old.proxies().frontends().values()) {
            for (BoundListener listener : frontend.listeners()) {
                if (listener.listening() && listener.acceptor() instanceof Acceptor) {
                    open.computeIfAbsent(BindKey.of(listener.bind()), key -> new ArrayDeque<>()).add(listener);
                }
            }
        }
        for (DefaultFrontend frontend : fresh.proxies().frontends().values()) {
            for (BoundListener listener : frontend.listeners()) {
                ArrayDeque<BoundListener> same = open.get(BindKey.of(listener.bind()));
                BoundListener was = same == null ? null : same.poll();
                if (was != null) {
                    kept.put(new Place(frontend, listener), was);
                } else {
                    opened.add(new Place(frontend, listener));
                }
            }
        }
    }

    /** Binds the new generation's new addresses, waiting; the first failure is thrown (then {@link #abandon}). */
    void bindNew() {
        for (Place place : opened) {
            listeners.bind(place.listener(), acceptors.make(place.frontend(), place.listener(), fresh));
            notes.add("frontend " + place.frontend().name() + ": listening on " + place.listener().bind().address());
        }
    }

    /** Closes what {@link #bindNew} opened: the reload is refused. */
    void abandon() {
        for (DefaultFrontend frontend : fresh.proxies().frontends().values()) {
            frontend.stop();
        }
    }

    /** Moves the kept sockets to the new generation's listeners; from now on they accept for it. */
    void handOver() {
        kept.forEach((place, was) -> {
            Acceptor acceptor = (Acceptor) was.acceptor();
            place.listener().takeOver(was);
            acceptor.reroute(new Acceptor.Route(place.frontend(), place.listener(), fresh.lease()));
            rerouted.add(acceptor);
        });
    }

    /**
     * Closes the old generation's listeners that were not kept; their connections are told their
     * socket is gone ({@link Acceptor#retire}), so they drain.
     */
    void closeRemoved() {
        for (DefaultFrontend frontend : old.proxies().frontends().values()) {
            for (BoundListener listener : frontend.listeners()) {
                if (listener.acceptor() instanceof Acceptor acceptor && !rerouted.contains(acceptor)) {
                    acceptor.retire();
                    if (listener.listening()) {
                        closed++;
                        notes.add("frontend " + frontend.name() + ": no longer listening on " + listener.address());
                    }
                }
            }
            // Stops only what is still this frontend's: the kept sockets were handed over.
            frontend.stop();
        }
    }

    int kept() {
        return kept.size();
    }

    int opened() {
        return opened.size();
    }

    int closed() {
        return closed;
    }

    List<String> notes() {
        return List.copyOf(notes);
    }
}
