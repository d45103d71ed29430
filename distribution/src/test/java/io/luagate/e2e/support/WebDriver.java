package io.luagate.e2e.support;

import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Headless Chromium driven through chromedriver with the W3C WebDriver protocol (plain JSON over
 * HTTP, {@code java.net.http}; no Selenium). One browser session per instance; {@link #close}
 * ends the session, chromedriver and every process they started, and deletes the profile.
 */
public final class WebDriver implements AutoCloseable {

    /** Debian's packages: {@code chromium} and {@code chromium-driver}. */
    public static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    public static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    /** The key of an element reference in W3C WebDriver answers. */
    private static final String ELEMENT = "element-6066-11e4-a52e-4f735466cecf";

    private final Process driver;
    private final Path profile;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;
    private String session;

    private WebDriver(Process driver, int port, Path profile) {
        this.driver = driver;
        this.profile = profile;
        this.base = "http://127.0.0.1:" + port;
    }

    /** Whether both programs are installed. */
    public static boolean installed() {
        return Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
    }

    /** Starts chromedriver and a headless Chromium with a new empty profile. */
    public static WebDriver start() throws IOException, InterruptedException {
        int port = DistributionProcess.freePort();
        Path profile = Files.createTempDirectory("luagate-chromium");
        Process process = new ProcessBuilder(CHROMEDRIVER.toString(), "--port=" + port, "--allowed-ips=127.0.0.1")
                .redirectErrorStream(true)
                .redirectOutput(Files.createTempFile("chromedriver", ".log").toFile())
                .start();
        WebDriver driver = new WebDriver(process, port, profile);
        try {
            driver.awaitReady();
            String args = String.join(",", List.of("\"--headless\"", "\"--no-sandbox\"", "\"--disable-gpu\"", "\"--disable-quic\"",
                    "\"--no-first-run\"", "\"--disable-background-networking\"", "\"--disable-component-update\"",
                    "\"--disable-sync\"", "\"--window-size=1400,1000\"", json("--user-data-dir=" + profile)));
            Map<String, Object> created = driver.call("POST", "/session", "{\"capabilities\":{\"alwaysMatch\":{"
                    + "\"browserName\":\"chrome\",\"goog:chromeOptions\":{\"binary\":" + json(CHROMIUM.toString())
                    + ",\"args\":[" + args + "]}}}}");
            driver.session = (String) value(created).get("sessionId");
            return driver;
        } catch (IOException | RuntimeException | InterruptedException e) {
            driver.close();
            throw e;
        }
    }

    private void awaitReady() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            try {
                if (Boolean.TRUE.equals(value(call("GET", "/status", null)).get("ready"))) {
                    return;
                }
            } catch (IOException | RuntimeException e) {
                // Not listening yet.
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("chromedriver did not get ready within 30 s");
    }

    /** Loads {@code url} and waits until the page has loaded. */
    public void navigate(String url) throws IOException, InterruptedException {
        call("POST", path("/url"), "{\"url\":" + json(url) + "}");
    }

    /** The element {@code css} selects (the first), as its WebDriver reference. */
    public String find(String css) throws IOException, InterruptedException {
        return (String) value(call("POST", path("/element"), "{\"using\":\"css selector\",\"value\":" + json(css) + "}")).get(ELEMENT);
    }

    /** The element's rendered text, as a person sees it (hidden parts left out). */
    public String text(String element) throws IOException, InterruptedException {
        return (String) call("GET", path("/element/" + element + "/text"), null).get("value");
    }

    /** The computed value of CSS property {@code property} of the element, for example {@code rgba(192, 255, 192, 1)}. */
    public String css(String element, String property) throws IOException, InterruptedException {
        return (String) call("GET", path("/element/" + element + "/css/" + property), null).get("value");
    }

    /** Runs {@code script} (a function body, which may {@code return}) in the page and gives its result. */
    public Object script(String script) throws IOException, InterruptedException {
        return call("POST", path("/execute/sync"), "{\"script\":" + json(script) + ",\"args\":[]}").get("value");
    }

    /** A PNG of the window. */
    public byte[] screenshot() throws IOException, InterruptedException {
        return Base64.getDecoder().decode((String) call("GET", path("/screenshot"), null).get("value"));
    }

    private String path(String command) {
        return "/session/" + session + command;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> value(Map<String, Object> answer) {
        return (Map<String, Object>) answer.get("value");
    }

    private Map<String, Object> call(String method, String path, String body) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(Duration.ofSeconds(60))
                .header("content-type", "application/json; charset=utf-8")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        // JSON is HOCON: the kernel's config library reads the answers.
        Map<String, Object> answer = ConfigFactory.parseString(response.body()).root().unwrapped();
        if (response.statusCode() != 200) {
            throw new IllegalStateException("WebDriver " + method + " " + path + " answered " + response.statusCode()
                    + ": " + answer.get("value"));
        }
        return answer;
    }

    /** {@code text} as a JSON string. */
    static String json(String text) {
        StringBuilder out = new StringBuilder(text.length() + 2).append('"');
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append("\\u%04x".formatted((int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }

    @Override
    public void close() {
        if (session != null) {
            try {
                call("DELETE", path(""), null);
            } catch (IOException | RuntimeException e) {
                // The processes are ended below either way.
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        // Chromium's processes are chromedriver's descendants: end them too, then chromedriver.
        List<ProcessHandle> tree = new ArrayList<>(driver.descendants().toList());
        tree.forEach(ProcessHandle::destroy);
        driver.destroy();
        try {
            if (!driver.waitFor(10, TimeUnit.SECONDS)) {
                driver.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        tree.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
        try (var files = Files.walk(profile)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // A leftover profile in the temporary directory harms nothing.
        }
    }
}
