package io.tweetreel.composer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The in-process header reader agrees with ffprobe on any MP4 layout and refuses what is not a reel. */
class Mp4HeaderTest {

    @Test
    void aHeaderAfterTheMediaDataIsFoundAndReadAsFfprobeReadsIt(@TempDir Path dir) throws IOException {
        Path mp4 = dir.resolve("moov-last.mp4");
        // no +faststart: ffmpeg writes moov after mdat; an audio track first, so the video track is the second
        Media.ffmpeg(
                "-f",
                "lavfi",
                "-i",
                "sine=frequency=440:duration=2.5",
                "-f",
                "lavfi",
                "-i",
                "color=c=red:s=360x640:r=30:d=2",
                "-map",
                "0:a",
                "-map",
                "1:v",
                "-c:a",
                "aac",
                "-c:v",
                "libx264",
                "-preset",
                "ultrafast",
                mp4.toString());
        assertThat(Media.topLevelBoxes(mp4)).containsSubsequence("mdat", "moov");

        ComposedReel measured = Mp4Header.measure(mp4);

        assertThat(measured.width()).isEqualTo(360);
        assertThat(measured.height()).isEqualTo(640);
        assertThat(measured.sizeBytes()).isEqualTo(Files.size(mp4));
        assertThat(measured.durationSeconds())
                .isCloseTo(Double.parseDouble(Media.probe(mp4, "format").get("duration")), within(0.001));
    }

    @Test
    void soundWithoutPictureIsNotAReel(@TempDir Path dir) throws IOException {
        Path m4a = dir.resolve("sound.mp4");
        Media.ffmpeg("-f", "lavfi", "-i", "sine=duration=1", "-c:a", "aac", m4a.toString());

        assertThatThrownBy(() -> Mp4Header.measure(m4a))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("no video");
    }

    @Test
    void aCutOffOrForeignFileIsRefused(@TempDir Path dir) throws IOException {
        Path png = Files.write(dir.resolve("card.png"), new byte[] {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10, 0, 0});
        Path truncated = dir.resolve("truncated.mp4");
        Path whole = dir.resolve("whole.mp4");
        Media.ffmpeg(
                "-f",
                "lavfi",
                "-i",
                "color=s=64x64:d=1",
                "-c:v",
                "libx264",
                "-movflags",
                "+faststart",
                whole.toString());
        byte[] bytes = Files.readAllBytes(whole);
        Files.write(truncated, java.util.Arrays.copyOf(bytes, 200));

        assertThatThrownBy(() -> Mp4Header.measure(png)).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> Mp4Header.measure(truncated)).isInstanceOf(IOException.class);
        assertThat(Mp4Header.measure(whole).width()).isEqualTo(64);
    }
}
