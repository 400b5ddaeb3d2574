package io.tweetreel.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class ObjectLayoutTest {
    @Test
    void workObjectsOfAJobShareItsPrefix() {
        assertThat(ObjectLayout.jobPrefix("42")).isEqualTo("jobs/42/");
        assertThat(ObjectLayout.cardKey("42")).isEqualTo("jobs/42/card.png");
        assertThat(ObjectLayout.videoKey("42")).isEqualTo("jobs/42/video.mp4");
        // job 4 must not list (and so delete) the objects of job 42
        assertThat(ObjectLayout.cardKey("42")).doesNotStartWith(ObjectLayout.jobPrefix("4"));
    }

    @Test
    void downloadFilenameIsUtcDateAndSixteenDigestBytesInHex() {
        byte[] digest = new byte[32];
        for (int i = 0; i < digest.length; i++) {
            digest[i] = (byte) (i * 17);
        }
        String name = ObjectLayout.downloadFilename(Instant.parse("2026-11-28T23:59:59Z"), digest);
        assertThat(name)
                .isEqualTo("2026-11-28_00112233445566778899aabbccddeeff.mp4")
                .matches(ObjectLayout.DOWNLOAD_FILENAME);
        assertThatThrownBy(() -> ObjectLayout.downloadFilename(Instant.EPOCH, new byte[15]))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void hostileNamesDoNotMatch() {
        assertThat(ObjectLayout.DOWNLOAD_FILENAME.matcher("../../etc/passwd").matches())
                .isFalse();
        assertThat(ObjectLayout.DOWNLOAD_FILENAME
                        .matcher("2026-11-28_" + "A".repeat(32) + ".mp4")
                        .matches())
                .isFalse();
        assertThat(ObjectLayout.DOWNLOAD_FILENAME
                        .matcher("2026-11-28_" + "a".repeat(31) + ".mp4")
                        .matches())
                .isFalse();
        assertThat(ObjectLayout.DOWNLOAD_FILENAME
                        .matcher("2026-11-28_" + "a".repeat(32) + ".mp4\n")
                        .matches())
                .isFalse();
    }
}
