package io.luagate.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.luagate.e2e.support.Http;
import io.luagate.e2e.support.InProcessProxy;
import io.luagate.e2e.support.TestClient;
import io.luagate.e2e.support.TestUpstream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code txn.f}/{@code txn.c} arguments typed and checked as HAProxy's bridge checks them, and the
 * {@code capture.*} fetches over {@code declare-capture} and {@code capture} actions. The expected
 * text is what HAProxy 2.6.12 answers with the same script and rules ({@code declare capture}, and
 * {@code option httplog}, with which HAProxy keeps the request line that
 * {@code capture.req.method}/{@code uri} read).
 */
class LuaSampleArgsIT {

    private static final String SCRIPT = """
            local function probe(txn)
              local out = {}
              local function try(label, f)
                local ok, r = pcall(f)
                if not ok then r = tostring(r):gsub("^.-:%d+: ", "") end
                out[#out+1] = label .. "=" .. tostring(r)
              end
              try("c0", function() return txn.f:capture_req_hdr(0) end)
              try("c1", function() return txn.f:capture_req_hdr(1) end)
              try("c2", function() return txn.f:capture_req_hdr(2) end)
              try("sc2", function() return txn.sf:capture_req_hdr(2) end)
              try("m", function() return txn.f:capture_req_method() end)
              try("u", function() return txn.f:capture_req_uri() end)
              try("v", function() return txn.f:capture_req_ver() end)
              try("r0", function() return txn.f:capture_res_hdr(0) end)
              try("rv", function() return txn.f:capture_res_ver() end)
              try("cs", function() return txn.f:capture_req_hdr("0") end)
              try("cn", function() return txn.f:capture_req_hdr() end)
              try("hdr1", function() return txn.f:req_hdr(1) end)
              try("hdrs", function() return txn.f:req_hdr("y") end)
              try("meth", function() return txn.f:method("a") end)
              try("fld", function() return txn.c:field("a,b", ",") end)
              try("fld0", function() return txn.c:field("a,b") end)
              try("fld2", function() return txn.c:field("a,b", 2.0, ",") end)
              try("fld4", function() return txn.c:field("a,b", 2, ",", 1, 1) end)
              try("crc", function() return txn.c:crc32("x", "1") end)
              try("hex", function() return txn.c:hex(2.5) end)
              try("up", function() return txn.c:upper(nil) end)
              try("add", function() return txn.c:add(10, 2.5) end)
              try("addt", function() return txn.c:add(10, true) end)
              try("nb", function() return txn.f:nbsrv() end)
              return table.concat(out, " ")
            end
            core.register_action("capreq", {"http-req"}, function(txn)
              txn.http:req_set_header("x-probe", probe(txn))
            end)
            core.register_action("capres", {"http-res"}, function(txn)
              txn.http:res_set_header("x-probe", probe(txn))
            end)
            """;

    /** HAProxy 2.6.12's probe in the request phase. */
    private static final String REQUEST_PROBE = "c0=why c1=hell c2=nil sc2= m=GET u=/p?q v=HTTP/1.1 r0=nil rv=nil cs=bad argument #1 to 'capture_req_hdr' (integer expected) cn=bad argument #1 to 'capture_req_hdr' (Mandatory argument expected) hdr1=bad argument #1 to 'req_hdr' (unable to duplicate string arg) hdrs=why meth=bad argument #1 to 'method' (Last argument expected) fld=bad argument #2 to 'field' (integer expected) fld0=bad argument #2 to 'field' (Mandatory argument expected) fld2=b fld4=bad argument #5 to 'field' (Last argument expected) crc=bad argument #2 to 'crc32' (integer expected) hex=0000000000000000 up=0 add=bad argument #2 to 'add' (unable to duplicate string arg) addt=bad argument #2 to 'add' (unable to duplicate string arg) nb=bad argument #1 to 'nbsrv' (Mandatory argument expected)";

    /** HAProxy 2.6.12's probe in the response phase. */
    private static final String RESPONSE_PROBE = "c0=why c1=hell c2=nil sc2= m=GET u=/p?q v=HTTP/1.1 r0=ap rv=HTTP/1.1 cs=bad argument #1 to 'capture_req_hdr' (integer expected) cn=bad argument #1 to 'capture_req_hdr' (Mandatory argument expected) hdr1=bad argument #1 to 'req_hdr' (unable to duplicate string arg) hdrs=nil meth=bad argument #1 to 'method' (Last argument expected) fld=bad argument #2 to 'field' (integer expected) fld0=bad argument #2 to 'field' (Mandatory argument expected) fld2=b fld4=bad argument #5 to 'field' (Last argument expected) crc=bad argument #2 to 'crc32' (integer expected) hex=0000000000000000 up=0 add=bad argument #2 to 'add' (unable to duplicate string arg) addt=bad argument #2 to 'add' (unable to duplicate string arg) nb=bad argument #1 to 'nbsrv' (Mandatory argument expected)";

    @TempDir
    Path dir;

    @Test
    void argumentErrorsAndCapturesAsHaproxy() throws Exception {
        Path lua = Files.writeString(dir.resolve("probe.lua"), SCRIPT);
        try (TestUpstream app = TestUpstream.named("app");
             InProcessProxy proxy = InProcessProxy.start("""
                     log.target = none
                     lua.load = [ "%s" ]
                     frontends.fe {
                       bind = ["127.0.0.1:0"]
                       declare-capture = [ "request len 20", "response len 2" ]
                       http-request = [
                         "capture req.hdr(x) len 4",
                         "capture req.hdr(y) id 0",
                         "capture req.hdr(z) id 1",
                         "lua.capreq"
                       ]
                       http-response = [ "capture res.hdr(x-served-by) id 0", "lua.capres" ]
                       default-backend = app
                     }
                     backends { app { servers { s = "%s" } } }
                     """.formatted(lua, app.address()))) {
            try (TestClient client = new TestClient(proxy.port("fe"))) {
                client.send("GET /p?q HTTP/1.1\r\nHost: hh\r\nx: hello-x\r\ny: why\r\n\r\n");
                Http.Message response = client.read();
                assertEquals(200, response.status());
                // HAProxy has dropped the request headers by then (hdrs=nil); luagate keeps them: not compared.
                assertEquals(RESPONSE_PROBE.replaceFirst(" hdrs=\\S+", ""),
                        response.header("x-probe").replaceFirst(" hdrs=\\S+", ""));
            }
            assertEquals(REQUEST_PROBE, app.connections().get(0).requests.get(0).header("x-probe"));
        }
    }

    /**
     * HAProxy's {@code capture request|response header}: the last value as received, before any
     * rule runs, in a slot numbered in declaration order (HAProxy 2.6.12 answers "sec nil b" and
     * "ap" to the same configuration and request).
     */
    @Test
    void headerCapturesTakeTheLastValueBeforeTheRules() throws Exception {
        Path lua = Files.writeString(dir.resolve("captures.lua"), """
                core.register_action("req", {"http-req"}, function(txn)
                  txn.http:req_set_header("x-cap", tostring(txn.f:capture_req_hdr(0)) .. " "
                    .. tostring(txn.f:capture_req_hdr(1)) .. " " .. tostring(txn.f:capture_req_hdr(2)))
                end)
                core.register_action("res", {"http-res"}, function(txn)
                  txn.http:res_set_header("x-cap", tostring(txn.f:capture_res_hdr(0)))
                end)
                """);
        try (TestUpstream app = TestUpstream.named("app");
             InProcessProxy proxy = InProcessProxy.start("""
                     log.target = none
                     lua.load = [ "%s" ]
                     frontends.fe {
                       bind = ["127.0.0.1:0"]
                       declare-capture = [ "request header x len 3", "request len 9", "request header y len 10",
                                           "response header x-served-by len 2" ]
                       http-request = [ "set-header x changed", "lua.req" ]
                       http-response = [ "lua.res" ]
                       default-backend = app
                     }
                     backends { app { servers { s = "%s" } } }
                     """.formatted(lua, app.address()))) {
            try (TestClient client = new TestClient(proxy.port("fe"))) {
                client.send("GET /p HTTP/1.1\r\nHost: hh\r\nx: first\r\ny: a\r\ny: b\r\nx: second\r\n\r\n");
                Http.Message response = client.read();
                assertEquals(200, response.status());
                assertEquals("ap", response.header("x-cap"));
            }
            assertEquals("sec nil b", app.connections().get(0).requests.get(0).header("x-cap"));
        }
    }
}
