package io.tweetreel.gateway;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The web page against a gateway that wants API keys, in real Chromium: the page's own files under the gateway's
 * Content-Security-Policy, and a stand-in for the {@code /api/} answers of {@code API_AUTH=keys} (401 without the
 * key, 429 for the rate and the quota), so the page is tested without Kafka. Screenshots land in
 * target/screenshots.
 */
class WebPageApiKeyTest {
    private static final Path SCREENSHOTS = TestChromium.SCREENSHOTS;
    private static final String KEY = "trk_" + "AbCdEfGhIj".repeat(4);
    private static final String JOB = "0b7e6a51-2f43-4a8e-9a55-3f3b1c2d4e5f";
    private static final Map<String, String> ASSETS = Map.of(
            "/", "index.html",
            "/assets/app.js", "app.js",
            "/assets/app.css", "app.css",
            "/assets/favicon.svg", "favicon.svg");

    private static TestChromium chromium;
    private static Browser browser;

    /** How the stand-in answers a job from a caller with the right key. */
    private enum Limits {
        NONE,
        RATE_LIMITED,
        QUOTA_USED
    }

    private HttpServer gateway;
    private String base;
    private volatile Limits limits = Limits.NONE;
    /** "METHOD path Authorization" of every /api/ request. */
    private final List<String> apiRequests = new CopyOnWriteArrayList<>();

    private BrowserContext context;
    private final List<String> problems = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void startBrowser() throws IOException {
        chromium = TestChromium.launch();
        browser = chromium.browser;
    }

    @AfterAll
    static void stopBrowser() {
        if (chromium != null) {
            chromium.close();
        }
    }

    @BeforeEach
    void startGateway() throws IOException {
        gateway = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        gateway.setExecutor(Executors.newCachedThreadPool());
        gateway.createContext("/", this::serve);
        gateway.start();
        base = "http://127.0.0.1:" + gateway.getAddress().getPort();
        // a fresh context: empty local storage, as on a first visit
        context = browser.newContext(new Browser.NewContextOptions().setViewportSize(1280, 900));
    }

    @AfterEach
    void stopGateway() {
        if (context != null) {
            context.close();
        }
        if (gateway != null) {
            gateway.stop(0);
        }
    }

    private void serve(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        exchange.getRequestBody().readAllBytes();
        if (ASSETS.containsKey(path)) {
            String name = ASSETS.get(path);
            try (InputStream asset = WebPageApiKeyTest.class.getResourceAsStream("/public/" + name)) {
                String type = name.endsWith(".js")
                        ? "text/javascript"
                        : name.endsWith(".css") ? "text/css" : name.endsWith(".svg") ? "image/svg+xml" : "text/html";
                exchange.getResponseHeaders().set("Content-Security-Policy", GatewayApp.CONTENT_SECURITY_POLICY);
                send(exchange, 200, type + "; charset=utf-8", asset.readAllBytes());
            }
            return;
        }
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        String method = exchange.getRequestMethod();
        apiRequests.add(method + " " + path + " " + authorization);
        if (!("Bearer " + KEY).equals(authorization)) {
            exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer");
            problem(exchange, 401, "{\"type\":\"urn:tweetreel:problem:unauthorized\",\"title\":\"Unauthorized\"}");
        } else if (method.equals("POST") && path.equals("/api/generate")) {
            if (limits == Limits.RATE_LIMITED) {
                exchange.getResponseHeaders().set("Retry-After", "17");
                problem(exchange, 429, "{\"type\":\"urn:tweetreel:problem:rate-limited\",\"title\":\"Too Many\"}");
            } else if (limits == Limits.QUOTA_USED) {
                exchange.getResponseHeaders().set("Retry-After", "3600");
                problem(
                        exchange,
                        429,
                        "{\"type\":\"urn:tweetreel:problem:quota-exceeded\",\"title\":\"Quota exceeded\","
                                + "\"resetAt\":\"2026-12-03T00:00:00Z\"}");
            } else {
                send(exchange, 202, "application/json", ("{\"jobId\":\"" + JOB + "\"}").getBytes());
            }
        } else if (path.equals("/api/jobs/" + JOB + "/events")) {
            String stream = "retry: 2000\n\n: keep-alive\n\n"
                    + "event: status\ndata: {\"jobId\":\"" + JOB + "\",\"status\":\"processing\",\"progress\":60,"
                    + "\"currentStep\":\"composing_video\"}\n\n"
                    + "event: status\ndata: {\"jobId\":\"" + JOB + "\",\"status\":\"canceled\",\"progress\":60,"
                    + "\"currentStep\":\"composing_video\"}\n\n";
            send(exchange, 200, "text/event-stream", stream.getBytes(StandardCharsets.UTF_8));
        } else {
            problem(exchange, 404, "{\"title\":\"Not Found\"}");
        }
    }

    private static void problem(HttpExchange exchange, int status, String body) throws IOException {
        send(exchange, status, "application/problem+json", body.getBytes(StandardCharsets.UTF_8));
    }

    private static void send(HttpExchange exchange, int status, String type, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    private Page openPage() {
        Page page = context.newPage();
        page.onConsoleMessage(m -> {
            // a 4xx answer to fetch() is logged by Chromium itself; the page handles those
            if ("error".equals(m.type()) && !m.text().startsWith("Failed to load resource")) {
                problems.add("console: " + m.text());
            }
        });
        page.onPageError(e -> problems.add("page error: " + e));
        page.navigate(base + "/");
        page.fill("#profileName", "Ada Lovelace");
        page.fill("#username", "ada");
        page.fill("#tweetBody", "Keys on.");
        return page;
    }

    private static Object storedKey(Page page) {
        return page.evaluate("() => localStorage.getItem('tweetreel.apiKey')");
    }

    @Test
    void asksForAKeyOn401AndSendsItWithTheRetriedJobAndItsEventStream() {
        Page page = openPage();
        assertThat(page.locator("#key-form")).isHidden();
        assertThat(page.locator("#forget-key")).isHidden();

        page.click("#submit");

        assertThat(page.locator("#key-form")).isVisible();
        assertThat(page.locator("#key-message")).containsText("This server wants an API key");
        assertThat(page.locator("#api-key")).hasAttribute("type", "password");
        assertThat(page.locator("#api-key")).isFocused();
        page.fill("#api-key", "not a key");
        page.click("#save-key");
        assertThat(page.locator("#error-api-key")).containsText("one word");
        assertThat(storedKey(page)).isNull();
        page.fill("#api-key", "  " + KEY + " ");
        page.screenshot(new Page.ScreenshotOptions()
                .setPath(SCREENSHOTS.resolve("api-key-form.png"))
                .setFullPage(true));
        page.click("#save-key");

        // the job goes on where it was refused, followed through a stream that carries the key
        assertThat(page.locator("#status-line")).containsText("Canceled");
        assertThat(page.locator("#progress")).hasAttribute("aria-valuenow", "60");
        assertThat(page.locator("#key-form")).isHidden();
        assertThat(apiRequests)
                .containsExactly(
                        "POST /api/generate null",
                        "POST /api/generate Bearer " + KEY,
                        "GET /api/jobs/" + JOB + "/events Bearer " + KEY);
        assertThat(storedKey(page)).isEqualTo(KEY);

        page.reload();
        assertThat(page.locator("#forget-key")).isVisible();
        page.click("#forget-key");
        assertThat(page.locator("#forget-key")).isHidden();
        assertThat(storedKey(page)).isNull();
        assertThat(problems).isEmpty();
    }

    @Test
    void aSavedKeyTheServerRefusesIsAskedForAgain() {
        context.addInitScript("localStorage.setItem('tweetreel.apiKey', 'trk_revoked')");
        Page page = openPage();
        assertThat(page.locator("#forget-key")).isVisible();

        page.click("#submit");

        assertThat(page.locator("#key-message")).containsText("refused the saved API key");
        assertThat(apiRequests).containsExactly("POST /api/generate Bearer trk_revoked");
        assertThat(problems).isEmpty();
    }

    @Test
    void tooManyRequestsSaysWhenToTryAgainAndAUsedQuotaWhenItResets() {
        context.addInitScript("localStorage.setItem('tweetreel.apiKey', '" + KEY + "')");
        Page page = openPage();

        limits = Limits.RATE_LIMITED;
        page.click("#submit");
        assertThat(page.locator("#form-error")).hasText("Too many requests — try again in 17 s.");
        assertThat(page.locator("#submit")).isEnabled();

        limits = Limits.QUOTA_USED;
        page.click("#submit");
        Object localReset = page.evaluate("() => new Date('2026-12-03T00:00:00Z').toLocaleString()");
        assertThat(page.locator("#form-error")).hasText("Daily quota used — resets at " + localReset + ".");
        page.screenshot(new Page.ScreenshotOptions()
                .setPath(SCREENSHOTS.resolve("quota-used.png"))
                .setFullPage(true));
        assertThat(page.locator("#progress-panel")).isHidden();
        assertThat(problems).isEmpty();
    }
}
