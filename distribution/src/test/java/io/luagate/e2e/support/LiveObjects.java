package io.luagate.e2e.support;

import java.lang.management.ManagementFactory;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * What this JVM's heap holds after a full GC, by class: the HotSpot {@code GC.class_histogram}
 * diagnostic command ({@code jcmd <pid> GC.class_histogram}), which collects before it counts, so
 * only reachable objects are in it. Classes of the same name from different class loaders (a class
 * of a plugin loaded by two plugin loaders) are added up.
 *
 * @param instances    live instances per class name
 * @param bytesByClass live bytes per class name
 * @param bytes        live bytes of the whole heap
 */
public record LiveObjects(Map<String, Long> instances, Map<String, Long> bytesByClass, long bytes) {

    /** Collects, then counts. Takes a full GC: a few hundred milliseconds on a test JVM. */
    public static LiveObjects now() {
        try {
            MBeanServer server = ManagementFactory.getPlatformMBeanServer();
            String text = (String) server.invoke(new ObjectName("com.sun.management:type=DiagnosticCommand"),
                    "gcClassHistogram", new Object[] {new String[0]}, new String[] {String[].class.getName()});
            return parse(text);
        } catch (Exception e) {
            throw new IllegalStateException("GC.class_histogram is not available in this JVM", e);
        }
    }

    /** Parses lines of the form {@code "  12:   345   6789  io.netty.Foo (io.netty@4.2)"} and the Total line. */
    static LiveObjects parse(String histogram) {
        Map<String, Long> instances = new HashMap<>();
        Map<String, Long> bytes = new HashMap<>();
        long total = -1;
        for (String line : histogram.split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length >= 4 && f[0].endsWith(":")) {
                instances.merge(f[3], Long.parseLong(f[1]), Long::sum);
                bytes.merge(f[3], Long.parseLong(f[2]), Long::sum);
            } else if (f.length >= 3 && f[0].equals("Total")) {
                total = Long.parseLong(f[2]);
            }
        }
        if (total < 0 || instances.isEmpty()) {
            throw new IllegalStateException("unexpected class histogram:\n" + histogram);
        }
        return new LiveObjects(Map.copyOf(instances), Map.copyOf(bytes), total);
    }

    /** Live instances of the class {@code name} (0 when there are none). */
    public long count(String name) {
        return instances.getOrDefault(name, 0L);
    }

    /** Instances of each class that grew by at least {@code min} since {@code before}, largest first. */
    public Map<String, Long> grownSince(LiveObjects before, long min) {
        return grown(instances, before.instances, min);
    }

    /** Bytes of each class that grew by at least {@code min} since {@code before}, largest first. */
    public Map<String, Long> bytesGrownSince(LiveObjects before, long min) {
        return grown(bytesByClass, before.bytesByClass, min);
    }

    private static Map<String, Long> grown(Map<String, Long> now, Map<String, Long> before, long min) {
        Map<String, Long> grown = new LinkedHashMap<>();
        now.entrySet().stream()
                .map(e -> Map.entry(e.getKey(), e.getValue() - before.getOrDefault(e.getKey(), 0L)))
                .filter(e -> e.getValue() >= min)
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .forEach(e -> grown.put(e.getKey(), e.getValue()));
        return grown;
    }
}
