package io.tweetreel.gateway;

import static org.assertj.core.api.Assumptions.assumeThat;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Playwright;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;

/**
 * Debian's Chromium, headless through Playwright, for the web page tests: a test class launches one and closes it
 * after its last test. Where Chromium is not installed the test class is skipped, not failed.
 */
final class TestChromium implements AutoCloseable {
    static final Path CHROMIUM = Paths.get("/usr/bin/chromium");
    /** Where the tests save their screenshots. */
    static final Path SCREENSHOTS = Paths.get("target", "screenshots");

    final Playwright playwright;
    final Browser browser;

    private TestChromium(Playwright playwright, Browser browser) {
        this.playwright = playwright;
        this.browser = browser;
    }

    /** @param extraArgs Chromium flags besides those every test needs as root in a container */
    static TestChromium launch(String... extraArgs) throws IOException {
        assumeThat(Files.isExecutable(CHROMIUM))
                .as("Debian's chromium at " + CHROMIUM)
                .isTrue();
        Files.createDirectories(SCREENSHOTS);
        List<String> args = new ArrayList<>(List.of(
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--hide-scrollbars"));
        args.addAll(List.of(extraArgs));
        Playwright playwright = Playwright.create();
        try {
            return new TestChromium(
                    playwright,
                    playwright
                            .chromium()
                            .launch(new BrowserType.LaunchOptions()
                                    .setExecutablePath(CHROMIUM)
                                    .setHeadless(true)
                                    .setArgs(args)));
        } catch (RuntimeException e) {
            playwright.close();
            throw e;
        }
    }

    @Override
    public void close() {
        browser.close();
        playwright.close();
    }
}
