package io.tweetreel.composer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.tweetreel.composer.Loudness.Measurement;
import io.tweetreel.composer.ReelAudio.Leveling;
import org.junit.jupiter.api.Test;

/** How a measurement becomes a gain; the measurement itself is tested with real ffmpeg in {@link ReelSoundTest}. */
class LoudnessTest {

    /** ffmpeg 5.1's ebur128 summary with peak=true, as printed with {@code -loglevel level+info}. */
    private static String summary(String lufs, String peak) {
        return """
                [Parsed_ebur128_5 @ 0x55d1c0a3e280] [info] Summary:

                  Integrated loudness:
                    I:         %s LUFS
                    Threshold: -36.2 LUFS

                  Loudness range:
                    LRA:         1.8 LU

                  True peak:
                    Peak:      %s dBFS
                """.formatted(lufs, peak);
    }

    @Test
    void theLastSummaryCountsWhenFfmpegSetTheGraphUpTwice() throws ComposeException {
        Measurement measured = Loudness.parse(summary("-70.0", "-inf") + summary("-25.7", "-10.7"));

        assertThat(measured.lufs()).isEqualTo(-25.7);
        assertThat(measured.truePeakDbfs()).isEqualTo(-10.7);
    }

    @Test
    void aQuietTrackIsLiftedToTheTargetAndLimitedOnlyWhenItsPeaksWouldPassTheCeiling() {
        Leveling soft = Loudness.leveling(new Measurement(-26.0, -14.0));
        assertThat(soft.gainDb()).isCloseTo(10.0, within(1e-9));
        assertThat(soft.limit()).isFalse();

        Leveling spiky = Loudness.leveling(new Measurement(-26.0, -10.5));
        assertThat(spiky.gainDb()).isCloseTo(10.0, within(1e-9));
        assertThat(spiky.limit()).isTrue();
        assertThat(spiky.filters()).contains("volume=10.00dB", "alimiter=limit=0.8913:level=false");
    }

    @Test
    void aLoudTrackIsTurnedDownWithoutALimiter() {
        Leveling loud = Loudness.leveling(new Measurement(-7.8, -0.2));

        assertThat(loud.gainDb()).isCloseTo(-8.2, within(1e-9));
        assertThat(loud.limit()).isFalse();
        assertThat(loud.filters()).isEqualTo(",volume=-8.20dB");
    }

    @Test
    void silenceGetsNoGainAndAWhisperAtMostFortyDecibels() throws ComposeException {
        assertThat(Loudness.leveling(Loudness.parse(summary("-70.0", "-inf")))).isEqualTo(Leveling.NONE);
        assertThat(Leveling.NONE.filters()).isEmpty();
        assertThat(Loudness.leveling(new Measurement(-65.0, -60.0)).gainDb()).isEqualTo(Loudness.MAX_GAIN_DB);
    }

    @Test
    void aLogWithoutASummaryIsAnError() {
        assertThatThrownBy(() -> Loudness.parse("[error] Invalid data found when processing input"))
                .isInstanceOf(ComposeException.class)
                .hasMessageContaining("no ebur128 summary");
    }
}
