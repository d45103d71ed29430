package io.luagate.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.luagate.e2e.support.DistributionProcess;
import io.luagate.e2e.support.InProcessProxy;
import io.luagate.e2e.support.OpensslCertificates;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS binds of the real distribution (bin/luagate, the tls plugin from plugins/, OpenSSL from lib/),
 * driven by Debian's curl and a JDK client: SNI, client certificates, ALPN, the ssl fetches (in
 * rules and from Lua), bad TLS input, and bad certificates at {@code luagate check}.
 */
class TlsIT {

    /** What every request answers: the fetches, in HAProxy 2.6.12's formats. */
    private static final String FACTS = "fc=%[ssl_fc] sni=%[ssl_fc_sni] proto=%[ssl_fc_protocol] cipher=%[ssl_fc_cipher]"
            + " alpn=%[ssl_fc_alpn] used=%[ssl_c_used] verify=%[ssl_c_verify] sdn=%[ssl_c_s_dn] idn=%[ssl_c_i_dn]"
            + " serial=%[ssl_c_serial,hex] notafter=%[ssl_c_notafter] cn=%[ssl_c_s_dn(CN)] lua=%[var(txn.sni)]";

    @TempDir
    static Path dir;
    static OpensslCertificates pki;
    static Path client;
    static DistributionProcess luagate;
    static int open;
    static int required;
    static int optional;
    static int plain;
    static int tcp;
    static java.net.ServerSocket echo;
    static String notAfter;

    @BeforeAll
    static void start() throws Exception {
        pki = new OpensslCertificates(dir);
        pki.issue("certs/0-default.pem", "/CN=default.test", 30, null, "01");
        pki.issue("certs/1-www.pem", "/CN=www.example.com", 30, "subjectAltName=DNS:www.example.com", "02");
        pki.issue("certs/2-wild.pem", "/CN=wild", 30, "subjectAltName=DNS:*.example.org", "03");
        client = pki.issue("client.pem", "/C=DE/ST=Berlin/O=Client, Inc./OU=Dev/CN=client one/emailAddress=a@b.c", 30,
                "extendedKeyUsage=clientAuth", "0102");
        X509Certificate clientCert = (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(Files.newInputStream(pki.certificateOnly("client.pem")));
        notAfter = java.time.format.DateTimeFormatter.ofPattern("yyMMddHHmmss'Z'")
                .format(clientCert.getNotAfter().toInstant().atZone(java.time.ZoneOffset.UTC));
        Files.writeString(dir.resolve("sni.lua"), """
                core.register_action("sni", { "http-req" }, function(txn)
                  txn:set_var("txn.sni", txn.f:ssl_fc_sni())
                end)
                """);
        open = DistributionProcess.freePort();
        required = DistributionProcess.freePort();
        optional = DistributionProcess.freePort();
        plain = DistributionProcess.freePort();
        tcp = DistributionProcess.freePort();
        echo = startEcho();
        Path config = InProcessProxy.writeConfig("""
                global.threads = 2
                log.target = none
                lua.load = [ "%1$s/sni.lua" ]
                frontends.web {
                  bind = [ { address = "127.0.0.1:%2$d", ssl = true, crt = [ "%1$s/certs/" ], alpn = [ "h2", "http/1.1" ] },
                           { address = "127.0.0.1:%3$d", ssl = true, crt = "%1$s/certs/1-www.pem", verify = required,
                             ca-file = "%1$s/ca.pem" },
                           { address = "127.0.0.1:%4$d", ssl = true, crt = [ "%1$s/certs/1-www.pem" ], verify = optional,
                             ca-file = "%1$s/ca.pem", ssl-min-ver = TLSv1.2 },
                           "127.0.0.1:%5$d" ]
                  http-request = [ "lua.sni", "return status 200 content-type text/plain lf-string \\"%6$s\\"" ]
                }
                frontends.tunnel {
                  mode = tcp
                  bind = [ { address = "127.0.0.1:%7$d", ssl = true, crt = "%1$s/certs/1-www.pem", alpn = [ "x-echo" ] } ]
                  tcp-request = [ "content reject unless { ssl_fc_sni -m str www.example.com }" ]
                  default-backend = echo
                }
                backends.echo { mode = tcp, servers { e = "127.0.0.1:%8$d" } }
                """.formatted(dir, open, required, optional, plain, FACTS, tcp, echo.getLocalPort()));
        luagate = DistributionProcess.start(InProcessProxy.distribution(),
                Map.of("JAVA_OPTS", "-Dio.netty.leakDetection.level=paranoid"), "run", "-c", config.toString());
        luagate.awaitListening(plain, Duration.ofSeconds(30));
    }

    /** Echoes every byte back, one thread per connection. */
    private static java.net.ServerSocket startEcho() throws Exception {
        java.net.ServerSocket server = new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(() -> {
            while (!server.isClosed()) {
                try {
                    Socket socket = server.accept();
                    Thread worker = new Thread(() -> {
                        try (socket) {
                            socket.getInputStream().transferTo(socket.getOutputStream());
                        } catch (Exception e) {
                            // the peer left
                        }
                    });
                    worker.setDaemon(true);
                    worker.start();
                } catch (Exception e) {
                    // closed
                }
            }
        });
        acceptor.setDaemon(true);
        acceptor.start();
        return server;
    }

    @AfterAll
    static void stop() throws Exception {
        if (echo != null) {
            echo.close();
        }
        if (luagate != null) {
            assertEquals(0, luagate.terminate(Duration.ofSeconds(20)), luagate.output());
            assertFalse(luagate.output().contains("LEAK"), luagate.output());
            luagate.close();
        }
    }

    /** Runs curl against https://{@code host}:{@code port}/ resolved to 127.0.0.1; returns exit status and body. */
    private static String[] curl(String host, int port, String... extra) throws Exception {
        List<String> command = new ArrayList<>(List.of("curl", "-s", "--max-time", "10", "--cacert", pki.ca().toString(),
                "--resolve", host + ":" + port + ":127.0.0.1"));
        command.addAll(List.of(extra));
        command.add("https://" + host + ":" + port + "/");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(20, TimeUnit.SECONDS));
        return new String[] {Integer.toString(process.exitValue()), out};
    }

    @Test
    void fetchesAsHaproxyPrintsThem() throws Exception {
        String[] www = curl("www.example.com", open, "--http1.1");
        assertEquals("0", www[0], www[1]);
        // HAProxy 2.6.12 printed the same for the same exchange (missing samples print nothing).
        assertEquals("fc=1 sni=www.example.com proto=TLSv1.3 cipher=TLS_AES_256_GCM_SHA384 alpn=http/1.1 used=0"
                + " verify=0 sdn= idn= serial= notafter= cn= lua=www.example.com", www[1]);
        String[] withCert = curl("www.example.com", required, "--tls-max", "1.2", "--cert",
                pki.certificateOnly("client.pem").toString(), "--key", pki.keyOnly("client.pem").toString());
        assertEquals("0", withCert[0], withCert[1]);
        // This bind has no alpn: none is negotiated, as with HAProxy.
        assertEquals("fc=1 sni=www.example.com proto=TLSv1.2 cipher=ECDHE-ECDSA-AES256-GCM-SHA384 alpn="
                + " used=1 verify=0 sdn=/C=DE/ST=Berlin/O=Client, Inc./OU=Dev/CN=client one/emailAddress=a@b.c"
                + " idn=/C=FR/O=Test Org/CN=Test CA serial=0102 notafter=" + notAfter + " cn=client one"
                + " lua=www.example.com", withCert[1]);
        String[] none = curl("127.0.0.1", plain, "--http1.1");
        try (Socket socket = new Socket("127.0.0.1", plain)) {
            socket.getOutputStream().write("GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
            // Lua's set_var of nil (no SNI) stores false, printed 0, as HAProxy 2.6 does (hlua_lua2smp).
            assertTrue(response.endsWith("\r\n\r\nfc=0 sni= proto= cipher= alpn= used= verify= sdn= idn= serial= notafter= cn= lua=0"),
                    response);
        }
        assertNotEquals("0", none[0], "https on the plain bind fails");
    }

    @Test
    void sniChoosesTheCertificateCurlChecksItsName() throws Exception {
        assertEquals("0", curl("www.example.com", open)[0]);
        String[] wild = curl("a.example.org", open);
        assertEquals("0", wild[0], wild[1]);
        assertTrue(wild[1].contains(" sni=a.example.org "), wild[1]);
        // No certificate for these names: the first one (default.test) comes, and curl refuses it (60).
        assertEquals("60", curl("a.b.example.org", open)[0]);
        assertEquals("60", curl("unknown.test", open)[0]);
        assertEquals("0", curl("default.test", open)[0]);
    }

    @Test
    void alpnChoosesHttp2WhenTheClientOffersIt() throws Exception {
        // curl offers h2 and http/1.1: the request then comes over HTTP/2, as with HAProxy.
        String[] h2 = curl("www.example.com", open, "--http2");
        assertEquals("0", h2[0], h2[1]);
        assertTrue(h2[1].contains(" alpn=h2 "), h2[1]);
        assertFalse(luagate.output().contains("not offered"), luagate.output());
    }

    @Test
    void clientCertificates() throws Exception {
        String[] refused = curl("www.example.com", required);
        assertNotEquals("0", refused[0], "verify required without a certificate: " + refused[1]);
        String[] anonymous = curl("www.example.com", optional);
        assertEquals("0", anonymous[0], anonymous[1]);
        assertTrue(anonymous[1].contains(" used=0 verify=0 sdn= "), anonymous[1]);
        String[] signed = curl("www.example.com", optional, "--cert", pki.certificateOnly("client.pem").toString(),
                "--key", pki.keyOnly("client.pem").toString());
        assertTrue(signed[1].contains(" used=1 verify=0 sdn=/C=DE/"), signed[1]);
        // A certificate from a CA the bind does not trust fails the handshake, as in HAProxy.
        OpensslCertificates stranger = new OpensslCertificates(dir.resolve("stranger"));
        stranger.issue("c.pem", "/CN=stranger", 30, "extendedKeyUsage=clientAuth", "09");
        String[] untrusted = curl("www.example.com", optional, "--cert", stranger.certificateOnly("c.pem").toString(),
                "--key", stranger.keyOnly("c.pem").toString());
        assertNotEquals("0", untrusted[0], untrusted[1]);
        // An expired client certificate from the trusted CA fails it too; the bind goes on serving.
        pki.issue("expired-client.pem", "/CN=expired client", -1, "extendedKeyUsage=clientAuth", "0a");
        String[] expired = curl("www.example.com", optional, "--cert", pki.certificateOnly("expired-client.pem").toString(),
                "--key", pki.keyOnly("expired-client.pem").toString());
        assertNotEquals("0", expired[0], expired[1]);
        assertEquals("0", curl("www.example.com", optional)[0]);
    }

    @Test
    void badTlsInputClosesCleanlyAndTheNextConnectionWorks() throws Exception {
        byte[][] inputs = {
                "GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII),
                {0, 1, 2, 3, (byte) 0xff, (byte) 0xfe, 7, 8, 9, 10, 11, 12, 13},
                // A handshake record announcing 512 bytes, cut after 6.
                {0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, (byte) 0xfc, 0x03, 0x03},
        };
        // The bind of several certificates reads the ClientHello first (SNI); the one of a single
        // certificate hands the bytes straight to the engine: both refuse the same way.
        for (int port : new int[] {open, optional}) {
          for (byte[] input : inputs) {
            try (Socket socket = new Socket("127.0.0.1", port)) {
                socket.setSoTimeout(10_000);
                OutputStream out = socket.getOutputStream();
                out.write(input);
                socket.shutdownOutput();
                InputStream in = socket.getInputStream();
                byte[] answer = in.readAllBytes();
                // At most a TLS alert: never an HTTP response, never a hang.
                assertTrue(answer.length < 16, answer.length + " bytes");
                assertFalse(new String(answer, StandardCharsets.ISO_8859_1).contains("HTTP/"));
            }
          }
        }
        // After a finished handshake, a record cut short (announcing 64 bytes, 10 sent) then the
        // end of the stream: the connection closes without an answer.
        SSLContext trusting = SSLContext.getInstance("TLS");
        KeyStore anchors = KeyStore.getInstance("PKCS12");
        anchors.load(null, null);
        anchors.setCertificateEntry("ca", CertificateFactory.getInstance("X.509")
                .generateCertificate(Files.newInputStream(dir.resolve("ca.pem"))));
        TrustManagerFactory trust = TrustManagerFactory.getInstance("PKIX");
        trust.init(anchors);
        trusting.init(null, trust.getTrustManagers(), null);
        try (Socket raw = new Socket("127.0.0.1", optional);
             SSLSocket tls = (SSLSocket) trusting.getSocketFactory().createSocket(raw, "www.example.com", optional, false)) {
            raw.setSoTimeout(10_000);
            tls.startHandshake();
            tls.getOutputStream().write("GET / HTTP/1.1\r\nHost: www.example.com\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            tls.getOutputStream().flush();
            assertTrue(readHead(tls.getInputStream()).startsWith("HTTP/1.1 200"), "the connection worked before");
            OutputStream out = raw.getOutputStream();
            out.write(new byte[] {0x17, 0x03, 0x03, 0x00, 0x40, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10});
            out.flush();
            raw.shutdownOutput();
            // The server ends the connection (the read reaches its end instead of timing out),
            // sending at most an alert and what was left of the answer's records.
            byte[] answer = raw.getInputStream().readAllBytes();
            assertTrue(answer.length < 4096, answer.length + " bytes");
        }
        // A name the bind has no certificate for, with a client that checks it: the client gives up.
        assertEquals("60", curl("wrong.test", open)[0]);
        assertEquals("0", curl("www.example.com", open)[0]);
    }

    @Test
    void javaClientSeesTheCertificateChosenBySniAndKeepsTheConnection() throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(Files.newInputStream(pki.ca())));
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        for (String[] c : new String[][] {{"www.example.com", "CN=www.example.com"}, {"x.example.org", "CN=wild"},
                {"nothing.test", "CN=default.test"}}) {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, tmf.getTrustManagers(), null);
            try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", open)) {
                socket.setSoTimeout(10_000);
                SSLParameters parameters = socket.getSSLParameters();
                parameters.setServerNames(List.of(new SNIHostName(c[0])));
                socket.setSSLParameters(parameters);
                socket.startHandshake();
                X509Certificate leaf = (X509Certificate) socket.getSession().getPeerCertificates()[0];
                assertEquals(c[1], leaf.getSubjectX500Principal().getName());
                for (int i = 0; i < 2; i++) {
                    socket.getOutputStream().write(("GET / HTTP/1.1\r\nHost: " + c[0] + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                    String head = readHead(socket.getInputStream());
                    assertTrue(head.startsWith("HTTP/1.1 200"), head);
                    int length = Integer.parseInt(head.replaceAll("(?s).*content-length: (\\d+).*", "$1"));
                    String body = new String(socket.getInputStream().readNBytes(length), StandardCharsets.US_ASCII);
                    assertTrue(body.contains(" sni=" + c[0] + " "), body);
                }
            }
        }
    }

    @Test
    void tcpModeTerminatesTlsAndForwardsThePlainBytes() throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(Files.newInputStream(pki.ca())));
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        for (String sni : new String[] {"www.example.com", "other.test"}) {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, tmf.getTrustManagers(), null);
            try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", tcp)) {
                socket.setSoTimeout(10_000);
                SSLParameters parameters = socket.getSSLParameters();
                parameters.setServerNames(List.of(new SNIHostName(sni)));
                // mode tcp speaks whatever it carries: the bind's alpn is offered as written.
                parameters.setApplicationProtocols(new String[] {"x-echo"});
                socket.setSSLParameters(parameters);
                socket.startHandshake();
                assertEquals("x-echo", socket.getApplicationProtocol());
                socket.getOutputStream().write("hello over tls\n".getBytes(StandardCharsets.US_ASCII));
                socket.getOutputStream().flush();
                if (sni.equals("www.example.com")) {
                    assertEquals("hello over tls\n", new String(socket.getInputStream().readNBytes(15), StandardCharsets.US_ASCII));
                } else {
                    // The content rule read ssl_fc_sni and rejected it: closed, nothing echoed.
                    try {
                        assertEquals(-1, socket.getInputStream().read());
                    } catch (java.io.IOException reset) {
                        // a reset is a close too
                    }
                }
            }
        }
    }

    private static String readHead(InputStream in) throws Exception {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            head.append((char) b);
        }
        return head.toString().toLowerCase().replace("http/1.1 200", "HTTP/1.1 200");
    }

    @Test
    void badCertificatesAreNamedAtCheckWithTheirLine() throws Exception {
        OpensslCertificates bad = new OpensslCertificates(dir.resolve("bad"));
        Path expired = bad.issue("expired.pem", "/CN=old.test", -1, null, "07");
        Path mismatched = dir.resolve("bad/mismatched.pem");
        Path other = bad.issue("other.pem", "/CN=other.test", 30, null, "08");
        String good = Files.readString(dir.resolve("certs/1-www.pem"));
        Files.writeString(mismatched, good.substring(0, good.indexOf("-----BEGIN PRIVATE KEY-----"))
                + Files.readString(other).substring(Files.readString(other).indexOf("-----BEGIN PRIVATE KEY-----")));
        Path list = dir.resolve("bad/sites.list");
        Files.writeString(list, "# HAProxy's crt-list\n" + dir.resolve("certs/1-www.pem") + " www.example.com\n"
                + dir.resolve("certs/2-wild.pem") + " [ssl-min-ver TLSv1.3] *.example.org\n");
        Path config = InProcessProxy.writeConfig("""
                frontends.web {
                  bind = [ { address = "127.0.0.1:1", ssl = true, crt = "%1$s/missing.pem" },
                           { address = "127.0.0.1:2", ssl = true, crt = "%2$s" },
                           { address = "127.0.0.1:3", ssl = true, crt = "%3$s" },
                           { address = "127.0.0.1:4", ssl = true, crt = "%4$s", verify = required },
                           { address = "127.0.0.1:5", ssl = true, crt = "%4$s", colour = blue },
                           { address = "127.0.0.1:6", ssl = true, crt-list = "%5$s" } ]
                  http-request = [ "return status 200" ]
                }
                """.formatted(dir, expired, mismatched, dir.resolve("certs/1-www.pem"), list));
        DistributionProcess check = DistributionProcess.run(InProcessProxy.distribution(), "check", "-c", config.toString());
        assertEquals(1, check.exitValue(), check.output());
        String out = check.output();
        assertTrue(out.contains(config + ":2: frontends.web.bind.crt: " + dir + "/missing.pem: no such file or directory"), out);
        assertTrue(out.contains(config + ":3: frontends.web.bind.crt: " + expired + ": its certificate (CN=old.test) expired on "), out);
        assertTrue(out.contains(config + ":4: frontends.web.bind.crt: " + mismatched
                + ": its private key does not match its certificate (CN=www.example.com)"), out);
        assertTrue(out.contains(config + ":5: frontends.web.bind.verify: verify required needs ca-file"), out);
        assertTrue(out.contains(config + ":6: frontends.web.bind.colour: unknown key"), out);
        assertTrue(out.contains(config + ":7: frontends.web.bind.crt-list: " + list + ":3: options per certificate"
                + " ([ssl-min-ver TLSv1.3]) are not supported"), out);
        assertTrue(out.contains("6 problem(s)"), out);
    }
}
