package io.luagate.kernel.rule.match;

import io.luagate.spi.http.AsciiFold;
import io.luagate.spi.sample.Samples;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A character trie for {@code beg}, {@code end} (built on the reversed patterns and walked from the
 * end of the sample) and {@code sub} (an Aho-Corasick automaton over the same trie), so that a
 * look-up costs the length of the sample, not the number of patterns. Each node remembers the
 * smallest position of the patterns ending there, which gives HAProxy's precedence:
 * {@link Mode#LONGEST_PREFIX} for its prefix tree, "first in file order" for its lists.
 */
final class CharTrie implements PatternIndex {

    enum Mode {
        /** beg without -i (HAProxy's prefix tree): the longest prefix wins. */
        LONGEST_PREFIX,
        /** beg with -i (a list in HAProxy): the first matching prefix in file order. */
        FIRST_PREFIX,
        /** end: the first matching suffix in file order. */
        FIRST_SUFFIX,
        /** sub: the first pattern, in file order, found anywhere in the sample. */
        FIRST_INFIX
    }

    private static final char[] NO_LABELS = new char[0];
    private static final Node[] NO_CHILDREN = new Node[0];

    private static final class Node {
        char[] labels = NO_LABELS;
        Node[] children = NO_CHILDREN;
        int ordinal = -1;
        /** sub only: the smallest ordinal among the patterns ending at this node or its suffix links. */
        int output = -1;
        Node fail;
        /** while building */
        TreeMap<Character, Node> building = new TreeMap<>();

        Node child(char c) {
            char[] l = labels;
            int low = 0;
            int high = l.length - 1;
            while (low <= high) {
                int mid = (low + high) >>> 1;
                char m = l[mid];
                if (m < c) {
                    low = mid + 1;
                } else if (m > c) {
                    high = mid - 1;
                } else {
                    return children[mid];
                }
            }
            return null;
        }
    }

    private final Node root = new Node();
    private final Mode mode;
    private final boolean ignoreCase;

    CharTrie(List<String> patterns, Mode mode, boolean ignoreCase) {
        this.mode = mode;
        this.ignoreCase = ignoreCase;
        for (int i = 0; i < patterns.size(); i++) {
            String p = patterns.get(i);
            if (mode == Mode.FIRST_INFIX && p.isEmpty()) {
                continue; // HAProxy's sub never finds an empty pattern
            }
            Node node = root;
            int length = p.length();
            for (int k = 0; k < length; k++) {
                char c = p.charAt(mode == Mode.FIRST_SUFFIX ? length - 1 - k : k);
                if (ignoreCase) {
                    c = AsciiFold.fold(c);
                }
                node = node.building.computeIfAbsent(c, x -> new Node());
            }
            if (node.ordinal < 0) {
                node.ordinal = i;
            }
        }
        freeze(root);
        if (mode == Mode.FIRST_INFIX) {
            link();
        }
    }

    private static void freeze(Node top) {
        ArrayDeque<Node> todo = new ArrayDeque<>();
        todo.add(top);
        while (!todo.isEmpty()) {
            Node node = todo.poll();
            int n = node.building.size();
            node.labels = n == 0 ? NO_LABELS : new char[n];
            node.children = n == 0 ? NO_CHILDREN : new Node[n];
            int k = 0;
            for (Map.Entry<Character, Node> e : node.building.entrySet()) {
                node.labels[k] = e.getKey();
                node.children[k++] = e.getValue();
                todo.add(e.getValue());
            }
            node.building = null;
        }
    }

    /** Aho-Corasick suffix links, breadth first, and the best output of each node. */
    private void link() {
        ArrayDeque<Node> todo = new ArrayDeque<>();
        root.fail = root;
        root.output = root.ordinal;
        for (Node child : root.children) {
            child.fail = root;
            child.output = min(child.ordinal, root.output);
            todo.add(child);
        }
        while (!todo.isEmpty()) {
            Node node = todo.poll();
            for (int k = 0; k < node.labels.length; k++) {
                char c = node.labels[k];
                Node child = node.children[k];
                Node f = node.fail;
                Node target = f.child(c);
                while (target == null && f != root) {
                    f = f.fail;
                    target = f.child(c);
                }
                child.fail = target == null || target == child ? root : target;
                child.output = min(child.ordinal, child.fail.output);
                todo.add(child);
            }
        }
    }

    private static int min(int a, int b) {
        if (a < 0) {
            return b;
        }
        return b < 0 ? a : Math.min(a, b);
    }

    @Override
    public int find(Object sample) {
        String s = Samples.asString(sample);
        if (s == null) {
            return NO_SAMPLE;
        }
        int found = switch (mode) {
            case LONGEST_PREFIX -> longestPrefix(s);
            case FIRST_PREFIX, FIRST_SUFFIX -> firstAlongPath(s, mode == Mode.FIRST_SUFFIX);
            case FIRST_INFIX -> firstInfix(s);
        };
        return found < 0 ? NO_MATCH : found;
    }

    private char at(String s, int i) {
        char c = s.charAt(i);
        return ignoreCase ? AsciiFold.fold(c) : c;
    }

    private int longestPrefix(String s) {
        Node node = root;
        int best = root.ordinal;
        for (int i = 0; i < s.length(); i++) {
            node = node.child(at(s, i));
            if (node == null) {
                break;
            }
            if (node.ordinal >= 0) {
                best = node.ordinal;
            }
        }
        return best;
    }

    private int firstAlongPath(String s, boolean reversed) {
        Node node = root;
        int best = root.ordinal;
        int length = s.length();
        for (int i = 0; i < length && best != 0; i++) {
            node = node.child(at(s, reversed ? length - 1 - i : i));
            if (node == null) {
                break;
            }
            best = min(best, node.ordinal);
        }
        return best;
    }

    private int firstInfix(String s) {
        Node state = root;
        int best = -1;
        for (int i = 0; i < s.length(); i++) {
            char c = at(s, i);
            Node next = state.child(c);
            while (next == null && state != root) {
                state = state.fail;
                next = state.child(c);
            }
            state = next == null ? root : next;
            if (state.output >= 0) {
                best = min(best, state.output);
                if (best == 0) {
                    break;
                }
            }
        }
        return best;
    }
}
