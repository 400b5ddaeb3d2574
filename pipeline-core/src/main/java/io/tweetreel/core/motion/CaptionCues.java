package io.tweetreel.core.motion;

import java.text.BreakIterator;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The captions of a reel, made from the post's text (we know it, so no speech recognition): cues of at most
 * {@value #MAX_LINES} lines x {@value #MAX_LINE_CHARS} characters, in the text's order, within the reel; and
 * their WebVTT and SRT files.
 *
 * <p>The text is whitespace-normalised (every run of whitespace, newlines included, becomes one space) and wrapped
 * at spaces; a word longer than a line (a language written without spaces, a long link) is broken where the
 * Unicode line-breaking rules allow, and a run with no such place is cut between graphemes, so an emoji or an
 * accented letter is never split. Characters are counted in code points. Right-to-left text stays in its logical
 * order: players apply the bidi algorithm themselves, so no direction marks are added.
 */
public final class CaptionCues {
    public static final int MAX_LINE_CHARS = 42;
    public static final int MAX_LINES = 2;

    private static final Pattern WHITESPACE = Pattern.compile("\\s+", Pattern.UNICODE_CHARACTER_CLASS);
    private static final Pattern GRAPHEME = Pattern.compile("\\X");

    private CaptionCues() {}

    /** A still reel: the cues share the whole reel, each for a time proportional to its length. */
    public static List<CaptionCue> spread(String postText, double durationSeconds) {
        String text = normalise(postText);
        List<Cue> cues = wrap(text);
        if (cues.isEmpty()) {
            return List.of();
        }
        long durationMillis = durationMillis(durationSeconds, cues.size());
        long total = cues.stream()
                .mapToLong(cue -> cue.text.codePointCount(0, cue.text.length()))
                .sum();
        long[] starts = new long[cues.size()];
        long before = 0;
        for (int i = 0; i < cues.size(); i++) {
            starts[i] = Math.round((double) durationMillis * before / total);
            before += cues.get(i).text.codePointCount(0, cues.get(i).text.length());
        }
        return toCues(cues, strictlyIncreasing(starts, durationMillis), durationMillis);
    }

    /**
     * A reveal: each cue starts when the card line holding its first word appears ({@code lineTexts} are the
     * card's lines in reading order, as laid out; {@code lineTimes} when each appears) and lasts until the next
     * cue; the last one until the end of the reel.
     */
    public static List<CaptionCue> timed(
            String postText, List<String> lineTexts, List<Double> lineTimes, double durationSeconds) {
        if (lineTexts.size() != lineTimes.size()) {
            throw new IllegalArgumentException(
                    "one time per line expected: " + lineTexts.size() + " lines, " + lineTimes.size() + " times");
        }
        String text = normalise(postText);
        List<Cue> cues = wrap(text);
        if (cues.isEmpty()) {
            return List.of();
        }
        long durationMillis = durationMillis(durationSeconds, cues.size());
        List<CardLine> lines = align(text, lineTexts, lineTimes, durationMillis);
        if (lines.isEmpty()) {
            return spread(postText, durationSeconds);
        }
        CardLine last = lines.get(lines.size() - 1);
        int coveredUpTo = last.end;
        // Text the card does not show ("Show more" cut it off) is captioned during the rest of the reveal: its cues
        // are spread evenly between the last line's appearance and the hold, like RevealTimeline's hold.
        long holdStartsAt =
                durationMillis - Math.round(Math.min(RevealTimeline.HOLD_SECONDS, durationSeconds * 0.3) * 1000);
        long beyondUntil = holdStartsAt > last.timeMillis ? holdStartsAt : durationMillis;
        int beyond = (int) cues.stream().filter(cue -> cue.start >= coveredUpTo).count();
        long[] starts = new long[cues.size()];
        int beyondIndex = 0;
        for (int i = 0; i < cues.size(); i++) {
            Cue cue = cues.get(i);
            if (cue.start >= coveredUpTo) {
                beyondIndex++;
                starts[i] = last.timeMillis + (beyondUntil - last.timeMillis) * beyondIndex / (beyond + 1);
            } else {
                starts[i] = lineHolding(lines, cue.start).timeMillis;
            }
        }
        return toCues(cues, strictlyIncreasing(starts, durationMillis), durationMillis);
    }

    /** The cues as a WebVTT file (UTF-8 text). */
    public static String vtt(List<CaptionCue> cues) {
        StringBuilder file = new StringBuilder("WEBVTT\n\n");
        for (CaptionCue cue : cues) {
            file.append(timestamp(cue.startSeconds(), '.'))
                    .append(" --> ")
                    .append(timestamp(cue.endSeconds(), '.'))
                    .append('\n')
                    .append(escapeVtt(cueText(cue)))
                    .append("\n\n");
        }
        return file.toString();
    }

    /** The cues as an SRT file (UTF-8 text). */
    public static String srt(List<CaptionCue> cues) {
        StringBuilder file = new StringBuilder();
        for (int i = 0; i < cues.size(); i++) {
            CaptionCue cue = cues.get(i);
            if (i > 0) {
                file.append('\n');
            }
            // SRT has no escapes: players show "&amp;" literally, so the text goes as it is (only what would end the
            // cue early is changed, in cueText).
            file.append(i + 1)
                    .append('\n')
                    .append(timestamp(cue.startSeconds(), ','))
                    .append(" --> ")
                    .append(timestamp(cue.endSeconds(), ','))
                    .append('\n')
                    .append(cueText(cue))
                    .append('\n');
        }
        return file.toString();
    }

    /** Every run of whitespace (newlines included) as one space, none at either end. */
    static String normalise(String text) {
        if (text == null) {
            return "";
        }
        return WHITESPACE.matcher(text).replaceAll(" ").strip();
    }

    /** A cue as wrapped: its text and where its first character is in the normalised post text. */
    private record Cue(int start, String text) {}

    /** A card line placed in the normalised text: it shows characters [start, end) and appears at timeMillis. */
    private record CardLine(int start, int end, long timeMillis) {}

    private static List<Cue> wrap(String text) {
        List<int[]> lines = new ArrayList<>();
        int lineStart = -1;
        int lineEnd = -1;
        for (int[] atom : atoms(text)) {
            if (lineStart >= 0 && text.codePointCount(lineStart, atom[1]) <= MAX_LINE_CHARS) {
                lineEnd = atom[1];
                continue;
            }
            if (lineStart >= 0) {
                lines.add(new int[] {lineStart, lineEnd});
            }
            lineStart = atom[0];
            lineEnd = atom[1];
        }
        if (lineStart >= 0) {
            lines.add(new int[] {lineStart, lineEnd});
        }
        List<Cue> cues = new ArrayList<>();
        for (int i = 0; i < lines.size(); i += MAX_LINES) {
            List<String> cueLines = new ArrayList<>();
            for (int j = i; j < Math.min(i + MAX_LINES, lines.size()); j++) {
                cueLines.add(text.substring(lines.get(j)[0], lines.get(j)[1]));
            }
            cues.add(new Cue(lines.get(i)[0], String.join("\n", cueLines)));
        }
        return cues;
    }

    /**
     * The pieces a line is made of, as [start, end) of {@code text}: its words, and the words longer than a line
     * cut where line breaking allows (and if need be between graphemes) into pieces of at most a line.
     */
    private static List<int[]> atoms(String text) {
        List<int[]> atoms = new ArrayList<>();
        int wordStart = 0;
        while (wordStart < text.length()) {
            int space = text.indexOf(' ', wordStart);
            int wordEnd = space < 0 ? text.length() : space;
            if (text.codePointCount(wordStart, wordEnd) <= MAX_LINE_CHARS) {
                atoms.add(new int[] {wordStart, wordEnd});
            } else {
                atoms.addAll(breakLongWord(text, wordStart, wordEnd));
            }
            wordStart = wordEnd + 1;
        }
        return atoms;
    }

    private static List<int[]> breakLongWord(String text, int start, int end) {
        List<Integer> graphemeEnds = graphemeEnds(text, start, end);
        BreakIterator lineBreaks = BreakIterator.getLineInstance(Locale.ROOT);
        lineBreaks.setText(text.substring(start, end));
        List<int[]> pieces = new ArrayList<>();
        int pieceStart = start;
        for (int at = lineBreaks.next(); at != BreakIterator.DONE; at = lineBreaks.next()) {
            int breakAt = start + at;
            // A break opportunity inside a grapheme (an emoji sequence, say) is not one.
            if (graphemeEnds.contains(breakAt)) {
                pieces.addAll(cutAtGraphemes(text, pieceStart, breakAt, graphemeEnds));
                pieceStart = breakAt;
            }
        }
        if (pieceStart < end) {
            pieces.addAll(cutAtGraphemes(text, pieceStart, end, graphemeEnds));
        }
        return pieces;
    }

    private static List<int[]> cutAtGraphemes(String text, int start, int end, List<Integer> graphemeEnds) {
        List<int[]> pieces = new ArrayList<>();
        int pieceStart = start;
        int pieceEnd = start;
        for (int graphemeEnd : graphemeEnds) {
            if (graphemeEnd <= start || graphemeEnd > end) {
                continue;
            }
            if (text.codePointCount(pieceStart, graphemeEnd) > MAX_LINE_CHARS) {
                if (pieceEnd > pieceStart) {
                    pieces.add(new int[] {pieceStart, pieceEnd});
                    pieceStart = pieceEnd;
                }
                // One grapheme longer than a line (a pile of combining marks) is cut between code points.
                while (text.codePointCount(pieceStart, graphemeEnd) > MAX_LINE_CHARS) {
                    int cut = text.offsetByCodePoints(pieceStart, MAX_LINE_CHARS);
                    pieces.add(new int[] {pieceStart, cut});
                    pieceStart = cut;
                }
            }
            pieceEnd = graphemeEnd;
        }
        if (pieceEnd > pieceStart) {
            pieces.add(new int[] {pieceStart, pieceEnd});
        }
        return pieces;
    }

    private static List<Integer> graphemeEnds(String text, int start, int end) {
        List<Integer> ends = new ArrayList<>();
        Matcher grapheme = GRAPHEME.matcher(text).region(start, end);
        while (grapheme.find()) {
            ends.add(grapheme.end());
        }
        return ends;
    }

    /**
     * Places the card's lines in the text. A line is found where its text occurs next; a line the text does not
     * hold as it is (cut off with an ellipsis, say) is placed by the part it shares with the text there; one that
     * shares nothing is placed right after the previous line, so a card that matches nothing falls back to
     * positions proportional to the lines' lengths. Lines after the last placed one ("Show more") hold no text.
     */
    private static List<CardLine> align(
            String text, List<String> lineTexts, List<Double> lineTimes, long durationMillis) {
        List<CardLine> placed = new ArrayList<>();
        List<Boolean> found = new ArrayList<>();
        int cursor = 0;
        long previousTime = 0;
        for (int i = 0; i < lineTexts.size(); i++) {
            String line = normalise(lineTexts.get(i));
            if (line.isEmpty()) {
                continue;
            }
            long time = Math.max(previousTime, clamp(Math.round(lineTimes.get(i) * 1000), 0, durationMillis));
            previousTime = time;
            int start = cursor < text.length() && text.charAt(cursor) == ' ' ? cursor + 1 : cursor;
            int exact = text.indexOf(line, start);
            if (exact >= 0 && exact - start <= Math.max(line.length(), 20)) {
                placed.add(new CardLine(exact, exact + line.length(), time));
                found.add(true);
                cursor = exact + line.length();
                continue;
            }
            int shared = commonPrefix(text, start, line);
            if (shared > 0) {
                placed.add(new CardLine(start, start + shared, time));
                found.add(true);
                cursor = start + shared;
                continue;
            }
            int end = Math.min(text.length(), start + line.length());
            placed.add(new CardLine(start, end, time));
            found.add(false);
            cursor = end;
        }
        int lastFound = found.lastIndexOf(true);
        return lastFound < 0 ? placed : placed.subList(0, lastFound + 1);
    }

    private static int commonPrefix(String text, int start, String line) {
        int length = 0;
        while (start + length < text.length()
                && length < line.length()
                && text.charAt(start + length) == line.charAt(length)) {
            length++;
        }
        // Never end inside a surrogate pair.
        if (length > 0 && Character.isHighSurrogate(text.charAt(start + length - 1))) {
            length--;
        }
        return length;
    }

    private static CardLine lineHolding(List<CardLine> lines, int offset) {
        CardLine holding = lines.get(0);
        for (CardLine line : lines) {
            if (line.start <= offset) {
                holding = line;
            }
        }
        return holding;
    }

    /**
     * Starts made strictly increasing and kept before the end: a run of equal starts shares the time up to the next
     * different start (or the end) evenly.
     */
    private static long[] strictlyIncreasing(long[] starts, long durationMillis) {
        long[] result = new long[starts.length];
        for (int i = 0; i < starts.length; i++) {
            result[i] = clamp(i == 0 ? starts[i] : Math.max(starts[i], result[i - 1]), 0, durationMillis - 1);
        }
        int runStart = 0;
        while (runStart < result.length) {
            int runEnd = runStart;
            while (runEnd + 1 < result.length && result[runEnd + 1] == result[runStart]) {
                runEnd++;
            }
            long from = result[runStart];
            long until = runEnd + 1 < result.length ? result[runEnd + 1] : durationMillis;
            int count = runEnd - runStart + 1;
            for (int k = 0; k < count; k++) {
                result[runStart + k] = from + (until - from) * k / count;
            }
            runStart = runEnd + 1;
        }
        // Runs squeezed into less than a millisecond each: push them apart by one (the duration allows it).
        for (int i = result.length - 1; i >= 0; i--) {
            result[i] = Math.min(result[i], (i + 1 < result.length ? result[i + 1] : durationMillis) - 1);
        }
        for (int i = 0; i < result.length; i++) {
            result[i] = Math.max(result[i], i == 0 ? 0 : result[i - 1] + 1);
        }
        return result;
    }

    private static List<CaptionCue> toCues(List<Cue> cues, long[] startMillis, long durationMillis) {
        List<CaptionCue> result = new ArrayList<>();
        for (int i = 0; i < cues.size(); i++) {
            long end = i + 1 < cues.size() ? startMillis[i + 1] : durationMillis;
            result.add(new CaptionCue(startMillis[i] / 1000.0, end / 1000.0, cues.get(i).text));
        }
        return List.copyOf(result);
    }

    private static long durationMillis(double durationSeconds, int cueCount) {
        long millis = Math.round(durationSeconds * 1000);
        if (!(millis >= cueCount)) {
            throw new IllegalArgumentException("a reel of " + durationSeconds + " s cannot hold " + cueCount + " cues");
        }
        return millis;
    }

    private static long clamp(long value, long min, long max) {
        return Math.max(min, Math.min(max, value));
    }

    /** What the file formats cannot carry in a cue: "-->" ends a cue's timing line, a blank line ends the cue. */
    private static String cueText(CaptionCue cue) {
        return cue.text().replace("-->", "\u2192").replaceAll("\n\\s*\n", "\n").strip();
    }

    private static String escapeVtt(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    private static String timestamp(double seconds, char millisSeparator) {
        long millis = Math.round(seconds * 1000);
        return String.format(
                Locale.ROOT,
                "%02d:%02d:%02d%c%03d",
                millis / 3_600_000,
                millis / 60_000 % 60,
                millis / 1000 % 60,
                millisSeparator,
                millis % 1000);
    }
}
