package io.tweetreel.core.motion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class CaptionCuesTest {

    private static final String LATIN =
            "Shipping a new feature today!\n\nWe rebuilt the   rendering pipeline from\tscratch"
                    + " so reels read themselves: every line fades in as you would read it, captions follow along, and the"
                    + " music is normalised so nothing blares. Try it and tell us what you think. #buildinpublic @tweetreel";
    private static final String ARABIC = "اليوم نطلق ميزة جديدة تمامًا: النصوص تظهر سطرًا بعد سطر كما تقرؤها،"
            + " والترجمة النصية تتبعها خطوة بخطوة، والموسيقى متوازنة حتى لا تكون صاخبة أبدًا. جربوها وأخبرونا برأيكم!";
    private static final String HEBREW = "היום אנחנו משיקים תכונה חדשה: השורות מופיעות אחת אחרי השנייה, בקצב הקריאה,"
            + " הכתוביות עוקבות אחריהן והמוזיקה מנורמלת כך ששום דבר לא צורם. נסו ותגידו לנו מה דעתכם.";
    private static final String JAPANESE = "今日は新しい機能を公開しました。投稿の文章が読む速さに合わせて一行ずつ現れ、字幕もそれに合わせて"
            + "表示されます。音楽の音量もそろえたので、どの動画も同じくらいの大きさで聞こえます。ぜひ試してみてください！"
            + "感想をお待ちしています。";
    private static final String CHINESE =
            "我们今天发布了一个新功能：帖子里的文字会按照阅读速度逐行出现，字幕也会同步显示，" + "音乐的响度也统一了，所以每个视频听起来都差不多。欢迎试用 tweet-reel 并告诉我们你的想法。";
    private static final String FAMILY = "\uD83D\uDC68\u200D\uD83D\uDC69\u200D\uD83D\uDC67\u200D\uD83D\uDC66";
    private static final String EMOJI = "Launch day " + "\uD83D\uDE80".repeat(3) + " with the whole team "
            + FAMILY.repeat(12) + " flags \uD83C\uDDEB\uD83C\uDDF7\uD83C\uDDE9\uD83C\uDDEA".repeat(1)
            + "\uD83C\uDDEF\uD83C\uDDF5".repeat(30) + " thumbs \uD83D\uDC4D\uD83C\uDFFD\uD83D\uDC4D\uD83C\uDFFF and "
            + "e\u0301".repeat(50) + " done \u2764\uFE0F";

    private static final Pattern GRAPHEME = Pattern.compile("\\X");
    private static final Pattern BIDI_CONTROLS = Pattern.compile("[\\u200E\\u200F\\u202A-\\u202E\\u2066-\\u2069]");
    private static final Pattern VTT_TIMING =
            Pattern.compile("(\\d{2}):([0-5]\\d):([0-5]\\d)\\.(\\d{3}) --> (\\d{2}):([0-5]\\d):([0-5]\\d)\\.(\\d{3})");
    private static final Pattern SRT_TIMING =
            Pattern.compile("(\\d{2}):([0-5]\\d):([0-5]\\d),(\\d{3}) --> (\\d{2}):([0-5]\\d):([0-5]\\d),(\\d{3})");

    static Stream<Arguments> texts() {
        return Stream.of(
                Arguments.of("latin", LATIN, false),
                Arguments.of("arabic", ARABIC, false),
                Arguments.of("hebrew", HEBREW, false),
                Arguments.of("japanese", JAPANESE, true),
                Arguments.of("chinese", CHINESE, true),
                Arguments.of("emoji", EMOJI, true));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("texts")
    void cueTextJoinedGivesBackThePostTextInOrder(String name, String post, boolean cutInsideWords) {
        List<CaptionCue> cues = CaptionCues.spread(post, 20);

        assertThat(cues).hasSizeGreaterThan(1);
        List<String> lines = lines(cues);
        assertThat(lines).allSatisfy(line -> {
            assertThat(line.codePointCount(0, line.length())).isBetween(1, CaptionCues.MAX_LINE_CHARS);
            assertThat(line).isEqualTo(line.strip());
        });
        assertThat(cues)
                .allSatisfy(cue -> assertThat(cue.text().split("\n", -1)).hasSizeBetween(1, CaptionCues.MAX_LINES));
        String normalised = normalised(post);
        if (cutInsideWords) {
            assertThat(String.join("", lines).replaceAll("\\s", "")).isEqualTo(normalised.replaceAll("\\s", ""));
        } else {
            assertThat(String.join(" ", lines)).isEqualTo(normalised);
        }
        assertThat(cues)
                .noneSatisfy(cue ->
                        assertThat(BIDI_CONTROLS.matcher(cue.text()).find()).isTrue());
    }

    @Test
    void neverSplitsAGrapheme() {
        List<String> lines = lines(CaptionCues.spread(EMOJI, 20));

        List<String> graphemesOfLines = new ArrayList<>();
        lines.forEach(line -> graphemesOfLines.addAll(graphemes(line.replace(" ", ""))));
        assertThat(graphemesOfLines).isEqualTo(graphemes(normalised(EMOJI).replace(" ", "")));
        assertThat(lines).anySatisfy(line -> assertThat(line).contains(FAMILY));
    }

    @Test
    void aRunWithNowhereToBreakIsCutAtTheLineLength() {
        String run = "x".repeat(100);

        assertThat(lines(CaptionCues.spread("see " + run, 10)))
                .containsExactly("see", "x".repeat(42), "x".repeat(42), "x".repeat(16));
    }

    @Test
    void wrapsAtTheLastSpaceThatFits() {
        String text = "a".repeat(20) + " " + "b".repeat(21) + " " + "c".repeat(10);

        assertThat(lines(CaptionCues.spread(text, 5)))
                .containsExactly("a".repeat(20) + " " + "b".repeat(21), "c".repeat(10));
    }

    @Test
    void blankTextHasNoCues() {
        assertThat(CaptionCues.spread("", 5)).isEmpty();
        assertThat(CaptionCues.spread(" \n\t ", 5)).isEmpty();
        assertThat(CaptionCues.spread(null, 5)).isEmpty();
        assertThat(CaptionCues.timed("  ", List.of("x"), List.of(1.0), 5)).isEmpty();
        assertThat(CaptionCues.vtt(List.of())).isEqualTo("WEBVTT\n\n");
        assertThat(CaptionCues.srt(List.of())).isEmpty();
    }

    @Test
    void spreadCoversTheReelInProportionToEachCuesLength() {
        double duration = 12;
        List<CaptionCue> cues = CaptionCues.spread(LATIN, duration);

        assertBackToBack(cues, duration);
        assertThat(cues.get(0).startSeconds()).isZero();
        double total = cues.stream().mapToInt(cue -> codePoints(cue.text())).sum();
        assertThat(cues)
                .allSatisfy(cue -> assertThat(cue.endSeconds() - cue.startSeconds())
                        .isCloseTo(duration * codePoints(cue.text()) / total, within(0.002)));
    }

    @Test
    void aShortPostIsOneCueForTheWholeReel() {
        List<CaptionCue> cues = CaptionCues.spread("Hello,\n world", 5);

        assertThat(cues).containsExactly(new CaptionCue(0, 5, "Hello, world"));
        assertThat(CaptionCues.vtt(cues)).isEqualTo("WEBVTT\n\n00:00:00.000 --> 00:00:05.000\nHello, world\n\n");
        assertThat(CaptionCues.srt(cues)).isEqualTo("1\n00:00:00,000 --> 00:00:05,000\nHello, world\n");
    }

    @Test
    void timedCuesStartWhenTheCardLineHoldingTheirFirstCharacterAppears() {
        String text = normalised(LATIN);
        List<String> cardLines = wrapAtSpaces(text, 30);
        RevealTimeline timeline = RevealTimeline.plan(
                cardLines.stream().map(RevealTimeline::words).toList(),
                0,
                RevealTimeline.durationSeconds(0, true, text, 0));
        double duration = timeline.durationSeconds();

        List<CaptionCue> cues = CaptionCues.timed(LATIN, cardLines, timeline.lineTimes(), duration);

        assertBackToBack(cues, duration);
        List<Integer> lineStarts = offsets(text, cardLines);
        List<Integer> cueStarts = offsets(
                text, cues.stream().map(cue -> cue.text().replace('\n', ' ')).toList());
        for (int i = 0; i < cues.size(); i++) {
            int holding = 0;
            for (int j = 0; j < lineStarts.size(); j++) {
                if (lineStarts.get(j) <= cueStarts.get(i)) {
                    holding = j;
                }
            }
            assertThat(cues.get(i).startSeconds())
                    .as("cue %d", i)
                    .isEqualTo(timeline.lineTimes().get(holding), within(0.0005));
        }
        assertThat(cues.get(cues.size() - 1).endSeconds()).isEqualTo(duration);
    }

    @Test
    void cuesStartingOnTheSameCardLineShareTheTimeUntilTheNextLine() {
        String text = "word ".repeat(60).strip();
        String firstHalf = "word ".repeat(30).strip();

        List<CaptionCue> cues = CaptionCues.timed(text, List.of(firstHalf, firstHalf), List.of(1.0, 4.0), 8);

        assertBackToBack(cues, 8);
        // 60 words of 4 letters: 8 words a line, 16 a cue, so cues start at words 0, 16 (first line) and 32, 48.
        assertThat(cues).extracting(CaptionCue::startSeconds).containsExactly(1.0, 2.5, 4.0, 6.0);
    }

    @Test
    void textCutOffOnTheCardIsCaptionedBeforeTheHold() {
        String text = normalised(LATIN);
        List<String> shown = new ArrayList<>(wrapAtSpaces(text, 30).subList(0, 3));
        shown.set(2, shown.get(2).substring(0, 12) + "\u2026");
        shown.add("Show more");
        double duration = 10;

        List<CaptionCue> cues = CaptionCues.timed(text, shown, List.of(1.0, 1.5, 2.0, 2.5), duration);

        assertBackToBack(cues, duration);
        assertThat(cues.get(0).startSeconds()).isEqualTo(1.0);
        double hold = duration - RevealTimeline.HOLD_SECONDS;
        assertThat(cues.subList(1, cues.size()))
                .allSatisfy(
                        cue -> assertThat(cue.startSeconds()).isGreaterThan(2.0).isLessThan(hold));
        assertThat(String.join(" ", lines(cues))).isEqualTo(text);
    }

    @Test
    void aCardThatMatchesNothingStillGivesValidCuesInProportion() {
        List<String> card = List.of("zzzz zzzz zzzz", "qqqq qqqq", "yyyy yyyy yyyy yyyy", "xxxx");

        List<CaptionCue> cues = CaptionCues.timed(LATIN, card, List.of(1.0, 2.0, 3.0, 4.0), 9);

        assertBackToBack(cues, 9);
        assertThat(cues.get(0).startSeconds()).isEqualTo(1.0);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("texts")
    void filesParseStrictlyForEveryScript(String name, String post, boolean cutInsideWords) {
        String text = normalised(post);
        List<String> cardLines = cutInsideWords ? chunks(text, 15) : wrapAtSpaces(text, 30);
        RevealTimeline timeline = RevealTimeline.plan(
                cardLines.stream().map(RevealTimeline::words).toList(),
                2,
                RevealTimeline.durationSeconds(0, true, text, 2));
        for (List<CaptionCue> cues : List.of(
                CaptionCues.spread(post, 5),
                CaptionCues.timed(post, cardLines, timeline.lineTimes(), timeline.durationSeconds()))) {
            double duration = cues.get(cues.size() - 1).endSeconds();
            assertThat(parseVtt(CaptionCues.vtt(cues), duration)).isEqualTo(cues);
            assertThat(parseSrt(CaptionCues.srt(cues), duration)).isEqualTo(cues);
        }
    }

    @Test
    void cueTextIsEscapedWhereTheFormatsNeedIt() {
        List<CaptionCue> cues = CaptionCues.spread("if a < b && c > d --> done", 4);

        String vtt = CaptionCues.vtt(cues);
        assertThat(vtt).contains("if a &lt; b &amp;&amp; c &gt; d \u2192 done").doesNotContain("d -->");
        String srt = CaptionCues.srt(cues);
        assertThat(srt).contains("if a < b && c > d \u2192 done").doesNotContain("d -->");
        parseVtt(vtt, 4);
        parseSrt(srt, 4);
    }

    @Test
    void timestampsCountMinutesAndHours() {
        List<CaptionCue> cues = List.of(new CaptionCue(75.5, 3725.042, "late"));

        assertThat(CaptionCues.vtt(cues)).contains("00:01:15.500 --> 01:02:05.042\nlate\n");
        assertThat(CaptionCues.srt(cues)).contains("00:01:15,500 --> 01:02:05,042\nlate\n");
    }

    // --- helpers -----------------------------------------------------------------------------------------------

    /** Parses a WebVTT file strictly: header, then cues of one timing line and 1-2 text lines, a blank line each. */
    private static List<CaptionCue> parseVtt(String vtt, double duration) {
        assertThat(vtt).startsWith("WEBVTT\n\n").endsWith("\n\n");
        String body = vtt.substring("WEBVTT\n\n".length());
        List<CaptionCue> cues = new ArrayList<>();
        for (String block : body.substring(0, body.length() - 2).split("\n\n", -1)) {
            String[] lines = block.split("\n", -1);
            Matcher timing = VTT_TIMING.matcher(lines[0]);
            assertThat(timing.matches()).as("timing line %s", lines[0]).isTrue();
            List<String> text = textLines(lines);
            text.forEach(line -> assertThat(line).doesNotContain("<", ">").doesNotMatch(".*&(?!amp;|lt;|gt;).*"));
            String unescaped = String.join("\n", text)
                    .replace("&lt;", "<")
                    .replace("&gt;", ">")
                    .replace("&amp;", "&");
            cues.add(new CaptionCue(seconds(timing, 1), seconds(timing, 5), unescaped));
        }
        assertTimesValid(cues, duration);
        return cues;
    }

    /** Parses an SRT file strictly: numbered cues from 1, timing line with commas, 1-2 text lines, blank between. */
    private static List<CaptionCue> parseSrt(String srt, double duration) {
        assertThat(srt).endsWith("\n").doesNotEndWith("\n\n");
        List<CaptionCue> cues = new ArrayList<>();
        String[] blocks = srt.substring(0, srt.length() - 1).split("\n\n", -1);
        for (int i = 0; i < blocks.length; i++) {
            String[] lines = blocks[i].split("\n", -1);
            assertThat(lines[0]).isEqualTo(String.valueOf(i + 1));
            Matcher timing = SRT_TIMING.matcher(lines[1]);
            assertThat(timing.matches()).as("timing line %s", lines[1]).isTrue();
            String[] rest = new String[lines.length - 1];
            System.arraycopy(lines, 1, rest, 0, rest.length);
            cues.add(new CaptionCue(seconds(timing, 1), seconds(timing, 5), String.join("\n", textLines(rest))));
        }
        assertTimesValid(cues, duration);
        return cues;
    }

    private static List<String> textLines(String[] block) {
        List<String> text = List.of(block).subList(1, block.length);
        assertThat(text).hasSizeBetween(1, CaptionCues.MAX_LINES);
        assertThat(text).allSatisfy(line -> assertThat(line).isNotBlank().doesNotContain("-->"));
        return text;
    }

    private static double seconds(Matcher timing, int group) {
        long millis = Long.parseLong(timing.group(group)) * 3_600_000
                + Long.parseLong(timing.group(group + 1)) * 60_000
                + Long.parseLong(timing.group(group + 2)) * 1000
                + Long.parseLong(timing.group(group + 3));
        return millis / 1000.0;
    }

    private static void assertTimesValid(List<CaptionCue> cues, double duration) {
        double previousStart = -1;
        for (CaptionCue cue : cues) {
            assertThat(cue.startSeconds()).isGreaterThan(previousStart).isGreaterThanOrEqualTo(0);
            assertThat(cue.endSeconds()).isGreaterThan(cue.startSeconds()).isLessThanOrEqualTo(duration);
            previousStart = cue.startSeconds();
        }
    }

    private static void assertBackToBack(List<CaptionCue> cues, double duration) {
        assertTimesValid(cues, duration);
        for (int i = 0; i + 1 < cues.size(); i++) {
            assertThat(cues.get(i).endSeconds()).isEqualTo(cues.get(i + 1).startSeconds());
        }
        assertThat(cues.get(cues.size() - 1).endSeconds()).isEqualTo(duration);
    }

    private static List<String> lines(List<CaptionCue> cues) {
        return cues.stream()
                .flatMap(cue -> Stream.of(cue.text().split("\n", -1)))
                .toList();
    }

    private static List<String> graphemes(String text) {
        List<String> graphemes = new ArrayList<>();
        Matcher matcher = GRAPHEME.matcher(text);
        while (matcher.find()) {
            graphemes.add(matcher.group());
        }
        return graphemes;
    }

    private static String normalised(String text) {
        return text.replaceAll("\\s+", " ").strip();
    }

    private static int codePoints(String text) {
        return text.codePointCount(0, text.length());
    }

    /** Where each piece starts in {@code text}, looking for each after the previous one. */
    private static List<Integer> offsets(String text, List<String> pieces) {
        List<Integer> offsets = new ArrayList<>();
        int from = 0;
        for (String piece : pieces) {
            int at = text.indexOf(piece, from);
            assertThat(at).as("piece %s", piece).isNotNegative();
            offsets.add(at);
            from = at + piece.length();
        }
        return offsets;
    }

    private static List<String> wrapAtSpaces(String text, int width) {
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (String word : text.split(" ")) {
            if (line.length() > 0 && line.length() + 1 + word.length() > width) {
                lines.add(line.toString());
                line.setLength(0);
            }
            line.append(line.length() > 0 ? " " : "").append(word);
        }
        lines.add(line.toString());
        return lines;
    }

    private static List<String> chunks(String text, int graphemesPerChunk) {
        List<String> chunks = new ArrayList<>();
        List<String> graphemes = graphemes(text);
        for (int i = 0; i < graphemes.size(); i += graphemesPerChunk) {
            chunks.add(String.join("", graphemes.subList(i, Math.min(i + graphemesPerChunk, graphemes.size()))));
        }
        return chunks;
    }
}
