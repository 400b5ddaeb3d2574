package io.tweetreel.core.motion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RevealTimelineTest {

    @Test
    void aGivenLengthIsKept() {
        assertThat(RevealTimeline.durationSeconds(12, true, "one two", 0)).isEqualTo(12);
        assertThat(RevealTimeline.durationSeconds(7, false, "one two", 3)).isEqualTo(7);
    }

    @Test
    void aStillWithoutALengthLastsFiveSeconds() {
        assertThat(RevealTimeline.durationSeconds(0, false, "word ".repeat(200), 3))
                .isEqualTo(5);
    }

    @Test
    void aRevealIsPacedByItsWordsAndBlocks() {
        // 1 s lead + 14 words / 3.5 + 1.5 s hold = 6.5 s, rounded up to whole seconds.
        assertThat(RevealTimeline.durationSeconds(0, true, "word ".repeat(14), 0))
                .isEqualTo(7);
        // Two blocks add 0.5 s each: 7.5 s -> 8 s.
        assertThat(RevealTimeline.durationSeconds(0, true, "word ".repeat(14), 2))
                .isEqualTo(8);
        // 1 + 7 / 3.5 + 1.5 = 4.5 -> 5: exact sums are not rounded up a further second.
        assertThat(RevealTimeline.durationSeconds(0, true, "word ".repeat(7), 1))
                .isEqualTo(5);
    }

    @Test
    void aPacedLengthIsClampedToThreeToThirtySeconds() {
        assertThat(RevealTimeline.durationSeconds(0, true, "Hi", 0)).isEqualTo(RevealTimeline.MIN_SECONDS);
        assertThat(RevealTimeline.durationSeconds(0, true, "", 0)).isEqualTo(3);
        assertThat(RevealTimeline.durationSeconds(0, true, "word ".repeat(400), 4))
                .isEqualTo(RevealTimeline.MAX_SECONDS);
    }

    @ParameterizedTest
    @CsvSource({
        "Hello world, 2",
        "'  Hello,   world!  ', 2",
        "well-known 2026 release, 3",
        "'\uD83D\uDE80\uD83D\uDE80 go', 1",
        // Japanese (any kana): 0.64 of a word a character, rounded up; Chinese: 0.9
        "東京タワー, 3",
        "我们今天发布了, 7",
        "今日は晴れ。, 4",
        "Hello 世界, 3",
        "今日は東京で新しいリールを公開しました, 12",
        "'', 0",
    })
    void countsWordsAndCjkCharactersAtTheirReadingRate(String text, int words) {
        assertThat(RevealTimeline.words(text)).isEqualTo(words);
    }

    @Test
    void atThePacedLengthEachLineAppearsWhenTheReaderReachesIt() {
        List<Integer> lineWords = List.of(7, 7, 7);
        int duration = RevealTimeline.durationSeconds(0, true, "word ".repeat(21), 0);

        RevealTimeline timeline = RevealTimeline.plan(lineWords, 0, duration);

        // 1 + 21 / 3.5 + 1.5 = 8.5 -> 9 s: the half second left over stretches the reading a little (by 6.5 / 6).
        assertThat(duration).isEqualTo(9);
        double stretch = (duration - RevealTimeline.HOLD_SECONDS - RevealTimeline.LEAD_SECONDS) / 6.0;
        assertThat(timeline.lineTimes().get(0)).isEqualTo(RevealTimeline.LEAD_SECONDS);
        assertThat(timeline.lineTimes().get(1)).isCloseTo(1 + 2 * stretch, within(0.002));
        assertThat(timeline.lineTimes().get(2)).isCloseTo(1 + 4 * stretch, within(0.002));
        assertThat(timeline.holdStartsAt()).isEqualTo(duration - RevealTimeline.HOLD_SECONDS);
        assertThat(timeline.durationSeconds()).isEqualTo(duration);
    }

    @Test
    void aGivenLengthStretchesOrSqueezesTheSamePlan() {
        List<Integer> lineWords = List.of(5, 10, 5, 8);
        RevealTimeline paced = RevealTimeline.plan(lineWords, 2, 12);
        RevealTimeline longer = RevealTimeline.plan(lineWords, 2, 24);
        RevealTimeline shorter = RevealTimeline.plan(lineWords, 2, 4);

        for (RevealTimeline timeline : List.of(paced, longer, shorter)) {
            assertValid(timeline, lineWords.size(), 2);
        }
        // Gaps keep their proportions: line 2 comes after 5 words, line 3 after 15.
        for (RevealTimeline timeline : List.of(paced, longer, shorter)) {
            List<Double> times = timeline.lineTimes();
            assertThat((times.get(2) - times.get(0)) / (times.get(1) - times.get(0)))
                    .isCloseTo(3.0, within(0.01));
        }
        assertThat(longer.lineTimes().get(3)).isGreaterThan(paced.lineTimes().get(3));
        assertThat(shorter.lineTimes().get(3)).isLessThan(paced.lineTimes().get(3));
    }

    @Test
    void everyLayerHasFinishedFadingBeforeTheHoldEvenWhenTheLastLineIsShort() {
        for (int duration = 1; duration <= 30; duration++) {
            for (List<Integer> lineWords :
                    List.of(List.of(9, 9, 1), List.of(1), List.of(12, 0, 3, 40), List.<Integer>of())) {
                for (int blocks = 0; blocks <= 3; blocks++) {
                    assertValid(RevealTimeline.plan(lineWords, blocks, duration), lineWords.size(), blocks);
                }
            }
        }
    }

    @Test
    void blocksFollowTheTextHalfASecondApartAtThePacedLength() {
        RevealTimeline timeline = RevealTimeline.plan(List.of(7, 7), 3, 7);

        // 1 + 14 / 3.5 + 3 * 0.5 + 1.5 = 8 s of natural pace squeezed into 7: the blocks keep 0.5 s gaps, scaled.
        List<Double> blocks = timeline.blockTimes();
        assertThat(blocks).hasSize(3);
        assertThat(blocks.get(0)).isGreaterThan(timeline.lineTimes().get(1));
        assertThat(blocks.get(1) - blocks.get(0)).isCloseTo(blocks.get(2) - blocks.get(1), within(0.002));
        assertThat(blocks.get(1) - blocks.get(0)).isBetween(0.3, RevealTimeline.BLOCK_GAP_SECONDS);
    }

    @Test
    void refusesANonPositiveLength() {
        assertThatThrownBy(() -> RevealTimeline.plan(List.of(3), 0, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    private static void assertValid(RevealTimeline timeline, int lines, int blocks) {
        assertThat(timeline.lineTimes()).hasSize(lines);
        assertThat(timeline.blockTimes()).hasSize(blocks);
        List<Double> all = new ArrayList<>(timeline.lineTimes());
        all.addAll(timeline.blockTimes());
        assertThat(all).isSorted();
        assertThat(all)
                .allSatisfy(at -> assertThat(at)
                        .isGreaterThanOrEqualTo(0)
                        .isLessThanOrEqualTo(timeline.holdStartsAt() - RevealTimeline.FADE_SECONDS + 1e-9));
        assertThat(timeline.holdStartsAt())
                .isLessThan(timeline.durationSeconds())
                .isPositive();
    }
}
