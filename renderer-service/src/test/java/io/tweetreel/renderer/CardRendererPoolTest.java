package io.tweetreel.renderer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tweetreel.schemas.Theme;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CardRendererPoolTest {

    @Test
    void rendersConcurrentlyOnSeparateBrowsers(@TempDir Path dir) throws Exception {
        long started = System.nanoTime();
        try (CardRendererPool pool = CardRendererPool.start(
                2, () -> new CardRenderer(CardRenderer.DEFAULT_CHROMIUM_PATH, CardTemplate.bundled(), null))) {
            System.out.printf("[timing] pool of 2 ready in %d ms%n", (System.nanoTime() - started) / 1_000_000);
            ExecutorService workers = Executors.newFixedThreadPool(4);
            try {
                List<Future<CardRenderResult>> results = new ArrayList<>();
                for (int i = 0; i < 4; i++) {
                    Path out = dir.resolve("card-" + i + ".png");
                    CardRequest request =
                            new CardRequest("Concurrent card " + i, "Worker " + i, "w" + i, Theme.light, null);
                    results.add(workers.submit(() -> pool.render(request, format -> out)));
                }
                for (Future<CardRenderResult> result : results) {
                    assertThat(ImageIO.read(result.get().png().toFile()).getHeight())
                            .isEqualTo(1920);
                }
            } finally {
                workers.shutdownNow();
            }
            assertThat(pool.size()).isEqualTo(2);
            assertThat(pool.busyCount()).isZero();
        }
    }

    @Test
    void aFailedStartClosesTheOthersAndRefuses() {
        AtomicInteger attempts = new AtomicInteger();

        assertThatThrownBy(() -> CardRendererPool.start(2, () -> {
                    attempts.incrementAndGet();
                    throw new IllegalStateException("Chromium not found");
                }))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("Chromium not found");
        assertThat(attempts).hasValue(2);
    }
}
