package io.tweetreel.renderer;

import com.google.gson.JsonObject;
import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.CDPSession;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.PlaywrightException;
import com.microsoft.playwright.TimeoutError;
import com.microsoft.playwright.options.ReducedMotion;
import com.microsoft.playwright.options.ScreenshotAnimations;
import com.microsoft.playwright.options.ScreenshotCaret;
import com.microsoft.playwright.options.ScreenshotScale;
import com.microsoft.playwright.options.ScreenshotType;
import com.microsoft.playwright.options.ServiceWorkerPolicy;
import com.microsoft.playwright.options.WaitUntilState;
import io.tweetreel.schemas.ReelFormat;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Renders {@link CardRequest}s to PNGs, one per {@link ReelFormat} of the request (1080x1920 for 9:16), with one
 * headless Chromium driven by Playwright. Every format of a request is rendered in the same page, one after the
 * other, with the viewport set to that format's frame.
 *
 * <p>Threading: Playwright objects are not thread-safe, so one instance owns one Playwright driver, one browser
 * and one reused page; public methods are {@code synchronized}, so sharing an instance is safe but serial. For
 * parallel rendering use several instances (see {@link CardRendererPool}). Start-up costs
 * 1-5 s (driver unpack + browser launch), so create instances once, at service start.
 *
 * <p>Isolation: the HTML is injected with {@code setContent} (no navigation, nothing fetched) and every request
 * the page would still make (HTTP(S), WebSocket) is aborted by a route; the images (profile photos, media) arrive
 * as data URIs from {@link ImageFetcher}. {@link #blockedRequestCount()} counts the aborted attempts.
 *
 * <p>Failures: a render has a deadline ({@code renderTimeout}); if it fails (browser crash, disconnect, timeout) the
 * browser is relaunched and the render retried once; if that fails too a {@link RenderException} says why.
 */
public final class CardRenderer implements AutoCloseable {

    public static final Path DEFAULT_CHROMIUM_PATH = Path.of("/usr/bin/chromium");
    public static final Duration DEFAULT_RENDER_TIMEOUT = Duration.ofSeconds(20);
    /** Pixel size of the default (9:16) card. */
    public static final int WIDTH_PX = ReelFormat.DEFAULT.width();

    public static final int HEIGHT_PX = ReelFormat.DEFAULT.height();
    static final int VIEWPORT_WIDTH = WIDTH_PX / CardTemplate.DEVICE_SCALE;
    static final int VIEWPORT_HEIGHT = HEIGHT_PX / CardTemplate.DEVICE_SCALE;
    static final double DEVICE_SCALE_FACTOR = CardTemplate.DEVICE_SCALE;

    static final List<String> CHROMIUM_ARGS = List.of(
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--hide-scrollbars",
            // Below the route, which only sees requests: speculative connections (e.g. <link rel=preconnect>) and
            // DNS prefetch never become requests, so also make every host unresolvable inside this browser.
            "--host-resolver-rules=MAP * ~NOTFOUND");

    /**
     * The driver (Node.js) with a 1 MiB young generation instead of 16: 35 MiB less memory per driver, no slower
     * renders (measured: 151 -> 116 MiB PSS, 0.41 s per card either way).
     */
    private static final Map<String, String> DRIVER_ENV =
            Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1", "NODE_OPTIONS", "--max-semi-space-size=1");

    /** Grace on top of the render timeout before the watchdog kills the browser process under a stuck call. */
    private static final Duration WATCHDOG_GRACE = Duration.ofSeconds(5);

    private static final Duration LAUNCH_TIMEOUT = Duration.ofSeconds(60);

    private static final Logger log = LoggerFactory.getLogger(CardRenderer.class);

    private final Path chromiumExecutable;
    private final CardTemplate template;
    private final ImageFetcher imageFetcher;
    private final Duration renderTimeout;
    /** Unknown switch Chromium ignores; lets the watchdog (and tests) find exactly this renderer's browser process. */
    private final String processMarker = "--tweetreel-renderer=" + UUID.randomUUID();

    private final ScheduledExecutorService watchdog;

    private final AtomicLong blockedRequests = new AtomicLong();
    private final AtomicLong unblockedRequests = new AtomicLong();
    private final AtomicLong dialogs = new AtomicLong();
    private final AtomicLong browserLaunches = new AtomicLong();

    private Playwright playwright;
    private Browser browser;
    private BrowserContext context;
    private Page page;
    private CDPSession cdp;
    private volatile boolean pageCrashed;
    /** The format the page's viewport is set to now. */
    private ReelFormat viewportFormat;

    private boolean needsRelaunch;
    private boolean closed;
    private final Duration startupTime;

    /**
     * Starts the driver and the browser.
     *
     * @param chromiumExecutable {@code CHROMIUM_PATH}, usually {@link #DEFAULT_CHROMIUM_PATH}
     * @param template           the card template, see {@link CardTemplate#load}
     * @param imageFetcher       fetches the card's images; {@code null} = initials avatars and neutral media tiles
     * @param renderTimeout      deadline for one render attempt
     * @throws IllegalStateException if Chromium is missing or cannot be started (a start-up refusal, not a job failure)
     */
    public CardRenderer(
            Path chromiumExecutable, CardTemplate template, ImageFetcher imageFetcher, Duration renderTimeout) {
        this.chromiumExecutable = Objects.requireNonNull(chromiumExecutable, "chromiumExecutable");
        this.template = Objects.requireNonNull(template, "template");
        this.imageFetcher = imageFetcher;
        this.renderTimeout = Objects.requireNonNull(renderTimeout, "renderTimeout");
        if (!Files.isRegularFile(chromiumExecutable) || !Files.isExecutable(chromiumExecutable)) {
            throw new IllegalStateException(
                    "Chromium not found or not executable at " + chromiumExecutable.toAbsolutePath()
                            + " (install Debian's chromium package or set CHROMIUM_PATH)");
        }
        this.watchdog = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "card-renderer-watchdog");
            thread.setDaemon(true);
            return thread;
        });
        long started = System.nanoTime();
        try {
            launch();
        } catch (RuntimeException e) {
            closeQuietly();
            watchdog.shutdownNow();
            throw new IllegalStateException(
                    "Cannot start Chromium at " + chromiumExecutable.toAbsolutePath() + ": "
                            + firstLine(e.getMessage()),
                    e);
        }
        this.startupTime = Duration.ofNanos(System.nanoTime() - started);
        log.info(
                "Card renderer ready in {} ms (Chromium {}, template {})",
                startupTime.toMillis(),
                browser.version(),
                template.origin());
    }

    /** Same, with {@link #DEFAULT_RENDER_TIMEOUT}. */
    public CardRenderer(Path chromiumExecutable, CardTemplate template, ImageFetcher imageFetcher) {
        this(chromiumExecutable, template, imageFetcher, DEFAULT_RENDER_TIMEOUT);
    }

    /**
     * Renders the request's first format only (the one format of a request that names none) to {@code outputPng}.
     *
     * @throws RenderException if the render failed even after a browser relaunch and one retry
     */
    public synchronized CardRenderResult render(CardRequest request, Path outputPng) {
        CardRequest first = request.withFormats(List.of(request.formats().get(0)));
        return render(first, format -> outputPng);
    }

    /**
     * Fetches the card's images in parallel (through the SSRF-guarded fetcher; a failure = initials avatar or a
     * neutral tile) and renders every format of the request.
     *
     * @param pngFor where each format's PNG goes
     * @throws RenderException if the render failed even after a browser relaunch and one retry
     */
    public synchronized CardRenderResult render(CardRequest request, Function<ReelFormat, Path> pngFor) {
        return render(request, pngFor, null);
    }

    /**
     * Same, and for a {@code reveal} reel also each format's layers (its text lines, then media, quote and footer
     * blocks) and its base card: the same frame with those layers hidden, taken right after the full card in the
     * same layout.
     *
     * @param basePngFor where each format's base card goes; {@code null} for a still card (no layers, no base)
     */
    public synchronized CardRenderResult render(
            CardRequest request, Function<ReelFormat, Path> pngFor, Function<ReelFormat, Path> basePngFor) {
        long started = System.nanoTime();
        CardImages images = CardImages.fetch(request, imageFetcher);
        return render(request, images, pngFor, basePngFor, started);
    }

    /** Renders every format of the request with images the caller already has (samples, tests). */
    public synchronized CardRenderResult render(
            CardRequest request, CardImages images, Function<ReelFormat, Path> pngFor) {
        return render(request, images, pngFor, null, System.nanoTime());
    }

    /**
     * Renders the first format with an avatar the caller already has and no media images.
     *
     * @param avatarDataUri {@code data:image/...;base64,...}, or {@code null} for the initials avatar
     */
    public synchronized CardRenderResult render(CardRequest request, String avatarDataUri, Path outputPng) {
        CardImages none = CardImages.none(request);
        ImageFetchResult photo =
                avatarDataUri == null ? none.avatar() : ImageFetchResult.fetched(avatarDataUri, "supplied by caller");
        CardRequest first = request.withFormats(List.of(request.formats().get(0)));
        return render(
                first,
                new CardImages(photo, none.media(), none.quoteAvatar(), none.quoteMedia()),
                format -> outputPng,
                null,
                System.nanoTime());
    }

    private CardRenderResult render(
            CardRequest request,
            CardImages images,
            Function<ReelFormat, Path> pngFor,
            Function<ReelFormat, Path> basePngFor,
            long started) {
        List<Shot> shots = new ArrayList<>();
        for (ReelFormat format : request.formats()) {
            shots.add(new Shot(
                    format,
                    template.render(request, images, format),
                    pngFor.apply(format),
                    basePngFor == null ? null : basePngFor.apply(format)));
        }
        List<Capture> captures = new ArrayList<>();
        int attempts = renderShots(shots, captures);
        List<CardRenderResult.Card> cards = new ArrayList<>();
        for (int i = 0; i < shots.size(); i++) {
            Shot shot = shots.get(i);
            cards.add(new CardRenderResult.Card(
                    shot.format(),
                    shot.output(),
                    shot.baseOutput(),
                    captures.get(i).layers()));
        }
        return new CardRenderResult(cards, images, Duration.ofNanos(System.nanoTime() - started), attempts);
    }

    /** Renders arbitrary HTML (already produced by a {@link CardTemplate}) as a 9:16 card; returns the attempts. */
    synchronized int renderHtml(String html, Path outputPng) {
        return renderShots(List.of(new Shot(ReelFormat.DEFAULT, html, outputPng, null)), new ArrayList<>());
    }

    /** One format's page and where its PNG goes; {@code baseOutput} is null for a still card. */
    private record Shot(ReelFormat format, String html, Path output, Path baseOutput) {}

    /** What one shot produced: the card, and for a reveal its base card (else null) and layers (else empty). */
    private record Capture(byte[] png, byte[] basePng, List<CardLayer> layers) {}

    /**
     * Renders every shot into {@code captures} (in order); a failure relaunches the browser and retries the whole
     * set once. Returns the attempts.
     */
    private int renderShots(List<Shot> shots, List<Capture> captures) {
        ensureOpen();
        List<Capture> made;
        int attempts = 1;
        try {
            ensureHealthy();
            made = screenshotsWithWatchdog(shots);
        } catch (PlaywrightException first) {
            attempts = 2;
            log.warn(
                    "Card render failed ({}); relaunching the browser and retrying once",
                    firstLine(first.getMessage()));
            try {
                relaunch();
                made = screenshotsWithWatchdog(shots);
            } catch (PlaywrightException second) {
                // Whatever wedged this render must not greet the next job.
                needsRelaunch = true;
                throw new RenderException(describe(second), second);
            }
        }
        for (int i = 0; i < shots.size(); i++) {
            checkDimensions(made.get(i).png(), shots.get(i).format());
            if (shots.get(i).baseOutput() != null) {
                checkDimensions(made.get(i).basePng(), shots.get(i).format());
            }
        }
        for (int i = 0; i < shots.size(); i++) {
            writeAtomically(made.get(i).png(), shots.get(i).output());
            if (shots.get(i).baseOutput() != null) {
                writeAtomically(made.get(i).basePng(), shots.get(i).baseOutput());
            }
        }
        captures.addAll(made);
        return attempts;
    }

    /** Requests the page tried to make and the route aborted (0 for the bundled template and any user data). */
    public long blockedRequestCount() {
        return blockedRequests.get();
    }

    /** Requests that reached the network without being blocked; must stay 0 (data: URIs are not counted). */
    public long unblockedRequestCount() {
        return unblockedRequests.get();
    }

    /** alert/confirm/prompt dialogs the page opened (auto-dismissed); any would mean script ran that should not. */
    public long dialogCount() {
        return dialogs.get();
    }

    /** How many times a browser was launched: 1 plus one per crash recovery. */
    public long browserLaunchCount() {
        return browserLaunches.get();
    }

    /** Driver start + browser launch + page creation at construction ("cold start"). */
    public Duration startupTime() {
        return startupTime;
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        closeQuietly();
        watchdog.shutdownNow();
    }

    // ---- package-private hooks for tests (DOM inspection, crash simulation) ---------------------------------

    /** The page holding the last rendered document. Only touch it from the thread that renders. */
    synchronized Page currentPage() {
        return page;
    }

    /** The Chromium main process of this renderer (found by its marker switch), if running. */
    Optional<ProcessHandle> browserProcess() {
        return ProcessHandle.current()
                .descendants()
                .filter(process -> process.info()
                        .arguments()
                        .map(arguments -> List.of(arguments).contains(processMarker)
                                && List.of(arguments).stream().noneMatch(argument -> argument.startsWith("--type=")))
                        .orElse(false))
                .findFirst();
    }

    // ---- internals -------------------------------------------------------------------------------------------

    private List<Capture> screenshotsWithWatchdog(List<Shot> shots) {
        // Playwright's own timeouts cover a slow or hung page; the watchdog covers a call that never returns at all
        // (e.g. a wedged browser): killing the process makes the pending call fail so the retry path can run. Each
        // format gets the render timeout of its own: a 4-format job may take up to four times as long as one.
        List<Capture> pngs = new ArrayList<>();
        for (Shot shot : shots) {
            ScheduledFuture<?> alarm = watchdog.schedule(
                    this::killBrowserProcess, renderTimeout.plus(WATCHDOG_GRACE).toMillis(), TimeUnit.MILLISECONDS);
            try {
                pngs.add(screenshot(shot));
            } finally {
                alarm.cancel(false);
            }
        }
        return pngs;
    }

    private Capture screenshot(Shot shot) {
        long started = System.nanoTime();
        long deadline = started + renderTimeout.toNanos();
        resizeViewport(shot.format());
        String html = shot.html();
        // A fresh document per card: setContent alone document.write()s into the previous document, which keeps
        // that document's CSP (so our new per-render script nonce would be refused) and its window globals.
        page.navigate("about:blank", new Page.NavigateOptions().setTimeout(remainingMillis(deadline)));
        long blank = System.nanoTime();
        page.setContent(
                html,
                new Page.SetContentOptions().setWaitUntil(WaitUntilState.LOAD).setTimeout(remainingMillis(deadline)));
        long loaded = System.nanoTime();
        // The template's fit script has run inline; if a (custom) template still loads fonts, wait for them so the
        // shot shows final glyphs. One cheap evaluate in the usual case instead of a polling wait.
        if (!"loaded".equals(page.evaluate("() => document.fonts ? document.fonts.status : 'loaded'"))) {
            page.waitForFunction(
                    "() => document.fonts.status === 'loaded'",
                    null,
                    new Page.WaitForFunctionOptions().setTimeout(remainingMillis(deadline)));
        }
        long settled = System.nanoTime();
        byte[] png = capture(shot.format(), deadline);
        long captured = System.nanoTime();
        if (shot.baseOutput() == null) {
            logSteps(shot, started, blank, loaded, settled, captured, png.length);
            return new Capture(png, null, List.of());
        }
        // A reveal: the layers as laid out for the shot just taken, then the same frame without them. Restored
        // afterwards so the page holds the full card, as after a still render.
        List<CardLayer> layers = CardLayers.collect(page, shot.format(), DEVICE_SCALE_FACTOR);
        long collected = System.nanoTime();
        CardLayers.hide(page);
        byte[] base;
        try {
            base = capture(shot.format(), deadline);
        } finally {
            CardLayers.show(page);
        }
        logSteps(shot, started, blank, loaded, settled, captured, png.length);
        log.debug(
                "Reveal ({}): {} layers in {} ms, base card in {} ms",
                shot.format().label(),
                layers.size(),
                millisBetween(captured, collected),
                millisBetween(collected, System.nanoTime()));
        return new Capture(png, base, layers);
    }

    private static void logSteps(
            Shot shot, long started, long blank, long loaded, long settled, long captured, int bytes) {
        if (log.isDebugEnabled()) {
            log.debug(
                    "Render steps ({}): blank {} ms, content {} ms, fonts {} ms, capture {} ms ({} bytes)",
                    shot.format().label(),
                    millisBetween(started, blank),
                    millisBetween(blank, loaded),
                    millisBetween(loaded, settled),
                    millisBetween(settled, captured),
                    bytes);
        }
    }

    /** The frame as it is now: a fast capture, or Playwright's screenshot if that came out at the wrong size. */
    private byte[] capture(ReelFormat format, long deadline) {
        byte[] png = captureFast(format);
        if (hasDimensions(png, format)) {
            return png;
        }
        log.warn("Fast capture returned an unexpected size; falling back to Playwright's screenshot");
        return page.screenshot(new Page.ScreenshotOptions()
                .setType(ScreenshotType.PNG)
                .setScale(ScreenshotScale.DEVICE)
                .setAnimations(ScreenshotAnimations.DISABLED)
                .setCaret(ScreenshotCaret.HIDE)
                .setTimeout(remainingMillis(deadline)));
    }

    /**
     * Sets the page to the format's frame in CSS px, on Playwright's side (its screenshot fallback) and on our
     * DevTools session (whose device metrics our captures use). Skipped when the page already has that size.
     */
    private void resizeViewport(ReelFormat format) {
        if (format.equals(viewportFormat)) {
            return;
        }
        int width = format.width() / CardTemplate.DEVICE_SCALE;
        int height = format.height() / CardTemplate.DEVICE_SCALE;
        page.setViewportSize(width, height);
        JsonObject metrics = new JsonObject();
        metrics.addProperty("width", width);
        metrics.addProperty("height", height);
        metrics.addProperty("deviceScaleFactor", DEVICE_SCALE_FACTOR);
        metrics.addProperty("mobile", false);
        cdp.send("Emulation.setDeviceMetricsOverride", metrics);
        viewportFormat = format;
    }

    /**
     * Page.captureScreenshot with {@code optimizeForSpeed} (cheap zlib settings): Playwright's screenshot() cannot
     * ask for it, and default PNG compression of 1080x1920 costs several times the rest of the render. The PNG is
     * larger (~1-1.5 MB) but it only travels to the object store and is decoded once by FFmpeg. No timeout of its
     * own: the watchdog covers it.
     */
    private byte[] captureFast(ReelFormat format) {
        JsonObject clip = new JsonObject();
        clip.addProperty("x", 0);
        clip.addProperty("y", 0);
        clip.addProperty("width", format.width() / CardTemplate.DEVICE_SCALE);
        clip.addProperty("height", format.height() / CardTemplate.DEVICE_SCALE);
        clip.addProperty("scale", 1);
        JsonObject parameters = new JsonObject();
        parameters.addProperty("format", "png");
        parameters.addProperty("optimizeForSpeed", true);
        parameters.add("clip", clip);
        return Base64.getDecoder()
                .decode(cdp.send("Page.captureScreenshot", parameters)
                        .get("data")
                        .getAsString());
    }

    private static long millisBetween(long fromNanos, long toNanos) {
        return TimeUnit.NANOSECONDS.toMillis(toNanos - fromNanos);
    }

    private static double remainingMillis(long deadline) {
        long remaining = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
        if (remaining <= 0) {
            throw new TimeoutError("render deadline passed");
        }
        return remaining;
    }

    private void launch() {
        long started = System.nanoTime();
        playwright = Playwright.create(new Playwright.CreateOptions().setEnv(DRIVER_ENV));
        long driverReady = System.nanoTime();
        launchBrowser();
        log.debug(
                "Playwright driver started in {} ms, browser and page in {} ms",
                millisBetween(started, driverReady),
                millisBetween(driverReady, System.nanoTime()));
    }

    private void launchBrowser() {
        List<String> args = new ArrayList<>(CHROMIUM_ARGS);
        args.add(processMarker);
        // Driver-side signal handling off: on SIGTERM the service finishes its current render before closing us.
        browser = playwright
                .chromium()
                .launch(new BrowserType.LaunchOptions()
                        .setExecutablePath(chromiumExecutable)
                        .setHeadless(true)
                        .setArgs(args)
                        .setHandleSIGINT(false)
                        .setHandleSIGTERM(false)
                        .setHandleSIGHUP(false)
                        .setTimeout(LAUNCH_TIMEOUT.toMillis()));
        browserLaunches.incrementAndGet();
        context = browser.newContext(new Browser.NewContextOptions()
                .setViewportSize(VIEWPORT_WIDTH, VIEWPORT_HEIGHT)
                .setDeviceScaleFactor(DEVICE_SCALE_FACTOR)
                .setJavaScriptEnabled(true) // the template's fit script; user data never reaches a script
                .setServiceWorkers(ServiceWorkerPolicy.BLOCK)
                .setReducedMotion(ReducedMotion.REDUCE)
                .setLocale("en-US")
                .setTimezoneId("UTC"));
        context.route(url -> true, route -> {
            blockedRequests.incrementAndGet();
            route.abort("blockedbyclient");
        });
        context.routeWebSocket(url -> true, webSocket -> {
            blockedRequests.incrementAndGet();
            webSocket.close();
        });
        context.onRequestFinished(request -> {
            if (!request.url().startsWith("data:") && !request.url().startsWith("about:")) {
                unblockedRequests.incrementAndGet();
            }
        });
        pageCrashed = false;
        needsRelaunch = false;
        page = context.newPage();
        page.onCrash(crashed -> pageCrashed = true);
        // Device metrics emulation is per DevTools session: without repeating Playwright's override on our own
        // session, its captures would come out at scale 1 (540x960).
        cdp = context.newCDPSession(page);
        JsonObject metrics = new JsonObject();
        metrics.addProperty("width", VIEWPORT_WIDTH);
        metrics.addProperty("height", VIEWPORT_HEIGHT);
        metrics.addProperty("deviceScaleFactor", DEVICE_SCALE_FACTOR);
        metrics.addProperty("mobile", false);
        cdp.send("Emulation.setDeviceMetricsOverride", metrics);
        viewportFormat = ReelFormat.DEFAULT;
        page.onDialog(dialog -> {
            dialogs.incrementAndGet();
            dialog.dismiss();
        });
    }

    private void ensureHealthy() {
        if (needsRelaunch
                || page == null
                || page.isClosed()
                || pageCrashed
                || browser == null
                || !browser.isConnected()) {
            log.warn(
                    "Relaunching the browser before rendering: {}",
                    needsRelaunch ? "the previous render failed" : "browser or page gone since the last render");
            relaunch();
        }
    }

    private void relaunch() {
        closeBrowserQuietly();
        try {
            launchBrowser();
        } catch (PlaywrightException e) {
            // The driver itself may be the casualty: start everything afresh.
            log.warn("Browser relaunch failed ({}); restarting the Playwright driver", firstLine(e.getMessage()));
            closeQuietly();
            launch();
        }
    }

    private void killBrowserProcess() {
        browserProcess().ifPresent(process -> {
            log.warn(
                    "Render exceeded {} ms plus grace; killing browser process {}",
                    renderTimeout.toMillis(),
                    process.pid());
            process.destroyForcibly();
        });
    }

    private void closeBrowserQuietly() {
        try {
            if (browser != null) {
                browser.close();
            }
        } catch (RuntimeException e) {
            log.debug("Ignoring failure while closing the browser", e);
        }
        // If close() could not reach it, make sure no orphaned Chromium stays behind.
        browserProcess().ifPresent(ProcessHandle::destroyForcibly);
        browser = null;
        context = null;
        page = null;
        cdp = null;
    }

    private void closeQuietly() {
        closeBrowserQuietly();
        try {
            if (playwright != null) {
                playwright.close();
            }
        } catch (RuntimeException e) {
            log.debug("Ignoring failure while closing Playwright", e);
        }
        playwright = null;
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("CardRenderer is closed");
        }
    }

    private static boolean isPng(byte[] png) {
        return png.length >= 24
                && (png[0] & 0xFF) == 0x89
                && png[1] == 'P'
                && png[12] == 'I'
                && png[13] == 'H'
                && png[14] == 'D'
                && png[15] == 'R';
    }

    private static boolean hasDimensions(byte[] png, ReelFormat format) {
        return isPng(png) && readInt(png, 16) == format.width() && readInt(png, 20) == format.height();
    }

    private static void checkDimensions(byte[] png, ReelFormat format) {
        if (!isPng(png)) {
            throw new RenderException("screenshot is not a PNG");
        }
        if (!hasDimensions(png, format)) {
            throw new RenderException("screenshot is " + readInt(png, 16) + "x" + readInt(png, 20) + ", expected "
                    + format.resolution() + " for " + format.label());
        }
    }

    private static int readInt(byte[] bytes, int offset) {
        return (bytes[offset] & 0xFF) << 24
                | (bytes[offset + 1] & 0xFF) << 16
                | (bytes[offset + 2] & 0xFF) << 8
                | (bytes[offset + 3] & 0xFF);
    }

    private static void writeAtomically(byte[] png, Path outputPng) {
        try {
            Path parent = outputPng.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            Path partial = Files.createTempFile(parent, ".card-", ".png.part");
            try {
                Files.write(partial, png);
                Files.move(partial, outputPng, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(partial);
            }
        } catch (IOException e) {
            throw new RenderException("cannot write " + outputPng + ": " + e.getMessage(), e);
        }
    }

    private String describe(PlaywrightException e) {
        if (e instanceof TimeoutError) {
            return "render timed out after " + renderTimeout.toMillis() + " ms: " + firstLine(e.getMessage());
        }
        return "browser failure: " + firstLine(e.getMessage());
    }

    /** Playwright wraps driver errors as "Error {\n  message='...'\n  name=...": keep the message's first line. */
    private static String firstLine(String message) {
        if (message == null) {
            return "(no message)";
        }
        String trimmed = message.strip();
        int wrapped = trimmed.indexOf("message='");
        if (trimmed.startsWith("Error {") && wrapped >= 0) {
            trimmed = trimmed.substring(wrapped + "message='".length()).strip();
            if (trimmed.indexOf('\n') < 0 && trimmed.endsWith("'")) {
                trimmed = trimmed.substring(0, trimmed.length() - 1);
            }
        }
        int newline = trimmed.indexOf('\n');
        return newline < 0 ? trimmed : trimmed.substring(0, newline).strip();
    }
}
