package io.tweetreel.core.motion;

import java.text.BreakIterator;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * When each layer of a {@code reveal} reel appears, and how long a reel is when the request leaves its length to
 * the pipeline. Pure arithmetic, shared by the renderer (which writes the times onto {@code ScreenshotReady}) and
 * whoever needs to know a reel's length before it is rendered.
 *
 * <p>Pacing: {@value #LEAD_SECONDS} s lead, the text at {@value #WORDS_PER_SECOND} words per second (each line
 * appears when the reader reaches it), then the blocks (media, quote, counts) {@value #BLOCK_GAP_SECONDS} s apart,
 * then a {@value #HOLD_SECONDS} s hold of the full card; the length is that, rounded up to whole seconds and
 * clamped to {@value #MIN_SECONDS}–{@value #MAX_SECONDS}. A given length instead stretches or squeezes the same
 * plan to fit it, lead and hold shrinking only for very short reels. Every layer has finished its
 * {@value #FADE_SECONDS} s fade before the hold starts.
 */
public final class RevealTimeline {
    public static final double LEAD_SECONDS = 1.0;
    public static final double WORDS_PER_SECOND = 3.5;
    /** 228 English words against 357 Japanese characters a minute (see {@link #words}). */
    static final double JAPANESE_WORDS_PER_CHARACTER = 0.64;
    /** 228 English words against 255 Chinese characters a minute. */
    static final double CHINESE_WORDS_PER_CHARACTER = 0.9;

    public static final double HOLD_SECONDS = 1.5;
    public static final double BLOCK_GAP_SECONDS = 0.5;
    /** How long one layer takes to fade in and slide up. */
    public static final double FADE_SECONDS = 0.4;

    public static final int MIN_SECONDS = 3;
    public static final int MAX_SECONDS = 30;
    /** A still reel's length when the request gives none. */
    public static final int STILL_SECONDS = 5;

    private final int durationSeconds;
    private final double holdStartsAt;
    private final List<Double> lineTimes;
    private final List<Double> blockTimes;

    private RevealTimeline(int durationSeconds, double holdStartsAt, List<Double> lineTimes, List<Double> blockTimes) {
        this.durationSeconds = durationSeconds;
        this.holdStartsAt = holdStartsAt;
        this.lineTimes = List.copyOf(lineTimes);
        this.blockTimes = List.copyOf(blockTimes);
    }

    /**
     * The reel's length: {@code requestedSeconds} when positive, otherwise {@value #STILL_SECONDS} s for a still
     * and the paced length for a reveal of {@code postText} followed by {@code blocks} blocks.
     */
    public static int durationSeconds(int requestedSeconds, boolean reveal, String postText, int blocks) {
        if (requestedSeconds > 0) {
            return requestedSeconds;
        }
        if (!reveal) {
            return STILL_SECONDS;
        }
        double natural = LEAD_SECONDS + words(postText) / WORDS_PER_SECOND + blocks * BLOCK_GAP_SECONDS + HOLD_SECONDS;
        return (int) Math.max(MIN_SECONDS, Math.min(MAX_SECONDS, Math.ceil(natural - 1e-9)));
    }

    /**
     * Plans a reveal of {@code durationSeconds}: line {@code i} (with {@code lineWords.get(i)} words, in reading
     * order) appears when the words before it have been read; the blocks follow the last line.
     */
    public static RevealTimeline plan(List<Integer> lineWords, int blocks, int durationSeconds) {
        if (durationSeconds <= 0) {
            throw new IllegalArgumentException("durationSeconds must be positive: " + durationSeconds);
        }
        List<Double> offsets = new ArrayList<>();
        double read = 0;
        for (int words : lineWords) {
            offsets.add(read / WORDS_PER_SECOND);
            read += Math.max(words, 0);
        }
        for (int k = 0; k < blocks; k++) {
            offsets.add(read / WORDS_PER_SECOND + k * BLOCK_GAP_SECONDS);
        }
        double lead = Math.min(LEAD_SECONDS, durationSeconds * 0.2);
        double hold = Math.min(HOLD_SECONDS, durationSeconds * 0.3);
        double holdStartsAt = durationSeconds - hold;
        double last = holdStartsAt - FADE_SECONDS;
        // The reveal's reading (the last line read too, the blocks' gaps) fills the time from the lead to the hold,
        // so at the paced length a line appears when the reader reaches it; squeezed only so far that the last layer
        // has finished its fade when the hold starts.
        double readingEnds = read / WORDS_PER_SECOND + blocks * BLOCK_GAP_SECONDS;
        double lastOffset = offsets.isEmpty() ? 0 : offsets.get(offsets.size() - 1);
        double scale = readingEnds <= 0 ? 0 : Math.max(0, holdStartsAt - lead) / readingEnds;
        if (lastOffset > 0 && lead + lastOffset * scale > last) {
            scale = Math.max(0, last - lead) / lastOffset;
        }
        List<Double> lines = new ArrayList<>();
        List<Double> blockList = new ArrayList<>();
        for (int i = 0; i < offsets.size(); i++) {
            double at = round(lead + offsets.get(i) * scale);
            (i < lineWords.size() ? lines : blockList).add(at);
        }
        return new RevealTimeline(durationSeconds, holdStartsAt, lines, blockList);
    }

    /**
     * Words a reader reads in {@code text}: word-like runs (letters or digits) count one each; Chinese and Japanese,
     * written without spaces, count by character, at the rate readers read them against English. Aloud-reading
     * norms (IReST, Trauzettel-Klosinski and Dietz 2012: English 228 words/min, Chinese 255 and Japanese 357
     * characters/min) make a Chinese character about 0.9 of a word and a character of Japanese text (kana with
     * kanji) about 0.64. Text with any kana is Japanese. Rounded up, so a line with any text takes some time.
     */
    public static int words(String text) {
        if (text == null || text.isBlank()) {
            return 0;
        }
        BreakIterator iterator = BreakIterator.getWordInstance(Locale.ROOT);
        iterator.setText(text);
        int count = 0;
        long cjk = 0;
        int start = iterator.first();
        for (int end = iterator.next(); end != BreakIterator.DONE; start = end, end = iterator.next()) {
            String piece = text.substring(start, end);
            long ideographs =
                    piece.codePoints().filter(RevealTimeline::isIdeographic).count();
            if (ideographs > 0) {
                cjk += ideographs;
            } else if (piece.codePoints().anyMatch(Character::isLetterOrDigit)) {
                count++;
            }
        }
        boolean japanese = text.codePoints().anyMatch(RevealTimeline::isKana);
        return count + (int) Math.ceil(cjk * (japanese ? JAPANESE_WORDS_PER_CHARACTER : CHINESE_WORDS_PER_CHARACTER));
    }

    private static boolean isKana(int codePoint) {
        Character.UnicodeScript script = Character.UnicodeScript.of(codePoint);
        return script == Character.UnicodeScript.HIRAGANA || script == Character.UnicodeScript.KATAKANA;
    }

    private static boolean isIdeographic(int codePoint) {
        Character.UnicodeScript script = Character.UnicodeScript.of(codePoint);
        return script == Character.UnicodeScript.HAN
                || script == Character.UnicodeScript.HIRAGANA
                || script == Character.UnicodeScript.KATAKANA;
    }

    private static double round(double seconds) {
        // Down, never up: a layer planned to finish its fade as the hold starts must not start a moment later.
        return Math.floor(seconds * 1000 + 1e-6) / 1000.0;
    }

    public int durationSeconds() {
        return durationSeconds;
    }

    /** From here to the end the full card holds (the reel's fade-out included). */
    public double holdStartsAt() {
        return holdStartsAt;
    }

    /** When each line starts to appear, in reading order. */
    public List<Double> lineTimes() {
        return lineTimes;
    }

    /** When each block starts to appear, after the lines. */
    public List<Double> blockTimes() {
        return blockTimes;
    }
}
