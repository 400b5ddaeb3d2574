package io.tweetreel.core.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tweetreel.core.Json;
import io.tweetreel.core.RequestRules;
import io.tweetreel.schemas.MediaItem;
import io.tweetreel.schemas.PostMetrics;
import io.tweetreel.schemas.QuotedPost;
import io.tweetreel.schemas.VideoRequested;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * Bad requests, one bad value each, with the one field error {@link RequestRules} gives for it. The same table
 * drives the gateway (400 with this field and message over HTTP) and the renderer (a job published straight to
 * Kafka fails with {@code INVALID_REQUEST} and this message), so the two entry points cannot drift apart.
 *
 * <p>Only values both entry points can carry are here: a theme or badge that is not a symbol cannot be written as
 * an Avro enum, a non-integer duration or count cannot be an Avro number, a {@code postedAt} that is not an instant
 * cannot be a timestamp, and an empty {@code formats} is the default on Kafka; the gateway's own tests cover those
 * JSON-only cases.
 */
public final class RequestRuleCases {

    /** A value of a structured field, as it is written in JSON and as it is in the Avro record. */
    public record Both(JsonNode json, Object avro) {}

    /**
     * {@code value} is a String, an Integer for {@code durationSeconds}, a {@code Map<String, String>} for
     * {@code metadata} or {@link Both} for the other structured fields; {@code field} is the field the error names
     * ({@code metadata.<key>}, {@code media[1].url}, {@code quote.username} ...).
     */
    public record Case(String name, String field, Object value, String message) {

        /** The request field the bad value goes in: the error's field up to its first dot or bracket. */
        public String requestField() {
            int end = field.length();
            for (char separator : new char[] {'.', '['}) {
                int at = field.indexOf(separator);
                end = at < 0 ? end : Math.min(end, at);
            }
            return field.substring(0, end);
        }

        /** A valid JSON request body with this case's bad value in its field. */
        public ObjectNode json() {
            ObjectNode body = validJson();
            if (value instanceof Both both) {
                body.set(requestField(), both.json());
            } else if (value instanceof Integer seconds) {
                body.put(requestField(), seconds);
            } else if (value instanceof Map<?, ?> map) {
                body.set(requestField(), Json.MAPPER.valueToTree(map));
            } else {
                body.put(requestField(), (String) value);
            }
            return body;
        }

        /** A valid record for {@code videos.requested} with this case's bad value in its field. */
        public VideoRequested record() {
            VideoRequested request = validRecord();
            request.put(requestField(), value instanceof Both both ? both.avro() : value);
            return request;
        }

        /**
         * False for a value with a lone surrogate: UTF-8 has no encoding for it, so on the Avro wire (and in a raw
         * UTF-8 body) it arrives as '?'. Over HTTP it travels as a JSON {@code \ud800} escape instead.
         */
        public boolean utf8Encodable() {
            Stream<?> texts = value instanceof Map<?, ?> map
                    ? Stream.concat(map.keySet().stream(), map.values().stream())
                    : Stream.of(value);
            return texts.noneMatch(v -> v instanceof String text
                    && text.codePoints().anyMatch(c -> c >= Character.MIN_SURROGATE && c <= Character.MAX_SURROGATE));
        }

        /** What a failed job states for it: the same words as the 400's field error. */
        public String statedAs() {
            return new RequestRules.Violation(field, message).toString();
        }

        @Override
        public String toString() {
            return name;
        }
    }

    private static final String MUSIC_NAMES = "must be \"default\", \"none\", \"calm\", \"upbeat\" or \"cinematic\"";

    public static final List<Case> ALL = List.of(
            new Case("empty tweet", RequestRules.TWEET_BODY, "", "must not be empty"),
            new Case("blank tweet", RequestRules.TWEET_BODY, " \n\t ", "must not be empty"),
            new Case(
                    "tweet of 2001 characters",
                    RequestRules.TWEET_BODY,
                    "x".repeat(2001),
                    "must be at most 2000 characters (it has 2001)"),
            new Case(
                    "tweet of 2001 emoji",
                    RequestRules.TWEET_BODY,
                    "😀".repeat(2001),
                    "must be at most 2000 characters (it has 2001)"),
            new Case("bell in the tweet", RequestRules.TWEET_BODY, "bell\u0007", "must not contain control characters"),
            new Case(
                    "NUL in the tweet",
                    RequestRules.TWEET_BODY,
                    "nul\u0000byte",
                    "must not contain control characters"),
            new Case(
                    "C1 control in the tweet",
                    RequestRules.TWEET_BODY,
                    "csi\u009b2J",
                    "must not contain control characters"),
            new Case(
                    "lone surrogate in the tweet",
                    RequestRules.TWEET_BODY,
                    "broken \ud800 surrogate",
                    "must be valid Unicode text"),
            new Case("blank name", RequestRules.PROFILE_NAME, "   ", "must not be empty"),
            new Case(
                    "name of 51 characters",
                    RequestRules.PROFILE_NAME,
                    "é".repeat(51),
                    "must be at most 50 characters (it has 51)"),
            new Case(
                    "line break in the name",
                    RequestRules.PROFILE_NAME,
                    "Ada\nLovelace",
                    "must not contain control characters"),
            new Case(
                    "escape in the name",
                    RequestRules.PROFILE_NAME,
                    "Ada\u001b[31m",
                    "must not contain control characters"),
            new Case(
                    "lone surrogate in the name",
                    RequestRules.PROFILE_NAME,
                    "Ada \udc00",
                    "must be valid Unicode text"),
            new Case("empty username", RequestRules.USERNAME, "", "must not be empty"),
            new Case("username that is only @", RequestRules.USERNAME, "@", "must not be empty"),
            new Case(
                    "username of 16 characters",
                    RequestRules.USERNAME,
                    "abcdefghijklmnop",
                    "must be 1 to 15 letters, digits or underscores (a leading @ is allowed)"),
            new Case(
                    "username with a space",
                    RequestRules.USERNAME,
                    "ada lovelace",
                    "must be 1 to 15 letters, digits or underscores (a leading @ is allowed)"),
            new Case(
                    "username with two @",
                    RequestRules.USERNAME,
                    "@@ada",
                    "must be 1 to 15 letters, digits or underscores (a leading @ is allowed)"),
            new Case(
                    "username with accents",
                    RequestRules.USERNAME,
                    "ädä",
                    "must be 1 to 15 letters, digits or underscores (a leading @ is allowed)"),
            new Case(
                    "user and password in the photo URL",
                    RequestRules.PROFILE_PHOTO_URL,
                    "https://user:pass@example.com/a.png",
                    "must not contain a user name or password"),
            new Case(
                    "user name in the photo URL",
                    RequestRules.PROFILE_PHOTO_URL,
                    "http://admin@example.com/a.png",
                    "must not contain a user name or password"),
            new Case(
                    "photo URL of 2049 characters",
                    RequestRules.PROFILE_PHOTO_URL,
                    "https://example.com/" + "a".repeat(2049 - "https://example.com/".length()),
                    "must be at most 2048 characters"),
            new Case(
                    "ftp photo URL",
                    RequestRules.PROFILE_PHOTO_URL,
                    "ftp://example.com/a.png",
                    "must be an http:// or https:// URL"),
            new Case(
                    "javascript photo URL",
                    RequestRules.PROFILE_PHOTO_URL,
                    "javascript:alert(1)",
                    "must be an http:// or https:// URL"),
            new Case(
                    "relative photo URL",
                    RequestRules.PROFILE_PHOTO_URL,
                    "/relative/a.png",
                    "must be an http:// or https:// URL"),
            new Case(
                    "photo URL without a host",
                    RequestRules.PROFILE_PHOTO_URL,
                    "https:///a.png",
                    "must be an absolute URL with a host"),
            new Case(
                    "space in the photo URL's host",
                    RequestRules.PROFILE_PHOTO_URL,
                    "https://exa mple.com/a.png",
                    "must be a valid URL"),
            new Case(
                    "control character in the photo URL",
                    RequestRules.PROFILE_PHOTO_URL,
                    "https://example.com/a\u0001.png",
                    "must be a valid URL"),
            new Case(
                    "lone surrogate in the photo URL",
                    RequestRules.PROFILE_PHOTO_URL,
                    "https://example.com/\ud800.png",
                    "must be valid Unicode text"),
            new Case("duration of 2 s", RequestRules.DURATION_SECONDS, 2, "must be from 3 to 30 seconds"),
            new Case("duration of 31 s", RequestRules.DURATION_SECONDS, 31, "must be from 3 to 30 seconds"),
            new Case("negative duration", RequestRules.DURATION_SECONDS, -5, "must be from 3 to 30 seconds"),
            new Case(
                    "password in the webhook URL",
                    RequestRules.WEBHOOK_URL,
                    "https://user:secret@hooks.example.com/reels",
                    "must not contain a user name or password"),
            new Case(
                    "webhook URL of 2049 characters",
                    RequestRules.WEBHOOK_URL,
                    "https://hooks.example.com/" + "a".repeat(2049 - "https://hooks.example.com/".length()),
                    "must be at most 2048 characters"),
            new Case(
                    "ftp webhook URL",
                    RequestRules.WEBHOOK_URL,
                    "ftp://hooks.example.com/reels",
                    "must be an http:// or https:// URL"),
            new Case(
                    "relative webhook URL",
                    RequestRules.WEBHOOK_URL,
                    "/hooks/reels",
                    "must be an http:// or https:// URL"),
            new Case(
                    "webhook URL without a host",
                    RequestRules.WEBHOOK_URL,
                    "https:///reels",
                    "must be an absolute URL with a host"),
            new Case(
                    "space in the webhook URL's host",
                    RequestRules.WEBHOOK_URL,
                    "https://hooks example.com/",
                    "must be a valid URL"),
            new Case("17 metadata keys", RequestRules.METADATA, keys(17), "must have at most 16 keys (it has 17)"),
            new Case(
                    "metadata key with a space",
                    RequestRules.METADATA,
                    Map.of("order id", "42"),
                    "keys must be 1 to 40 letters, digits, '_', '.' or '-'"),
            new Case(
                    "metadata key of 41 characters",
                    RequestRules.METADATA,
                    Map.of("k".repeat(41), "42"),
                    "keys must be 1 to 40 letters, digits, '_', '.' or '-'"),
            new Case(
                    "empty metadata key",
                    RequestRules.METADATA,
                    Map.of("", "42"),
                    "keys must be 1 to 40 letters, digits, '_', '.' or '-'"),
            new Case(
                    "metadata value of 501 characters",
                    "metadata.note",
                    Map.of("note", "é".repeat(501)),
                    "must be at most 500 characters (it has 501)"),
            new Case(
                    "line break in a metadata value",
                    "metadata.note",
                    Map.of("note", "two\nlines"),
                    "must not contain control characters"),
            new Case(
                    "lone surrogate in a metadata value",
                    "metadata.note",
                    Map.of("note", "broken \ud800"),
                    "must be valid Unicode text"),
            new Case(
                    "5 images",
                    RequestRules.MEDIA,
                    media(image(), image(), image(), image(), image()),
                    "must have at most 4 items (it has 5)"),
            new Case(
                    "ftp image URL",
                    "media[1].url",
                    media(image(), image("ftp://example.com/b.png", null)),
                    "must be an http:// or https:// URL"),
            new Case(
                    "password in an image URL",
                    "media[0].url",
                    media(image("https://user:pass@example.com/a.png", null)),
                    "must not contain a user name or password"),
            new Case(
                    "image URL of 2049 characters",
                    "media[0].url",
                    media(image("https://example.com/" + "a".repeat(2049 - "https://example.com/".length()), null)),
                    "must be at most 2048 characters"),
            new Case(
                    "image URL without a host",
                    "media[0].url",
                    media(image("https:///a.png", null)),
                    "must be an absolute URL with a host"),
            new Case("blank image URL", "media[0].url", media(image(" ", "alt")), "is required"),
            new Case(
                    "alt text of 1001 characters",
                    "media[0].alt",
                    media(image("https://example.com/a.png", "é".repeat(1001))),
                    "must be at most 1000 characters (it has 1001)"),
            new Case(
                    "line break in an alt text",
                    "media[2].alt",
                    media(image(), image(), image("https://example.com/a.png", "two\nlines")),
                    "must not contain control characters"),
            new Case(
                    "empty quoted tweet",
                    "quote.tweetBody",
                    quote("", "Grace Hopper", "grace", null, 0),
                    "must not be empty"),
            new Case(
                    "quoted name of 51 characters",
                    "quote.profileName",
                    quote("Quoted", "é".repeat(51), "grace", null, 0),
                    "must be at most 50 characters (it has 51)"),
            new Case(
                    "quoted username with a space",
                    "quote.username",
                    quote("Quoted", "Grace Hopper", "grace hopper", null, 0),
                    "must be 1 to 15 letters, digits or underscores (a leading @ is allowed)"),
            new Case(
                    "ftp quoted photo URL",
                    "quote.profilePhotoUrl",
                    quote("Quoted", "Grace Hopper", "grace", "ftp://example.com/g.png", 0),
                    "must be an http:// or https:// URL"),
            new Case(
                    "quote with 2 images",
                    "quote.media",
                    quote("Quoted", "Grace Hopper", "grace", null, 2),
                    "must have at most 1 item (it has 2)"),
            new Case(
                    "posted before the site existed",
                    RequestRules.POSTED_AT,
                    postedAt(Instant.parse("2006-03-20T23:59:59Z")),
                    "must be from 2006-03-21T00:00:00Z to 1 day from now"),
            new Case(
                    "posted 2 days from now",
                    RequestRules.POSTED_AT,
                    postedAt(Instant.now().plus(Duration.ofDays(2))),
                    "must be from 2006-03-21T00:00:00Z to 1 day from now"),
            new Case(
                    "unknown time zone",
                    RequestRules.TIME_ZONE,
                    "Mars/Olympus_Mons",
                    "must be an IANA time zone such as Europe/Paris, or UTC or an offset such as +02:00"),
            new Case(
                    "offset beyond 18 hours",
                    RequestRules.TIME_ZONE,
                    "+19:00",
                    "must be an IANA time zone such as Europe/Paris, or UTC or an offset such as +02:00"),
            new Case(
                    "locale with an underscore",
                    RequestRules.LOCALE,
                    "en_US",
                    "must be a BCP 47 language tag of at most 35 characters such as de-DE"),
            new Case(
                    "locale without a language",
                    RequestRules.LOCALE,
                    "x-private",
                    "must be a BCP 47 language tag of at most 35 characters such as de-DE"),
            new Case(
                    "locale of 36 characters",
                    RequestRules.LOCALE,
                    "de-DE-x-" + "abcdefgh-".repeat(3) + "a",
                    "must be a BCP 47 language tag of at most 35 characters such as de-DE"),
            new Case(
                    "negative likes",
                    "metrics.likes",
                    metrics("likes", -1),
                    "must be a whole number from 0 to 1000000000000000"),
            new Case(
                    "views above 10^15",
                    "metrics.views",
                    metrics("views", 1_000_000_000_000_001L),
                    "must be a whole number from 0 to 1000000000000000"),
            new Case(
                    "reply to a handle with a space",
                    RequestRules.REPLY_TO,
                    "grace hopper",
                    "must be 1 to 15 letters, digits or underscores (a leading @ is allowed)"),
            new Case(
                    "reply to a handle with two @",
                    RequestRules.REPLY_TO,
                    "@@grace",
                    "must be 1 to 15 letters, digits or underscores (a leading @ is allowed)"),
            new Case(
                    "accent colour by name",
                    RequestRules.ACCENT_COLOR,
                    "red",
                    "must be a colour written #RRGGBB, such as #1d9bf0"),
            new Case(
                    "accent colour of 3 digits",
                    RequestRules.ACCENT_COLOR,
                    "#fff",
                    "must be a colour written #RRGGBB, such as #1d9bf0"),
            new Case(
                    "accent colour with a non-hex digit",
                    RequestRules.ACCENT_COLOR,
                    "#1d9bfg",
                    "must be a colour written #RRGGBB, such as #1d9bf0"),
            new Case(
                    "unknown format",
                    "formats[1]",
                    formats("9:16", "2:1"),
                    "must be \"9:16\", \"1:1\", \"4:5\" or \"16:9\""),
            new Case(
                    "format written with x",
                    "formats[0]",
                    formats("9x16"),
                    "must be \"9:16\", \"1:1\", \"4:5\" or \"16:9\""),
            new Case(
                    "repeated format",
                    RequestRules.FORMATS,
                    formats("1:1", "9:16", "1:1"),
                    "must not repeat a format (1:1)"),
            new Case(
                    "audio over ftp",
                    RequestRules.AUDIO_URL,
                    "ftp://example.com/a.mp3",
                    "must be an http:// or https:// URL"),
            new Case(
                    "relative audio URL", RequestRules.AUDIO_URL, "/music/a.mp3", "must be an http:// or https:// URL"),
            new Case(
                    "audio URL without a host",
                    RequestRules.AUDIO_URL,
                    "https:///a.mp3",
                    "must be an absolute URL with a host"),
            new Case(
                    "audio URL with a password",
                    RequestRules.AUDIO_URL,
                    "https://ada:secret@example.com/a.mp3",
                    "must not contain a user name or password"),
            new Case(
                    "audio URL of 2049 characters",
                    RequestRules.AUDIO_URL,
                    "https://example.com/" + "a".repeat(2029),
                    "must be at most 2048 characters"),
            new Case(
                    "audio URL with a space",
                    RequestRules.AUDIO_URL,
                    "https://example.com/a b.mp3",
                    "must be a valid URL"),
            new Case("unknown music", RequestRules.MUSIC, "jazz", MUSIC_NAMES),
            new Case("music in capitals", RequestRules.MUSIC, "Calm", MUSIC_NAMES),
            new Case("empty music", RequestRules.MUSIC, "", MUSIC_NAMES));

    private RequestRuleCases() {}

    /** Metadata with {@code n} valid keys. */
    private static Map<String, String> keys(int n) {
        Map<String, String> metadata = new LinkedHashMap<>();
        IntStream.rangeClosed(1, n).forEach(i -> metadata.put("key" + i, "value " + i));
        return metadata;
    }

    /** A valid image. */
    private static MediaItem image() {
        return image("https://example.com/a.png", null);
    }

    private static MediaItem image(String url, String alt) {
        return MediaItem.newBuilder().setUrl(url).setAlt(alt).build();
    }

    private static ObjectNode imageJson(MediaItem image) {
        ObjectNode json = Json.MAPPER.createObjectNode().put(RequestRules.MEDIA_URL, image.getUrl());
        if (image.getAlt() != null) {
            json.put(RequestRules.MEDIA_ALT, image.getAlt());
        }
        return json;
    }

    private static Both media(MediaItem... images) {
        ArrayNode json = Json.MAPPER.createArrayNode();
        Arrays.stream(images).map(RequestRuleCases::imageJson).forEach(json::add);
        return new Both(json, new ArrayList<>(List.of(images)));
    }

    /** A quoted post with {@code images} valid images. */
    private static Both quote(String body, String name, String username, String photoUrl, int images) {
        ObjectNode json = Json.MAPPER
                .createObjectNode()
                .put(RequestRules.TWEET_BODY, body)
                .put(RequestRules.PROFILE_NAME, name)
                .put(RequestRules.USERNAME, username);
        if (photoUrl != null) {
            json.put(RequestRules.PROFILE_PHOTO_URL, photoUrl);
        }
        List<MediaItem> media = new ArrayList<>();
        IntStream.range(0, images).forEach(i -> media.add(image()));
        if (images > 0) {
            json.set(RequestRules.MEDIA, media(media.toArray(MediaItem[]::new)).json());
        }
        QuotedPost avro = QuotedPost.newBuilder()
                .setTweetBody(body)
                .setProfileName(name)
                .setUsername(username)
                .setProfilePhotoUrl(photoUrl)
                .setMedia(media)
                .build();
        return new Both(json, avro);
    }

    private static Both postedAt(Instant instant) {
        return new Both(Json.MAPPER.getNodeFactory().textNode(instant.toString()), instant);
    }

    /** Metrics with one count set. */
    private static Both metrics(String count, long value) {
        PostMetrics avro = PostMetrics.newBuilder().build();
        avro.put(count, value);
        return new Both(Json.MAPPER.createObjectNode().put(count, value), avro);
    }

    private static Both formats(String... labels) {
        ArrayNode json = Json.MAPPER.createArrayNode();
        Arrays.stream(labels).forEach(json::add);
        return new Both(json, new ArrayList<>(List.of(labels)));
    }

    /** The request every case starts from; valid as it is. */
    public static ObjectNode validJson() {
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.put(RequestRules.TWEET_BODY, "Hello, reels!");
        body.put(RequestRules.PROFILE_NAME, "Ada Lovelace");
        body.put(RequestRules.USERNAME, "ada");
        return body;
    }

    /** The record every case starts from; valid as it is. */
    public static VideoRequested validRecord() {
        return VideoRequested.newBuilder()
                .setTweetBody("Hello, reels!")
                .setProfileName("Ada Lovelace")
                .setUsername("ada")
                .build();
    }

    public static Stream<Case> all() {
        return ALL.stream();
    }

    /** The cases a record on Kafka can carry as they are (see {@link Case#utf8Encodable}). */
    public static Stream<Case> onTheWire() {
        return all().filter(Case::utf8Encodable);
    }

    public static Case named(String name) {
        return all().filter(c -> c.name().equals(name))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no case named " + name));
    }
}
