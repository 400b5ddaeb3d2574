package io.tweetreel.renderer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.tweetreel.schemas.Theme;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** Browser crashes, hung pages and start-up refusals, against real Chromium with a short render timeout. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CardRendererRecoveryTest {

    private static final Duration RENDER_TIMEOUT = Duration.ofSeconds(3);

    private CardRenderer renderer;

    @TempDir
    Path dir;

    @BeforeAll
    void startRenderer() {
        renderer = new CardRenderer(CardRenderer.DEFAULT_CHROMIUM_PATH, CardTemplate.bundled(), null, RENDER_TIMEOUT);
    }

    @AfterAll
    void stopRenderer() {
        renderer.close();
    }

    @Test
    void relaunchesAfterTheBrowserProcessDies() throws IOException {
        renderer.render(request("before the crash"), dir.resolve("before.png"));
        long launchesBefore = renderer.browserLaunchCount();
        ProcessHandle browser = renderer.browserProcess().orElseThrow();

        browser.destroyForcibly();
        await().atMost(Duration.ofSeconds(10)).until(() -> !browser.isAlive());
        CardRenderResult after = renderer.render(request("after the crash"), dir.resolve("after.png"));

        assertThat(renderer.browserLaunchCount()).isEqualTo(launchesBefore + 1);
        assertThat(renderer.browserProcess())
                .hasValueSatisfying(process -> assertThat(process.pid()).isNotEqualTo(browser.pid()));
        BufferedImage png = ImageIO.read(after.png().toFile());
        assertThat(png.getWidth()).isEqualTo(1080);
        assertThat(png.getHeight()).isEqualTo(1920);
    }

    @Test
    void aRenderThatKeepsFailingThrowsWithTheReasonAndTheNextOneWorks() throws IOException {
        long launchesBefore = renderer.browserLaunchCount();
        long started = System.nanoTime();

        assertThatThrownBy(() -> renderer.renderHtml(
                        "<html><body><script>for (;;) {}</script></body></html>", dir.resolve("hung.png")))
                .isInstanceOf(RenderException.class)
                .hasMessageContaining("timed out after 3000 ms");
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        CardRenderResult next = renderer.render(request("fine again"), dir.resolve("next.png"));

        assertThat(took).as("two attempts of 3 s plus a relaunch").isLessThan(Duration.ofSeconds(20));
        assertThat(Files.exists(dir.resolve("hung.png"))).isFalse();
        assertThat(next.attempts()).isEqualTo(1);
        assertThat(renderer.browserLaunchCount())
                .as("relaunch for the retry, and again before the next job")
                .isEqualTo(launchesBefore + 2);
        assertThat(ImageIO.read(next.png().toFile()).getWidth()).isEqualTo(1080);
    }

    @Test
    void refusesToStartWithoutChromium(@TempDir Path empty) {
        Path missing = empty.resolve("chromium");

        assertThatThrownBy(() -> new CardRenderer(missing, CardTemplate.bundled(), null))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(missing.toString())
                .hasMessageContaining("CHROMIUM_PATH");
    }

    @Test
    void refusesToStartWithSomethingThatIsNotChromium(@TempDir Path empty) throws IOException {
        Path fake = Files.writeString(empty.resolve("chromium"), "#!/bin/sh\nexit 1\n");
        fake.toFile().setExecutable(true);

        assertThatThrownBy(() -> new CardRenderer(fake, CardTemplate.bundled(), null, RENDER_TIMEOUT))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("Cannot start Chromium");
    }

    @Test
    void closedRendererRefusesWork() {
        CardRenderer closed =
                new CardRenderer(CardRenderer.DEFAULT_CHROMIUM_PATH, CardTemplate.bundled(), null, RENDER_TIMEOUT);
        ProcessHandle browser = closed.browserProcess().orElseThrow();

        closed.close();

        assertThatThrownBy(() -> closed.render(request("x"), dir.resolve("x.png")))
                .isInstanceOf(IllegalStateException.class);
        await().atMost(Duration.ofSeconds(10)).until(() -> !browser.isAlive());
    }

    private static CardRequest request(String body) {
        return new CardRequest(body, "Ada Lovelace", "ada", Theme.dark, null);
    }
}
