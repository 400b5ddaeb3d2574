package io.tweetreel.renderer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tweetreel.core.EnvConfig;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RendererConfigTest {

    private static final Map<String, String> REQUIRED = Map.of("CHROMIUM_PATH", "/usr/bin/chromium");

    private static RendererConfig read(Map<String, String> extra) {
        var env = new java.util.HashMap<>(REQUIRED);
        env.putAll(extra);
        return RendererConfig.read(EnvConfig.of(env));
    }

    @Test
    void oneBrowserServesAllJobsByDefault() {
        assertThat(read(Map.of()).browserCount()).isEqualTo(1);
        assertThat(read(Map.of("MAX_CONCURRENT_JOBS", "4")).browserCount()).isEqualTo(1);
    }

    @Test
    void neverStartsMoreBrowsersThanJobsCanUse() {
        assertThat(read(Map.of("RENDER_BROWSERS", "2", "MAX_CONCURRENT_JOBS", "4"))
                        .browserCount())
                .isEqualTo(2);
        assertThat(read(Map.of("RENDER_BROWSERS", "8", "MAX_CONCURRENT_JOBS", "3"))
                        .browserCount())
                .isEqualTo(3);
    }

    @Test
    void refusesANumberOutsideItsRange() {
        assertThatThrownBy(() -> read(Map.of("RENDER_BROWSERS", "0"))).hasMessageContaining("RENDER_BROWSERS");
        assertThatThrownBy(() -> read(Map.of("RENDER_BROWSERS", "two"))).hasMessageContaining("RENDER_BROWSERS");
    }
}
