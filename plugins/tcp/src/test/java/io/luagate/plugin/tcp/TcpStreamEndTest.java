package io.luagate.plugin.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.luagate.spi.rule.Verdict;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * How a TCP stream ends when the client leaves: the failure names the cause, the phase follows
 * from the analyser the stream stood at (request inspection R, connect C, then data D).
 */
class TcpStreamEndTest {

    private FakeTcpKernel kernel;

    @BeforeEach
    void start() {
        kernel = new FakeTcpKernel();
    }

    @AfterEach
    void stop() {
        kernel.close();
    }

    @Test
    void aClientLeavingDuringInspectionEndsInTheRequestPhase() throws Exception {
        kernel.inspectDelay = 5_000;
        kernel.rules.add(txn -> {
            txn.markMayChange();
            return Verdict.WAIT;
        });
        try (Socket socket = new Socket("127.0.0.1", kernel.port())) {
            socket.getOutputStream().write("held".getBytes(StandardCharsets.ISO_8859_1));
            Thread.sleep(100);
            // A reset: with half-closure allowed, a FIN alone would leave the connection open.
            socket.setSoLinger(true, 0);
        }
        FakeTcpKernel.FakeStream stream = kernel.nextEnded();
        assertEquals("CR", stream.termination());
        assertEquals(0, stream.routes);
    }

    @Test
    void aClientConnectionClosedWhileTheServerIsConnectedEndsInTheConnectPhaseOnceTheConnectIsIn() throws Exception {
        try (ScriptedServer server = new ScriptedServer((socket, report) -> {
            InputStream in = socket.getInputStream();
            report.add(in.read() == -1 ? "closed without data" : "got data");
        })) {
            kernel.server = server.address();
            kernel.connectDelay = 300;
            // Nothing reads the client while the server is connected: a client that leaves then is
            // noticed only when the connection is closed on this side, as Lua's txn:done() does.
            kernel.rules.add(txn -> {
                txn.stream().session().channel().close();
                return Verdict.ALLOW;
            });
            try (Socket socket = new Socket("127.0.0.1", kernel.port())) {
                assertEquals(-1, socket.getInputStream().read());
            }
            // The stream waits for the connect's outcome, then closes the new server connection.
            FakeTcpKernel.FakeStream stream = kernel.nextEnded();
            assertEquals("CC", stream.termination());
            assertEquals(1, stream.routes);
            assertEquals("closed without data", server.next());
            assertTrue(stream.ended());
        }
    }
}
