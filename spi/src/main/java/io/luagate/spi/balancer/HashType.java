package io.luagate.spi.balancer;

/**
 * A backend's {@code hash-type}: HAProxy's {@code hash-type <method> [<function> [avalanche]]},
 * parsed and checked by the kernel. Hash-based balancers read it from their {@link BalancerContext};
 * others ignore it.
 *
 * @param method    map-based (HAProxy's default) or consistent
 * @param function  the hash function, {@link HashFunction#SDBM} unless written
 * @param avalanche whether the hash is mixed once more (HAProxy's {@code avalanche} modifier, its
 *                  {@code full_hash}) before it picks a server
 */
public record HashType(HashMethod method, HashFunction function, boolean avalanche) {

    /** HAProxy's default: {@code map-based sdbm}, no avalanche. */
    public static final HashType DEFAULT = new HashType(HashMethod.MAP_BASED, HashFunction.SDBM, false);
}
