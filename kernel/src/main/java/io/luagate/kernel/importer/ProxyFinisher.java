package io.luagate.kernel.importer;

/**
 * What HAProxy derives at the end of a proxy section and luagate needs said: the mode (HAProxy's
 * default is tcp, luagate's http), the request and keep-alive timeouts that fall back to
 * {@code timeout client}, the servers list of a backend that has none.
 */
final class ProxyFinisher {

    private final ConfigLine header;
    private final HoconObject fe;
    private final HoconObject be;
    private final HoconObject frontends;
    private final Notes notes;

    ProxyFinisher(ConfigLine header, HoconObject fe, HoconObject be, HoconObject frontends, Notes notes) {
        this.header = header;
        this.fe = fe;
        this.be = be;
        this.frontends = frontends;
        this.notes = notes;
    }

    void finish() {
        String where = header.where() + ": HAProxy's default";
        for (HoconObject proxy : new HoconObject[] {fe, be}) {
            if (proxy != null && !proxy.has("mode")) {
                proxy.set("mode", "tcp", where + " mode");
            }
        }
        if (be != null && !be.has("servers")) {
            be.object("servers");
        }
        if (fe == null) {
            return;
        }
        if (!fe.has("bind")) {
            if (be != null) {
                // A listen section without bind is only a backend.
                frontends.entries.remove(frontends.find(header.word(1)));
            } else {
                notes.unsupported(header, "frontend", "luagate needs a bind line in each frontend", fe);
            }
            return;
        }
        if (!fe.has("capture-request-line")) {
            // No log format: HAProxy keeps no request line, and capture.req.method/uri give nothing.
            fe.set("capture-request-line", new HoconObject.Literal("false"), where + ": no option httplog nor log-format");
        }
        HoconObject.Entry client = fe.has("timeout") ? fe.object("timeout").find("client") : null;
        if (client != null) {
            HoconObject timeout = fe.object("timeout");
            // HAProxy waits for a request head, and between requests, under timeout client unless
            // http-request (and http-keep-alive, which falls back to http-request) are set.
            if (!timeout.has("http-request")) {
                timeout.set("http-request", client.value, where + ": timeout client");
            }
            if (!timeout.has("http-keep-alive")) {
                timeout.set("http-keep-alive", timeout.find("http-request").value, where + ": timeout http-request");
            }
        }
    }
}
