package io.luagate.kernel.plugin;

/** Java sources of the small plugins the tests build into real jars. */
final class TestPluginSources {

    private TestPluginSources() {
    }

    /** A balancer factory of algorithm {@code algorithm}, class {@code pkg.TestBalancer}. */
    static String balancer(String pkg, String algorithm) {
        return """
                package %s;

                import io.luagate.spi.balancer.Balancer;
                import io.luagate.spi.balancer.BalancerFactory;
                import io.luagate.spi.proxy.Server;
                import java.util.List;

                @org.pf4j.Extension
                public final class TestBalancer implements BalancerFactory {
                    @Override
                    public String algorithm() {
                        return "%s";
                    }

                    @Override
                    public Balancer create(List<? extends Server> servers) {
                        return avoid -> servers.get(0);
                    }
                }
                """.formatted(pkg, algorithm);
    }

    /**
     * An extension, class {@code pkg.TestExtension}, whose constructor takes {@code constructorArgs}
     * (a parameter list) and runs {@code constructorBody}; its configure runs {@code configureBody}
     * with {@code context} in scope.
     */
    static String extension(String pkg, String constructorArgs, String constructorBody, String configureBody) {
        return extension(pkg, null, constructorArgs, constructorBody, configureBody);
    }

    /** The same, reading configuration section {@code section} (or none when {@code null}). */
    static String extension(String pkg, String section, String constructorArgs, String constructorBody,
                            String configureBody) {
        return """
                package %s;

                import io.luagate.spi.extension.Extension;
                import io.luagate.spi.extension.ExtensionContext;
                import io.luagate.spi.extension.ExtensionRuntime;
                import io.luagate.spi.pattern.PatternFiles;
                import io.luagate.spi.sample.SampleLibrary;
                import io.luagate.spi.vocabulary.ActionPlace;
                import java.util.List;
                import java.util.Set;

                @org.pf4j.Extension
                public final class TestExtension implements Extension {
                    private Object injected;

                    @jakarta.inject.Inject
                    public TestExtension(%s) {
                        %s
                    }

                    @Override
                    public String configSection() {
                        return %s;
                    }

                    @Override
                    public void configure(ExtensionContext context) {
                        %s
                    }

                    @Override
                    public void start(ExtensionRuntime runtime) {
                    }

                    @Override
                    public void stop() {
                    }
                }
                """.formatted(pkg, constructorArgs, constructorBody,
                        section == null ? "null" : "\"" + section + "\"", configureBody);
    }

    /** An extension that adds action {@code name} for http-request rules. */
    static String action(String pkg, String name) {
        return extension(pkg, "", "", """
                context.vocabulary().action("%s", Set.of(ActionPlace.HTTP_REQUEST), (place, words) -> null);
                """.formatted(name));
    }
}
