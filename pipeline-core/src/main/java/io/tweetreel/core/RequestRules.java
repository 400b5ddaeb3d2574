package io.tweetreel.core;

import io.tweetreel.schemas.Animation;
import io.tweetreel.schemas.MediaItem;
import io.tweetreel.schemas.MusicChoice;
import io.tweetreel.schemas.PostMetrics;
import io.tweetreel.schemas.QuotedPost;
import io.tweetreel.schemas.ReelFormat;
import io.tweetreel.schemas.Theme;
import io.tweetreel.schemas.VerifiedBadge;
import io.tweetreel.schemas.VideoRequested;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The job model's rules for the values of a request, wherever it enters: the gateway applies them field by field to
 * a JSON body once its types are right, the renderer applies {@link #check} to a record that arrived straight on
 * {@code videos.requested}. Field names, limits and messages live only here, so a bad value gets the same message
 * over HTTP (a 400 field error) and on Kafka (a failed job with {@code INVALID_REQUEST}).
 *
 * <p>Where the model is silent: lengths count Unicode code points (an emoji is one character) and text must be
 * well-formed Unicode; {@code tweetBody} keeps its whitespace and line breaks but may not be blank or contain other
 * control characters; {@code profileName} is trimmed and may contain no control characters; a photo or webhook URL
 * is trimmed, blank counts as absent, and it must be http(s) with a host and without a user name or password.
 * {@code metadata} is checked key by key: a bad value is reported as the field {@code metadata.<key>} (its key is
 * valid, so it can be named); a bad key or too many keys as {@code metadata} (a bad key is not echoed back).
 *
 * <p>The card's fields (v5), all optional:
 * <ul>
 *   <li>{@code media}: at most 4 items; each {@code url} is required and follows the photo URL's rules, each
 *       {@code alt} is at most 1000 characters without control characters (blank counts as absent); a bad item is
 *       reported as {@code media[i].url} or {@code media[i].alt}, {@code i} counting from 0;</li>
 *   <li>{@code quote}: its {@code tweetBody}, {@code profileName}, {@code username} and {@code profilePhotoUrl}
 *       follow the top-level fields' rules, reported as {@code quote.<field>}; {@code quote.media} holds at most
 *       1 item ({@code quote.media[0].url} ...);</li>
 *   <li>{@code verified} and {@code quote.verified}: {@code none}, {@code blue}, {@code gold} or {@code grey};</li>
 *   <li>{@code postedAt}: from {@link #POSTED_AT_MIN} (the first post on the site) to one day after now, the day
 *       allowing for clocks and time zones that disagree;</li>
 *   <li>{@code timeZone}: what {@link ZoneId#of} accepts: an IANA region such as {@code Europe/Paris}, {@code UTC},
 *       or a fixed offset such as {@code +02:00} (a card can state either); blank counts as absent;</li>
 *   <li>{@code locale}: a well-formed BCP 47 tag with a language, at most 35 characters, such as {@code de-DE};
 *       {@link #normalized} writes it in its canonical case; blank counts as absent;</li>
 *   <li>{@code metrics}: each count absent or a whole number from 0 to 10^15, reported as
 *       {@code metrics.<count>};</li>
 *   <li>{@code replyTo}: a handle like {@code username} (a leading @ is stripped); blank counts as absent;</li>
 *   <li>{@code accentColor}: {@code #RRGGBB}, written in lower case by {@link #normalized} (as CSS writes it);
 *       blank counts as absent;</li>
 *   <li>{@code formats}: at most 4 distinct labels of {@link ReelFormat}; a bad label is reported as
 *       {@code formats[i]}. On Kafka an empty list means {@code [9:16]} (a record written before formats
 *       existed); over HTTP a {@code formats} that is present must list at least one.</li>
 * </ul>
 *
 * <p>Motion and sound (v6), all optional:
 * <ul>
 *   <li>{@code animation}: {@code none} (default) or {@code reveal};</li>
 *   <li>{@code zoom}: a boolean (any value a record can carry is valid);</li>
 *   <li>{@code audioUrl}: follows the photo URL's rules (trimmed, blank counts as absent, http(s) with a host, no
 *       user name or password, at most {@value #AUDIO_URL_MAX} characters);</li>
 *   <li>{@code music}: one of {@link MusicChoice#labels()}, case-sensitive; absent means {@code default}. A request
 *       that gives both {@code music} and {@code audioUrl} is refused on {@code music}: they name two different
 *       tracks.</li>
 * </ul>
 * A record's {@code durationSeconds} of 0 leaves the length to the pipeline; over HTTP an absent
 * {@code durationSeconds} becomes that 0.
 */
public final class RequestRules {
    public static final String TWEET_BODY = "tweetBody";
    public static final String PROFILE_PHOTO_URL = "profilePhotoUrl";
    public static final String PROFILE_NAME = "profileName";
    public static final String USERNAME = "username";
    public static final String THEME = "theme";
    public static final String DURATION_SECONDS = "durationSeconds";
    public static final String WEBHOOK_URL = "webhookUrl";
    public static final String METADATA = "metadata";
    public static final String VERIFIED = "verified";
    public static final String MEDIA = "media";
    public static final String QUOTE = "quote";
    public static final String POSTED_AT = "postedAt";
    public static final String TIME_ZONE = "timeZone";
    public static final String LOCALE = "locale";
    public static final String METRICS = "metrics";
    public static final String REPLY_TO = "replyTo";
    public static final String ACCENT_COLOR = "accentColor";
    public static final String FORMATS = "formats";
    public static final String ANIMATION = "animation";
    public static final String ZOOM = "zoom";
    public static final String AUDIO_URL = "audioUrl";
    public static final String MUSIC = "music";
    /** Members of a media item, a quote and the metrics, as they appear in field paths. */
    public static final String MEDIA_URL = "url";

    public static final String MEDIA_ALT = "alt";
    public static final List<String> METRIC_COUNTS = List.of("replies", "reposts", "likes", "views", "bookmarks");

    public static final int TWEET_BODY_MAX = 2000;
    public static final int PROFILE_NAME_MAX = 50;
    public static final int PHOTO_URL_MAX = 2048;
    public static final int WEBHOOK_URL_MAX = 2048;
    public static final int AUDIO_URL_MAX = 2048;
    public static final int METADATA_MAX_KEYS = 16;
    public static final int METADATA_VALUE_MAX = 500;
    public static final Pattern METADATA_KEY = Pattern.compile("^[A-Za-z0-9_.-]{1,40}$");
    /**
     * The failure code of a job whose record breaks these rules: the gateway answers 400 instead, but a record
     * published straight to Kafka reaches the stages, which fail the job with this code and the same messages.
     */
    public static final String INVALID_REQUEST = "INVALID_REQUEST";

    public static final int DURATION_MIN = 3;
    public static final int DURATION_MAX = 30;
    /** v6: a record's durationSeconds of 0 leaves the length to the pipeline (RevealTimeline.durationSeconds). */
    public static final int DURATION_CHOSEN_BY_PIPELINE = 0;

    public static final Theme THEME_DEFAULT = Theme.dark;
    /** A handle without its leading {@code @}. */
    public static final Pattern HANDLE = Pattern.compile("^[A-Za-z0-9_]{1,15}$");

    public static final int MEDIA_MAX = 4;
    public static final int QUOTE_MEDIA_MAX = 1;
    public static final int MEDIA_URL_MAX = 2048;
    public static final int MEDIA_ALT_MAX = 1000;
    /** The day the first post was published: nothing on the site is older. */
    public static final Instant POSTED_AT_MIN = Instant.parse("2006-03-21T00:00:00Z");
    /** How far after now a post may claim to be published (clocks and zones disagree, not by a day). */
    public static final Duration POSTED_AT_AHEAD_MAX = Duration.ofDays(1);

    public static final int TIME_ZONE_MAX = 64;
    public static final int LOCALE_MAX = 35;
    public static final long METRIC_MAX = 1_000_000_000_000_000L;
    public static final Pattern ACCENT_COLOR_PATTERN = Pattern.compile("^#[0-9A-Fa-f]{6}$");
    private static final Pattern LANGUAGE_TAG = Pattern.compile("^[A-Za-z0-9]+(-[A-Za-z0-9]+)*$");

    private RequestRules() {}

    /** One problem with one field; {@code toString} is how a failed job states it. */
    public record Violation(String field, String message) {
        @Override
        public String toString() {
            return field + " " + message;
        }
    }

    /** Every problem of a request as it arrives (before {@link #normalized}), one per bad field, in field order. */
    public static List<Violation> check(VideoRequested request) {
        return check(request, Clock.systemUTC());
    }

    /** {@link #check(VideoRequested)} with {@code clock} saying when now is (for {@code postedAt}). */
    public static List<Violation> check(VideoRequested request, Clock clock) {
        List<Violation> problems = new ArrayList<>();
        checkTweetBody(request.getTweetBody()).ifPresent(problems::add);
        checkProfilePhotoUrl(profilePhotoUrl(request.getProfilePhotoUrl())).ifPresent(problems::add);
        checkProfileName(profileName(request.getProfileName())).ifPresent(problems::add);
        checkUsername(handle(request.getUsername())).ifPresent(problems::add);
        checkTheme(request.getTheme() == null ? null : request.getTheme().name())
                .ifPresent(problems::add);
        if (request.getDurationSeconds() != DURATION_CHOSEN_BY_PIPELINE) {
            checkDurationSeconds(request.getDurationSeconds()).ifPresent(problems::add);
        }
        checkWebhookUrl(webhookUrl(request.getWebhookUrl())).ifPresent(problems::add);
        problems.addAll(checkMetadata(request.getMetadata()));
        checkVerified(
                        VERIFIED,
                        request.getVerified() == null
                                ? null
                                : request.getVerified().name())
                .ifPresent(problems::add);
        problems.addAll(checkMedia(MEDIA, request.getMedia(), MEDIA_MAX));
        problems.addAll(checkQuote(request.getQuote()));
        if (request.getPostedAt() != null) {
            checkPostedAt(request.getPostedAt(), clock.instant()).ifPresent(problems::add);
        }
        checkTimeZone(blankIsAbsent(request.getTimeZone())).ifPresent(problems::add);
        checkLocale(blankIsAbsent(request.getLocale())).ifPresent(problems::add);
        problems.addAll(checkMetrics(request.getMetrics()));
        checkReplyTo(replyTo(request.getReplyTo())).ifPresent(problems::add);
        checkAccentColor(blankIsAbsent(request.getAccentColor())).ifPresent(problems::add);
        problems.addAll(checkFormats(request.getFormats()));
        checkAnimation(
                        request.getAnimation() == null
                                ? null
                                : request.getAnimation().name())
                .ifPresent(problems::add);
        checkAudioUrl(audioUrl(request.getAudioUrl())).ifPresent(problems::add);
        checkMusic(request.getMusic(), audioUrl(request.getAudioUrl())).ifPresent(problems::add);
        return problems;
    }

    /**
     * A request that passed {@link #check}, as the stages use it: trimmed names, URLs, alt texts, zone, locale and
     * colour (blank ones absent), handles without @, the locale in canonical case and the colour in lower case;
     * the same for the quote.
     */
    public static VideoRequested normalized(VideoRequested request) {
        return VideoRequested.newBuilder(request)
                .setProfilePhotoUrl(profilePhotoUrl(request.getProfilePhotoUrl()))
                .setWebhookUrl(webhookUrl(request.getWebhookUrl()))
                .setProfileName(profileName(request.getProfileName()))
                .setUsername(handle(request.getUsername()))
                .setMedia(normalizedMedia(request.getMedia()))
                .setQuote(normalizedQuote(request.getQuote()))
                .setTimeZone(blankIsAbsent(request.getTimeZone()))
                .setLocale(locale(request.getLocale()))
                .setReplyTo(replyTo(request.getReplyTo()))
                .setAccentColor(accentColor(request.getAccentColor()))
                .setAudioUrl(audioUrl(request.getAudioUrl()))
                .build();
    }

    /** Images as {@link #normalized} leaves them: URLs trimmed, blank alt texts absent. */
    public static List<MediaItem> normalizedMedia(List<MediaItem> media) {
        if (media == null) {
            return new ArrayList<>();
        }
        return media.stream()
                .map(item -> MediaItem.newBuilder()
                        .setUrl(mediaUrl(item.getUrl()))
                        .setAlt(blankIsAbsent(item.getAlt()))
                        .build())
                .collect(Collectors.toCollection(ArrayList::new));
    }

    /** A quoted post as {@link #normalized} leaves it: its name, handle, photo URL and images like the post's. */
    public static QuotedPost normalizedQuote(QuotedPost quote) {
        if (quote == null) {
            return null;
        }
        return QuotedPost.newBuilder(quote)
                .setProfileName(profileName(quote.getProfileName()))
                .setUsername(handle(quote.getUsername()))
                .setProfilePhotoUrl(profilePhotoUrl(quote.getProfilePhotoUrl()))
                .setMedia(normalizedMedia(quote.getMedia()))
                .build();
    }

    /** A text without surrounding whitespace, or null when there is none (absent or blank). */
    public static String blankIsAbsent(String text) {
        return text == null || text.isBlank() ? null : text.strip();
    }

    /** A media item's URL without surrounding whitespace; blank stays empty (the URL is required, so refused). */
    public static String mediaUrl(String url) {
        return url == null ? null : url.strip();
    }

    /** The handle replied to, without surrounding whitespace and one leading @; null when blank. */
    public static String replyTo(String handle) {
        return handle(blankIsAbsent(handle));
    }

    /** A valid locale in its canonical form ({@code de-de} becomes {@code de-DE}); null when blank. */
    public static String locale(String tag) {
        String stripped = blankIsAbsent(tag);
        return stripped == null ? null : Locale.forLanguageTag(stripped).toLanguageTag();
    }

    /** A colour as CSS writes it: lower case; null when blank. */
    public static String accentColor(String color) {
        String stripped = blankIsAbsent(color);
        return stripped == null ? null : stripped.toLowerCase(Locale.ROOT);
    }

    /** The handle without one leading {@code @}. */
    public static String handle(String username) {
        return username != null && username.startsWith("@") ? username.substring(1) : username;
    }

    /** The display name as shown: without surrounding whitespace. */
    public static String profileName(String name) {
        return name == null ? null : name.strip();
    }

    /** The photo URL without surrounding whitespace, or null when there is none (absent or blank). */
    public static String profilePhotoUrl(String url) {
        return url == null || url.isBlank() ? null : url.strip();
    }

    /** The audio URL without surrounding whitespace, or null when there is none (absent or blank). */
    public static String audioUrl(String url) {
        return blankIsAbsent(url);
    }

    /** The webhook URL without surrounding whitespace, or null when there is none (absent or blank). */
    public static String webhookUrl(String url) {
        return url == null || url.isBlank() ? null : url.strip();
    }

    public static Optional<Violation> checkTweetBody(String body) {
        return checkTweetBody(TWEET_BODY, body);
    }

    /** The tweet body's rules for a field of that kind ({@code tweetBody}, {@code quote.tweetBody}). */
    public static Optional<Violation> checkTweetBody(String field, String body) {
        if (body == null) {
            return required(field);
        }
        if (!wellFormed(body)) {
            return notUnicode(field);
        }
        if (body.isBlank()) {
            return violation(field, "must not be empty");
        }
        int length = body.codePointCount(0, body.length());
        if (length > TWEET_BODY_MAX) {
            return tooLong(field, TWEET_BODY_MAX, length);
        }
        if (body.chars().anyMatch(c -> Character.isISOControl(c) && c != '\n' && c != '\r' && c != '\t')) {
            return violation(field, "must not contain control characters");
        }
        return Optional.empty();
    }

    /** Checks a name as {@link #profileName} leaves it. */
    public static Optional<Violation> checkProfileName(String name) {
        return checkProfileName(PROFILE_NAME, name);
    }

    /** The display name's rules for a field of that kind ({@code profileName}, {@code quote.profileName}). */
    public static Optional<Violation> checkProfileName(String field, String name) {
        if (name == null) {
            return required(field);
        }
        if (name.isEmpty()) {
            return violation(field, "must not be empty");
        }
        return checkLine(field, name, PROFILE_NAME_MAX);
    }

    /** Checks a handle as {@link #handle} leaves it. */
    public static Optional<Violation> checkUsername(String handle) {
        return checkUsername(USERNAME, handle);
    }

    /** The handle's rules for a field of that kind ({@code username}, {@code quote.username}). */
    public static Optional<Violation> checkUsername(String field, String handle) {
        if (handle == null) {
            return required(field);
        }
        if (handle.isEmpty()) {
            return violation(field, "must not be empty");
        }
        if (!HANDLE.matcher(handle).matches()) {
            return violation(field, "must be 1 to 15 letters, digits or underscores (a leading @ is allowed)");
        }
        return Optional.empty();
    }

    /** Checks a handle as {@link #replyTo} leaves it; null (not a reply) is fine. */
    public static Optional<Violation> checkReplyTo(String handle) {
        return handle == null ? Optional.empty() : checkUsername(REPLY_TO, handle);
    }

    /** Checks a URL as {@link #profilePhotoUrl} leaves it; null (no photo) is fine. */
    public static Optional<Violation> checkProfilePhotoUrl(String url) {
        return checkProfilePhotoUrl(PROFILE_PHOTO_URL, url);
    }

    /** The photo URL's rules for a field of that kind ({@code profilePhotoUrl}, {@code quote.profilePhotoUrl}). */
    public static Optional<Violation> checkProfilePhotoUrl(String field, String url) {
        return checkHttpUrl(field, url, PHOTO_URL_MAX);
    }

    /** A one-line text (no control characters, well-formed, at most {@code max} code points); null is fine. */
    private static Optional<Violation> checkLine(String field, String text, int max) {
        if (text == null) {
            return Optional.empty();
        }
        if (!wellFormed(text)) {
            return notUnicode(field);
        }
        int length = text.codePointCount(0, text.length());
        if (length > max) {
            return tooLong(field, max, length);
        }
        if (text.chars().anyMatch(Character::isISOControl)) {
            return violation(field, "must not contain control characters");
        }
        return Optional.empty();
    }

    /** The field of a list's item: {@code media[2]}. */
    public static String itemField(String listField, int index) {
        return listField + "[" + index + "]";
    }

    /** The field of a member of an object: {@code quote.username}, {@code media[0].url}. */
    public static String memberField(String objectField, String member) {
        return objectField + "." + member;
    }

    /** A list with more items than it may have. */
    public static Violation tooManyItems(String field, int max, int size) {
        return new Violation(
                field, "must have at most " + max + (max == 1 ? " item" : " items") + " (it has " + size + ")");
    }

    /**
     * Problems of a list of media items ({@code media} or {@code quote.media}, null or empty is fine): too many
     * items, then each item's URL (required, the photo URL's rules) and alt text, as {@code field[i].url} and
     * {@code field[i].alt}.
     */
    public static List<Violation> checkMedia(String field, List<MediaItem> media, int max) {
        if (media == null || media.isEmpty()) {
            return List.of();
        }
        List<Violation> problems = new ArrayList<>();
        if (media.size() > max) {
            problems.add(tooManyItems(field, max, media.size()));
        }
        for (int i = 0; i < media.size(); i++) {
            MediaItem item = media.get(i);
            String itemField = itemField(field, i);
            if (item == null) {
                problems.add(new Violation(itemField, "must be an object with a url"));
                continue;
            }
            checkMediaUrl(memberField(itemField, MEDIA_URL), mediaUrl(item.getUrl()))
                    .ifPresent(problems::add);
            checkMediaAlt(memberField(itemField, MEDIA_ALT), blankIsAbsent(item.getAlt()))
                    .ifPresent(problems::add);
        }
        return problems;
    }

    /** Checks an image URL as {@link #mediaUrl} leaves it: required, then the photo URL's rules. */
    public static Optional<Violation> checkMediaUrl(String field, String url) {
        if (url == null || url.isEmpty()) {
            return required(field);
        }
        return checkHttpUrl(field, url, MEDIA_URL_MAX);
    }

    /** Checks an alt text as {@link #blankIsAbsent} leaves it; null (no alt text) is fine. */
    public static Optional<Violation> checkMediaAlt(String field, String alt) {
        return checkLine(field, alt, MEDIA_ALT_MAX);
    }

    /** Problems of the quoted post (null is fine), each under {@code quote.<field>}. */
    public static List<Violation> checkQuote(QuotedPost quote) {
        if (quote == null) {
            return List.of();
        }
        List<Violation> problems = new ArrayList<>();
        checkTweetBody(memberField(QUOTE, TWEET_BODY), quote.getTweetBody()).ifPresent(problems::add);
        checkProfileName(memberField(QUOTE, PROFILE_NAME), profileName(quote.getProfileName()))
                .ifPresent(problems::add);
        checkUsername(memberField(QUOTE, USERNAME), handle(quote.getUsername())).ifPresent(problems::add);
        checkProfilePhotoUrl(memberField(QUOTE, PROFILE_PHOTO_URL), profilePhotoUrl(quote.getProfilePhotoUrl()))
                .ifPresent(problems::add);
        checkVerified(
                        memberField(QUOTE, VERIFIED),
                        quote.getVerified() == null ? null : quote.getVerified().name())
                .ifPresent(problems::add);
        problems.addAll(checkMedia(memberField(QUOTE, MEDIA), quote.getMedia(), QUOTE_MEDIA_MAX));
        return problems;
    }

    /** The badge with exactly this name (case matters), if there is one. */
    public static Optional<VerifiedBadge> verified(String name) {
        return Arrays.stream(VerifiedBadge.values())
                .filter(b -> b.name().equals(name))
                .findFirst();
    }

    /** Checks a badge's name ({@code verified}, {@code quote.verified}); null (not a name at all) is refused. */
    public static Optional<Violation> checkVerified(String field, String name) {
        if (verified(name).isPresent()) {
            return Optional.empty();
        }
        return violation(
                field, "must be " + oneOf(Arrays.stream(VerifiedBadge.values()).map(Enum::name)));
    }

    /**
     * The instant a JSON request states: ISO-8601 with {@code Z} or an offset ({@code 2026-12-01T15:04:05Z},
     * {@code 2026-12-01T16:04:05+01:00}); empty when it is not one.
     */
    public static Optional<Instant> parseInstant(String text) {
        try {
            return Optional.of(OffsetDateTime.parse(text.strip()).toInstant());
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    /** A {@code postedAt} that is not an ISO-8601 instant (JSON only: on Kafka it is a timestamp). */
    public static Violation notAnInstant() {
        return new Violation(POSTED_AT, "must be an ISO-8601 instant such as 2026-12-01T15:04:05Z");
    }

    /** Checks when a post was published, against {@code now}. */
    public static Optional<Violation> checkPostedAt(Instant postedAt, Instant now) {
        if (postedAt.isBefore(POSTED_AT_MIN) || postedAt.isAfter(now.plus(POSTED_AT_AHEAD_MAX))) {
            return violation(POSTED_AT, "must be from " + POSTED_AT_MIN + " to 1 day from now");
        }
        return Optional.empty();
    }

    /** Checks a time zone as {@link #blankIsAbsent} leaves it; null (UTC) is fine. */
    public static Optional<Violation> checkTimeZone(String zone) {
        if (zone == null) {
            return Optional.empty();
        }
        if (zone.length() <= TIME_ZONE_MAX) {
            try {
                ZoneId.of(zone);
                return Optional.empty();
            } catch (DateTimeException e) {
                // not a zone: the message below
            }
        }
        return violation(
                TIME_ZONE, "must be an IANA time zone such as Europe/Paris, or UTC or an offset such as +02:00");
    }

    /** Checks a locale as {@link #blankIsAbsent} leaves it; null (en) is fine. */
    public static Optional<Violation> checkLocale(String tag) {
        if (tag == null) {
            return Optional.empty();
        }
        if (tag.length() <= LOCALE_MAX && LANGUAGE_TAG.matcher(tag).matches()) {
            Locale locale = Locale.forLanguageTag(tag);
            // forLanguageTag drops what is not well-formed BCP 47, so a tag that does not come back whole is not one
            if (!locale.getLanguage().isEmpty() && locale.toLanguageTag().equalsIgnoreCase(tag)) {
                return Optional.empty();
            }
        }
        return violation(
                LOCALE, "must be a BCP 47 language tag of at most " + LOCALE_MAX + " characters such as de-DE");
    }

    /** The field a count is reported under: {@code metrics.likes}. */
    public static String metricField(String count) {
        return memberField(METRICS, count);
    }

    /** A count that is out of range (or, in JSON, not a whole number). */
    public static Violation badMetric(String count) {
        return new Violation(metricField(count), "must be a whole number from 0 to " + METRIC_MAX);
    }

    /** Problems of the counts (null is fine), one per bad count in {@link #METRIC_COUNTS} order. */
    public static List<Violation> checkMetrics(PostMetrics metrics) {
        if (metrics == null) {
            return List.of();
        }
        List<Violation> problems = new ArrayList<>();
        for (String count : METRIC_COUNTS) {
            checkMetric(count, (Long) metrics.get(count)).ifPresent(problems::add);
        }
        return problems;
    }

    /** Checks one count; null (not shown) is fine. */
    public static Optional<Violation> checkMetric(String count, Long value) {
        if (value == null || (value >= 0 && value <= METRIC_MAX)) {
            return Optional.empty();
        }
        return Optional.of(badMetric(count));
    }

    /** Checks a colour as {@link #blankIsAbsent} leaves it; null (the theme's own) is fine. */
    public static Optional<Violation> checkAccentColor(String color) {
        if (color == null || ACCENT_COLOR_PATTERN.matcher(color).matches()) {
            return Optional.empty();
        }
        return violation(ACCENT_COLOR, "must be a colour written #RRGGBB, such as #1d9bf0");
    }

    /** A {@code formats} that is present but empty: allowed on Kafka (it means 9:16), refused over HTTP. */
    public static Violation noFormats() {
        return new Violation(FORMATS, "must list 1 to " + ReelFormat.MAX_PER_JOB + " formats");
    }

    /** A label that is not a format, reported as {@code formats[i]}. */
    public static Violation unknownFormat(int index) {
        return new Violation(itemField(FORMATS, index), "must be " + oneOf(ReelFormat.labels().stream()));
    }

    /**
     * Problems of the formats (null or empty is fine: 9:16): too many, then each label that is not a format, then
     * one problem for repeated ones.
     */
    public static List<Violation> checkFormats(List<String> formats) {
        if (formats == null || formats.isEmpty()) {
            return List.of();
        }
        List<Violation> problems = new ArrayList<>();
        if (formats.size() > ReelFormat.MAX_PER_JOB) {
            problems.add(new Violation(
                    FORMATS, "must list 1 to " + ReelFormat.MAX_PER_JOB + " formats (it has " + formats.size() + ")"));
        }
        Set<String> seen = new HashSet<>();
        List<String> repeated = new ArrayList<>();
        for (int i = 0; i < formats.size(); i++) {
            String label = formats.get(i);
            if (ReelFormat.ofLabel(label).isEmpty()) {
                problems.add(unknownFormat(i));
            } else if (!seen.add(label) && !repeated.contains(label)) {
                repeated.add(label);
            }
        }
        if (!repeated.isEmpty()) {
            problems.add(new Violation(FORMATS, "must not repeat a format (" + String.join(", ", repeated) + ")"));
        }
        return problems;
    }

    /** The animation with exactly this name (case matters), if there is one. */
    public static Optional<Animation> animation(String name) {
        return Arrays.stream(Animation.values())
                .filter(a -> a.name().equals(name))
                .findFirst();
    }

    /** Checks an animation's name; null (not a name at all) is refused. */
    public static Optional<Violation> checkAnimation(String name) {
        if (animation(name).isPresent()) {
            return Optional.empty();
        }
        return violation(
                ANIMATION, "must be " + oneOf(Arrays.stream(Animation.values()).map(Enum::name)));
    }

    /** Checks a URL as {@link #audioUrl} leaves it; null (a bundled track) is fine. */
    public static Optional<Violation> checkAudioUrl(String url) {
        return checkHttpUrl(AUDIO_URL, url, AUDIO_URL_MAX);
    }

    /**
     * Checks a music name (null is {@code default}, fine) together with the audio URL as {@link #audioUrl} leaves
     * it: a name that is not a track, or any name next to an audio URL, is a problem of {@code music}.
     */
    public static Optional<Violation> checkMusic(String name, String audioUrl) {
        if (MusicChoice.of(name).isEmpty()) {
            return Optional.of(unknownMusic());
        }
        if (name != null && audioUrl != null) {
            return violation(MUSIC, "give either music or audioUrl, not both");
        }
        return Optional.empty();
    }

    /** A {@code music} that names no track (in JSON, also a value that is not a string). */
    public static Violation unknownMusic() {
        return new Violation(MUSIC, "must be " + oneOf(MusicChoice.labels().stream()));
    }

    /** Checks a URL as {@link #webhookUrl} leaves it; null (no webhook) is fine. */
    public static Optional<Violation> checkWebhookUrl(String url) {
        return checkHttpUrl(WEBHOOK_URL, url, WEBHOOK_URL_MAX);
    }

    private static Optional<Violation> checkHttpUrl(String field, String url, int max) {
        if (url == null) {
            return Optional.empty();
        }
        if (!wellFormed(url)) {
            return notUnicode(field);
        }
        if (url.codePointCount(0, url.length()) > max) {
            return violation(field, "must be at most " + max + " characters");
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            return violation(field, "must be a valid URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            return violation(field, "must be an http:// or https:// URL");
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            return violation(field, "must be an absolute URL with a host");
        }
        if (uri.getRawUserInfo() != null) {
            return violation(field, "must not contain a user name or password");
        }
        return Optional.empty();
    }

    /** The field a metadata value is reported under; only for a key that passed {@link #METADATA_KEY}. */
    public static String metadataField(String key) {
        return METADATA + "." + key;
    }

    /**
     * Problems of the metadata map (null or empty is fine): too many keys, bad keys (one problem for all of them,
     * without echoing them), then one problem per bad value under {@link #metadataField}, in key order.
     */
    public static List<Violation> checkMetadata(Map<String, String> metadata) {
        if (metadata == null || metadata.isEmpty()) {
            return List.of();
        }
        List<Violation> problems = new ArrayList<>();
        if (metadata.size() > METADATA_MAX_KEYS) {
            problems.add(new Violation(
                    METADATA, "must have at most " + METADATA_MAX_KEYS + " keys (it has " + metadata.size() + ")"));
        }
        if (!metadata.keySet().stream().allMatch(RequestRules::isMetadataKey)) {
            problems.add(badMetadataKey());
        }
        metadata.keySet().stream()
                .filter(RequestRules::isMetadataKey)
                .sorted()
                .forEach(key -> checkMetadataValue(key, metadata.get(key)).ifPresent(problems::add));
        return problems;
    }

    public static boolean isMetadataKey(String key) {
        return key != null && METADATA_KEY.matcher(key).matches();
    }

    /** One problem for every key that does not match {@link #METADATA_KEY}. */
    public static Violation badMetadataKey() {
        return new Violation(METADATA, "keys must be 1 to 40 letters, digits, '_', '.' or '-'");
    }

    /** Checks the value of a valid key; reported as {@code metadata.<key>}. */
    public static Optional<Violation> checkMetadataValue(String key, String value) {
        String field = metadataField(key);
        if (value == null) {
            return violation(field, "must be a string");
        }
        if (!wellFormed(value)) {
            return notUnicode(field);
        }
        int length = value.codePointCount(0, value.length());
        if (length > METADATA_VALUE_MAX) {
            return tooLong(field, METADATA_VALUE_MAX, length);
        }
        if (value.chars().anyMatch(Character::isISOControl)) {
            return violation(field, "must not contain control characters");
        }
        return Optional.empty();
    }

    /** The theme with exactly this name (case matters), if there is one. */
    public static Optional<Theme> theme(String name) {
        return Arrays.stream(Theme.values()).filter(t -> t.name().equals(name)).findFirst();
    }

    /** Checks a theme's name; null (not a name at all) is refused. */
    public static Optional<Violation> checkTheme(String name) {
        if (theme(name).isPresent()) {
            return Optional.empty();
        }
        return violation(THEME, "must be " + oneOf(Arrays.stream(Theme.values()).map(Enum::name)));
    }

    /** {@code "a", "b" or "c"}. */
    private static String oneOf(java.util.stream.Stream<String> names) {
        List<String> quoted = names.map(n -> "\"" + n + "\"").toList();
        return String.join(", ", quoted.subList(0, quoted.size() - 1)) + " or " + quoted.get(quoted.size() - 1);
    }

    public static Optional<Violation> checkDurationSeconds(long seconds) {
        if (seconds < DURATION_MIN || seconds > DURATION_MAX) {
            return violation(DURATION_SECONDS, "must be from " + DURATION_MIN + " to " + DURATION_MAX + " seconds");
        }
        return Optional.empty();
    }

    /** How a failed job states the problems: the same field and message a 400 lists, joined by "; ". */
    public static String describe(List<Violation> problems) {
        return "Invalid request: " + problems.stream().map(Violation::toString).collect(Collectors.joining("; "));
    }

    /** False for unpaired surrogates (a JSON "\ud800" escape), which have no UTF-8 encoding. */
    private static boolean wellFormed(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.isHighSurrogate(c)
                    && i + 1 < value.length()
                    && Character.isLowSurrogate(value.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return false;
            }
        }
        return true;
    }

    private static Optional<Violation> violation(String field, String message) {
        return Optional.of(new Violation(field, message));
    }

    /** A required field without a value (absent, or JSON null). */
    public static Violation missing(String field) {
        return new Violation(field, "is required");
    }

    private static Optional<Violation> required(String field) {
        return Optional.of(missing(field));
    }

    private static Optional<Violation> notUnicode(String field) {
        return violation(field, "must be valid Unicode text");
    }

    private static Optional<Violation> tooLong(String field, int max, int length) {
        return violation(field, "must be at most " + max + " characters (it has " + length + ")");
    }
}
