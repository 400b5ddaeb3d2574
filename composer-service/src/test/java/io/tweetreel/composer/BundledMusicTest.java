package io.tweetreel.composer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.tweetreel.schemas.MusicChoice;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class BundledMusicTest {

    @Test
    void bundledTrackIsSmallStereoAacOfTwentyToThirtySeconds(@TempDir Path dir) throws IOException {
        Path track = BundledMusic.install(dir);

        assertThat(track).isEqualTo(dir.resolve("default-track.m4a"));
        try (InputStream resource = BundledMusic.class.getResourceAsStream(BundledMusic.RESOURCE)) {
            assertThat(resource).isNotNull();
            assertThat(Files.readAllBytes(track)).isEqualTo(resource.readAllBytes());
        }
        assertThat(Files.size(track)).isLessThan(1024 * 1024);
        Map<String, String> audio = Media.probe(track, "a:0");
        assertThat(audio).containsEntry("codec_name", "aac").containsEntry("channels", "2");
        assertThat(Double.parseDouble(Media.probe(track, "format").get("duration")))
                .isBetween(20.0, 30.5);
    }

    @Test
    void bundledTrackIsLoudnessNormalisedToAboutMinus16Lufs(@TempDir Path dir) throws IOException {
        Path track = BundledMusic.install(dir);
        // ebur128 prints its summary in ffmpeg's log
        String summary = Media.ffmpegStderr(
                "-nostats", "-loglevel", "info", "-i", track.toString(), "-af", "ebur128=peak=true", "-f", "null", "-");
        Matcher integrated = Pattern.compile("I:\\s+(-?[0-9.]+) LUFS")
                .matcher(summary.substring(Math.max(0, summary.lastIndexOf("Summary:"))));
        assertThat(integrated.find()).as(summary).isTrue();
        assertThat(Double.parseDouble(integrated.group(1))).isCloseTo(-16.0, within(1.0));
    }

    @Test
    void bundledTrackIsMusicNotSilenceOrABeep(@TempDir Path dir) throws IOException {
        double[] samples = Media.monoSamples(BundledMusic.install(dir));
        // sound all the way through the part a default 5 s reel uses, and beyond
        for (double t = 0.5; t < 25; t += 0.5) {
            assertThat(Media.rms(samples, t, t + 0.5)).as("level at %.1f s", t).isGreaterThan(0.02);
        }
        // a chord pad: the spectrum has several strong peaks, a beep has one
        List<Integer> pitches = strongPitches(samples, 1.0, 2.0);
        System.out.println("default track pitches 1-2 s: " + pitches);
        assertThat(pitches).hasSizeGreaterThanOrEqualTo(3);
    }

    @ParameterizedTest
    @EnumSource(value = MusicChoice.class, names = "NONE", mode = EnumSource.Mode.EXCLUDE)
    void everyBundledTrackIsThirtySecondsOfSmallStereoAacAtAboutMinus16Lufs(MusicChoice music, @TempDir Path dir)
            throws IOException {
        Path track = BundledMusic.resolveAll(null, dir).get(music);

        assertThat(track)
                .isEqualTo(dir.resolve(Path.of(music.resource()).getFileName().toString()));
        assertThat(Files.size(track)).isLessThan(700 * 1024);
        assertThat(Media.probe(track, "a:0"))
                .containsEntry("codec_name", "aac")
                .containsEntry("channels", "2")
                .containsEntry("sample_rate", "48000");
        assertThat(Double.parseDouble(Media.probe(track, "format").get("duration")))
                .isCloseTo(30.0, within(0.2));
        String summary = Media.ffmpegStderr(
                "-nostats", "-loglevel", "info", "-i", track.toString(), "-af", "ebur128", "-f", "null", "-");
        Matcher integrated = Pattern.compile("I:\\s+(-?[0-9.]+) LUFS")
                .matcher(summary.substring(Math.max(0, summary.lastIndexOf("Summary:"))));
        assertThat(integrated.find()).as(summary).isTrue();
        assertThat(Double.parseDouble(integrated.group(1))).isCloseTo(-16.0, within(0.5));
    }

    @Test
    void audioPathReplacesOnlyTheDefaultTrack(@TempDir Path dir) {
        Map<MusicChoice, Path> tracks = BundledMusic.resolveAll("/srv/music/theme.mp3", dir);

        assertThat(tracks.get(MusicChoice.DEFAULT)).isEqualTo(Path.of("/srv/music/theme.mp3"));
        assertThat(tracks.get(MusicChoice.CALM))
                .isEqualTo(dir.resolve("calm.m4a"))
                .exists();
        assertThat(tracks).doesNotContainKey(MusicChoice.NONE);
    }

    @Test
    void audioPathWinsOverTheBundledTrack(@TempDir Path dir) {
        assertThat(BundledMusic.resolve("/srv/music/theme.mp3", dir)).isEqualTo(Path.of("/srv/music/theme.mp3"));
        assertThat(dir.resolve("default-track.m4a")).doesNotExist();
    }

    @Test
    void unsetOrBlankAudioPathMeansTheBundledTrack(@TempDir Path dir) {
        assertThat(BundledMusic.resolve(null, dir))
                .isEqualTo(dir.resolve("default-track.m4a"))
                .exists();
        assertThat(BundledMusic.resolve("  ", dir.resolve("sub")))
                .isEqualTo(dir.resolve("sub/default-track.m4a"))
                .exists();
        assertThat(dir).isDirectoryNotContaining("glob:**.partial");
    }

    @Test
    void installingTwiceReplacesTheFile(@TempDir Path dir) throws IOException {
        Path first = BundledMusic.install(dir);
        Files.writeString(first, "stale");
        Path second = BundledMusic.install(dir);
        assertThat(second).isEqualTo(first);
        assertThat(Files.size(second)).isGreaterThan(100_000);
    }

    /**
     * Pitches (1 Hz steps, 60–600 Hz) whose magnitude reaches a tenth of the strongest, with peaks closer than
     * 10 Hz (detuned partials of one note) counted once.
     */
    private static List<Integer> strongPitches(double[] samples, double from, double to) {
        int start = (int) (from * Media.SAMPLE_RATE);
        int n = (int) ((to - from) * Media.SAMPLE_RATE);
        double[] magnitude = new double[601];
        double max = 0;
        for (int frequency = 60; frequency <= 600; frequency++) {
            double re = 0;
            double im = 0;
            double step = 2 * Math.PI * frequency / Media.SAMPLE_RATE;
            for (int i = 0; i < n; i++) {
                re += samples[start + i] * Math.cos(step * i);
                im += samples[start + i] * Math.sin(step * i);
            }
            magnitude[frequency] = Math.hypot(re, im);
            max = Math.max(max, magnitude[frequency]);
        }
        List<Integer> peaks = new java.util.ArrayList<>();
        for (int frequency = 61; frequency < 600; frequency++) {
            boolean peak = magnitude[frequency] >= 0.1 * max
                    && magnitude[frequency] >= magnitude[frequency - 1]
                    && magnitude[frequency] >= magnitude[frequency + 1];
            if (peak && (peaks.isEmpty() || frequency - peaks.get(peaks.size() - 1) > 10)) {
                peaks.add(frequency);
            }
        }
        return peaks;
    }
}
