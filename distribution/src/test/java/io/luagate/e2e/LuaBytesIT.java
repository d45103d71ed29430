package io.luagate.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.luagate.e2e.support.Http;
import io.luagate.e2e.support.InProcessProxy;
import io.luagate.e2e.support.TestClient;
import io.luagate.e2e.support.TestUpstream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Lua strings are bytes, both ways, as in HAProxy: header bytes 0x80-0xFF, a binary body through
 * converters, and a variable set from Lua and read by rules. The expected values are what HAProxy
 * 2.6.12 answers to the same request with the same script and rules.
 */
class LuaBytesIT {

    /** The header value sent: bytes above 0x7F, one of them a lone UTF-8 lead byte. */
    private static final byte[] HEADER = {'a', (byte) 0x80, (byte) 0xFF, (byte) 0xE9, 'z'};

    private static final String SCRIPT = """
            core.register_action("bytes", {"http-req"}, function(txn)
              local v = txn.http:req_get_headers()["x-bin"][0]
              local f = txn.f:req_hdr("x-bin")
              local codes = {}
              for i = 1, #v do codes[i] = tostring(v:byte(i)) end
              txn.http:req_set_header("x-len", tostring(#v))
              txn.http:req_set_header("x-codes", table.concat(codes, " "))
              txn.http:req_set_header("x-echo", v)
              txn.http:req_set_header("x-same", tostring(f == v))
              txn.http:req_set_header("x-hdr-hex", txn.c:hex(v))
              txn.http:req_set_header("x-hdr-crc", tostring(txn.c:crc32(v)))
              txn:set_var("txn.raw", v .. "\\xfe")
              local body = txn.f:req_body()
              txn.http:req_set_header("x-body-len", tostring(#body))
              txn.http:req_set_header("x-body-hex", txn.c:hex(body))
              txn.http:req_set_header("x-body-crc", tostring(txn.c:crc32(body)))
              txn.http:req_set_header("x-sc-crc", txn.sc:crc32(body))
              txn.http:req_set_header("x-sf-len", tostring(#txn.sf:req_body()))
              txn.http:req_set_header("x-num", tostring(txn.c:crc32(2.5)) .. " " .. tostring(txn.c:crc32(7.0)))
            end)
            core.register_service("echo", "http", function(applet)
              local v = applet.headers["x-bin"][0]
              local body = #v .. ":" .. v
              applet:set_status(200)
              applet:add_header("x-back", v)
              applet:add_header("content-length", #body)
              applet:start_response()
              applet:send(body)
            end)
            """;

    @TempDir
    Path dir;

    private static byte[] request(String path, byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(("POST " + path + " HTTP/1.1\r\nHost: x\r\nX-Bin: ").getBytes(StandardCharsets.ISO_8859_1));
        out.writeBytes(HEADER);
        out.writeBytes(("\r\nContent-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
        out.writeBytes(body);
        return out.toByteArray();
    }

    private static byte[] latin1(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void headerBytesBodyBytesAndVariablesCrossLuaUnchanged() throws Exception {
        Path lua = Files.writeString(dir.resolve("bytes.lua"), SCRIPT);
        byte[] body = new byte[256];
        for (int i = 0; i < body.length; i++) {
            body[i] = (byte) i;
        }
        try (TestUpstream app = TestUpstream.named("app");
             InProcessProxy proxy = InProcessProxy.start("""
                     log.target = none
                     lua.load = [ "%s" ]
                     frontends.fe {
                       bind = ["127.0.0.1:0"]
                       http-buffer-request = true
                       http-request = [
                         "lua.bytes",
                         "set-header x-var-hex %%[var(txn.raw),hex]",
                         "set-header x-var %%[var(txn.raw)]",
                         "use-service lua.echo if { path /echo }"
                       ]
                       http-response = [ "set-header x-res-var %%[var(txn.raw)]" ]
                       default-backend = app
                     }
                     backends { app { servers { s = "%s" } } }
                     """.formatted(lua, app.address()))) {
            int port = proxy.port("fe");
            try (TestClient client = new TestClient(port)) {
                client.send(request("/b", body));
                Http.Message response = client.read();
                assertEquals(200, response.status());
                assertArrayEquals(latin1("a\u0080\u00ff\u00e9z\u00fe"), latin1(response.header("x-res-var")));
            }
            Http.Message seen = app.connections().get(0).requests.get(0);
            assertEquals("5", seen.header("x-len"));
            assertEquals("97 128 255 233 122", seen.header("x-codes"));
            assertArrayEquals(HEADER, latin1(seen.header("x-echo")));
            assertEquals("true", seen.header("x-same"));
            assertEquals("6180FFE97A", seen.header("x-hdr-hex"));
            assertEquals("249428913", seen.header("x-hdr-crc"));
            assertEquals("256", seen.header("x-body-len"));
            StringBuilder hex = new StringBuilder();
            for (byte b : body) {
                hex.append(String.format("%02X", b & 0xFF));
            }
            assertEquals(hex.toString(), seen.header("x-body-hex"));
            assertEquals("688229491", seen.header("x-body-crc"));
            assertEquals("688229491", seen.header("x-sc-crc"));
            // sf gives binary whole, its NUL bytes included.
            assertEquals("256", seen.header("x-sf-len"));
            // lua_tointeger: 2.5 is 0 (crc32 of eight zero bytes), 7.0 is the integer 7.
            assertEquals("1696784233 4215687882", seen.header("x-num"));
            assertEquals("6180FFE97AFE", seen.header("x-var-hex"));
            assertArrayEquals(latin1("a\u0080\u00ff\u00e9z\u00fe"), latin1(seen.header("x-var")));

            try (TestClient client = new TestClient(port)) {
                client.send(request("/echo", new byte[0]));
                Http.Message echoed = client.read();
                assertEquals(200, echoed.status());
                assertArrayEquals(HEADER, latin1(echoed.header("x-back")));
                ByteArrayOutputStream expected = new ByteArrayOutputStream();
                expected.writeBytes(latin1("5:"));
                expected.writeBytes(HEADER);
                assertArrayEquals(expected.toByteArray(), echoed.body());
            }
        }
    }
}
