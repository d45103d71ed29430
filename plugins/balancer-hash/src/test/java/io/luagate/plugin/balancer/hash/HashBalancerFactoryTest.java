package io.luagate.plugin.balancer.hash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class HashBalancerFactoryTest {

    private static RecordingContext check(String algorithm, String... arguments) {
        RecordingContext context = new RecordingContext(algorithm, arguments);
        new HashBalancerFactory().check(context);
        return context;
    }

    @Test
    void servesHashAndHaproxysOtherHashingNames() {
        HashBalancerFactory factory = new HashBalancerFactory();
        assertEquals("hash", factory.algorithm());
        assertEquals(List.of("source", "uri", "url_param", "hdr"), factory.otherAlgorithms());
    }

    @Test
    void eachAlgorithmAsksForItsKey() {
        assertEquals("req.hdr(x-user),lower", check("hash", "req.hdr(x-user),lower").key);
        assertEquals("src", check("source").key);
        assertEquals("url", check("uri", "len", "10", "depth", "2", "whole").key);
        assertEquals("url", check("url_param", "id").key);
        assertEquals("req.hdr(x-user,1)", check("hdr", "X-User").key);
        assertEquals("req.hdr(host,1)", check("hdr", "host", "use_domain_only").key);
        for (RecordingContext ok : List.of(check("hash", "src"), check("source"), check("uri"), check("uri", "path-only"),
                check("url_param", "id"), check("hdr", "host"))) {
            assertTrue(ok.problems.isEmpty(), ok.algorithm + ": " + ok.problems);
        }
    }

    @Test
    void badArgumentsAreToldAsHaproxyTellsThem() {
        assertEquals(List.of("hash requires a sample expression: \"hash req.hdr(x-user)\""), check("hash").problems);
        assertTrue(check("hash", "src", "dst").problems.get(0).contains("one sample expression"));
        assertEquals(List.of("'source' takes no argument"), check("source", "x").problems);
        assertTrue(check("uri", "len", "0").problems.get(0).contains("'len' expects a positive integer"));
        assertTrue(check("uri", "deep").problems.get(0).contains("only accepts parameters"));
        assertTrue(check("url_param").problems.get(0).contains("requires an URL parameter name"));
        assertTrue(check("url_param", "id", "check_post").problems.get(0).contains("not supported"));
        assertTrue(check("hdr").problems.get(0).contains("requires an http header field name"));
        assertTrue(check("hdr", "host", "domain").problems.get(0).contains("use_domain_only"));
        assertTrue(check("hdr", "a:b").problems.get(0).contains("not a header name"));
    }

    @Test
    void createdBalancersHashTheKeyTheyAskedFor() {
        RecordingContext context = new RecordingContext("hdr", "x-user");
        var balancer = new HashBalancerFactory().create(context);
        byte[] key = "alice".getBytes();
        assertEquals(balancer.next(null, key), balancer.next(null, key));
    }
}
