package io.luagate.kernel.rule.action;

import io.luagate.kernel.rule.RuleSyntaxException;
import io.luagate.spi.rule.Action;
import io.luagate.spi.rule.Verdict;
import io.luagate.spi.service.HttpService;
import io.luagate.spi.service.TcpService;
import io.luagate.spi.stream.StreamPhase;
import io.luagate.spi.stream.TerminationCause;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The actions known to {@code http-request}, {@code http-response}, {@code http-after-response},
 * {@code tcp-request content} and {@code tcp-response content} rules.
 */
public final class ActionTable {

    /** Compiles one action. */
    @FunctionalInterface
    public interface ActionCompiler {
        Action compile(ActionSyntax syntax) throws RuleSyntaxException;
    }

    private final Map<String, ActionCompiler> request = new HashMap<>();
    private final Map<String, ActionCompiler> response = new HashMap<>();
    private final Map<String, ActionCompiler> afterResponse = new HashMap<>();
    private final Map<String, ActionCompiler> tcp = new HashMap<>();
    private final Map<String, ActionCompiler> tcpResponse = new HashMap<>();
    private final Map<String, HttpService> httpServices = new HashMap<>();
    private final Map<String, TcpService> tcpServices = new HashMap<>();

    /** The built-in actions, with no service to use. */
    public static ActionTable builtin() {
        return builtin(Map.of());
    }

    /** The built-in actions of HAProxy 2.6 that this build knows; {@code use-service} names one of {@code services}. */
    public static ActionTable builtin(Map<String, HttpService> services) {
        ActionTable table = new ActionTable();
        table.httpServices.putAll(services);
        table.request.put("use-service", s -> useService(s, table.httpServices));
        table.tcp.put("use-service", s -> useService(s, table.tcpServices));
        for (Map<String, ActionCompiler> side : new Map[] {table.request, table.response}) {
            side.put("set-var", VarActions::setVar);
            side.put("set-var-fmt", VarActions::setVarFmt);
            side.put("unset-var", VarActions::unsetVar);
            side.put("set-header", HeaderActions::setHeader);
            side.put("add-header", HeaderActions::addHeader);
            side.put("del-header", HeaderActions::delHeader);
            side.put("replace-header", s -> HeaderActions.replace(s, false));
            side.put("replace-value", s -> HeaderActions.replace(s, true));
            side.put("deny", s -> ReplyActions.reply(s, true));
            side.put("return", s -> ReplyActions.reply(s, false));
            side.put("redirect", ReplyActions::redirect);
            side.put("set-log-level", StreamActions::setLogLevel);
            side.put("allow", s -> {
                s.expect(0, 0);
                return txn -> Verdict.ALLOW;
            });
        }
        table.request.put("auth", AuthAction::compile);
        table.request.put("tarpit", TarpitAction::compile);
        table.request.put("early-hint", EarlyHintAction::compile);
        table.request.put("reject", s -> {
            s.expect(0, 0);
            return txn -> {
                // HAProxy's PR: no status, nothing sent, the connection closed.
                txn.stream().terminate(TerminationCause.PROXY, StreamPhase.REQUEST);
                txn.reject();
                return Verdict.STOP;
            };
        });
        table.request.put("capture", CaptureActions::capture);
        table.response.put("capture", CaptureActions::capture);
        table.request.put("set-method", s -> UriActions.set(s, UriActions.Part.METHOD));
        table.request.put("set-path", s -> UriActions.set(s, UriActions.Part.PATH));
        table.request.put("set-pathq", s -> UriActions.set(s, UriActions.Part.PATHQ));
        table.request.put("set-query", s -> UriActions.set(s, UriActions.Part.QUERY));
        table.request.put("set-uri", s -> UriActions.set(s, UriActions.Part.URI));
        table.request.put("replace-path", s -> UriActions.replace(s, UriActions.Part.PATH));
        table.request.put("replace-uri", s -> UriActions.replace(s, UriActions.Part.URI));
        table.request.put("set-dst", StreamActions::setDst);
        table.request.put("set-dst-port", StreamActions::setDstPort);
        table.request.put("set-src", StreamActions::setSrc);
        table.request.put("set-src-port", StreamActions::setSrcPort);
        table.response.put("set-status", StreamActions::setStatus);
        // HAProxy 2.6's http-after-response list: header and variable rewrites, set-status, allow;
        // nothing that answers, waits or leaves HTTP (and no Lua action: 2.6 registers none there).
        for (String keyword : new String[] {"add-header", "allow", "del-header", "replace-header", "replace-value",
                "set-header", "set-status", "set-var", "set-var-fmt", "unset-var"}) {
            table.afterResponse.put(keyword, table.response.get(keyword));
        }
        table.tcp.put("accept", s -> {
            s.expect(0, 0);
            return txn -> Verdict.ALLOW;
        });
        table.tcp.put("reject", s -> {
            s.expect(0, 0);
            return txn -> {
                txn.stream().terminate(TerminationCause.PROXY, StreamPhase.REQUEST);
                return Verdict.STOP;
            };
        });
        table.tcp.put("set-var", VarActions::setVar);
        table.tcp.put("set-var-fmt", VarActions::setVarFmt);
        table.tcp.put("unset-var", VarActions::unsetVar);
        table.tcp.put("set-dst", StreamActions::setDst);
        table.tcp.put("set-dst-port", StreamActions::setDstPort);
        table.tcp.put("set-src", StreamActions::setSrc);
        table.tcp.put("set-src-port", StreamActions::setSrcPort);
        table.tcp.put("set-log-level", StreamActions::setLogLevel);
        TcpResponseActions.register(table.tcpResponse);
        return table;
    }

    /** {@code use-service <name>}: the named service answers; the rules stop there. */
    private static Action useService(ActionSyntax syntax, Map<String, ?> services) throws RuleSyntaxException {
        syntax.expect(1, 1);
        String name = syntax.word(0).text();
        Object service = services.get(name);
        if (service == null) {
            throw new RuleSyntaxException(syntax.word(0).column(), "no " + (syntax.side() == Side.TCP ? "TCP" : "HTTP")
                    + " service named '" + name + "'; known: "
                    + (services.isEmpty() ? "none" : String.join(", ", new TreeSet<>(services.keySet()))));
        }
        if (service instanceof TcpService tcpService) {
            return txn -> {
                txn.serve(tcpService);
                return Verdict.STOP;
            };
        }
        HttpService httpService = (HttpService) service;
        return txn -> {
            txn.serve(httpService);
            return Verdict.STOP;
        };
    }

    /**
     * Adds an action keyword from a plugin.
     *
     * @throws IllegalArgumentException when the keyword exists on that side
     */
    public void add(Side side, String keyword, ActionCompiler compiler) {
        if (of(side).putIfAbsent(keyword, compiler) != null) {
            throw new IllegalArgumentException("action '" + keyword + "' already exists");
        }
    }

    /** Adds a service for {@code http-request use-service}. @throws IllegalArgumentException on a clash */
    public void addHttpService(String name, HttpService service) {
        if (httpServices.putIfAbsent(name, service) != null) {
            throw new IllegalArgumentException("HTTP service '" + name + "' already exists");
        }
    }

    /** The service {@code http-request use-service <name>} names, or {@code null}. */
    public HttpService httpService(String name) {
        return httpServices.get(name);
    }

    /** The names of the HTTP services, built-in and from plugins. */
    public java.util.Set<String> httpServiceNames() {
        return java.util.Collections.unmodifiableSet(httpServices.keySet());
    }

    /** Adds a service for {@code tcp-request content use-service}. @throws IllegalArgumentException on a clash */
    public void addTcpService(String name, TcpService service) {
        if (tcpServices.putIfAbsent(name, service) != null) {
            throw new IllegalArgumentException("TCP service '" + name + "' already exists");
        }
    }

    /** The compiler of {@code keyword} on {@code side}, or {@code null}. */
    public ActionCompiler find(Side side, String keyword) {
        return of(side).get(keyword);
    }

    public Set<String> keywords(Side side) {
        return new TreeSet<>(of(side).keySet());
    }

    private Map<String, ActionCompiler> of(Side side) {
        return switch (side) {
            case REQUEST -> request;
            case RESPONSE -> response;
            case AFTER_RESPONSE -> afterResponse;
            case TCP -> tcp;
            case TCP_RESPONSE -> tcpResponse;
        };
    }
}
