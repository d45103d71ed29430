package io.luagate.kernel.plugin;

import com.google.inject.ConfigurationException;
import com.google.inject.TypeLiteral;
import com.google.inject.spi.Dependency;
import com.google.inject.spi.InjectionPoint;
import io.luagate.spi.pattern.PatternFiles;
import io.luagate.spi.sample.SampleLibrary;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What an extension's {@code @Inject} constructor (or field, or method) may ask for: the SPI
 * services listed here, which the kernel's module binds, and the plugin's own classes, which ask
 * the same in turn. Anything else (a kernel class, a JDK type) is refused before Guice is asked,
 * so the refusal names the plugin and the type in one line.
 */
public final class InjectableServices {

    /** The SPI services bound for extensions; the README's "What a plugin may inject" lists the same. */
    public static final List<Class<?>> TYPES = List.of(SampleLibrary.class, PatternFiles.class);

    private InjectableServices() {
    }

    /** Why {@code type} (a class of the plugin loaded by {@code loader}) cannot be made, or {@code null}. */
    static String refusal(Class<?> type, ClassLoader loader) {
        return refusal(type, loader, new HashSet<>());
    }

    private static String refusal(Class<?> type, ClassLoader loader, Set<Class<?>> seen) {
        if (!seen.add(type)) {
            return null;
        }
        List<Dependency<?>> dependencies = new ArrayList<>();
        try {
            dependencies.addAll(InjectionPoint.forConstructorOf(TypeLiteral.get(type)).getDependencies());
            for (InjectionPoint point : InjectionPoint.forInstanceMethodsAndFields(type)) {
                dependencies.addAll(point.getDependencies());
            }
        } catch (ConfigurationException e) {
            return type.getName() + " cannot be made: it needs a public no-argument constructor or one marked @Inject";
        }
        for (Dependency<?> dependency : dependencies) {
            Class<?> asked = dependency.getKey().getTypeLiteral().getRawType();
            if (TYPES.contains(asked) && dependency.getKey().getAnnotationType() == null) {
                continue;
            }
            if (asked.getClassLoader() == loader && !asked.isInterface()) {
                String inner = refusal(asked, loader, seen);
                if (inner != null) {
                    return inner;
                }
                continue;
            }
            return type.getName() + " asks for " + asked.getName() + ", which a plugin cannot inject (it may inject "
                    + TYPES.stream().map(Class::getSimpleName).collect(Collectors.joining(", "))
                    + " and its own classes)";
        }
        return null;
    }
}
