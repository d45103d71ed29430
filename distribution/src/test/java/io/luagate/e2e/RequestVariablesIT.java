package io.luagate.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.luagate.e2e.support.InProcessProxy;
import io.luagate.e2e.support.TestUpstream;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The lifetime of {@code req.*} variables in TCP mode, as HAProxy 2.6.12 has it: they end where
 * the server connection is asked for, so {@code tcp-response} rules do not see them ({@code txn.*}
 * lives on). HTTP mode: AfterResponseIT and LuaResponsePathIT.
 */
class RequestVariablesIT {

    /** What the client gets back for one HTTP request sent through the TCP proxy ("" when rejected). */
    private static String through(String condition, String upstream) throws Exception {
        try (InProcessProxy proxy = InProcessProxy.start("""
                log.target = none
                frontends.fe {
                  bind = ["127.0.0.1:0"], mode = tcp, default-backend = be
                  tcp-request = [ "content set-var(req.x) str(a)", "content set-var(txn.y) str(b)" ]
                }
                backends.be {
                  mode = tcp
                  servers { s = "%s" }
                  tcp-response = [ "content reject if { %s }" ]
                }
                """.formatted(upstream, condition));
             Socket socket = new Socket("127.0.0.1", proxy.port("fe"))) {
            socket.setSoTimeout(5_000);
            socket.getOutputStream().write("GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
                    .getBytes(StandardCharsets.ISO_8859_1));
            InputStream in = socket.getInputStream();
            String answer;
            try {
                answer = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
            } catch (SocketException e) {
                // reject may end the connection with a reset: nothing came through either way.
                answer = "";
            }
            return answer.isEmpty() ? "" : answer.substring(0, answer.indexOf('\r'));
        }
    }

    @Test
    void tcpResponseRulesSeeTransactionVariablesButNoRequestOnes() throws Exception {
        try (TestUpstream app = TestUpstream.named("app")) {
            assertEquals("HTTP/1.1 200 OK", through("var(req.x) -m found", app.address()));
            assertEquals("", through("var(txn.y) -m found", app.address()));
        }
    }
}
