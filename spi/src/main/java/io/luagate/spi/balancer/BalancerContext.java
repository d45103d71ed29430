package io.luagate.spi.balancer;

import io.luagate.spi.config.ConfigSection;
import io.luagate.spi.proxy.Server;
import java.util.List;

/**
 * What the kernel tells a {@link BalancerFactory} about one backend: its name, its {@code balance}
 * value split into the algorithm and its arguments, its hashing options, its servers, and a way to
 * read the factory's own keys and to ask for a per-stream key. The same facts are given at
 * {@link BalancerFactory#check} and at each {@link BalancerFactory#create(BalancerContext)}.
 *
 * <p>The {@code balance} value is split as HAProxy writes it: {@code random(3)} is algorithm
 * {@code random} with argument {@code 3}; {@code url_param(id)} and {@code url_param id} are
 * algorithm {@code url_param} with argument {@code id}; {@code hash req.hdr(x-user),lower} is
 * algorithm {@code hash} with the rest of the value, trimmed, as its one argument;
 * {@code leastconn} has none.
 */
public interface BalancerContext {

    /** The backend's name. */
    String backend();

    /** The algorithm as written (one of the factory's names), for example {@code "source"}. */
    String algorithm();

    /** The arguments after the algorithm, as written; empty when there are none. */
    List<String> arguments();

    /** The backend's {@code hash-type}, {@link HashType#DEFAULT} unless written. */
    HashType hashType();

    /**
     * The backend's {@code hash-balance-factor}: 0 (off, the default) or a percentage above 100.
     * A hash-based balancer then skips, along the ring, a server that already serves more than this
     * percentage of the average load (HAProxy 2.6's bounded-load consistent hashing).
     */
    int hashBalanceFactor();

    /** The backend's servers in the order written, the same objects for every loop. */
    List<? extends Server> servers();

    /**
     * The backend's own object, for the keys of the factory's plugin (which its
     * {@code reference.conf} declares under {@code defaults.backend}). The kernel's keys are already
     * read; a key that neither the kernel nor the factory reads is reported as unknown after
     * {@link BalancerFactory#check}. Problems recorded here name the key's file and line.
     */
    ConfigSection options();

    /**
     * Asks the kernel to evaluate {@code expression} (a sample expression of the rule language, for
     * example {@code src}, {@code path}, {@code url_param(id)}, {@code req.hdr(host),lower}) for
     * every stream and pass its binary value to {@link Balancer#next(Server, byte[])}. Compiled once,
     * at load; call it from {@link BalancerFactory#check} and from each
     * {@link BalancerFactory#create(BalancerContext)} alike.
     *
     * @return {@code false} when the expression does not compile; the problem is then recorded
     */
    boolean useKey(String expression);

    /** Records a problem with the backend's {@code balance} value, at its file and line. */
    void problem(String message);
}
