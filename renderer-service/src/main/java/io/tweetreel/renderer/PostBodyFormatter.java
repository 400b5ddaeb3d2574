package io.tweetreel.renderer;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns raw post text into the HTML fragment the template inserts unescaped ({@code {{{bodyHtml}}}}).
 *
 * <p>Safety argument: the raw text is cut into plain runs and entity runs (link, mention, hashtag) first,
 * and every run is HTML-escaped on its own before it is wrapped in one of our fixed {@code <span>} tags.
 * So the only markup in the result is ours; user text is always escaped text. Matching on the raw text
 * (rather than on already-escaped text) also keeps entities such as {@code &#39;} from turning into hashtags.
 */
final class PostBodyFormatter {

    private static final String URL = "(?<url>(?i:https?://|www\\.)[^\\s<>\"'`]+)";
    private static final String MENTION = "(?<mention>(?<![\\p{L}\\p{N}_@])@[A-Za-z0-9_]{1,15}(?![\\p{L}\\p{N}_@]))";
    /** A hashtag needs at least one non-digit, like on X ({@code #1} is not a tag, {@code #1st} is). */
    private static final String HASHTAG =
            "(?<hashtag>(?<![\\p{L}\\p{N}_&])[#\\uFF03][\\p{L}\\p{M}\\p{N}_]*[\\p{L}\\p{M}_][\\p{L}\\p{M}\\p{N}_]*)";

    private static final Pattern ENTITY = Pattern.compile(URL + "|" + MENTION + "|" + HASHTAG);
    private static final Pattern TRAILING_URL_PUNCTUATION = Pattern.compile("[.,;:!?'\")\\]}]+$");
    /** X truncates long link text; doing the same keeps one pasted URL from dominating the card. */
    private static final int MAX_LINK_DISPLAY_CODE_POINTS = 32;

    private PostBodyFormatter() {}

    static String toHtml(String rawBody) {
        String text = normalize(rawBody);
        StringBuilder html = new StringBuilder(text.length() + 64);
        // Transparent bounds: after a trimmed URL the search resumes mid-text, and the lookbehinds must still see what
        // precedes.
        Matcher matcher = ENTITY.matcher(text).useTransparentBounds(true);
        int plainStart = 0;
        while (matcher.find()) {
            int start = matcher.start();
            int end = matcher.end();
            String kind;
            String entity = matcher.group();
            if (matcher.group("url") != null) {
                kind = "link";
                entity = trimUrl(entity);
                if (start + entity.length() < end) {
                    end = start + entity.length();
                    matcher.region(end, text.length());
                }
            } else if (matcher.group("mention") != null) {
                kind = "mention";
            } else {
                kind = "hashtag";
            }
            appendPlain(html, text.substring(plainStart, start));
            String display = kind.equals("link") ? linkDisplayText(entity) : entity;
            html.append("<span class=\"hl ").append(kind).append("\">");
            appendEscaped(html, display);
            html.append("</span>");
            plainStart = end;
        }
        appendPlain(html, text.substring(plainStart));
        return html.toString();
    }

    /** Unifies line endings, drops control characters and caps blank-line runs so spacing cannot eat the card. */
    static String normalize(String rawBody) {
        String text = rawBody.replace("\r\n", "\n").replace('\r', '\n');
        StringBuilder cleaned = new StringBuilder(text.length());
        text.codePoints()
                .filter(cp -> cp == '\n' || cp == '\t' || !Character.isISOControl(cp))
                .forEach(cleaned::appendCodePoint);
        return cleaned.toString().replaceAll("\n[ \t]*\n(?:[ \t]*\n)+", "\n\n").strip();
    }

    private static String trimUrl(String url) {
        String trimmed = TRAILING_URL_PUNCTUATION.matcher(url).replaceFirst("");
        // Keep a closing parenthesis that belongs to the URL (Wikipedia style), drop one that closes the sentence.
        int open = (int) url.chars().filter(c -> c == '(').count();
        int closeKept = (int) trimmed.chars().filter(c -> c == ')').count();
        StringBuilder result = new StringBuilder(trimmed);
        int position = trimmed.length();
        while (closeKept < open && position < url.length() && url.charAt(position) == ')') {
            result.append(')');
            closeKept++;
            position++;
        }
        return result.toString();
    }

    private static String linkDisplayText(String url) {
        String display = url.replaceFirst("(?i)^https?://", "").replaceFirst("(?i)^www\\.", "");
        if (display.codePointCount(0, display.length()) > MAX_LINK_DISPLAY_CODE_POINTS) {
            int cut = display.offsetByCodePoints(0, MAX_LINK_DISPLAY_CODE_POINTS - 1);
            display = display.substring(0, cut) + "\u2026";
        }
        return display;
    }

    private static void appendPlain(StringBuilder html, String plain) {
        int lineStart = 0;
        int newline;
        while ((newline = plain.indexOf('\n', lineStart)) >= 0) {
            appendEscaped(html, plain.substring(lineStart, newline));
            html.append("<br>");
            lineStart = newline + 1;
        }
        appendEscaped(html, plain.substring(lineStart));
    }

    static void appendEscaped(StringBuilder html, String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> html.append("&amp;");
                case '<' -> html.append("&lt;");
                case '>' -> html.append("&gt;");
                case '"' -> html.append("&quot;");
                case '\'' -> html.append("&#39;");
                case '`' -> html.append("&#96;");
                default -> html.append(c);
            }
        }
    }
}
