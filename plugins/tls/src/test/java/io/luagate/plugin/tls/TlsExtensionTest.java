package io.luagate.plugin.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.luagate.spi.tls.TlsBindContext;
import io.luagate.spi.tls.TlsListener;
import io.netty.util.ReferenceCounted;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** TLS binds over real sockets on 127.0.0.1, on both engines, and the checks of their keys. */
class TlsExtensionTest {

    @TempDir
    static Path dir;
    static Pki pki;
    static Path defaultPem;
    static Path wwwPem;
    static Path wildcardPem;
    static Path clientPem;

    @BeforeAll
    static void certificates() throws Exception {
        pki = new Pki(dir);
        Files.createDirectories(dir.resolve("certs"));
        // Name order is load order in a directory: the first is the default certificate.
        defaultPem = pki.server("certs/0-default.pem", "default.test", 30);
        wwwPem = pki.server("certs/1-www.pem", "www.example.com", 30, "www.example.com");
        wildcardPem = pki.server("certs/2-wild.pem", "wild", 30, "*.example.org", "example.net");
        clientPem = pki.client("client.pem", "/C=DE/O=Client Inc/CN=client one", "0102");
    }

    private static TlsListener bind(TlsEngine engine, Map<String, Object> keys, List<String> codecProtocols) {
        if (engine == TlsEngine.OPENSSL) {
            Assumptions.assumeTrue(TlsEngine.openSslAvailable(), "netty-tcnative does not load here");
        }
        TlsExtension extension = new TlsExtension();
        extension.engine(engine);
        MapSection section = new MapSection(keys);
        TlsListener listener = extension.bind(section, new TlsBindContext("web", dir, codecProtocols, 2000));
        assertEquals(List.of(), section.problems);
        assertNotNull(listener);
        return listener;
    }

    private static Map<String, Object> keys(Object... pairs) {
        Map<String, Object> map = new HashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.put((String) pairs[i], pairs[i + 1]);
        }
        return map;
    }

    private static List<String> problems(Map<String, Object> keys) {
        MapSection section = new MapSection(keys);
        TlsListener listener = new TlsExtension().bind(section, new TlsBindContext("web", dir, List.of("http/1.1"), 2000));
        assertNull(listener);
        return section.problems;
    }

    @Test
    void openSslLoadsHere() {
        // The distribution's default engine is measured on OpenSSL: it must load on the build machine.
        assertTrue(TlsEngine.openSslAvailable(), String.valueOf(io.netty.handler.ssl.OpenSsl.unavailabilityCause()));
    }

    @ParameterizedTest
    @EnumSource(value = TlsEngine.class, names = {"JDK", "OPENSSL"})
    void sniChoosesTheCertificate(TlsEngine engine) throws Exception {
        try (TlsServer server = new TlsServer(bind(engine, keys("crt", List.of("certs/")), List.of("http/1.1")))) {
            TlsClient client = new TlsClient(pki.ca(), null);
            String[][] cases = {
                    {"www.example.com", "CN=www.example.com"},
                    {"WWW.Example.COM", "CN=www.example.com"},
                    {"a.example.org", "CN=wild"},
                    {"example.net", "CN=wild"},
                    {"a.b.example.org", "CN=default.test"},
                    {"example.org", "CN=default.test"},
                    {"unknown.test", "CN=default.test"},
                    {null, "CN=default.test"},
                    // No subjectAltName: the CN is its name.
                    {"default.test", "CN=default.test"},
            };
            for (String[] c : cases) {
                try (SSLSocket socket = client.connect(server.address(), c[0], null, null)) {
                    assertEquals(c[1], TlsClient.commonName(socket), "SNI " + c[0]);
                    String facts = TlsClient.ask(socket);
                    assertTrue(facts.startsWith((c[0] == null ? null : c[0].toLowerCase()) + "|TLSv1.3|TLS_AES_"), facts);
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = TlsEngine.class, names = {"JDK", "OPENSSL"})
    void factsNameProtocolAndCipherAsOpenSslDoes(TlsEngine engine) throws Exception {
        try (TlsServer server = new TlsServer(bind(engine, keys("crt", "certs/1-www.pem"), List.of("http/1.1")))) {
            TlsClient client = new TlsClient(pki.ca(), null);
            try (SSLSocket socket = client.connect(server.address(), "www.example.com", List.of("TLSv1.2"), null)) {
                assertEquals("www.example.com|TLSv1.2|ECDHE-ECDSA-AES256-GCM-SHA384|null|null", TlsClient.ask(socket));
                // Keep-alive: the next request on the same connection.
                assertEquals("www.example.com|TLSv1.2|ECDHE-ECDSA-AES256-GCM-SHA384|null|null", TlsClient.ask(socket));
            }
            // One certificate: the name is read from the engine's session, as sent, in lower case; none when none.
            try (SSLSocket socket = client.connect(server.address(), "WWW.Example.com", null, null)) {
                assertTrue(TlsClient.ask(socket).startsWith("www.example.com|TLSv1.3|"));
            }
            try (SSLSocket socket = client.connect(server.address(), null, null, null)) {
                assertTrue(TlsClient.ask(socket).startsWith("null|TLSv1.3|"));
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = TlsEngine.class, names = {"JDK", "OPENSSL"})
    void alpnOffersOnlyWhatTheCodecSpeaks(TlsEngine engine) throws Exception {
        TlsListener tls = bind(engine, keys("crt", "certs/1-www.pem", "alpn", List.of("h2", "http/1.1")), List.of("http/1.1"));
        try (TlsServer server = new TlsServer(tls)) {
            TlsClient client = new TlsClient(pki.ca(), null);
            try (SSLSocket socket = client.connect(server.address(), "www.example.com", null, List.of("h2", "http/1.1"))) {
                assertEquals("http/1.1", socket.getApplicationProtocol());
                assertTrue(TlsClient.ask(socket).endsWith("|http/1.1|null"));
            }
            // A client that offers only h2 gets no ALPN answer (h2 is not served yet).
            try (SSLSocket socket = client.connect(server.address(), "www.example.com", null, List.of("h2"))) {
                assertTrue(socket.getApplicationProtocol() == null || socket.getApplicationProtocol().isEmpty(),
                        socket.getApplicationProtocol());
                assertTrue(TlsClient.ask(socket).endsWith("|null|null"));
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = TlsEngine.class, names = {"JDK", "OPENSSL"})
    void clientCertificates(TlsEngine engine) throws Exception {
        TlsListener required = bind(engine, keys("crt", "certs/1-www.pem", "verify", "required", "ca-file", "ca.pem"), List.of());
        TlsListener optional = bind(engine, keys("crt", "certs/1-www.pem", "verify", "optional", "ca-file", "ca.pem"), List.of());
        try (TlsServer strict = new TlsServer(required); TlsServer lax = new TlsServer(optional)) {
            TlsClient anonymous = new TlsClient(pki.ca(), null);
            TlsClient withCertificate = new TlsClient(pki.ca(), clientPem);
            try (SSLSocket socket = withCertificate.connect(strict.address(), "www.example.com", null, null)) {
                assertTrue(TlsClient.ask(socket).endsWith("|CN=client one,O=Client Inc,C=DE"));
            }
            // TLS 1.3 reports a refused client certificate after the handshake, at the first read.
            assertThrows(Exception.class, () -> {
                try (SSLSocket socket = anonymous.connect(strict.address(), "www.example.com", null, null)) {
                    String answer = TlsClient.ask(socket);
                    if (answer.isEmpty()) {
                        throw new SSLException("closed");
                    }
                }
            });
            try (SSLSocket socket = anonymous.connect(lax.address(), "www.example.com", null, null)) {
                assertTrue(TlsClient.ask(socket).endsWith("|null"));
            }
            try (SSLSocket socket = withCertificate.connect(lax.address(), "www.example.com", null, null)) {
                assertTrue(TlsClient.ask(socket).endsWith("|CN=client one,O=Client Inc,C=DE"));
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = TlsEngine.class, names = {"JDK", "OPENSSL"})
    void badInputClosesAndTheNextConnectionWorks(TlsEngine engine) throws Exception {
        try (TlsServer server = new TlsServer(bind(engine, keys("crt", "certs/1-www.pem"), List.of("http/1.1")))) {
            // Plain HTTP on a TLS port.
            assertClosed(server, "GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII), true);
            // Garbage.
            assertClosed(server, new byte[] {0, 1, 2, 3, (byte) 0xff, (byte) 0xfe, 7, 8, 9, 10, 11, 12}, true);
            // A handshake record cut short, then the client's FIN.
            assertClosed(server, new byte[] {0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, (byte) 0xfc, 0x03, 0x03}, true);
            // The same, then silence: the handshake timeout (2 s here) closes it.
            assertClosed(server, new byte[] {0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, (byte) 0xfc, 0x03, 0x03}, false);
            // A client that does not trust the certificate gives up; the server stays sane.
            TlsClient other = new TlsClient(new Pki(Files.createDirectories(dir.resolve("other-" + engine))).ca(), null);
            assertThrows(SSLException.class, () -> other.connect(server.address(), "www.example.com", null, null).close());
            try (SSLSocket socket = new TlsClient(pki.ca(), null).connect(server.address(), "www.example.com", null, null)) {
                assertTrue(TlsClient.ask(socket).startsWith("www.example.com|TLSv1.3|"));
            }
        }
    }

    private static void assertClosed(TlsServer server, byte[] bytes, boolean halfClose) throws Exception {
        try (Socket socket = new Socket(server.address().getAddress(), server.address().getPort())) {
            socket.setSoTimeout(5000);
            OutputStream out = socket.getOutputStream();
            out.write(bytes);
            out.flush();
            if (halfClose) {
                socket.shutdownOutput();
            }
            InputStream in = socket.getInputStream();
            long start = System.nanoTime();
            // Whatever the server says (a TLS alert at most), it ends with a close.
            byte[] buffer = new byte[4096];
            int n;
            int total = 0;
            try {
                while ((n = in.read(buffer)) != -1) {
                    total += n;
                }
            } catch (java.net.SocketException reset) {
                // A reset is a close too.
            }
            assertTrue(total < 100, "the server answered " + total + " bytes");
            assertTrue(System.nanoTime() - start < 4_500_000_000L);
        }
    }

    @ParameterizedTest
    @EnumSource(value = TlsEngine.class, names = {"JDK", "OPENSSL"})
    void minimumVersion(TlsEngine engine) throws Exception {
        try (TlsServer server = new TlsServer(bind(engine, keys("crt", "certs/1-www.pem", "ssl-min-ver", "TLSv1.3"), List.of()))) {
            TlsClient client = new TlsClient(pki.ca(), null);
            assertThrows(SSLException.class, () -> client.connect(server.address(), "x", List.of("TLSv1.2"), null).close());
            try (SSLSocket socket = client.connect(server.address(), "x", null, null)) {
                assertEquals("TLSv1.3", socket.getSession().getProtocol());
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = TlsEngine.class, names = {"JDK", "OPENSSL"})
    void ciphersLimitTls12(TlsEngine engine) throws Exception {
        TlsListener tls = bind(engine, keys("crt", "certs/1-www.pem", "ciphers", "ECDHE-ECDSA-AES128-GCM-SHA256"), List.of());
        try (TlsServer server = new TlsServer(tls)) {
            TlsClient client = new TlsClient(pki.ca(), null);
            try (SSLSocket socket = client.connect(server.address(), "x", List.of("TLSv1.2"), null)) {
                assertTrue(TlsClient.ask(socket).contains("|TLSv1.2|ECDHE-ECDSA-AES128-GCM-SHA256|"));
            }
            // TLS 1.3 keeps its suites.
            try (SSLSocket socket = client.connect(server.address(), "x", null, null)) {
                assertEquals("TLSv1.3", socket.getSession().getProtocol());
            }
        }
    }

    @Test
    void badKeysAreNamed() throws Exception {
        Path expired = pki.server("expired.pem", "old.test", -1, "old.test");
        Path mismatched = pki.mismatched("mismatched.pem");
        Files.createDirectories(dir.resolve("empty"));
        Files.writeString(dir.resolve("nokey.pem"), Files.readString(pki.ca()));
        assertEquals(List.of("crt: " + dir.resolve("missing.pem") + ": no such file or directory"),
                problems(keys("crt", "missing.pem")));
        assertEquals(1, problems(keys("crt", "expired.pem")).size());
        assertTrue(problems(keys("crt", "expired.pem")).get(0).startsWith("crt: " + expired + ": its certificate (CN=old.test) expired on "));
        assertEquals(List.of("crt: " + mismatched + ": its private key does not match its certificate (CN=a.test)"),
                problems(keys("crt", "mismatched.pem")));
        assertEquals(List.of("crt: " + dir.resolve("nokey.pem") + ": holds no private key (and there is no nokey.pem.key)"),
                problems(keys("crt", "nokey.pem")));
        assertEquals(List.of("crt: holds no certificate (empty directory)"), problems(keys("crt", "empty")));
        assertEquals(List.of("crt: is required with ssl = true: a PEM file (certificate, chain and key) or a directory of them"
                + " (or crt-list: a file listing them)"),
                problems(keys()));
        assertEquals(List.of("verify: verify required needs ca-file: the CAs that client certificates are checked against"),
                problems(keys("crt", "certs/", "verify", "required")));
        assertEquals(List.of("verify: 'sometimes' is not one of none, optional, required"),
                problems(keys("crt", "certs/", "verify", "sometimes")));
        assertEquals(List.of("ssl-min-ver: 'TLSv1.4' is not one of SSLv3, TLSv1.0, TLSv1.1, TLSv1.2, TLSv1.3"),
                problems(keys("crt", "certs/", "ssl-min-ver", "TLSv1.4")));
        assertEquals(List.of("ciphers: 'HIGH' is not a TLS 1.2 cipher name OpenSSL knows (cipher expressions such as HIGH"
                        + " or !aNULL are not supported: list the ciphers)"),
                problems(keys("crt", "certs/", "ciphers", "ECDHE-RSA-AES128-GCM-SHA256:HIGH")));
        assertEquals(List.of("ciphersuites: 'TLS_FOO' is not a TLS 1.3 suite (one of TLS_AES_256_GCM_SHA384,"
                        + " TLS_AES_128_GCM_SHA256, TLS_CHACHA20_POLY1305_SHA256, TLS_AES_128_CCM_SHA256, TLS_AES_128_CCM_8_SHA256)"),
                problems(keys("crt", "certs/", "ciphersuites", "TLS_FOO")));
        assertEquals(List.of("ca-file: " + dir.resolve("nope.pem") + ": no such file or directory"),
                problems(keys("crt", "certs/", "verify", "optional", "ca-file", "nope.pem")));
    }

    @ParameterizedTest
    @EnumSource(value = TlsEngine.class, names = {"JDK", "OPENSSL"})
    void changedCertificatesServeNewConnectionsOpenOnesKeepTheirs(TlsEngine engine) throws Exception {
        Path live = Files.createDirectories(dir.resolve("live-" + engine));
        Path site = live.resolve("site.pem");
        Files.copy(pki.server("v1-" + engine + ".pem", "version one", 30, "www.example.com"), site);
        if (engine == TlsEngine.OPENSSL) {
            Assumptions.assumeTrue(TlsEngine.openSslAvailable());
        }
        TlsExtension extension = new TlsExtension();
        extension.engine(engine);
        MapSection section = new MapSection(keys("crt", List.of(live.toString())));
        TlsListener tls = extension.bind(section, new TlsBindContext("web", dir, List.of(), 2000));
        assertEquals(List.of(), section.problems);
        TlsClient client = new TlsClient(pki.ca(), null);
        try (TlsServer server = new TlsServer(tls);
             SSLSocket before = client.connect(server.address(), "www.example.com", null, null)) {
            assertEquals("CN=version one", TlsClient.commonName(before));
            extension.reloadChangedCertificates();
            try (SSLSocket same = client.connect(server.address(), "www.example.com", null, null)) {
                assertEquals("CN=version one", TlsClient.commonName(same), "nothing changed, nothing reloaded");
            }
            // A broken replacement (its key is another's) keeps the certificate in service.
            Files.copy(pki.mismatched("broken-" + engine + ".pem"), site, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            extension.reloadChangedCertificates();
            try (SSLSocket still = client.connect(server.address(), "www.example.com", null, null)) {
                assertEquals("CN=version one", TlsClient.commonName(still));
            }
            Files.copy(pki.server("v2-" + engine + ".pem", "version two", 30, "www.example.com"), site,
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            extension.reloadChangedCertificates();
            try (SSLSocket after = client.connect(server.address(), "www.example.com", null, null)) {
                assertEquals("CN=version two", TlsClient.commonName(after));
            }
            // The connection opened before goes on with its own.
            assertTrue(TlsClient.ask(before).startsWith("www.example.com|TLSv1.3|"));
        }
    }

    @Test
    void certificatesReloadOnRequestAndABrokenBindKeepsItsOwn() throws Exception {
        Path live = Files.createDirectories(dir.resolve("on-request"));
        Path site = live.resolve("site.pem");
        Files.copy(pki.server("q1.pem", "request one", 30, "www.example.com"), site);
        TlsExtension extension = new TlsExtension();
        extension.engine(TlsEngine.JDK);
        MapSection section = new MapSection(keys("crt", List.of(live.toString())));
        TlsListener tls = extension.bind(section, new TlsBindContext("web", dir, List.of(), 2000));
        assertEquals(List.of(), section.problems);
        TlsClient client = new TlsClient(pki.ca(), null);
        try (TlsServer server = new TlsServer(tls)) {
            assertEquals(new io.luagate.spi.tls.CertificateReload(1, 1, List.of()), extension.reloadCertificates(),
                    "loaded again even though nothing changed");
            Files.copy(pki.mismatched("q-broken.pem"), site, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            io.luagate.spi.tls.CertificateReload broken = extension.reloadCertificates();
            assertEquals(0, broken.reloaded());
            assertEquals(1, broken.problems().size(), broken.toString());
            assertTrue(broken.problems().get(0).contains("frontend web: crt: "), broken.problems().get(0));
            try (SSLSocket still = client.connect(server.address(), "www.example.com", null, null)) {
                assertEquals("CN=request one", TlsClient.commonName(still));
            }
            Files.copy(pki.server("q2.pem", "request two", 30, "www.example.com"), site,
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            assertEquals(new io.luagate.spi.tls.CertificateReload(1, 1, List.of()), extension.reloadCertificates());
            try (SSLSocket after = client.connect(server.address(), "www.example.com", null, null)) {
                assertEquals("CN=request two", TlsClient.commonName(after));
            }
        }
    }

    @Test
    void reloadAndCloseReleaseTheNativeContexts() throws Exception {
        Assumptions.assumeTrue(TlsEngine.openSslAvailable(), "netty-tcnative does not load here");
        Path live = Files.createDirectories(dir.resolve("release"));
        Path site = live.resolve("site.pem");
        Files.copy(pki.server("r1.pem", "release one", 30, "www.example.com"), site);
        TlsExtension extension = new TlsExtension();
        extension.engine(TlsEngine.OPENSSL);
        MapSection section = new MapSection(keys("crt", List.of(live.toString())));
        TerminatingListener tls = (TerminatingListener) extension.bind(section, new TlsBindContext("web", dir, List.of(), 2000));
        assertEquals(List.of(), section.problems);
        ReferenceCounted first = (ReferenceCounted) tls.selector().contexts().get(0);
        ReferenceCounted second;
        TlsClient client = new TlsClient(pki.ca(), null);
        try (TlsServer server = new TlsServer(tls)) {
            try (SSLSocket before = client.connect(server.address(), "www.example.com", null, null)) {
                assertTrue(TlsClient.ask(before).startsWith("www.example.com|"));
                Files.copy(pki.server("r2.pem", "release the second", 30, "www.example.com"), site,
                        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                extension.reloadChangedCertificates();
                second = (ReferenceCounted) tls.selector().contexts().get(0);
                assertTrue(second != first, "reloaded");
                assertEquals(1, tls.retiredCount(), "the replaced context is kept a while: a loop may be opening an engine on it");
                tls.releaseRetired(System.nanoTime() + TerminatingListener.RETIRE_NANOS);
                assertEquals(0, tls.retiredCount());
                // The bind let go of it; the connection still open holds its own reference.
                assertEquals(1, first.refCnt());
                assertTrue(TlsClient.ask(before).startsWith("www.example.com|"));
            }
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (first.refCnt() > 0 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertEquals(0, first.refCnt(), "the connection's end released the replaced context");
            assertEquals(1, second.refCnt());
        }
        // The server's close closed the bind.
        assertEquals(0, second.refCnt());
        tls.close();
        assertEquals(0, second.refCnt(), "a second close releases nothing twice");
    }

    @ParameterizedTest
    @EnumSource(value = TlsEngine.class, names = {"JDK", "OPENSSL"})
    void crlFileRefusesARevokedClientCertificate(TlsEngine engine) throws Exception {
        pki.crl("revokes-client.crl", "0102");
        pki.crl("revokes-other.crl", "0BAD");
        TlsListener revoking = bind(engine, keys("crt", "certs/1-www.pem", "verify", "required", "ca-file", "ca.pem",
                "crl-file", "revokes-client.crl"), List.of());
        TlsListener other = bind(engine, keys("crt", "certs/1-www.pem", "verify", "required", "ca-file", "ca.pem",
                "crl-file", "revokes-other.crl"), List.of());
        try (TlsServer strict = new TlsServer(revoking); TlsServer lax = new TlsServer(other)) {
            TlsClient withCertificate = new TlsClient(pki.ca(), clientPem);
            assertThrows(Exception.class, () -> {
                try (SSLSocket socket = withCertificate.connect(strict.address(), "www.example.com", null, null)) {
                    if (TlsClient.ask(socket).isEmpty()) {
                        throw new SSLException("closed");
                    }
                }
            });
            try (SSLSocket socket = withCertificate.connect(lax.address(), "www.example.com", null, null)) {
                assertTrue(TlsClient.ask(socket).endsWith("|CN=client one,O=Client Inc,C=DE"));
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = TlsEngine.class, names = {"JDK", "OPENSSL"})
    void sslMaxVerCapsTheVersion(TlsEngine engine) throws Exception {
        try (TlsServer server = new TlsServer(bind(engine, keys("crt", "certs/1-www.pem", "ssl-max-ver", "TLSv1.2"), List.of()))) {
            try (SSLSocket socket = new TlsClient(pki.ca(), null).connect(server.address(), "www.example.com", null, null)) {
                assertTrue(TlsClient.ask(socket).startsWith("www.example.com|TLSv1.2|ECDHE-ECDSA-"));
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = TlsEngine.class, names = {"JDK", "OPENSSL"})
    void crtListChoosesByItsSniFilters(TlsEngine engine) throws Exception {
        Files.writeString(dir.resolve("sites.list"), """
                # the first line is the default certificate
                certs/0-default.pem

                certs/1-www.pem other.test
                certs/2-wild.pem [] *.example.org !secret.example.org
                """);
        try (TlsServer server = new TlsServer(bind(engine, keys("crt-list", "sites.list"), List.of()))) {
            TlsClient client = new TlsClient(pki.ca(), null);
            String[][] cases = {
                    {"other.test", "CN=www.example.com"},
                    // Filters replace the certificate's own names.
                    {"www.example.com", "CN=default.test"},
                    {"example.net", "CN=default.test"},
                    {"a.example.org", "CN=wild"},
                    {"secret.example.org", "CN=default.test"},
                    {null, "CN=default.test"},
            };
            for (String[] c : cases) {
                try (SSLSocket socket = client.connect(server.address(), c[0], null, null)) {
                    assertEquals(c[1], TlsClient.commonName(socket), "SNI " + c[0]);
                }
            }
        }
    }

    @Test
    void badListsVersionsAndRevocationFilesAreNamed() throws Exception {
        Path list = dir.resolve("options.list");
        Files.writeString(list, "certs/0-default.pem\ncerts/1-www.pem [alpn h2 ssl-min-ver TLSv1.3] www.example.com\n");
        assertEquals(List.of("crt-list: " + list + ":2: options per certificate ([alpn h2 ssl-min-ver TLSv1.3]) are not"
                + " supported: luagate takes the certificate and its SNI filters; write the options on the bind"),
                problems(keys("crt-list", "options.list")));
        Path missing = dir.resolve("missing.list");
        Files.writeString(missing, "certs/0-default.pem\nnope.pem\n");
        assertEquals(List.of("crt-list: " + missing + ":2: " + dir.resolve("nope.pem") + ": no such file or directory"),
                problems(keys("crt-list", "missing.list")));
        assertEquals(List.of("crt-list: " + dir.resolve("absent.list") + ": no such file or directory"),
                problems(keys("crt-list", "absent.list")));
        assertEquals(List.of("ssl-max-ver: TLSv1.2 is below ssl-min-ver TLSv1.3: all TLS versions are disabled"),
                problems(keys("crt", "certs/1-www.pem", "ssl-min-ver", "TLSv1.3", "ssl-max-ver", "TLSv1.2")));
        assertEquals(List.of("ssl-max-ver: 'TLSv1.4' is not one of SSLv3, TLSv1.0, TLSv1.1, TLSv1.2, TLSv1.3"),
                problems(keys("crt", "certs/1-www.pem", "ssl-max-ver", "TLSv1.4")));
        assertEquals(List.of("crl-file: " + dir.resolve("ca.pem") + ": holds no certificate revocation list (X509 CRL)"),
                problems(keys("crt", "certs/1-www.pem", "verify", "required", "ca-file", "ca.pem", "crl-file", "ca.pem")));
    }
}
