package io.luagate.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.luagate.e2e.support.InProcessProxy;
import io.luagate.e2e.support.TestClient;
import java.net.SocketTimeoutException;
import org.junit.jupiter.api.Test;

/** global.maxconn: connections beyond it wait in the accept queue until one closes. */
class LimitsIT {

    @Test
    void connectionsBeyondMaxconnWaitUntilOneCloses() throws Exception {
        try (InProcessProxy proxy = InProcessProxy.start("""
                global { threads = 1, maxconn = 2 }
                log.target = none
                frontends.fe { bind = ["127.0.0.1:0"], http-request = [ "return content-type text/plain string ok" ] }
                """)) {
            int port = proxy.port("fe");
            TestClient first = new TestClient(port);
            try (TestClient second = new TestClient(port); TestClient third = new TestClient(port)) {
                assertEquals(200, first.get("/").status());
                assertEquals(200, second.get("/").status());
                third.send("GET / HTTP/1.1\r\nHost: t\r\n\r\n");
                third.socket().setSoTimeout(700);
                assertThrows(SocketTimeoutException.class, third::read, "a third connection must wait");
                assertEquals(2, proxy.luagate().openConnections());

                first.close();
                third.socket().setSoTimeout(10_000);
                assertEquals(200, third.read().status(), "served once a slot is free");
                assertEquals(200, second.get("/again").status());
            }
        }
    }
}
