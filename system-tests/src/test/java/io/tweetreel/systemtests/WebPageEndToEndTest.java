package io.tweetreel.systemtests;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Download;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import io.tweetreel.schemas.ObjectLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** A person's path through the web page, in real Chromium, against the real pipeline. */
@ExtendWith(PipelineStackExtension.class)
class WebPageEndToEndTest {
    @Test
    void submitWatchProgressPlayAndDownload(@TempDir Path dir) throws Exception {
        try (Playwright playwright = Playwright.create();
                Browser browser = playwright
                        .chromium()
                        .launch(new BrowserType.LaunchOptions()
                                .setExecutablePath(Path.of("/usr/bin/chromium"))
                                .setHeadless(true)
                                .setArgs(List.of(
                                        "--no-sandbox",
                                        "--disable-gpu",
                                        "--disable-dev-shm-usage",
                                        "--disable-background-networking",
                                        "--disable-component-update",
                                        "--disable-sync",
                                        "--no-first-run")))) {
            Page page = browser.newPage(
                    new Browser.NewPageOptions().setViewportSize(1280, 900).setAcceptDownloads(true));
            page.navigate(PipelineStackExtension.GATEWAY + "/");
            // record every value the progress bar shows, so the test sees it move, not just end
            page.evaluate("() => { window.__progress = []; const bar = document.querySelector('#progress');"
                    + " new MutationObserver(() => window.__progress.push(Number(bar.getAttribute('aria-valuenow'))))"
                    + ".observe(bar, {attributes: true, attributeFilter: ['aria-valuenow']}); }");
            page.fill("#profileName", "Grace Hopper");
            page.fill("#username", "@grace");
            page.fill("#tweetBody", "It's easier to ask forgiveness than it is to get permission. 🐛 #debugging");
            page.click("label[for=theme-light]");
            page.click("#submit");

            assertThat(page.locator("#progress-panel")).isVisible();
            assertThat(page.locator(".step[data-step=completed]"))
                    .hasClass(
                            Pattern.compile("\\bdone\\b"),
                            new com.microsoft.playwright.assertions.LocatorAssertions.HasClassOptions()
                                    .setTimeout(180_000));
            @SuppressWarnings("unchecked")
            List<Number> seen = (List<Number>) page.evaluate("() => window.__progress");
            assertThat(seen.stream().mapToInt(Number::intValue).distinct().toArray())
                    .as("progress values shown: %s", seen)
                    .hasSizeGreaterThanOrEqualTo(3)
                    .isSorted()
                    .endsWith(100);
            for (String step : List.of("queued", "generating_screenshot", "composing_video", "saving_file")) {
                assertThat(page.locator(".step[data-step=" + step + "]")).hasClass(Pattern.compile("\\bdone\\b"));
            }

            page.waitForFunction(
                    "() => document.querySelector('#result-video').readyState >= 2",
                    null,
                    new Page.WaitForFunctionOptions().setTimeout(30_000));
            double duration =
                    ((Number) page.evaluate("() => document.querySelector('#result-video').duration")).doubleValue();
            assertThat(duration).isBetween(4.9, 5.1);

            Download download = page.waitForDownload(() -> page.click("#download"));
            Path saved = dir.resolve(download.suggestedFilename());
            download.saveAs(saved);
            assertThat(download.suggestedFilename()).matches(ObjectLayout.DOWNLOAD_FILENAME);
            assertThat(Files.size(saved)).isGreaterThan(10_000);
        }
    }
}
