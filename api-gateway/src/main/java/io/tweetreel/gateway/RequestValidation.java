package io.tweetreel.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import io.tweetreel.core.RequestRules;
import io.tweetreel.schemas.Animation;
import io.tweetreel.schemas.MediaItem;
import io.tweetreel.schemas.PostMetrics;
import io.tweetreel.schemas.QuotedPost;
import io.tweetreel.schemas.Theme;
import io.tweetreel.schemas.VerifiedBadge;
import io.tweetreel.schemas.VideoRequested;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * What is specific to a request that arrives as JSON; every rule on the values themselves (limits, messages, field
 * names) is {@link RequestRules}', the same rules the renderer applies to a record published straight to Kafka, so
 * a bad value gets the same message either way. Every field is checked, so a client learns all its mistakes at once.
 * The JSON policy:
 * <ul>
 *   <li>types are strict: strings must be JSON strings, {@code durationSeconds} a JSON integer (no "5", no 5.5)
 *       and {@code zoom} a JSON boolean (no "true", no 1);</li>
 *   <li>{@code durationSeconds} left out means "chosen by the pipeline" (0 on the record: 5 s for a still, paced
 *       from the text for a reveal); given, it is 3 to 30;</li>
 *   <li>unknown fields are refused (one error each), so a typo such as {@code tweet_body} is not silently dropped;</li>
 *   <li>{@code null} means absent: required fields report "is required", optional ones take their default;</li>
 *   <li>an empty {@code profilePhotoUrl}, {@code webhookUrl} or {@code audioUrl} counts as absent (what an HTML form sends for an
 *       empty field; the rules treat a blank URL on Kafka the same way);</li>
 *   <li>{@code metadata} must be a JSON object whose values are JSON strings; a value of another type is reported
 *       as {@code metadata.<key>} "must be a string" (keys that break the key rule are reported once, as
 *       {@code metadata}, and not echoed).</li>
 *   <li>the card's fields: {@code media} is an array of objects {@code {url, alt?}}, {@code quote} an object with
 *       the fields of a post ({@code tweetBody}, {@code profileName}, {@code username}, {@code profilePhotoUrl},
 *       {@code verified}, {@code media}), {@code metrics} an object of JSON integers, {@code formats} an array of
 *       strings (present means at least one), {@code postedAt} an ISO-8601 string with {@code Z} or an offset;
 *       inside those objects, as at the top, unknown members are refused and a member's errors are named by its
 *       path ({@code media[1].url}, {@code quote.username}, {@code metrics.likes}, {@code formats[0]});</li>
 *   <li>an empty {@code timeZone}, {@code locale}, {@code replyTo}, {@code accentColor} or alt text counts as
 *       absent, like an empty URL;</li>
 *   <li>motion and sound: {@code animation} ({@code none} when absent) and {@code music} are names, and a value
 *       that is not a string names none of them; {@code music} next to a non-empty {@code audioUrl} is refused on
 *       {@code music}.</li>
 * </ul>
 */
public final class RequestValidation {
    static final Set<String> FIELDS = Set.of(
            RequestRules.TWEET_BODY,
            RequestRules.PROFILE_PHOTO_URL,
            RequestRules.PROFILE_NAME,
            RequestRules.USERNAME,
            RequestRules.THEME,
            RequestRules.DURATION_SECONDS,
            RequestRules.WEBHOOK_URL,
            RequestRules.METADATA,
            RequestRules.VERIFIED,
            RequestRules.MEDIA,
            RequestRules.QUOTE,
            RequestRules.POSTED_AT,
            RequestRules.TIME_ZONE,
            RequestRules.LOCALE,
            RequestRules.METRICS,
            RequestRules.REPLY_TO,
            RequestRules.ACCENT_COLOR,
            RequestRules.FORMATS,
            RequestRules.ANIMATION,
            RequestRules.ZOOM,
            RequestRules.AUDIO_URL,
            RequestRules.MUSIC);
    static final Set<String> QUOTE_FIELDS = Set.of(
            RequestRules.TWEET_BODY,
            RequestRules.PROFILE_PHOTO_URL,
            RequestRules.PROFILE_NAME,
            RequestRules.USERNAME,
            RequestRules.VERIFIED,
            RequestRules.MEDIA);
    static final Set<String> MEDIA_FIELDS = Set.of(RequestRules.MEDIA_URL, RequestRules.MEDIA_ALT);
    private static final BigInteger LONG_MIN = BigInteger.valueOf(Long.MIN_VALUE);
    private static final BigInteger LONG_MAX = BigInteger.valueOf(Long.MAX_VALUE);
    /**
     * Stands in for an image whose URL (or whole item) already has a type error: a valid URL, so the rules count
     * the item (and keep the indices of the others) without a second error for it.
     */
    private static final String TYPE_ERROR_URL = "https://type-error.invalid/";

    private static final int FIELD_NAME_ECHO_MAX = 64;
    private static final BigInteger INT_MIN = BigInteger.valueOf(Integer.MIN_VALUE);
    private static final BigInteger INT_MAX = BigInteger.valueOf(Integer.MAX_VALUE);

    private RequestValidation() {}

    /** The outcome: a request ready to publish (requestedAt unset), or the errors, one per bad field. */
    public record Outcome(VideoRequested request, List<FieldError> errors) {
        public boolean valid() {
            return errors.isEmpty();
        }
    }

    /** {@link #validate(JsonNode, Clock)} against the system clock. */
    public static Outcome validate(JsonNode body) {
        return validate(body, Clock.systemUTC());
    }

    /** Validates a job request; {@code clock} says when now is, for {@code postedAt}. */
    public static Outcome validate(JsonNode body, Clock clock) {
        List<FieldError> errors = new ArrayList<>();
        if (body == null || !body.isObject()) {
            errors.add(new FieldError("", "the body must be a JSON object"));
            return new Outcome(null, errors);
        }
        for (Iterator<String> names = body.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!FIELDS.contains(name)) {
                errors.add(new FieldError(echo(name), "is not a known field"));
            }
        }
        String tweetBody =
                valid(requiredString(RequestRules.TWEET_BODY, body, errors), RequestRules::checkTweetBody, errors);
        String photo = valid(
                optionalUrl(RequestRules.PROFILE_PHOTO_URL, body, errors), RequestRules::checkProfilePhotoUrl, errors);
        String profileName = valid(
                RequestRules.profileName(requiredString(RequestRules.PROFILE_NAME, body, errors)),
                RequestRules::checkProfileName,
                errors);
        String username = valid(
                RequestRules.handle(requiredString(RequestRules.USERNAME, body, errors)),
                RequestRules::checkUsername,
                errors);
        Theme theme = theme(body, errors);
        int duration = duration(body, errors);
        String webhookUrl =
                valid(optionalUrl(RequestRules.WEBHOOK_URL, body, errors), RequestRules::checkWebhookUrl, errors);
        Map<String, String> metadata = metadata(body, errors);
        VerifiedBadge verified = verified(RequestRules.VERIFIED, body.get(RequestRules.VERIFIED), errors);
        List<MediaItem> media = media(RequestRules.MEDIA, body.get(RequestRules.MEDIA), RequestRules.MEDIA_MAX, errors);
        QuotedPost quote = quote(body.get(RequestRules.QUOTE), errors);
        Instant postedAt = postedAt(body, clock, errors);
        String timeZone =
                valid(optionalText(RequestRules.TIME_ZONE, body, errors), RequestRules::checkTimeZone, errors);
        String locale = RequestRules.locale(
                valid(optionalText(RequestRules.LOCALE, body, errors), RequestRules::checkLocale, errors));
        PostMetrics metrics = metrics(body.get(RequestRules.METRICS), errors);
        String replyTo = valid(
                RequestRules.replyTo(optionalText(RequestRules.REPLY_TO, body, errors)),
                RequestRules::checkReplyTo,
                errors);
        String accentColor = RequestRules.accentColor(
                valid(optionalText(RequestRules.ACCENT_COLOR, body, errors), RequestRules::checkAccentColor, errors));
        List<String> formats = formats(body.get(RequestRules.FORMATS), errors);
        Animation animation = animation(body, errors);
        boolean zoom = zoom(body, errors);
        String audioUrl = valid(optionalUrl(RequestRules.AUDIO_URL, body, errors), RequestRules::checkAudioUrl, errors);
        String music = music(body, errors);
        if (!errors.isEmpty()) {
            return new Outcome(null, List.copyOf(errors));
        }
        VideoRequested request = VideoRequested.newBuilder()
                .setTweetBody(tweetBody)
                .setProfilePhotoUrl(photo)
                .setProfileName(profileName)
                .setUsername(username)
                .setTheme(theme)
                .setDurationSeconds(duration)
                .setWebhookUrl(webhookUrl)
                .setMetadata(metadata)
                .setRequestedAt(null)
                .setVerified(verified)
                .setMedia(media)
                .setQuote(quote)
                .setPostedAt(postedAt)
                .setTimeZone(timeZone)
                .setLocale(locale)
                .setMetrics(metrics)
                .setReplyTo(replyTo)
                .setAccentColor(accentColor)
                .setFormats(formats)
                .setAnimation(animation)
                .setZoom(zoom)
                .setAudioUrl(audioUrl)
                .setMusic(music)
                .build();
        return new Outcome(request, List.of());
    }

    /**
     * The {@code webhookUrl} and {@code metadata} of an object that is not a job request (a batch), checked with
     * the same rules and messages as a job's; null members where there are errors, which are added to
     * {@code errors}.
     */
    record WebhookAndMetadata(String webhookUrl, Map<String, String> metadata) {}

    static WebhookAndMetadata webhookAndMetadata(JsonNode body, List<FieldError> errors) {
        String webhookUrl =
                valid(optionalUrl(RequestRules.WEBHOOK_URL, body, errors), RequestRules::checkWebhookUrl, errors);
        return new WebhookAndMetadata(webhookUrl, metadata(body, errors));
    }

    /** A field name as it may be echoed in an error: control characters replaced, long names cut. */
    static String echoFieldName(String name) {
        return echo(name);
    }

    /**
     * A string field's value, already normalised as {@link RequestRules} says, if it passes the rules; otherwise
     * null, with the field's error recorded. Null (a field absent or of the wrong JSON type) is passed through.
     */
    private static String valid(
            String value, Function<String, Optional<RequestRules.Violation>> rule, List<FieldError> errors) {
        if (value == null) {
            return null;
        }
        Optional<RequestRules.Violation> violation = rule.apply(value);
        violation.ifPresent(v -> errors.add(fieldError(v)));
        return violation.isPresent() ? null : value;
    }

    private static FieldError fieldError(RequestRules.Violation violation) {
        return new FieldError(violation.field(), violation.message());
    }

    private static String requiredString(String field, JsonNode body, List<FieldError> errors) {
        return requiredValue(field, body.get(field), errors);
    }

    /** A required string whose value is {@code node} (null when absent). */
    private static String requiredValue(String field, JsonNode node, List<FieldError> errors) {
        if (node == null || node.isNull()) {
            errors.add(fieldError(RequestRules.missing(field)));
            return null;
        }
        if (!node.isTextual()) {
            errors.add(new FieldError(field, "must be a string"));
            return null;
        }
        return node.asText();
    }

    /** A URL field: null when absent, JSON null or blank (what an HTML form sends for an empty field). */
    private static String optionalUrl(String field, JsonNode body, List<FieldError> errors) {
        return optionalUrlValue(field, body.get(field), errors);
    }

    /** An optional URL whose value is {@code node} (null when absent). */
    private static String optionalUrlValue(String field, JsonNode node, List<FieldError> errors) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual()) {
            errors.add(new FieldError(field, "must be a string"));
            return null;
        }
        // every URL field is normalised alike (trimmed, blank = absent)
        return RequestRules.webhookUrl(node.asText());
    }

    /** A text field that may be left out: null when absent, JSON null or blank; otherwise trimmed. */
    private static String optionalText(String field, JsonNode body, List<FieldError> errors) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual()) {
            errors.add(new FieldError(field, "must be a string"));
            return null;
        }
        return RequestRules.blankIsAbsent(node.asText());
    }

    /** One "is not a known field" per member of {@code object} outside {@code known}, named under {@code path}. */
    private static void unknownMembers(String path, JsonNode object, Set<String> known, List<FieldError> errors) {
        for (Iterator<String> names = object.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!known.contains(name)) {
                errors.add(new FieldError(RequestRules.memberField(path, echo(name)), "is not a known field"));
            }
        }
    }

    private static boolean absent(JsonNode node) {
        return node == null || node.isNull();
    }

    /** A badge ({@code verified}, {@code quote.verified}): absent means none; a non-string names no badge. */
    private static VerifiedBadge verified(String field, JsonNode node, List<FieldError> errors) {
        if (absent(node)) {
            return VerifiedBadge.none;
        }
        String name = node.isTextual() ? node.asText() : null;
        Optional<RequestRules.Violation> violation = RequestRules.checkVerified(field, name);
        violation.ifPresent(v -> errors.add(fieldError(v)));
        return violation.isPresent() ? null : RequestRules.verified(name).orElseThrow();
    }

    /**
     * The images of {@code field} ({@code media} or {@code quote.media}), normalised; empty when absent. Type
     * errors first, then the rules' problems (count, each URL and alt); null when there are any.
     */
    private static List<MediaItem> media(String field, JsonNode node, int max, List<FieldError> errors) {
        List<MediaItem> media = new ArrayList<>();
        if (absent(node)) {
            return media;
        }
        if (!node.isArray()) {
            errors.add(new FieldError(field, "must be an array of images {url, alt}"));
            return null;
        }
        int before = errors.size();
        for (int i = 0; i < node.size(); i++) {
            String itemField = RequestRules.itemField(field, i);
            JsonNode item = node.get(i);
            if (!item.isObject()) {
                errors.add(new FieldError(itemField, "must be an object {url, alt}"));
                media.add(MediaItem.newBuilder().setUrl(TYPE_ERROR_URL).build());
                continue;
            }
            unknownMembers(itemField, item, MEDIA_FIELDS, errors);
            String urlField = RequestRules.memberField(itemField, RequestRules.MEDIA_URL);
            String altField = RequestRules.memberField(itemField, RequestRules.MEDIA_ALT);
            String url = requiredValue(urlField, item.get(RequestRules.MEDIA_URL), errors);
            JsonNode altNode = item.get(RequestRules.MEDIA_ALT);
            String alt = null;
            if (!absent(altNode) && !altNode.isTextual()) {
                errors.add(new FieldError(altField, "must be a string"));
            } else if (!absent(altNode)) {
                alt = altNode.asText();
            }
            media.add(MediaItem.newBuilder()
                    .setUrl(url == null ? TYPE_ERROR_URL : url)
                    .setAlt(alt)
                    .build());
        }
        RequestRules.checkMedia(field, media, max).forEach(v -> errors.add(fieldError(v)));
        if (errors.size() > before) {
            return null;
        }
        return RequestRules.normalizedMedia(media);
    }

    /** The quoted post, normalised, or null when absent or wrong (its errors named {@code quote.<field>}). */
    private static QuotedPost quote(JsonNode node, List<FieldError> errors) {
        if (absent(node)) {
            return null;
        }
        if (!node.isObject()) {
            errors.add(new FieldError(RequestRules.QUOTE, "must be an object with the quoted post's fields"));
            return null;
        }
        int before = errors.size();
        unknownMembers(RequestRules.QUOTE, node, QUOTE_FIELDS, errors);
        String tweetBody = requiredValue(
                RequestRules.memberField(RequestRules.QUOTE, RequestRules.TWEET_BODY),
                node.get(RequestRules.TWEET_BODY),
                errors);
        String profileName = requiredValue(
                RequestRules.memberField(RequestRules.QUOTE, RequestRules.PROFILE_NAME),
                node.get(RequestRules.PROFILE_NAME),
                errors);
        String username = requiredValue(
                RequestRules.memberField(RequestRules.QUOTE, RequestRules.USERNAME),
                node.get(RequestRules.USERNAME),
                errors);
        String photo = optionalUrlValue(
                RequestRules.memberField(RequestRules.QUOTE, RequestRules.PROFILE_PHOTO_URL),
                node.get(RequestRules.PROFILE_PHOTO_URL),
                errors);
        VerifiedBadge verified = verified(
                RequestRules.memberField(RequestRules.QUOTE, RequestRules.VERIFIED),
                node.get(RequestRules.VERIFIED),
                errors);
        List<MediaItem> media = media(
                RequestRules.memberField(RequestRules.QUOTE, RequestRules.MEDIA),
                node.get(RequestRules.MEDIA),
                RequestRules.QUOTE_MEDIA_MAX,
                errors);
        if (errors.size() > before) {
            // the rules on the fields that did have the right type still count, so every mistake is listed
            checkQuoteParts(tweetBody, profileName, username, photo, errors);
            return null;
        }
        QuotedPost quote = QuotedPost.newBuilder()
                .setTweetBody(tweetBody)
                .setProfileName(profileName)
                .setUsername(username)
                .setProfilePhotoUrl(photo)
                .setVerified(verified)
                .setMedia(media)
                .build();
        List<RequestRules.Violation> violations = RequestRules.checkQuote(quote);
        violations.forEach(v -> errors.add(fieldError(v)));
        if (!violations.isEmpty()) {
            return null;
        }
        return RequestRules.normalizedQuote(quote);
    }

    private static void checkQuoteParts(
            String tweetBody, String profileName, String username, String photo, List<FieldError> errors) {
        String q = RequestRules.QUOTE;
        if (tweetBody != null) {
            RequestRules.checkTweetBody(RequestRules.memberField(q, RequestRules.TWEET_BODY), tweetBody)
                    .ifPresent(v -> errors.add(fieldError(v)));
        }
        if (profileName != null) {
            RequestRules.checkProfileName(
                            RequestRules.memberField(q, RequestRules.PROFILE_NAME),
                            RequestRules.profileName(profileName))
                    .ifPresent(v -> errors.add(fieldError(v)));
        }
        if (username != null) {
            RequestRules.checkUsername(
                            RequestRules.memberField(q, RequestRules.USERNAME), RequestRules.handle(username))
                    .ifPresent(v -> errors.add(fieldError(v)));
        }
        RequestRules.checkProfilePhotoUrl(RequestRules.memberField(q, RequestRules.PROFILE_PHOTO_URL), photo)
                .ifPresent(v -> errors.add(fieldError(v)));
    }

    private static Instant postedAt(JsonNode body, Clock clock, List<FieldError> errors) {
        JsonNode node = body.get(RequestRules.POSTED_AT);
        if (absent(node)) {
            return null;
        }
        Optional<Instant> instant = node.isTextual() ? RequestRules.parseInstant(node.asText()) : Optional.empty();
        if (instant.isEmpty()) {
            errors.add(fieldError(RequestRules.notAnInstant()));
            return null;
        }
        Optional<RequestRules.Violation> violation = RequestRules.checkPostedAt(instant.get(), clock.instant());
        violation.ifPresent(v -> errors.add(fieldError(v)));
        // Avro keeps milliseconds: the job states the instant as the record will
        return violation.isPresent() ? null : Instant.ofEpochMilli(instant.get().toEpochMilli());
    }

    /** The counts; null when absent or wrong. Each must be a JSON integer (clamped to long, then the rules). */
    private static PostMetrics metrics(JsonNode node, List<FieldError> errors) {
        if (absent(node)) {
            return null;
        }
        if (!node.isObject()) {
            errors.add(new FieldError(RequestRules.METRICS, "must be an object of counts"));
            return null;
        }
        int before = errors.size();
        unknownMembers(RequestRules.METRICS, node, Set.copyOf(RequestRules.METRIC_COUNTS), errors);
        PostMetrics metrics = PostMetrics.newBuilder().build();
        for (String count : RequestRules.METRIC_COUNTS) {
            JsonNode value = node.get(count);
            if (absent(value)) {
                continue;
            }
            if (!value.isIntegralNumber()) {
                errors.add(fieldError(RequestRules.badMetric(count)));
                continue;
            }
            long clamped = value.bigIntegerValue().max(LONG_MIN).min(LONG_MAX).longValue();
            Optional<RequestRules.Violation> violation = RequestRules.checkMetric(count, clamped);
            violation.ifPresent(v -> errors.add(fieldError(v)));
            metrics.put(count, clamped);
        }
        return errors.size() > before ? null : metrics;
    }

    /** The formats as listed; empty (9:16) when absent. Present, the list must name 1 to 4 formats. */
    private static List<String> formats(JsonNode node, List<FieldError> errors) {
        List<String> formats = new ArrayList<>();
        if (absent(node)) {
            return formats;
        }
        if (!node.isArray()) {
            errors.add(new FieldError(RequestRules.FORMATS, "must be an array of formats such as [\"9:16\"]"));
            return null;
        }
        if (node.isEmpty()) {
            errors.add(fieldError(RequestRules.noFormats()));
            return null;
        }
        // a label of another type is no format: "" stands in for it, so the rules name it formats[i]
        node.forEach(label -> formats.add(label.isTextual() ? label.asText() : ""));
        List<RequestRules.Violation> violations = RequestRules.checkFormats(formats);
        violations.forEach(v -> errors.add(fieldError(v)));
        return violations.isEmpty() ? formats : null;
    }

    /** The metadata in the JSON's key order; empty when absent or JSON null. */
    private static Map<String, String> metadata(JsonNode body, List<FieldError> errors) {
        JsonNode node = body.get(RequestRules.METADATA);
        Map<String, String> metadata = new LinkedHashMap<>();
        if (node == null || node.isNull()) {
            return metadata;
        }
        if (!node.isObject()) {
            errors.add(new FieldError(RequestRules.METADATA, "must be an object of strings"));
            return metadata;
        }
        List<FieldError> typeErrors = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> entries = node.fields(); entries.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = entries.next();
            JsonNode value = entry.getValue();
            // a value of another type still counts as a key; "" stands in for it, so the rules see every key
            metadata.put(entry.getKey(), value.isTextual() ? value.asText() : "");
            if (!value.isTextual() && RequestRules.isMetadataKey(entry.getKey())) {
                typeErrors.add(new FieldError(RequestRules.metadataField(entry.getKey()), "must be a string"));
            }
        }
        List<RequestRules.Violation> violations = RequestRules.checkMetadata(metadata);
        violations.forEach(v -> errors.add(fieldError(v)));
        errors.addAll(typeErrors);
        return violations.isEmpty() && typeErrors.isEmpty() ? metadata : null;
    }

    private static Theme theme(JsonNode body, List<FieldError> errors) {
        JsonNode node = body.get(RequestRules.THEME);
        if (node == null || node.isNull()) {
            return RequestRules.THEME_DEFAULT;
        }
        // a JSON value that is not a string names no theme, so it gets the rules' message for an unknown name
        String name = node.isTextual() ? node.asText() : null;
        Optional<RequestRules.Violation> violation = RequestRules.checkTheme(name);
        violation.ifPresent(v -> errors.add(fieldError(v)));
        return violation.isPresent() ? null : RequestRules.theme(name).orElseThrow();
    }

    private static Animation animation(JsonNode body, List<FieldError> errors) {
        JsonNode node = body.get(RequestRules.ANIMATION);
        if (absent(node)) {
            return Animation.none;
        }
        String name = node.isTextual() ? node.asText() : null;
        Optional<RequestRules.Violation> violation = RequestRules.checkAnimation(name);
        violation.ifPresent(v -> errors.add(fieldError(v)));
        return violation.isPresent() ? null : RequestRules.animation(name).orElseThrow();
    }

    private static boolean zoom(JsonNode body, List<FieldError> errors) {
        JsonNode node = body.get(RequestRules.ZOOM);
        if (absent(node)) {
            return false;
        }
        if (!node.isBoolean()) {
            errors.add(new FieldError(RequestRules.ZOOM, "must be true or false"));
            return false;
        }
        return node.booleanValue();
    }

    /** The bundled track's name, null when absent (the default track); checked against {@code audioUrl}. */
    private static String music(JsonNode body, List<FieldError> errors) {
        JsonNode node = body.get(RequestRules.MUSIC);
        if (absent(node)) {
            return null;
        }
        if (!node.isTextual()) {
            errors.add(fieldError(RequestRules.unknownMusic()));
            return null;
        }
        // the audio URL as given (valid or not): a request naming both is refused on music either way
        JsonNode audioNode = body.get(RequestRules.AUDIO_URL);
        String audioUrl = audioNode != null && audioNode.isTextual() ? RequestRules.audioUrl(audioNode.asText()) : null;
        Optional<RequestRules.Violation> violation = RequestRules.checkMusic(node.asText(), audioUrl);
        violation.ifPresent(v -> errors.add(fieldError(v)));
        return violation.isPresent() ? null : node.asText();
    }

    private static int duration(JsonNode body, List<FieldError> errors) {
        JsonNode node = body.get(RequestRules.DURATION_SECONDS);
        if (node == null || node.isNull()) {
            return RequestRules.DURATION_CHOSEN_BY_PIPELINE;
        }
        if (!node.isIntegralNumber()) {
            errors.add(new FieldError(RequestRules.DURATION_SECONDS, "must be a whole number of seconds"));
            return 0;
        }
        // clamped, not truncated, so a number beyond int's range stays out of the allowed range
        int seconds = node.bigIntegerValue().max(INT_MIN).min(INT_MAX).intValue();
        Optional<RequestRules.Violation> violation = RequestRules.checkDurationSeconds(seconds);
        violation.ifPresent(v -> errors.add(fieldError(v)));
        return seconds;
    }

    private static String echo(String name) {
        String printable = name.replaceAll("\\p{Cntrl}", "?");
        return printable.length() <= FIELD_NAME_ECHO_MAX
                ? printable
                : printable.substring(0, FIELD_NAME_ECHO_MAX) + "…";
    }
}
