package io.tweetreel.gateway;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.playwright.Browser;
import com.microsoft.playwright.Download;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Response;
import io.tweetreel.core.JobStatuses;
import io.tweetreel.core.Json;
import io.tweetreel.core.MinioObjectStore;
import io.tweetreel.devstack.DevStackExtension;
import io.tweetreel.devstack.StackEndpoints;
import io.tweetreel.schemas.CaptionLinks;
import io.tweetreel.schemas.JobResult;
import io.tweetreel.schemas.JobState;
import io.tweetreel.schemas.JobStatus;
import io.tweetreel.schemas.JobStep;
import io.tweetreel.schemas.ObjectLayout;
import io.tweetreel.schemas.ReelOutput;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The web page in real Chromium: a validation error next to its field, then a job followed through every step
 * (driven by statuses written to the topic, as the stages would), ending in a playable video and a working
 * download; a running job canceled from the page. Screenshots land in target/screenshots.
 */
@ExtendWith(DevStackExtension.class)
class GatewayBrowserTest {
    private static final Path SCREENSHOTS = TestChromium.SCREENSHOTS;
    private static GatewayService gateway;
    private static StackGateways.StatusWriter statuses;
    private static TestChromium chromium;
    private static Browser browser;
    private static String base;

    @BeforeAll
    static void start(StackEndpoints stack) throws Exception {
        chromium = TestChromium.launch("--autoplay-policy=no-user-gesture-required");
        browser = chromium.browser;
        gateway = StackGateways.start(stack, "gateway-browser");
        base = "http://127.0.0.1:" + gateway.port();
        statuses = new StackGateways.StatusWriter(stack);
    }

    @AfterAll
    static void stop() {
        if (chromium != null) {
            chromium.close();
        }
        if (statuses != null) {
            statuses.close();
        }
        if (gateway != null) {
            gateway.close();
        }
    }

    private static Page openPage(List<String> problems) {
        Page page = browser.newPage(
                new Browser.NewPageOptions().setViewportSize(1280, 900).setAcceptDownloads(true));
        page.onConsoleMessage(m -> {
            // a 4xx answer to fetch() is logged by Chromium itself; the page handles those
            if ("error".equals(m.type()) && !m.text().startsWith("Failed to load resource")) {
                problems.add("console: " + m.text());
            }
        });
        page.onPageError(e -> problems.add("page error: " + e));
        page.onRequest(r -> {
            if (!r.url().startsWith(base)
                    && !r.url().startsWith("data:")
                    && !r.url().startsWith("blob:")) {
                problems.add("request to another origin: " + r.url());
            }
        });
        page.navigate(base + "/");
        return page;
    }

    private static void fill(Page page, String name, String username, String body) {
        page.fill("#profileName", name);
        page.fill("#username", username);
        page.fill("#tweetBody", body);
    }

    @Test
    void showsValidationErrorsNextToTheirFields() {
        List<String> problems = new CopyOnWriteArrayList<>();
        Page page = openPage(problems);
        fill(page, "Ada Lovelace", "not a handle!", "Hello");
        page.click("#submit");

        Locator error = page.locator("#error-username");
        assertThat(error).isVisible();
        assertThat(error).containsText("letters, digits or underscores");
        assertThat(page.locator("#username")).hasAttribute("aria-invalid", "true");
        assertThat(page.locator("#error-tweetBody")).isHidden();
        assertThat(page.locator("#progress-panel")).isHidden();
        page.screenshot(new Page.ScreenshotOptions()
                .setPath(SCREENSHOTS.resolve("validation-error.png"))
                .setFullPage(true));

        page.fill("#username", "ada");
        assertThat(error).isHidden(); // cleared as soon as the field changes
        assertThat(problems).isEmpty();
        page.close();
    }

    @Test
    void aJobInSeveralFormatsListsEveryVideoWithItsPoster(StackEndpoints stack) throws Exception {
        List<String> problems = new CopyOnWriteArrayList<>();
        Page page = openPage(problems);
        fill(page, "Ada Lovelace", "ada", "Every shape at once.");
        page.click("label[for=theme-dim]");
        assertThat(page.locator("#card-preview")).hasAttribute("data-theme", "dim");

        // no format at all is refused next to the formats
        page.uncheck("input[name=formats][value='9:16']");
        page.click("#submit");
        assertThat(page.locator("#error-formats")).containsText("must list 1 to 4 formats");

        page.check("input[name=formats][value='9:16']");
        page.check("input[name=formats][value='1:1']");
        Response accepted = page.waitForResponse(r -> r.url().endsWith("/api/generate"), () -> page.click("#submit"));
        assertThat(accepted.status()).isEqualTo(202);
        JsonNode sent = Json.MAPPER.readTree(accepted.request().postData());
        org.assertj.core.api.Assertions.assertThat(sent.get("theme").asText()).isEqualTo("dim");
        org.assertj.core.api.Assertions.assertThat(sent.get("formats").toString())
                .isEqualTo("[\"9:16\",\"1:1\"]");
        String jobId = Json.MAPPER.readTree(accepted.text()).get("jobId").asText();

        String portrait = "2026-11-28_" + "1a2b3c4d".repeat(4) + ".mp4";
        String square = "2026-11-28_" + "5e6f7a8b".repeat(4) + ".mp4";
        long size = uploadVideo(stack, portrait);
        uploadPoster(stack, ObjectLayout.posterFilename(portrait), 108, 192);
        uploadPoster(stack, ObjectLayout.posterFilename(square), 108, 108);
        String base = "http://localhost:3000/download/";
        List<ReelOutput> outputs = List.of(
                new ReelOutput(
                        "9:16",
                        portrait,
                        base + portrait,
                        size,
                        5.0,
                        "1080x1920",
                        base + ObjectLayout.posterFilename(portrait),
                        null),
                new ReelOutput(
                        "1:1",
                        square,
                        base + square,
                        size,
                        5.0,
                        "1080x1080",
                        base + ObjectLayout.posterFilename(square),
                        new CaptionLinks(
                                base + ObjectLayout.captionFilename(square, "vtt"),
                                base + ObjectLayout.captionFilename(square, "srt"))));
        statuses.write(
                jobId,
                JobStatus.newBuilder()
                        .setStatus(JobState.completed)
                        .setProgress(100)
                        .setCurrentStep(JobStep.completed)
                        .setUpdatedAt(Instant.now())
                        .setJobResult(JobResult.newBuilder()
                                .setFilename(portrait)
                                .setDownloadUrl(base + portrait)
                                .setExpiresAt(Instant.now().plus(Duration.ofHours(24)))
                                .setFileSize(size)
                                .setDuration(5.0)
                                .setResolution("1080x1920")
                                .setPosterUrl(base + ObjectLayout.posterFilename(portrait))
                                .setOutputs(outputs)
                                .build())
                        .build());

        Locator items = page.locator("#outputs li");
        assertThat(items)
                .hasCount(
                        2,
                        new com.microsoft.playwright.assertions.LocatorAssertions.HasCountOptions().setTimeout(20_000));
        assertThat(items.nth(1).locator("a").first()).hasAttribute("href", "/download/" + square);
        assertThat(items.nth(1)).containsText("1:1 · 1080x1080");
        // each format's captions, where it has them (the portrait one was filed without)
        assertThat(items.nth(0).locator(".output-captions")).hasCount(0);
        assertThat(items.nth(1).locator(".output-captions a")).hasText(new String[] {"VTT", "SRT"});
        assertThat(items.nth(1).locator(".output-captions a").nth(0))
                .hasAttribute("href", "/download/" + ObjectLayout.captionFilename(square, "vtt"));
        assertThat(items.nth(1).locator(".output-captions a").nth(1))
                .hasAttribute("download", ObjectLayout.captionFilename(square, "srt"));
        page.waitForFunction(
                "() => [...document.querySelectorAll('#outputs img')].every((i) => i.complete && i.naturalWidth > 0)",
                null,
                new Page.WaitForFunctionOptions().setTimeout(20_000));
        org.assertj.core.api.Assertions.assertThat(page.evaluate(
                        "() => [...document.querySelectorAll('#outputs img')].map((i) => i.naturalHeight)"))
                .isEqualTo(List.of(192, 108));
        page.screenshot(new Page.ScreenshotOptions()
                .setPath(SCREENSHOTS.resolve("formats.png"))
                .setFullPage(true));
        assertThat(problems).isEmpty();
        page.close();
    }

    @Test
    void offersMotionAndSoundAndPlaysTheReelWithItsCaptions(StackEndpoints stack) throws Exception {
        List<String> problems = new CopyOnWriteArrayList<>();
        Page page = openPage(problems);
        fill(page, "Ada Lovelace", "ada", "Read me line by line.\nThen hold.");

        // the choices, with the defaults of the API
        assertThat(page.locator("#animation-none")).isChecked();
        assertThat(page.locator("#zoom")).not().isChecked();
        assertThat(page.locator("#music")).hasValue("default");
        org.assertj.core.api.Assertions.assertThat(
                        page.locator("#music option").evaluateAll("os => os.map(o => o.value)"))
                .asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.LIST)
                .containsExactlyInAnyOrderElementsOf(io.tweetreel.schemas.MusicChoice.labels());
        assertThat(page.locator("#duration-auto-row")).isHidden();
        assertThat(page.locator("#durationSeconds")).isEnabled();

        // a reveal is paced from the text unless the length is set
        page.click("label[for=animation-reveal]");
        assertThat(page.locator("#duration-auto-row")).isVisible();
        assertThat(page.locator("#durationSeconds")).isDisabled();
        assertThat(page.locator("#duration-output")).hasText("from the text");
        page.check("#zoom");
        page.selectOption("#music", "calm");
        // a track of one's own replaces the music
        page.fill("#audioUrl", "https://example.com/track.mp3");
        assertThat(page.locator("#music")).isDisabled();

        // the gateway's answers are played here: its rules for these fields are its own tests'; this is the page's
        List<JsonNode> sent = new CopyOnWriteArrayList<>();
        String jobId = java.util.UUID.randomUUID().toString();
        page.route("**/api/generate", route -> {
            try {
                JsonNode body = Json.MAPPER.readTree(route.request().postData());
                sent.add(body);
                if (body.has("audioUrl")) {
                    route.fulfill(new com.microsoft.playwright.Route.FulfillOptions()
                            .setStatus(400)
                            .setContentType("application/problem+json")
                            .setBody("{\"title\":\"Bad Request\",\"status\":400,\"errors\":[{\"field\":\"audioUrl\","
                                    + "\"message\":\"must be an http or https URL this server can fetch\"}]}"));
                } else {
                    route.fulfill(new com.microsoft.playwright.Route.FulfillOptions()
                            .setStatus(202)
                            .setContentType("application/json")
                            .setBody("{\"jobId\":\"" + jobId + "\"}"));
                }
            } catch (Exception e) {
                problems.add("route: " + e);
                route.abort();
            }
        });
        page.click("#submit");
        assertThat(page.locator("#error-audioUrl")).containsText("The audio URL must be an http or https URL");
        assertThat(page.locator("#audioUrl")).hasAttribute("aria-invalid", "true");
        JsonNode withAudio = sent.get(0);
        org.assertj.core.api.Assertions.assertThat(withAudio.get("animation").asText())
                .isEqualTo("reveal");
        org.assertj.core.api.Assertions.assertThat(withAudio.get("zoom").asBoolean())
                .isTrue();
        org.assertj.core.api.Assertions.assertThat(withAudio.get("audioUrl").asText())
                .isEqualTo("https://example.com/track.mp3");
        org.assertj.core.api.Assertions.assertThat(withAudio.has("music"))
                .as("never with audioUrl")
                .isFalse();
        org.assertj.core.api.Assertions.assertThat(withAudio.has("durationSeconds"))
                .as("paced from the text")
                .isFalse();

        page.fill("#audioUrl", "");
        assertThat(page.locator("#music")).isEnabled();
        page.click("#submit");
        assertThat(page.locator("#progress-panel")).isVisible();
        org.assertj.core.api.Assertions.assertThat(sent).hasSize(2);
        org.assertj.core.api.Assertions.assertThat(sent.get(1).get("music").asText())
                .isEqualTo("calm");
        org.assertj.core.api.Assertions.assertThat(sent.get(1).has("audioUrl")).isFalse();

        String filename = "2026-11-28_" + "9c8d7e6f".repeat(4) + ".mp4";
        long size = uploadVideo(stack, filename);
        String vtt = "WEBVTT\n\n00:00:01.000 --> 00:00:02.800\nRead me line by line.\n\n"
                + "00:00:02.800 --> 00:00:05.000\nThen hold.\n";
        String srt = "1\n00:00:01,000 --> 00:00:02,800\nRead me line by line.\n\n"
                + "2\n00:00:02,800 --> 00:00:05,000\nThen hold.\n";
        uploadText(stack, ObjectLayout.captionFilename(filename, "vtt"), vtt);
        uploadText(stack, ObjectLayout.captionFilename(filename, "srt"), srt);
        String base = "http://localhost:3000/download/";
        CaptionLinks captions = new CaptionLinks(
                base + ObjectLayout.captionFilename(filename, "vtt"),
                base + ObjectLayout.captionFilename(filename, "srt"));
        statuses.write(
                jobId,
                JobStatus.newBuilder()
                        .setStatus(JobState.completed)
                        .setProgress(100)
                        .setCurrentStep(JobStep.completed)
                        .setUpdatedAt(Instant.now())
                        .setJobResult(JobResult.newBuilder()
                                .setFilename(filename)
                                .setDownloadUrl(base + filename)
                                .setExpiresAt(Instant.now().plus(Duration.ofHours(24)))
                                .setFileSize(size)
                                .setDuration(5.0)
                                .setResolution("1080x1920")
                                .setCaptions(captions)
                                .setOutputs(List.of(new ReelOutput(
                                        "9:16", filename, base + filename, size, 5.0, "1080x1920", null, captions)))
                                .build())
                        .build());

        Locator video = page.locator("#result-video");
        assertThat(video)
                .isVisible(new com.microsoft.playwright.assertions.LocatorAssertions.IsVisibleOptions()
                        .setTimeout(20_000));
        assertThat(video).hasAttribute("controls", "");
        assertThat(video).hasAttribute("playsinline", "");
        Locator track = video.locator("track");
        assertThat(track).hasAttribute("kind", "captions");
        assertThat(track).hasAttribute("src", "/download/" + ObjectLayout.captionFilename(filename, "vtt"));
        assertThat(track).hasAttribute("default", "");
        // the player loaded the captions and shows them: the cues are the file's
        page.waitForFunction(
                "() => { const t = document.querySelector('#result-video').textTracks[0];"
                        + " return t && t.mode === 'showing' && t.cues && t.cues.length === 2; }",
                null,
                new Page.WaitForFunctionOptions().setTimeout(20_000));
        org.assertj.core.api.Assertions.assertThat(
                        page.evaluate("() => [...document.querySelector('#result-video').textTracks[0].cues]"
                                + ".map((c) => c.startTime + ' ' + c.text)"))
                .isEqualTo(List.of("1 Read me line by line.", "2.8 Then hold."));
        page.evaluate("() => { const v = document.querySelector('#result-video'); v.currentTime = 1.5; }");
        page.waitForTimeout(500);
        page.screenshot(new Page.ScreenshotOptions()
                .setPath(SCREENSHOTS.resolve("captions.png"))
                .setFullPage(true));

        assertThat(page.locator("#captions")).isVisible();
        assertThat(page.locator("#captions-vtt"))
                .hasAttribute("href", "/download/" + ObjectLayout.captionFilename(filename, "vtt"));
        Download download = page.waitForDownload(() -> page.click("#captions-srt"));
        org.assertj.core.api.Assertions.assertThat(download.suggestedFilename())
                .isEqualTo(ObjectLayout.captionFilename(filename, "srt"));
        org.assertj.core.api.Assertions.assertThat(Files.readString(download.path()))
                .isEqualTo(srt);
        assertThat(problems).isEmpty();
        page.close();
    }

    /** A UTF-8 caption file in the videos bucket, as storage files one. */
    private static void uploadText(StackEndpoints stack, String filename, String text) throws Exception {
        Path file = Files.createTempFile("captions", filename.substring(filename.lastIndexOf('.')));
        Files.writeString(file, text);
        MinioObjectStore store = StackGateways.objectStore(stack);
        store.ensureBucket("tweetreel-videos");
        store.put(
                "tweetreel-videos",
                filename,
                file,
                ObjectLayout.contentType(filename),
                Map.of(
                        ObjectLayout.JOB_ID,
                        "browser-test",
                        ObjectLayout.EXPIRES_AT,
                        Instant.now().plus(Duration.ofHours(24)).toString()));
        Files.delete(file);
    }

    /** A solid JPEG of this size in the videos bucket, as storage files a poster. */
    private static void uploadPoster(StackEndpoints stack, String filename, int width, int height) throws Exception {
        java.awt.image.BufferedImage image =
                new java.awt.image.BufferedImage(width, height, java.awt.image.BufferedImage.TYPE_INT_RGB);
        Path file = Files.createTempFile("poster", ".jpg");
        javax.imageio.ImageIO.write(image, "jpg", file.toFile());
        MinioObjectStore store = StackGateways.objectStore(stack);
        store.ensureBucket("tweetreel-videos");
        store.put(
                "tweetreel-videos",
                filename,
                file,
                "image/jpeg",
                Map.of(
                        ObjectLayout.JOB_ID,
                        "browser-test",
                        ObjectLayout.EXPIRES_AT,
                        Instant.now().plus(Duration.ofHours(24)).toString()));
        Files.delete(file);
    }

    @Test
    void followsAJobFromSubmitToAPlayableVideo(StackEndpoints stack) throws Exception {
        List<String> problems = new CopyOnWriteArrayList<>();
        Page page = openPage(problems);
        fill(page, "Ada Lovelace", "@ada", "Programs are poems for machines. 🚀\nShipping the first reel today.");
        page.click("label[for=theme-light]");
        assertThat(page.locator("#card-preview")).hasAttribute("data-theme", "light");
        page.waitForTimeout(400); // let the theme transition finish before the picture
        page.screenshot(new Page.ScreenshotOptions()
                .setPath(SCREENSHOTS.resolve("form.png"))
                .setFullPage(true));

        Response accepted = page.waitForResponse(r -> r.url().endsWith("/api/generate"), () -> page.click("#submit"));
        assertThat(accepted.status()).isEqualTo(202);
        String jobId = Json.MAPPER.readTree(accepted.text()).get("jobId").asText();

        Locator bar = page.locator("#progress");
        assertThat(page.locator("#progress-panel")).isVisible();
        assertThat(page.locator(".step[data-step=queued]")).hasClass(Pattern.compile("\\bactive\\b"));
        Instant t = Instant.now();
        int i = 1;
        for (JobStep step : List.of(JobStep.generating_screenshot, JobStep.composing_video, JobStep.saving_file)) {
            statuses.write(jobId, JobStatuses.started(step, t.plusMillis(i++)));
            assertThat(page.locator(".step[data-step=" + step + "]"))
                    .hasClass(
                            Pattern.compile("\\bactive\\b"),
                            new com.microsoft.playwright.assertions.LocatorAssertions.HasClassOptions()
                                    .setTimeout(20_000));
            assertThat(bar).hasAttribute("aria-valuenow", Integer.toString(JobStatuses.startProgress(step)));
            assertThat(page.locator(".step[data-step=queued]")).hasClass(Pattern.compile("\\bdone\\b"));
            if (step == JobStep.composing_video) {
                page.screenshot(new Page.ScreenshotOptions()
                        .setPath(SCREENSHOTS.resolve("progress.png"))
                        .setFullPage(true));
            }
        }

        String filename = "2026-11-28_" + "0a1b2c3d".repeat(4) + ".mp4";
        long size = uploadVideo(stack, filename);
        statuses.write(
                jobId,
                JobStatus.newBuilder()
                        .setStatus(JobState.completed)
                        .setProgress(100)
                        .setCurrentStep(JobStep.completed)
                        .setUpdatedAt(t.plusMillis(10))
                        .setJobResult(JobResult.newBuilder()
                                .setFilename(filename)
                                .setDownloadUrl("http://localhost:3000/download/" + filename)
                                .setExpiresAt(Instant.now().plus(Duration.ofHours(24)))
                                .setFileSize(size)
                                .setDuration(5.0)
                                .setResolution("1080x1920")
                                .build())
                        .build());

        assertThat(bar)
                .hasAttribute(
                        "aria-valuenow",
                        "100",
                        new com.microsoft.playwright.assertions.LocatorAssertions.HasAttributeOptions()
                                .setTimeout(20_000));
        assertThat(page.locator(".step[data-step=completed]")).hasClass(Pattern.compile("\\bdone\\b"));
        Locator video = page.locator("#result-video");
        assertThat(video).isVisible();
        page.waitForFunction(
                "() => document.querySelector('#result-video').readyState >= 2",
                null,
                new Page.WaitForFunctionOptions().setTimeout(20_000));
        double duration =
                ((Number) page.evaluate("() => document.querySelector('#result-video').duration")).doubleValue();
        assertThat(duration).isBetween(4.5, 5.5);
        page.evaluate("() => { const v = document.querySelector('#result-video'); v.currentTime = 1.5; }");
        page.waitForTimeout(500);
        page.screenshot(new Page.ScreenshotOptions()
                .setPath(SCREENSHOTS.resolve("done.png"))
                .setFullPage(true));

        Download download = page.waitForDownload(() -> page.click("#download"));
        assertThat(download.suggestedFilename()).isEqualTo(filename);
        assertThat(Files.size(download.path())).isEqualTo(size);
        assertThat(problems).isEmpty();
        page.close();
    }

    @Test
    void cancelsARunningJobAndShowsItStoppedInGreyNotAsAFailure() throws Exception {
        List<String> problems = new CopyOnWriteArrayList<>();
        Page page = openPage(problems);
        fill(page, "Ada Lovelace", "ada", "This one should not be made after all.");
        Response accepted = page.waitForResponse(r -> r.url().endsWith("/api/generate"), () -> page.click("#submit"));
        String jobId = Json.MAPPER.readTree(accepted.text()).get("jobId").asText();
        Locator cancel = page.locator("#cancel");
        assertThat(cancel).isVisible();

        statuses.write(jobId, JobStatuses.started(JobStep.composing_video, Instant.now()));
        assertThat(page.locator(".step[data-step=composing_video]"))
                .hasClass(
                        Pattern.compile("\\bactive\\b"),
                        new com.microsoft.playwright.assertions.LocatorAssertions.HasClassOptions().setTimeout(20_000));

        // the answer comes after the gateway's own table turned the cancel into the job's final state
        Response canceled = page.waitForResponse(r -> r.url().endsWith("/cancel"), () -> cancel.click());
        assertThat(canceled.status()).isEqualTo(202);
        assertThat(Json.MAPPER.readTree(canceled.text()).get("status").asText()).isEqualTo("canceled");

        Locator bar = page.locator("#progress");
        assertThat(bar).hasClass(Pattern.compile("\\bcanceled\\b"));
        assertThat(bar).not().hasClass(Pattern.compile("\\b(failed|running)\\b"));
        assertThat(bar).hasAttribute("aria-valuenow", "60");
        assertThat(page.locator(".step[data-step=composing_video]")).hasClass(Pattern.compile("\\bcanceled\\b"));
        assertThat(page.locator(".step[data-step=generating_screenshot]")).hasClass(Pattern.compile("\\bdone\\b"));
        assertThat(page.locator("#status-line")).containsText("Canceled");
        assertThat(cancel).isHidden();
        assertThat(page.locator("#job-error")).isHidden();
        assertThat(page.locator("#download")).isHidden();
        assertThat(page.locator("#again")).isVisible();
        String fillColour = (String)
                page.evaluate("() => getComputedStyle(document.querySelector('#progress-fill')).backgroundColor");
        assertThat(fillColour).as("a neutral grey, not the red of a failure").isEqualTo("rgb(107, 123, 143)");
        page.screenshot(new Page.ScreenshotOptions()
                .setPath(SCREENSHOTS.resolve("canceled.png"))
                .setFullPage(true));
        assertThat(problems).isEmpty();
        page.close();
    }

    /** A real 5 s 1080x1920 H.264/AAC MP4, made with ffmpeg, stored the way the storage stage stores videos. */
    private static long uploadVideo(StackEndpoints stack, String filename) throws Exception {
        Path file = Files.createTempFile("reel", ".mp4");
        Process ffmpeg = new ProcessBuilder(
                        "ffmpeg",
                        "-y",
                        "-loglevel",
                        "error",
                        "-f",
                        "lavfi",
                        "-i",
                        "color=c=0x1d9bf0:s=1080x1920:d=5:r=30",
                        "-f",
                        "lavfi",
                        "-i",
                        "sine=frequency=440:duration=5",
                        "-c:v",
                        "libx264",
                        "-preset",
                        "ultrafast",
                        "-pix_fmt",
                        "yuv420p",
                        "-c:a",
                        "aac",
                        "-shortest",
                        "-movflags",
                        "+faststart",
                        file.toString())
                .redirectErrorStream(true)
                .start();
        assumeThat(ffmpeg.waitFor(60, TimeUnit.SECONDS) && ffmpeg.exitValue() == 0)
                .as("ffmpeg made a test video: "
                        + new String(ffmpeg.getInputStream().readAllBytes()))
                .isTrue();
        MinioObjectStore store = StackGateways.objectStore(stack);
        store.ensureBucket("tweetreel-videos");
        store.put(
                "tweetreel-videos",
                filename,
                file,
                "video/mp4",
                Map.of(
                        ObjectLayout.JOB_ID,
                        "browser-test",
                        ObjectLayout.EXPIRES_AT,
                        Instant.now().plus(Duration.ofHours(24)).toString()));
        long size = Files.size(file);
        Files.delete(file);
        return size;
    }
}
