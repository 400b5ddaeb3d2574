package io.tweetreel.core.motion;

import java.util.List;

/**
 * The captions of a reel, made from the post's text (we know it, so no speech recognition): cues of at most
 * {@value #MAX_LINES} lines x {@value #MAX_LINE_CHARS} characters, in the text's order, within the reel; and
 * their WebVTT and SRT files.
 */
public final class CaptionCues {
    public static final int MAX_LINE_CHARS = 42;
    public static final int MAX_LINES = 2;

    private CaptionCues() {}

    /** A still reel: the cues share the whole reel, each for a time proportional to its length. */
    public static List<CaptionCue> spread(String postText, double durationSeconds) {
        throw new UnsupportedOperationException("#18: captions");
    }

    /**
     * A reveal: each cue starts when the card line holding its first word appears ({@code lineTexts} are the
     * card's lines in reading order, as laid out; {@code lineTimes} when each appears) and lasts until the next
     * cue; the last one until the end of the reel.
     */
    public static List<CaptionCue> timed(
            String postText, List<String> lineTexts, List<Double> lineTimes, double durationSeconds) {
        throw new UnsupportedOperationException("#18: captions");
    }

    /** The cues as a WebVTT file (UTF-8 text). */
    public static String vtt(List<CaptionCue> cues) {
        throw new UnsupportedOperationException("#18: captions");
    }

    /** The cues as an SRT file (UTF-8 text). */
    public static String srt(List<CaptionCue> cues) {
        throw new UnsupportedOperationException("#18: captions");
    }
}
