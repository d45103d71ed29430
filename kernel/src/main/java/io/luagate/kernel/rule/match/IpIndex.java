package io.luagate.kernel.rule.match;

import java.util.Arrays;

/**
 * {@code ip}: HAProxy's two prefix trees (IPv4 networks with a contiguous mask, IPv6 networks)
 * searched for the longest match, plus a list for IPv4 networks with a non-contiguous dotted mask.
 *
 * <p>An IPv4 sample is looked up in the IPv4 tree, then as {@code ::ffff:a.b.c.d} in the IPv6 tree,
 * then in the list. An IPv6 sample is looked up in the IPv6 tree; then, if it is IPv4-mapped
 * ({@code ::ffff:a.b.c.d}), IPv4-compatible ({@code ::a.b.c.d}) or 6to4 ({@code 2002:AABB:CCDD::}),
 * its IPv4 address in the IPv4 tree and the list.
 */
final class IpIndex implements PatternIndex {

    /** One network: IPv4 ({@code v6 == null}) or IPv6, with its prefix length or, for IPv4, a mask. */
    record Network(int v4, int v4Mask, byte[] v6, int prefix) {
    }

    private final BitTrie v4Tree = new BitTrie();
    private final BitTrie v6Tree = new BitTrie();
    private final int[] listAddresses;
    private final int[] listMasks;
    private final int[] listOrdinals;

    IpIndex(java.util.List<Network> networks) {
        int[] addresses = new int[networks.size()];
        int[] masks = new int[networks.size()];
        int[] ordinals = new int[networks.size()];
        int listed = 0;
        for (int i = 0; i < networks.size(); i++) {
            Network n = networks.get(i);
            if (n.v6() != null) {
                v6Tree.insert(high(n.v6()), low(n.v6()), n.prefix(), i);
            } else if (n.v4Mask() + (n.v4Mask() & -n.v4Mask()) == 0) {
                v4Tree.insert((n.v4() & 0xFFFFFFFFL) << 32, 0, Integer.bitCount(n.v4Mask()), i);
            } else {
                addresses[listed] = n.v4();
                masks[listed] = n.v4Mask();
                ordinals[listed++] = i;
            }
        }
        listAddresses = Arrays.copyOf(addresses, listed);
        listMasks = Arrays.copyOf(masks, listed);
        listOrdinals = Arrays.copyOf(ordinals, listed);
        v4Tree.trim();
        v6Tree.trim();
    }

    private static long high(byte[] a) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (a[i] & 0xFF);
        }
        return v;
    }

    private static long low(byte[] a) {
        long v = 0;
        for (int i = 8; i < 16; i++) {
            v = (v << 8) | (a[i] & 0xFF);
        }
        return v;
    }

    @Override
    public int find(Object sample) {
        byte[] address = IpAddresses.castToAddress(sample);
        if (address == null) {
            return NO_SAMPLE;
        }
        if (address.length == 4) {
            int v4 = ((address[0] & 0xFF) << 24) | ((address[1] & 0xFF) << 16) | ((address[2] & 0xFF) << 8) | (address[3] & 0xFF);
            long v4Long = v4 & 0xFFFFFFFFL;
            int found = v4Tree.longest(v4Long << 32, 0, 32);
            if (found < 0) {
                found = v6Tree.longest(0, 0x0000FFFF00000000L | v4Long, 128);
            }
            if (found < 0) {
                found = inList(v4);
            }
            return found < 0 ? NO_MATCH : found;
        }
        long hi = high(address);
        long lo = low(address);
        int found = v6Tree.longest(hi, lo, 128);
        if (found >= 0) {
            return found;
        }
        int v4;
        if (hi == 0 && ((lo >>> 32) == 0 || (lo >>> 32) == 0xFFFFL)) {
            v4 = (int) lo;
        } else if ((hi >>> 48) == 0x2002L) {
            v4 = (int) (hi >>> 16);
        } else {
            return NO_MATCH;
        }
        found = v4Tree.longest((v4 & 0xFFFFFFFFL) << 32, 0, 32);
        if (found < 0) {
            found = inList(v4);
        }
        return found < 0 ? NO_MATCH : found;
    }

    private int inList(int v4) {
        for (int i = 0; i < listAddresses.length; i++) {
            if (((v4 ^ listAddresses[i]) & listMasks[i]) == 0) {
                return listOrdinals[i];
            }
        }
        return -1;
    }

    /**
     * A binary trie on the leading bits of a 128-bit key (IPv4 keys use the first 32): each node
     * holds the smallest ordinal of the networks whose prefix ends there.
     */
    static final class BitTrie {
        private int[] zero = new int[16];
        private int[] one = new int[16];
        private int[] ordinal = new int[16];
        private int size = 1;

        BitTrie() {
            ordinal[0] = -1;
        }

        private static int bit(long hi, long lo, int depth) {
            return (int) (depth < 64 ? (hi >>> (63 - depth)) & 1 : (lo >>> (127 - depth)) & 1);
        }

        void insert(long hi, long lo, int prefix, int ord) {
            int node = 0;
            for (int depth = 0; depth < prefix; depth++) {
                int[] side = bit(hi, lo, depth) == 0 ? zero : one;
                int next = side[node];
                if (next == 0) {
                    next = newNode();
                    (bit(hi, lo, depth) == 0 ? zero : one)[node] = next;
                }
                node = next;
            }
            if (ordinal[node] < 0) {
                ordinal[node] = ord;
            }
        }

        private int newNode() {
            if (size == ordinal.length) {
                int capacity = size * 2;
                zero = Arrays.copyOf(zero, capacity);
                one = Arrays.copyOf(one, capacity);
                ordinal = Arrays.copyOf(ordinal, capacity);
            }
            ordinal[size] = -1;
            return size++;
        }

        void trim() {
            zero = Arrays.copyOf(zero, size);
            one = Arrays.copyOf(one, size);
            ordinal = Arrays.copyOf(ordinal, size);
        }

        /** The ordinal of the longest prefix of the key present in the trie, or -1. */
        int longest(long hi, long lo, int bits) {
            int node = 0;
            int best = ordinal[0];
            for (int depth = 0; depth < bits; depth++) {
                node = bit(hi, lo, depth) == 0 ? zero[node] : one[node];
                if (node == 0) {
                    break;
                }
                if (ordinal[node] >= 0) {
                    best = ordinal[node];
                }
            }
            return best;
        }
    }
}
