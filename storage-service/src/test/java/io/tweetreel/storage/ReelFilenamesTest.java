package io.tweetreel.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.tweetreel.schemas.ObjectLayout;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ReelFilenamesTest {
    private final Instant day = Instant.parse("2026-11-28T23:59:59Z");

    @Test
    void nameIsDatePlus32HexAndMatchesTheDownloadPattern() {
        String name = new ReelFilenames("0123456789abcdef-secret")
                .filename(UUID.randomUUID().toString(), day);
        assertThat(name).startsWith("2026-11-28_").endsWith(".mp4").hasSize(11 + 32 + 4);
        assertThat(name).matches(ObjectLayout.DOWNLOAD_FILENAME);
    }

    @Test
    void sameJobSameNameOtherSecretOtherName() {
        String jobId = UUID.randomUUID().toString();
        ReelFilenames a = new ReelFilenames("secret-number-one-0000");
        assertThat(a.filename(jobId, day)).isEqualTo(a.filename(jobId, day));
        assertThat(new ReelFilenames("secret-number-two-0000").filename(jobId, day))
                .isNotEqualTo(a.filename(jobId, day));
        assertThat(a.filename(UUID.randomUUID().toString(), day)).isNotEqualTo(a.filename(jobId, day));
    }

    @Test
    void knownVector() {
        // HMAC-SHA256("key", "The quick brown fox jumps over the lazy dog") = f7bc83f430538424b13298e6aa6fb143...
        assertThat(new ReelFilenames("key").filename("The quick brown fox jumps over the lazy dog", day))
                .isEqualTo("2026-11-28_f7bc83f430538424b13298e6aa6fb143.mp4");
    }
}
