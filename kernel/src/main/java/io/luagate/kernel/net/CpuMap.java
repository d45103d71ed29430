package io.luagate.kernel.net;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * {@code global.cpu-map}: HAProxy 2.6's {@code cpu-map [auto:]<process-set>[/<thread-set>]
 * <cpu-set>...} lines, each binding event loops (HAProxy's threads, numbered 1 to 64) to CPUs
 * (0 to 1023). Parsed and checked when the configuration is read; {@link #cpusOf} answers per loop.
 *
 * <p>What HAProxy 2.6.12 does, run and read back from {@code /proc/<pid>/task/<tid>/status}:
 * <ul>
 *   <li>luagate is one process, as HAProxy 2.6 is: the process set is checked and otherwise
 *       plays no part (a line without a thread set binds every loop);</li>
 *   <li>a thread set of exactly thread 1 ({@code 1/1}, {@code 1/1-1}) binds every thread, not
 *       only the first, and then takes precedence over the other lines;</li>
 *   <li>{@code auto:} gives the set's n-th thread the n-th CPU of the CPU set; the two sets must
 *       be the same size (HAProxy's error; HAProxy 2.6.12 lets a few mismatched pairs through,
 *       luagate refuses them all); without a thread set, the process, so every loop, gets the
 *       set's first CPU ({@code auto:1-4 0-3}, a multi-process idiom: CPU 0);</li>
 *   <li>several CPU sets are joined; {@code N-} runs to 1023; a reversed range ({@code 3-1}) is
 *       read as its reverse; threads above the number of loops are ignored; a set of CPUs this
 *       machine lacks leaves the loop unbound (logged).</li>
 * </ul>
 */
public final class CpuMap {

    static final int MAX_THREADS = 64;
    /** Linux's CPU_SETSIZE, HAProxy 2.6's bound for a CPU number. */
    static final int MAX_CPUS = 1024;

    /** The CPUs of every loop, from lines without a thread set or with thread 1 alone; null when none. */
    private final BitSet everyLoop;
    /** The CPUs of loop n + 1, from lines with a thread set; an element is null when no line names it. */
    private final BitSet[] perLoop;
    private final List<String> lines;

    private CpuMap(BitSet everyLoop, BitSet[] perLoop, List<String> lines) {
        this.everyLoop = everyLoop;
        this.perLoop = perLoop;
        this.lines = lines;
    }

    /** No binding: the operating system places every loop. */
    public static CpuMap none() {
        return new CpuMap(null, new BitSet[MAX_THREADS], List.of());
    }

    /**
     * Parses {@code cpu-map} lines, each without its keyword ({@code "auto:1/1-2 0-1"}).
     *
     * @throws IllegalArgumentException naming the line and what is wrong in it
     */
    public static CpuMap parse(List<String> lines) {
        BitSet every = null;
        BitSet[] per = new BitSet[MAX_THREADS];
        for (String line : lines) {
            String[] words = line.trim().split("[ \t]+");
            if (words.length < 2 || words[0].isEmpty()) {
                throw new IllegalArgumentException("'" + line + "': cpu-map expects [auto:]<process-set>[/<thread-set>]"
                        + " followed by a list of CPU ranges with numbers from 0 to " + (MAX_CPUS - 1));
            }
            String target = words[0];
            boolean auto = target.startsWith("auto:");
            if (auto) {
                target = target.substring("auto:".length());
            }
            int slash = target.indexOf('/');
            BitSet processes = set(line, slash < 0 ? target : target.substring(0, slash));
            BitSet threads = slash < 0 ? null : set(line, target.substring(slash + 1));
            BitSet cpus = new BitSet(MAX_CPUS);
            for (int i = 1; i < words.length; i++) {
                cpus.or(cpus(line, words[i]));
            }
            if (auto) {
                int targets = threads == null ? processes.cardinality() : threads.cardinality();
                if (targets != cpus.cardinality()) {
                    throw new IllegalArgumentException("'" + line + "': PROC/THREAD range and CPU sets must have the"
                            + " same size to be automatically bound");
                }
            }
            boolean wholeProcess = threads == null || threads.cardinality() == 1 && threads.get(0);
            if (wholeProcess) {
                if (auto && threads == null) {
                    // HAProxy's process-wide auto: the process takes the first CPU of the set.
                    BitSet first = new BitSet(MAX_CPUS);
                    first.set(cpus.nextSetBit(0));
                    every = first;
                } else {
                    every = cpus;
                }
                continue;
            }
            int cpu = cpus.nextSetBit(0);
            for (int t = threads.nextSetBit(0); t >= 0; t = threads.nextSetBit(t + 1)) {
                if (auto) {
                    BitSet one = new BitSet(MAX_CPUS);
                    one.set(cpu);
                    per[t] = one;
                    cpu = cpus.nextSetBit(cpu + 1);
                } else {
                    per[t] = (BitSet) cpus.clone();
                }
            }
        }
        return new CpuMap(every, per, List.copyOf(lines));
    }

    public boolean isEmpty() {
        return lines.isEmpty();
    }

    public List<String> lines() {
        return lines;
    }

    /**
     * The CPUs loop {@code loop} (1-based) is bound to, or {@code null} to leave it to the
     * operating system. A loop's own line narrows the whole-process set; where they share no CPU,
     * the whole-process set stands (HAProxy: {@code 1/1 0} with {@code 1/2 1} binds both to 0).
     */
    public BitSet cpusOf(int loop) {
        BitSet own = loop >= 1 && loop <= MAX_THREADS ? perLoop[loop - 1] : null;
        if (own == null) {
            return everyLoop == null ? null : (BitSet) everyLoop.clone();
        }
        if (everyLoop == null) {
            return (BitSet) own.clone();
        }
        BitSet both = (BitSet) own.clone();
        both.and(everyLoop);
        return both.isEmpty() ? (BitSet) everyLoop.clone() : both;
    }

    /** HAProxy's process and thread sets: {@code all}, {@code odd}, {@code even}, N, N-M, N- (1 to 64), 0-based bits. */
    private static BitSet set(String line, String text) {
        BitSet set = new BitSet(MAX_THREADS);
        switch (text) {
            case "all" -> set.set(0, MAX_THREADS);
            case "odd" -> {
                for (int i = 0; i < MAX_THREADS; i += 2) {
                    set.set(i);
                }
            }
            case "even" -> {
                for (int i = 1; i < MAX_THREADS; i += 2) {
                    set.set(i);
                }
            }
            default -> {
                int[] range = range(text, 1, MAX_THREADS);
                if (range == null) {
                    throw new IllegalArgumentException("'" + line + "': '" + text + "' is not a valid number/range."
                            + " It supports numbers from 1 to " + MAX_THREADS + ".");
                }
                set.set(range[0] - 1, range[1]);
            }
        }
        return set;
    }

    private static BitSet cpus(String line, String text) {
        int[] range = range(text, 0, MAX_CPUS - 1);
        if (range == null) {
            throw new IllegalArgumentException("'" + line + "': '" + text + "' is not a CPU range (numbers from 0 to "
                    + (MAX_CPUS - 1) + ", N or N-M or N-).");
        }
        BitSet set = new BitSet(MAX_CPUS);
        set.set(range[0], range[1] + 1);
        return set;
    }

    /** {@code N}, {@code N-M} or {@code N-} (to {@code max}) within [min, max], M-N as N-M; null when not one. */
    private static int[] range(String text, int min, int max) {
        int dash = text.indexOf('-');
        String low = dash < 0 ? text : text.substring(0, dash);
        String high = dash < 0 ? text : text.substring(dash + 1);
        Integer from = number(low);
        Integer to = high.isEmpty() && dash >= 0 ? Integer.valueOf(max) : number(high);
        if (from == null || to == null) {
            return null;
        }
        int a = Math.min(from, to);
        int b = Math.max(from, to);
        return a < min || b > max ? null : new int[] {a, b};
    }

    private static Integer number(String text) {
        if (text.isEmpty() || text.length() > 9) {
            return null;
        }
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) < '0' || text.charAt(i) > '9') {
                return null;
            }
        }
        return Integer.parseInt(text);
    }
}
