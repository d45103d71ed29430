package io.luagate.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.luagate.e2e.support.DistributionProcess;
import io.luagate.e2e.support.Http;
import io.luagate.e2e.support.InProcessProxy;
import io.luagate.e2e.support.TestClient;
import io.luagate.e2e.support.TestUpstream;
import io.luagate.kernel.Luagate;
import io.luagate.kernel.config.ConfigLoader;
import io.luagate.kernel.config.InvalidConfigException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * HAProxy's runtime API on luagate's stats socket: every command over the real unix socket (and
 * the loopback TCP address), its effect on traffic, and its texts compared with HAProxy 2.6.12's.
 */
class RuntimeApiIT {

    @TempDir
    Path dir;

    /** Sends {@code input} and reads the answer until the server closes the connection. */
    static String exchange(SocketAddress address, String input) throws IOException {
        try (SocketChannel channel = address instanceof UnixDomainSocketAddress
                ? SocketChannel.open(StandardProtocolFamily.UNIX) : SocketChannel.open()) {
            channel.connect(address);
            channel.write(ByteBuffer.wrap(input.getBytes(StandardCharsets.ISO_8859_1)));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteBuffer buffer = ByteBuffer.allocate(8192);
            while (channel.read(buffer.clear()) >= 0) {
                out.write(buffer.array(), 0, buffer.position());
            }
            return out.toString(StandardCharsets.ISO_8859_1);
        }
    }

    private String cli(String input) throws IOException {
        return exchange(UnixDomainSocketAddress.of(dir.resolve("luagate.sock")), input);
    }

    private static String servedBy(TestClient client, String host) throws IOException {
        Http.Message response = client.send("GET / HTTP/1.1\r\nHost: " + host + "\r\n\r\n").read();
        return response.status() + " " + response.header("x-served-by");
    }

    private InProcessProxy start(String... upstreams) throws IOException {
        Files.writeString(dir.resolve("hosts.map"), "foo.example be1\nbar.example be2\n");
        Files.writeString(dir.resolve("blocked.acl"), "10.0.0.1\n");
        return InProcessProxy.start("""
                log.target = none
                stats { socket = "%s", level = admin }
                frontends.fe {
                  bind = ["127.0.0.1:0"]
                  http-request = [ "deny if { src -f %s }" ]
                  use-backend = [ "%%[req.hdr(host),lower,map(%s,app)]" ]
                  default-backend = app
                }
                backends {
                  app { servers { a = "%s", b = "%s" } }
                  be1 { servers { s1 = "%s" } }
                  be2 { servers { s2 = "%s" } }
                }
                """.formatted(dir.resolve("luagate.sock"), dir.resolve("blocked.acl"), dir.resolve("hosts.map"),
                upstreams[0], upstreams[1], upstreams[2], upstreams[3]));
    }

    @Test
    void showInfoStatServersStateAndBackendDescribeTheRunningProcess() throws Exception {
        try (TestUpstream a = TestUpstream.named("a"); TestUpstream b = TestUpstream.named("b");
             TestUpstream s1 = TestUpstream.named("s1"); TestUpstream s2 = TestUpstream.named("s2");
             InProcessProxy proxy = start(a.address(), b.address(), s1.address(), s2.address());
             TestClient client = new TestClient(proxy.port("fe"))) {
            assertEquals("200 s1", servedBy(client, "foo.example"));
            assertEquals("200 s2", servedBy(client, "bar.example"));

            String info = cli("show info\n");
            assertTrue(info.endsWith("\n\n"), info);
            assertTrue(info.contains("\nPid: " + ProcessHandle.current().pid() + "\n"), info);
            assertTrue(info.contains("\nCumReq: 2\n"), info);
            assertTrue(info.contains("\nCurrConns: 1\n"), info);
            assertTrue(info.contains("\nCumConns: 1\n"), info);
            assertTrue(info.matches("(?s)Name: luagate\nVersion: .*\nUptime: \\d+d \\d+h\\d\\dm\\d\\ds\nUptime_sec: \\d+\n.*"), info);

            String stat = cli("show stat\n");
            List<String> rows = stat.lines().toList();
            assertEquals(List.of("fe,FRONTEND", "app,a", "app,b", "app,BACKEND", "be1,s1", "be1,BACKEND", "be2,s2",
                    "be2,BACKEND", ""), rows.subList(1, rows.size()).stream()
                    .map(r -> r.isEmpty() ? "" : r.substring(0, r.indexOf(',', r.indexOf(',') + 1))).toList(), stat);
            for (String row : rows.subList(1, rows.size() - 1)) {
                assertEquals(128, row.chars().filter(c -> c == ',').count(), row);
            }
            List<String> header = List.of(rows.get(0).substring(2).split(","));
            String be1 = rows.get(5);
            List<String> cells = List.of(be1.split(",", -1));
            assertEquals("1", cells.get(header.indexOf("stot")), be1);
            assertEquals("1", cells.get(header.indexOf("hrsp_2xx")), be1);
            assertEquals("no check", cells.get(header.indexOf("status")), be1);
            assertEquals(s1.address(), cells.get(header.indexOf("addr")), be1);
            List<String> fe = List.of(rows.get(1).split(",", -1));
            assertEquals("OPEN", fe.get(header.indexOf("status")));
            assertEquals("2", fe.get(header.indexOf("req_tot")));

            String state = cli("show servers state app\n");
            int port = a.port();
            assertTrue(state.startsWith("1\n# be_id be_name srv_id srv_name srv_addr srv_op_state"), state);
            assertTrue(state.contains("\n2 app 1 a 127.0.0.1 2 0 1 1 "), state);
            assertTrue(state.contains(" 0 0 - " + port + " - 0 0 - - 0\n"), state);
            assertEquals("Can't find backend.\n\n", cli("show servers state nope\n"));
            assertEquals("# name\napp\nbe1\nbe2\n\n", cli("show backend\n"));
        }
    }

    @Test
    void aServerInMaintenanceGetsNoTrafficAndWeightAndAddressChangesApply() throws Exception {
        try (TestUpstream a = TestUpstream.named("a"); TestUpstream b = TestUpstream.named("b");
             TestUpstream s1 = TestUpstream.named("s1"); TestUpstream s2 = TestUpstream.named("s2");
             InProcessProxy proxy = start(a.address(), b.address(), s1.address(), s2.address());
             TestClient client = new TestClient(proxy.port("fe"))) {
            assertEquals("\n", cli("set server app/a state maint\n"));
            assertTrue(cli("show servers state app\n").contains("\n2 app 1 a 127.0.0.1 0 1 1 1 "));
            for (int i = 0; i < 6; i++) {
                assertEquals("200 b", servedBy(client, "other"));
            }
            assertTrue(cli("show stat\n").contains("\napp,a,"), "listed");
            assertTrue(!cli("show stat no-maint\n").contains("\napp,a,"), "no-maint leaves it out");
            assertEquals("\n", cli("set server app/a state ready\n"));
            List<String> seen = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                seen.add(servedBy(client, "other"));
            }
            assertTrue(seen.contains("200 a") && seen.contains("200 b"), seen.toString());

            assertEquals("\n", cli("disable server app/b\n"));
            assertEquals("200 a", servedBy(client, "other"));
            assertEquals("200 a", servedBy(client, "other"));
            assertEquals("\n", cli("enable server app/b\n"));

            assertEquals("\n", cli("set server app/a weight 0\n"));
            assertEquals("0 (initial 1)\n\n", cli("get weight app/a\n"));
            assertEquals("200 b", servedBy(client, "other"));
            assertEquals("200 b", servedBy(client, "other"));
            assertEquals("\n", cli("set server app/a weight 100%\n"));
            assertEquals("1 (initial 1)\n\n", cli("get weight app/a\n"));

            // (haproxy) the texts of set server ... addr: the port moves be1's server to s2's upstream.
            assertEquals("no need to change the addr, port changed from '" + s1.port() + "' to '" + s2.port()
                    + "' by 'stats socket command'\n\n", cli("set server be1/s1 addr 127.0.0.1 port " + s2.port() + "\n"));
            try (TestClient fresh = new TestClient(proxy.port("fe"))) {
                assertEquals("200 s2", servedBy(fresh, "foo.example"));
            }
            assertEquals("no need to change the addr by 'stats socket command'\n\n",
                    cli("set server be1/s1 addr 127.0.0.1\n"));
            assertEquals("Invalid addr 'nothost' by 'stats socket command'\n\n", cli("set server be1/s1 addr nothost\n"));
        }
    }

    @Test
    void mapsAndAclsChangedAtRunTimeRouteAndFilterTheNextRequest() throws Exception {
        try (TestUpstream a = TestUpstream.named("a"); TestUpstream b = TestUpstream.named("b");
             TestUpstream s1 = TestUpstream.named("s1"); TestUpstream s2 = TestUpstream.named("s2");
             InProcessProxy proxy = start(a.address(), b.address(), s1.address(), s2.address());
             TestClient client = new TestClient(proxy.port("fe"))) {
            String acl = dir.resolve("blocked.acl").toString();
            String map = dir.resolve("hosts.map").toString();
            String maps = cli("show map\n");
            Matcher id = Pattern.compile("\n(\\d+) \\(" + Pattern.quote(map) + "\\) pattern loaded from file '"
                    + Pattern.quote(map) + "' used by map\\. curr_ver=0 next_ver=0 entry_cnt=2\n").matcher(maps);
            assertTrue(maps.startsWith("# id (file) description\n") && id.find(), maps);
            String ref = "#" + id.group(1);
            String entries = cli("show map " + ref + "\n");
            assertTrue(entries.matches("0x[0-9a-f]+ foo\\.example be1\n0x[0-9a-f]+ bar\\.example be2\n\n"), entries);
            assertEquals(entries, cli("show map " + map + "\n"));

            assertEquals("200 s1", servedBy(client, "foo.example"));
            assertEquals("\n", cli("set map " + ref + " foo.example be2\n"));
            assertEquals("200 s2", servedBy(client, "foo.example"));
            String first = entries.substring(0, entries.indexOf(' '));
            assertEquals("\n", cli("set map " + ref + " #" + first + " be1\n"));
            assertEquals("200 s1", servedBy(client, "foo.example"));
            assertEquals("\n", cli("add map " + map + " baz.example be2\n"));
            assertEquals("200 s2", servedBy(client, "baz.example"));
            assertEquals("\n", cli("del map " + map + " baz.example\n"));
            assertTrue(servedBy(client, "baz.example").matches("200 [ab]"));
            assertEquals("\n", cli("add map " + ref + " <<\nqux.example be1\nquux.example be2\n\n"));
            assertEquals("200 s2", servedBy(client, "quux.example"));
            assertEquals("\n", cli("clear map " + ref + "\n"));
            assertEquals("\n", cli("show map " + ref + "\n"));
            assertTrue(servedBy(client, "foo.example").matches("200 [ab]"));

            assertTrue(servedBy(client, "other").matches("200 [ab]"));
            assertEquals("\n", cli("add acl " + acl + " 127.0.0.1\n"));
            assertEquals(403, client.send("GET / HTTP/1.1\r\nHost: other\r\n\r\n").read().status());
            String patterns = cli("show acl " + acl + "\n");
            assertTrue(patterns.matches("0x[0-9a-f]+ 10\\.0\\.0\\.1\n0x[0-9a-f]+ 127\\.0\\.0\\.1\n\n"), patterns);
            try (TestClient again = new TestClient(proxy.port("fe"))) {
                assertEquals("\n", cli("del acl " + acl + " 127.0.0.1\n"));
                assertEquals(200, again.send("GET / HTTP/1.1\r\nHost: other\r\n\r\n").read().status());
            }
            assertEquals("'notanip' is not a valid IPv4 or IPv6 address.\n\n", cli("add acl " + acl + " notanip\n"));
        }
    }

    @Test
    void errorsAnswerAsHaproxyDoes() throws Exception {
        try (TestUpstream a = TestUpstream.named("a");
             InProcessProxy proxy = start(a.address(), a.address(), a.address(), a.address())) {
            String map = dir.resolve("hosts.map").toString();
            String[][] cases = {
                {"get weight app/x\n", "No such server.\n\n"},
                {"get weight nope\n", "Require 'backend/server'.\n\n"},
                {"enable server nope/x\n", "No such backend.\n\n"},
                {"set server app/a state foo\n", "'set server <srv> state' expects 'ready', 'drain' and 'maint'.\n\n"},
                {"set server app/a\n", "usage: set server <backend>/<server> addr | agent | agent-addr | agent-port | "
                        + "agent-send | check-addr | check-port | fqdn | health | ssl | state | weight\n\n"},
                {"set server app/a weight 300\n", "Absolute weight can only be between 0 and 256 inclusive.\n\n"},
                {"set server app/a weight abc\n", "Empty weight string empty or preceded by garbage\n"},
                {"set server app/a addr\n", "set server <b>/<s> addr requires an address and optionally a port.\n\n"},
                {"show map nope\n", "Unknown map identifier. Please use #<id> or <file>.\n\n"},
                {"show acl nope\n", "Unknown ACL identifier. Please use #<id> or <file>.\n\n"},
                {"set map " + map + " nokey be1\n", "entry not found.\n\n"},
                {"set map " + map + "\n", "'set map' expects three parameters: map identifier, key and value.\n\n"},
                {"set map " + map + " #0x123 x\n", "key or pattern not found.\n\n"},
                {"del map " + map + " nokey\n", "Key not found.\n\n"},
                {"del map " + map + "\n", "This command expects two parameters: map identifier and key.\n\n"},
                {"add map\n", "'add map' expects three parameters (map identifier, key and value) or one parameter "
                        + "(map identifier) and a payload\n\n"},
                {"add acl\n", "'add acl' expects two parameters: ACL identifier and pattern.\n\n"},
                {"clear map\n", "Missing map identifier.\n\n"},
                {"user;set server app/a state ready\n", "\nPermission denied\n\n"},
                {"operator;show cli level\n", "\noperator\n\n"},
                {"quit\n", ""},
            };
            for (String[] c : cases) {
                assertEquals(c[1], cli(c[0]), c[0]);
            }
            String unknown = cli("foo\n");
            assertTrue(unknown.startsWith("Unknown command, but maybe one of the following ones is a better match:\n"), unknown);
            assertTrue(unknown.endsWith("  help [<command>]                        : list matching or all commands\n"
                    + "  prompt                                  : toggle interactive mode with prompt\n"
                    + "  quit                                    : disconnect\n\n"), unknown);
            assertTrue(cli("\n").startsWith("Unknown command. Please enter one of the following commands only:\n"));
            assertTrue(cli("prompt\nshow backend\nprompt\nshow backend\n").equals("\n> # name\napp\nbe1\nbe2\n\n> \n"
                    + "# name\napp\nbe1\nbe2\n\n"));
        }
    }

    @Test
    void theTcpAddressServesItsLevelAndANonLoopbackOneIsRefused() throws Exception {
        int port = DistributionProcess.freePort();
        try (TestUpstream a = TestUpstream.named("a");
             InProcessProxy proxy = InProcessProxy.start("""
                     log.target = none
                     stats { tcp = "127.0.0.1:%d" }
                     frontends.fe { bind = ["127.0.0.1:0"], default-backend = app }
                     backends.app { servers { a = "%s" } }
                     """.formatted(port, a.address()))) {
            InetSocketAddress tcp = new InetSocketAddress("127.0.0.1", port);
            assertEquals("operator\n\n", exchange(tcp, "show cli level\n"), "HAProxy's default level");
            assertEquals("Permission denied\n\n", exchange(tcp, "set server app/a state maint\n"));
            assertEquals("1 (initial 1)\n\n", exchange(tcp, "get weight app/a\n"));
        }
        InvalidConfigException refused = assertThrows(InvalidConfigException.class, () -> InProcessProxy.start("""
                stats { tcp = "0.0.0.0:%d" }
                frontends.fe { bind = ["127.0.0.1:0"], default-backend = app }
                backends.app { servers { a = "127.0.0.1:1" } }
                """.formatted(port)).close());
        assertTrue(refused.getMessage().contains("stats.tcp") && refused.getMessage().contains("not a loopback address"),
                refused.getMessage());
    }

    @Test
    void addedServersTakeTrafficOnceReadyAndOnlyServersInMaintenanceAreDeleted() throws Exception {
        try (TestUpstream a = TestUpstream.named("a"); TestUpstream c = TestUpstream.named("c");
             InProcessProxy proxy = start(a.address(), a.address(), a.address(), a.address());
             TestClient client = new TestClient(proxy.port("fe"))) {
            assertEquals("New server registered.\n\n", cli("add server app/c " + c.address() + " weight 20\n"));
            assertEquals("Already exists a server with the same name in backend.\n\n",
                    cli("add server app/c " + c.address() + "\n"));
            assertEquals("'server' expects <name> and <addr>[:<port>] as arguments.\n\n", cli("add server app/d\n"));
            assertEquals("Require 'backend/server'.\n", cli("add server app\n"));
            assertEquals("No such backend.\n", cli("add server nope/x 127.0.0.1:1\n"));
            assertEquals("20 (initial 20)\n\n", cli("get weight app/c\n"));
            assertTrue(cli("show servers state app\n").contains("\n2 app 3 c 127.0.0.1 0 1 20 20 "), "added in maintenance");
            assertEquals("200 a", servedBy(client, "other"));
            assertEquals("\n", cli("set server app/c state ready;set server app/a state maint\n").substring(1));
            assertEquals("\n", cli("set server app/b state maint\n"));
            assertEquals("200 c", servedBy(client, "other"));
            assertEquals("Only servers in maintenance mode can be deleted.\n", cli("del server app/c\n"));
            assertEquals("\n", cli("set server app/a state ready;set server app/c state maint\n").substring(1));
            assertEquals("200 a", servedBy(client, "other"));
            assertEquals("Server deleted.\n", cli("del server app/c\n"));
            assertEquals("No such server.\n", cli("del server app/c\n"));
            assertEquals("No such server.\n\n", cli("get weight app/c\n"));
        }
    }

    @Test
    void reloadAnswersOnTheSameConnectionAndItsCommandsSeeTheNewGeneration() throws Exception {
        try (TestUpstream a = TestUpstream.named("a"); TestUpstream s1 = TestUpstream.named("s1");
             TestUpstream s3 = TestUpstream.named("s3")) {
            // Started from a file, as bin/luagate starts: what a reload reads again.
            Path file;
            try (InProcessProxy written = start(a.address(), a.address(), s1.address(), s1.address())) {
                file = written.configFile();
            }
            String config = Files.readString(file);
            Luagate luagate = Luagate.start(ConfigLoader.load(file, InProcessProxy.distribution()),
                    InProcessProxy.distribution(), file);
            try {
                Files.writeString(file, config.replace("be2 { servers { s2 = \"" + s1.address() + "\" } }",
                        "be2 { servers { s2 = \"" + s1.address() + "\" } }\n  be3 { servers { s3 = \"" + s3.address() + "\" } }"));
                Files.writeString(dir.resolve("hosts.map"), "foo.example be1\nbar.example be3\n");
                String answer = cli("reload\n");
                assertTrue(answer.startsWith("Success=1\nGeneration=2\n") && answer.endsWith("\n\n"), answer);
                assertEquals("# name\napp\nbe1\nbe2\nbe3\n\n", cli("show backend\n"));
                try (TestClient client = new TestClient(luagate.addresses("fe").get(0).getPort())) {
                    assertEquals("200 s3", servedBy(client, "bar.example"), "the new generation read the map anew");
                    assertEquals("\n", cli("set map " + dir.resolve("hosts.map") + " foo.example be3\n"));
                    assertEquals("200 s3", servedBy(client, "foo.example"), "set map changed the new generation's map");
                }
                Files.writeString(file, config.replace("default-backend = app", "default-backend = app\n  nonsense = 1"));
                String refused = cli("reload\n");
                assertTrue(refused.startsWith("Success=0\n") && refused.contains("nonsense") && refused.endsWith("\n\n"),
                        refused);
                assertEquals("# name\napp\nbe1\nbe2\nbe3\n\n", cli("show backend\n"), "nothing changed");
                assertEquals("Permission denied\n\n", cli("user;reload\n").substring(1));
            } finally {
                luagate.close();
            }
        }
    }

    @Test
    void checkColumnsComeFromTheHealthChecks() throws Exception {
        int dead = DistributionProcess.freePort();
        try (TestUpstream a = TestUpstream.named("a");
             InProcessProxy proxy = InProcessProxy.start("""
                     log.target = none
                     stats { socket = "%s" }
                     frontends.fe { bind = ["127.0.0.1:0"], default-backend = app }
                     backends.app {
                       default-server { inter = 100ms, rise = 2, fall = 1 }
                       servers { a { address = "%s", check = true }, d { address = "127.0.0.1:%d", check = true } }
                     }
                     """.formatted(dir.resolve("luagate.sock"), a.address(), dead))) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            String stat = cli("show stat\n");
            while (!stat.contains("\napp,d,") || !row(stat, "app,d,").contains(",DOWN,")) {
                assertTrue(System.nanoTime() < deadline, stat);
                Thread.sleep(50);
                stat = cli("show stat\n");
            }
            List<String> header = List.of(stat.lines().findFirst().orElseThrow().substring(2).split(","));
            List<String> down = List.of(row(stat, "app,d,").split(",", -1));
            assertEquals("DOWN", down.get(header.indexOf("status")));
            assertEquals("L4CON", down.get(header.indexOf("check_status")));
            assertEquals("Layer4 connection problem", down.get(header.indexOf("check_desc")));
            assertEquals("1", down.get(header.indexOf("chkdown")));
            List<String> up = List.of(row(stat, "app,a,").split(",", -1));
            assertTrue(up.get(header.indexOf("status")).startsWith("UP"), row(stat, "app,a,"));
            assertEquals("L4OK", up.get(header.indexOf("check_status")));
            // (haproxy) srv_check_status 8 (L4CON), result 2 (failed), health 0, check state 6 (configured, enabled).
            assertTrue(cli("show servers state app\n").matches("(?s).*\n2 app 2 d 127\\.0\\.0\\.1 0 0 1 1 \\d+ 8 2 0 6 0 .*"),
                    cli("show servers state app\n"));
        }
    }

    /** A server added with {@code check} is checked from then on, and its checker stops with its removal. */
    @Test
    void aServerAddedWithCheckIsChecked() throws Exception {
        int dead = DistributionProcess.freePort();
        try (TestUpstream a = TestUpstream.named("a");
             InProcessProxy proxy = InProcessProxy.start("""
                     log.target = none
                     stats { socket = "%s", level = admin }
                     frontends.fe { bind = ["127.0.0.1:0"], default-backend = app }
                     backends.app { servers { a { address = "%s", check = true, inter = 100ms } } }
                     """.formatted(dir.resolve("luagate.sock"), a.address()))) {
            assertEquals("New server registered.\n\n",
                    cli("add server app/d 127.0.0.1:" + dead + " check inter 100ms fall 1\n"));
            assertEquals("\n", cli("set server app/d state ready\n"));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            String stat = cli("show stat\n");
            while (!row(stat, "app,d,").contains(",L4CON,")) {
                assertTrue(System.nanoTime() < deadline, "the added server is never checked: " + stat);
                Thread.sleep(50);
                stat = cli("show stat\n");
            }
            List<String> header = List.of(stat.lines().findFirst().orElseThrow().substring(2).split(","));
            assertEquals("DOWN", List.of(row(stat, "app,d,").split(",", -1)).get(header.indexOf("status")));
            assertEquals("\n", cli("set server app/d state maint\n"));
            assertEquals("Server deleted.\n", cli("del server app/d\n"));
            assertTrue(row(cli("show stat\n"), "app,a,").contains(",L4OK,"), "the configured server is still checked");
        }
    }

    private static String row(String stat, String prefix) {
        return stat.lines().filter(l -> l.startsWith(prefix)).findFirst().orElse("");
    }

    /** The texts tools parse, read from the real HAProxy 2.6.12 with the same commands. */
    @Test
    void headersAndUnknownCommandsMatchTheRealHaproxy() throws Exception {
        Path haproxy = Path.of("/usr/sbin/haproxy");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isExecutable(haproxy), "HAProxy 2.6 is installed");
        Path hsock = dir.resolve("haproxy.sock");
        int feport = DistributionProcess.freePort();
        Path cfg = Files.writeString(dir.resolve("haproxy.cfg"), """
                global
                  stats socket %s level admin
                defaults
                  mode http
                  timeout connect 1s
                  timeout client 5s
                  timeout server 5s
                frontend fe
                  bind 127.0.0.1:%d
                  default_backend app
                backend app
                  server a 127.0.0.1:1
                """.formatted(hsock, feport));
        Process process = new ProcessBuilder(haproxy.toString(), "-f", cfg.toString(), "-db")
                .redirectErrorStream(true).redirectOutput(dir.resolve("haproxy.log").toFile()).start();
        try (TestUpstream a = TestUpstream.named("a");
             InProcessProxy proxy = InProcessProxy.start("""
                     log.target = none
                     stats { socket = "%s", level = admin }
                     frontends.fe { bind = ["127.0.0.1:0"], default-backend = app }
                     backends.app { servers { a = "%s" } }
                     """.formatted(dir.resolve("luagate.sock"), a.address()))) {
            UnixDomainSocketAddress theirs = UnixDomainSocketAddress.of(hsock);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!Files.exists(hsock) && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            for (String command : List.of("show stat\n", "show servers state\n", "show backend\n", "foo\n", "\n", "help\n")) {
                String ours = cli(command);
                String real = exchange(theirs, command);
                assertEquals(real.lines().findFirst().orElse(""), ours.lines().findFirst().orElse(""), command);
            }
            for (String command : List.of("get weight app/x\n", "get weight nope\n", "set server app/a state foo\n",
                    "set server app/a weight abc\n", "set server app/a weight 300\n", "show map nope\n", "add map\n",
                    "quit\n", "user;set server app/a state ready\n", "show servers state nope\n", "prompt\nquit\n",
                    "show backend;show backend\n", "set server app/a addr\n", "set server app/a addr 127.0.0.1 foo 5\n",
                    "del server app/x\n", "del server nope/x\n", "add server app\n", "add server app/e\n",
                    "prompt\ndel server app/x\nquit\n")) {
                assertEquals(exchange(theirs, command), cli(command), command);
            }
        } finally {
            process.destroy();
            process.waitFor(5, TimeUnit.SECONDS);
        }
    }
}
