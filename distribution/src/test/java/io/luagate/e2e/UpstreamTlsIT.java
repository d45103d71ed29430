package io.luagate.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.luagate.e2e.support.DistributionProcess;
import io.luagate.e2e.support.HttpsOrigin;
import io.luagate.e2e.support.InProcessProxy;
import io.luagate.e2e.support.OpensslCertificates;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS toward servers with the real distribution (the tls plugin from plugins/): HTTPS origins
 * started by the test, reached through luagate's plain HTTP frontend. SNI from a sample expression
 * and in the pool key, verification by default, the wrong CA, {@code verify = none}, a client
 * certificate, and bad server keys at {@code luagate check}.
 */
class UpstreamTlsIT {

    @TempDir
    static Path dir;
    static OpensslCertificates pki;
    static OpensslCertificates otherPki;
    static HttpsOrigin origin;
    static HttpsOrigin selfSigned;
    static HttpsOrigin mutual;
    static DistributionProcess luagate;
    static int port;
    static int tcpPort;

    @BeforeAll
    static void start() throws Exception {
        pki = new OpensslCertificates(dir);
        otherPki = new OpensslCertificates(dir.resolve("other"));
        Path originPem = pki.issue("origin.pem", "/CN=a.example.com", 30,
                "subjectAltName=DNS:a.example.com,DNS:b.example.com", "11");
        pki.issue("client.pem", "/C=DE/O=Client Inc/CN=luagate", 30, "extendedKeyUsage=clientAuth", "12");
        origin = new HttpsOrigin(originPem, null);
        selfSigned = new HttpsOrigin(selfSignedPem(), null);
        mutual = new HttpsOrigin(originPem, pki.ca());
        port = DistributionProcess.freePort();
        tcpPort = DistributionProcess.freePort();
        Path config = InProcessProxy.writeConfig("""
                global.threads = 1
                log.target = "%1$s/access.log"
                frontends.web {
                  bind = "127.0.0.1:%2$d"
                  log-format = "%%b %%ts %%ST"
                  use-backend = [ "wrongca if { path_beg /wrongca }", "insecure if { path_beg /insecure }",
                                  "secure-self if { path_beg /secure-self }", "mutual if { path_beg /mutual }",
                                  "nocert if { path_beg /nocert }", "verifyhost if { path_beg /verifyhost }",
                                  "badhost if { path_beg /badhost }" ]
                  default-backend = sni
                }
                backends.sni {
                  http-reuse = always
                  http-response = [ "set-header x-bc \\"bc=%%[ssl_bc] proto=%%[ssl_bc_protocol] cipher=%%[ssl_bc_cipher] alpn=%%[ssl_bc_alpn]\\"" ]
                  servers.a = { address = "127.0.0.1:%3$d", ssl = true, ca-file = "%1$s/ca.pem", sni = "req.hdr(host)" }
                }
                backends.wrongca {
                  retries = 1
                  servers.a = { address = "127.0.0.1:%3$d", ssl = true, verify = required,
                                ca-file = "%1$s/other/ca.pem", sni = "str(a.example.com)" }
                }
                backends.insecure.servers.a = { address = "127.0.0.1:%4$d", ssl = true, verify = none }
                backends.secure-self {
                  retries = 0
                  servers.a = { address = "127.0.0.1:%4$d", ssl = true, ca-file = "%1$s/ca.pem", sni = "str(self.test)" }
                }
                backends.mutual.servers.a = { address = "127.0.0.1:%5$d", ssl = true, ca-file = "%1$s/ca.pem",
                                              sni = "str(b.example.com)", crt = "%1$s/client.pem", alpn = [ "h2", "http/1.1" ] }
                frontends.tunnel { mode = tcp, bind = "127.0.0.1:%6$d", default-backend = tls-tunnel }
                backends.tls-tunnel {
                  mode = tcp
                  servers.a = { address = "127.0.0.1:%3$d", ssl = true, ca-file = "%1$s/ca.pem", sni = "str(b.example.com)" }
                }
                backends.verifyhost.servers.a = { address = "localhost:%3$d", ssl = true, ca-file = "%1$s/ca.pem",
                                                  verifyhost = "b.example.com", ssl-max-ver = TLSv1.2 }
                backends.badhost {
                  retries = 0
                  servers.a = { address = "localhost:%3$d", ssl = true, ca-file = "%1$s/ca.pem", verifyhost = "evil.example.com" }
                }
                backends.nocert {
                  retries = 0
                  servers.a = { address = "127.0.0.1:%5$d", ssl = true, ca-file = "%1$s/ca.pem", sni = "str(b.example.com)" }
                }
                """.formatted(dir, port, origin.port(), selfSigned.port(), mutual.port(), tcpPort));
        luagate = DistributionProcess.start(InProcessProxy.distribution(),
                Map.of("JAVA_OPTS", "-Dio.netty.leakDetection.level=paranoid"), "run", "-c", config.toString());
        luagate.awaitListening(port, Duration.ofSeconds(30));
    }

    /** A self-signed certificate (no CA luagate could know) with its key. */
    private static Path selfSignedPem() throws Exception {
        Process process = new ProcessBuilder("/usr/bin/openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                "ec_paramgen_curve:P-256", "-nodes", "-keyout", "self.key", "-out", "self.crt", "-days", "30",
                "-subj", "/CN=self.test", "-addext", "subjectAltName=DNS:self.test")
                .directory(dir.toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, process.waitFor(), output);
        Path pem = dir.resolve("self.pem");
        Files.writeString(pem, Files.readString(dir.resolve("self.crt")) + Files.readString(dir.resolve("self.key")));
        return pem;
    }

    @AfterAll
    static void stop() throws Exception {
        for (HttpsOrigin o : new HttpsOrigin[] {origin, selfSigned, mutual}) {
            if (o != null) {
                o.close();
            }
        }
        if (luagate != null) {
            assertEquals(0, luagate.terminate(Duration.ofSeconds(20)), luagate.output());
            assertFalse(luagate.output().contains("LEAK"), luagate.output());
            luagate.close();
        }
    }

    /** One keep-alive client connection to luagate, sending GETs with a chosen Host. */
    private static final class Client implements AutoCloseable {
        private final Socket socket = new Socket("127.0.0.1", port);
        private final InputStream in;
        /** The head of the last response. */
        String head;

        Client() throws IOException {
            socket.setSoTimeout(10_000);
            in = socket.getInputStream();
        }

        /** Returns "status body". */
        String get(String path, String host) throws IOException {
            socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
                int b = in.read();
                if (b == -1) {
                    throw new IOException("closed after " + head);
                }
                head.write(b);
            }
            String text = head.toString(StandardCharsets.US_ASCII);
            this.head = text;
            int length = 0;
            for (String line : text.split("\r\n")) {
                if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                    length = Integer.parseInt(line.substring(15).trim());
                }
            }
            String body = new String(in.readNBytes(length), StandardCharsets.US_ASCII);
            return text.substring(9, 12) + " " + body;
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    private static String conn(String answer) {
        return answer.substring(answer.indexOf("conn="), answer.indexOf(" sni="));
    }

    @Test
    void theSniComesFromTheHostAndSplitsThePool() throws Exception {
        try (Client client = new Client()) {
            String a1 = client.get("/", "a.example.com");
            assertTrue(a1.startsWith("200 conn="), a1);
            assertTrue(a1.endsWith(" sni=a.example.com client=null"), a1);
            // HAProxy 2.6.12 prints the same (verified with "server ... ssl verify none" and s_server).
            assertTrue(client.head.contains("\r\nx-bc: bc=1 proto=TLSv1.3 cipher=TLS_AES_256_GCM_SHA384 alpn=\r\n")
                    || client.head.contains("\r\nx-bc: bc=1 proto=TLSv1.3 cipher=TLS_AES_128_GCM_SHA256 alpn=\r\n"), client.head);
            String b = client.get("/", "b.example.com");
            assertTrue(b.endsWith(" sni=b.example.com client=null"), b);
            assertNotEquals(conn(a1), conn(b), "two SNIs never share a connection");
            String a2 = client.get("/", "a.example.com");
            assertEquals(conn(a1), conn(a2), "the same SNI reuses the idle connection: " + a1 + " / " + a2);
            String b2 = client.get("/", "b.example.com");
            assertEquals(conn(b), conn(b2), b + " / " + b2);
        }
        // Another client with the same Host gets the pooled connection (http-reuse always).
        try (Client other = new Client()) {
            String again = other.get("/", "a.example.com");
            assertTrue(again.endsWith(" sni=a.example.com client=null"), again);
        }
    }

    @Test
    void aTcpBackendSendsItsSniToo() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", tcpPort)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            byte[] buffer = new byte[4096];
            StringBuilder response = new StringBuilder();
            while (!response.toString().contains(" client=null")) {
                int n = socket.getInputStream().read(buffer);
                if (n < 0) {
                    break;
                }
                response.append(new String(buffer, 0, n, StandardCharsets.US_ASCII));
            }
            assertTrue(response.toString().startsWith("HTTP/1.1 200 OK\r\n")
                    && response.toString().endsWith(" sni=b.example.com client=null"), response.toString());
        }
    }

    @Test
    void aNameTheCertificateDoesNotHoldIsRefused() throws Exception {
        int before = origin.requests();
        try (Client client = new Client()) {
            assertTrue(client.get("/", "evil.example.com").startsWith("503 "));
        }
        assertEquals(before, origin.requests(), "nothing reached the origin");
    }

    @Test
    void theWrongCaGives503AndNothingReachesTheOrigin() throws Exception {
        int before = origin.requests();
        try (Client client = new Client()) {
            String answer = client.get("/wrongca", "a.example.com");
            assertTrue(answer.startsWith("503 "), answer);
        }
        assertEquals(before, origin.requests(), "nothing reached the origin");
        // A failed handshake is a failed connect, as HAProxy logs it.
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (!accessLog().contains("wrongca SC 503") && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertTrue(accessLog().contains("wrongca SC 503"), accessLog());
    }

    private static String accessLog() throws IOException {
        Path log = dir.resolve("access.log");
        return Files.exists(log) ? Files.readString(log) : "";
    }

    @Test
    void verifyNoneReachesASelfSignedOriginWhichVerificationRefuses() throws Exception {
        try (Client client = new Client()) {
            String answer = client.get("/insecure", "whatever");
            assertTrue(answer.startsWith("200 conn=") && answer.endsWith(" sni=null client=null"), answer);
            String refused = client.get("/secure-self", "whatever");
            assertTrue(refused.startsWith("503 "), refused);
        }
    }

    @Test
    void withoutSniVerifyhostIsCheckedAndNoNameIsSent() throws Exception {
        int before = origin.requests();
        try (Client client = new Client()) {
            // The server is written by host name (localhost): HAProxy sends no SNI without sni, nor do we.
            String answer = client.get("/verifyhost", "x");
            assertTrue(answer.startsWith("200 ") && answer.endsWith(" sni=null client=null"), answer);
            String refused = client.get("/badhost", "x");
            assertTrue(refused.startsWith("503 "), refused);
        }
        assertEquals(before + 1, origin.requests(), "only the verified one reached the origin");
    }

    @Test
    void aClientCertificateIsPresentedWhenCrtIsSet() throws Exception {
        try (Client client = new Client()) {
            String answer = client.get("/mutual", "x");
            assertTrue(answer.startsWith("200 ") && answer.endsWith(" sni=b.example.com client=CN=luagate,O=Client Inc,C=DE"),
                    answer);
        }
        int before = mutual.requests();
        try (Client client = new Client()) {
            // TLS 1.3: the origin refuses the missing certificate after the client's handshake ended,
            // so the request meets the alert (502, as HAProxy with OpenSSL); TLS 1.2 fails the connect (503).
            String refused = client.get("/nocert", "x");
            assertTrue(refused.startsWith("502 ") || refused.startsWith("503 "), refused);
        }
        assertEquals(before, mutual.requests(), "nothing reached the origin");
    }

    @Test
    void badServerKeysAreNamedAtCheckWithTheirLine() throws Exception {
        OpensslCertificates bad = new OpensslCertificates(dir.resolve("bad"));
        Path expired = bad.issue("expired.pem", "/CN=old.test", -1, "extendedKeyUsage=clientAuth", "21");
        Path config = InProcessProxy.writeConfig("""
                frontends.web { bind = "127.0.0.1:1", default-backend = app }
                backends.app.servers {
                  a = { address = "127.0.0.1:2", ssl = true,
                        ca-file = "%1$s/missing.pem" }
                  b = { address = "127.0.0.1:3", ssl = true, verify = sometimes }
                  c = { address = "127.0.0.1:4", ssl = true, crt = "%2$s" }
                  d = { address = "127.0.0.1:5", ssl = true, sni = "req.hdr(" }
                  f = { address = "127.0.0.1:7", ssl = true, colour = blue }
                }
                """.formatted(dir, expired));
        DistributionProcess check = DistributionProcess.run(InProcessProxy.distribution(), "check", "-c", config.toString());
        assertEquals(1, check.exitValue(), check.output());
        String out = check.output();
        assertTrue(out.contains(config + ":4: backends.app.servers.a.ca-file: " + dir + "/missing.pem: no such file or directory"), out);
        assertTrue(out.contains(config + ":5: backends.app.servers.b.verify: 'sometimes' is not one of none, required"), out);
        assertTrue(out.contains(config + ":6: backends.app.servers.c.crt: " + expired + ": its certificate (CN=old.test) expired on "), out);
        assertTrue(out.contains(config + ":7: backends.app.servers.d.sni: in expression \"req.hdr(\": "), out);
        assertTrue(out.contains(config + ":8: backends.app.servers.f.colour: unknown key"), out);
        assertTrue(out.contains("5 problem(s)"), out);
        // Without ssl = true the TLS keys are unknown (read before the plugins are).
        Path plain = InProcessProxy.writeConfig("""
                frontends.web { bind = "127.0.0.1:1", default-backend = app }
                backends.app.servers.e = { address = "127.0.0.1:6", verify = none }
                """);
        DistributionProcess plainCheck = DistributionProcess.run(InProcessProxy.distribution(), "check", "-c", plain.toString());
        assertEquals(1, plainCheck.exitValue(), plainCheck.output());
        assertTrue(plainCheck.output().contains(plain + ":2: backends.app.servers.e.verify: unknown key"), plainCheck.output());
    }
}
