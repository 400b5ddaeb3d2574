package io.tweetreel.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tweetreel.core.Json;
import io.tweetreel.core.RequestRules;
import io.tweetreel.schemas.Animation;
import io.tweetreel.schemas.MediaItem;
import io.tweetreel.schemas.PostMetrics;
import io.tweetreel.schemas.QuotedPost;
import io.tweetreel.schemas.Theme;
import io.tweetreel.schemas.VerifiedBadge;
import io.tweetreel.schemas.VideoRequested;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The job model's rules, field by field. */
class RequestValidationTest {

    private static ObjectNode valid() {
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.put("tweetBody", "Hello, reels!");
        body.put("profileName", "Ada Lovelace");
        body.put("username", "ada");
        return body;
    }

    private static List<FieldError> errors(JsonNode body) {
        return RequestValidation.validate(body).errors();
    }

    private static VideoRequested accepted(JsonNode body) {
        RequestValidation.Outcome outcome = RequestValidation.validate(body);
        assertThat(outcome.errors()).isEmpty();
        return outcome.request();
    }

    @Test
    void aMinimalRequestGetsTheDefaults() {
        VideoRequested r = accepted(valid());
        assertThat(r.getTweetBody()).isEqualTo("Hello, reels!");
        assertThat(r.getTheme()).isEqualTo(Theme.dark);
        // no durationSeconds: the pipeline chooses (5 s for a still, paced from the text for a reveal)
        assertThat(r.getDurationSeconds()).isEqualTo(RequestRules.DURATION_CHOSEN_BY_PIPELINE);
        assertThat(r.getProfilePhotoUrl()).isNull();
        assertThat(r.getRequestedAt()).isNull();
        assertThat(r.getAnimation()).isEqualTo(Animation.none);
        assertThat(r.getZoom()).isFalse();
        assertThat(r.getAudioUrl()).isNull();
        assertThat(r.getMusic()).isNull();
    }

    @Test
    void aFullRequestIsKeptAsSent() {
        ObjectNode body = valid();
        body.put("tweetBody", "line one\nline two\t🚀");
        body.put("profilePhotoUrl", "https://example.com/a.png?size=400");
        body.put("username", "@Ada_99");
        body.put("theme", "light");
        body.put("durationSeconds", 30);
        VideoRequested r = accepted(body);
        assertThat(r.getTweetBody()).isEqualTo("line one\nline two\t🚀");
        assertThat(r.getProfilePhotoUrl()).isEqualTo("https://example.com/a.png?size=400");
        assertThat(r.getUsername()).isEqualTo("Ada_99");
        assertThat(r.getTheme()).isEqualTo(Theme.light);
        assertThat(r.getDurationSeconds()).isEqualTo(30);
    }

    @Test
    void nullMeansAbsent() {
        ObjectNode body = valid();
        body.putNull("profilePhotoUrl");
        body.putNull("theme");
        body.putNull("durationSeconds");
        body.putNull("animation");
        body.putNull("zoom");
        body.putNull("audioUrl");
        body.putNull("music");
        VideoRequested r = accepted(body);
        assertThat(r.getTheme()).isEqualTo(Theme.dark);
        assertThat(r.getDurationSeconds()).isEqualTo(RequestRules.DURATION_CHOSEN_BY_PIPELINE);
        assertThat(r.getAnimation()).isEqualTo(Animation.none);
        assertThat(r.getZoom()).isFalse();
        assertThat(r.getAudioUrl()).isNull();
        assertThat(r.getMusic()).isNull();

        ObjectNode missing = valid();
        missing.putNull("tweetBody");
        assertThat(errors(missing)).containsExactly(new FieldError("tweetBody", "is required"));
    }

    @Test
    void tweetBodyIsOneTo2000CodePoints() {
        ObjectNode body = valid();
        body.put("tweetBody", "😀".repeat(2000)); // 4000 UTF-16 units, 2000 characters
        accepted(body);
        body.put("tweetBody", "x".repeat(2001));
        assertThat(errors(body))
                .containsExactly(new FieldError("tweetBody", "must be at most 2000 characters (it has 2001)"));
        body.put("tweetBody", "");
        assertThat(errors(body)).containsExactly(new FieldError("tweetBody", "must not be empty"));
        body.put("tweetBody", " \n\t ");
        assertThat(errors(body)).containsExactly(new FieldError("tweetBody", "must not be empty"));
        body.put("tweetBody", "bell\u0007");
        assertThat(errors(body)).containsExactly(new FieldError("tweetBody", "must not contain control characters"));
        body.put("tweetBody", "broken \ud800 surrogate");
        assertThat(errors(body)).containsExactly(new FieldError("tweetBody", "must be valid Unicode text"));
        body.remove("tweetBody");
        assertThat(errors(body)).containsExactly(new FieldError("tweetBody", "is required"));
        body.put("tweetBody", 42);
        assertThat(errors(body)).containsExactly(new FieldError("tweetBody", "must be a string"));
    }

    @Test
    void profileNameIsOneTo50CharactersTrimmed() {
        ObjectNode body = valid();
        body.put("profileName", "  Ada  ");
        assertThat(accepted(body).getProfileName()).isEqualTo("Ada");
        body.put("profileName", "é".repeat(50));
        accepted(body);
        body.put("profileName", "x".repeat(51));
        assertThat(errors(body))
                .containsExactly(new FieldError("profileName", "must be at most 50 characters (it has 51)"));
        body.put("profileName", "   ");
        assertThat(errors(body)).containsExactly(new FieldError("profileName", "must not be empty"));
        body.put("profileName", "Ada\nLovelace");
        assertThat(errors(body)).containsExactly(new FieldError("profileName", "must not contain control characters"));
        body.set("profileName", Json.MAPPER.createArrayNode());
        assertThat(errors(body)).containsExactly(new FieldError("profileName", "must be a string"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"a", "ada", "@ada", "A_1", "abcdefghijklmno", "@abcdefghijklmno", "___"})
    void usernamesThatAreAccepted(String username) {
        ObjectNode body = valid();
        body.put("username", username);
        assertThat(accepted(body).getUsername()).isEqualTo(username.replaceFirst("^@", ""));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "@", "@@ada", "abcdefghijklmnop", "ada lovelace", "ada-x", "ädä", "ada@", "a.b"})
    void usernamesThatAreRefused(String username) {
        ObjectNode body = valid();
        body.put("username", username);
        List<FieldError> errors = errors(body);
        assertThat(errors).hasSize(1);
        assertThat(errors.get(0).field()).isEqualTo("username");
    }

    @ParameterizedTest
    @CsvSource({
        "ftp://example.com/a.png, must be an http:// or https:// URL",
        "javascript:alert(1), must be an http:// or https:// URL",
        "/relative/a.png, must be an http:// or https:// URL",
        "https:///a.png, must be an absolute URL with a host",
        "https://user:pw@example.com/a.png, must not contain a user name or password",
        "https://exa mple.com/a.png, must be a valid URL"
    })
    void photoUrlsThatAreRefused(String url, String message) {
        ObjectNode body = valid();
        body.put("profilePhotoUrl", url);
        assertThat(errors(body)).containsExactly(new FieldError("profilePhotoUrl", message));
    }

    @Test
    void photoUrlIsOptional() {
        ObjectNode body = valid();
        body.put("profilePhotoUrl", "   ");
        assertThat(accepted(body).getProfilePhotoUrl()).isNull();
        body.put("profilePhotoUrl", "HTTP://Example.com/a.png");
        assertThat(accepted(body).getProfilePhotoUrl()).isEqualTo("HTTP://Example.com/a.png");
        body.put("profilePhotoUrl", "https://example.com/" + "a".repeat(2048));
        assertThat(errors(body)).containsExactly(new FieldError("profilePhotoUrl", "must be at most 2048 characters"));
        body.put("profilePhotoUrl", 7);
        assertThat(errors(body)).containsExactly(new FieldError("profilePhotoUrl", "must be a string"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"DARK\"", "\"blue\"", "\"\"", "1", "true", "[\"dark\"]"})
    void themeIsDarkLightOrDim(String theme) throws Exception {
        ObjectNode body = valid();
        body.set("theme", Json.MAPPER.readTree(theme));
        assertThat(errors(body)).containsExactly(new FieldError("theme", "must be \"dark\", \"light\" or \"dim\""));
        body.put("theme", "dim");
        assertThat(accepted(body).getTheme()).isEqualTo(Theme.dim);
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "2 | must be from 3 to 30 seconds",
                "31 | must be from 3 to 30 seconds",
                "-5 | must be from 3 to 30 seconds",
                "99999999999999999999999 | must be from 3 to 30 seconds",
                "5.5 | must be a whole number of seconds",
                "5.0 | must be a whole number of seconds",
                "\"5\" | must be a whole number of seconds",
                "1e400 | must be a whole number of seconds",
                "true | must be a whole number of seconds"
            })
    void durationIsAWholeNumberFrom3To30(String json, String message) throws Exception {
        ObjectNode body = valid();
        body.set("durationSeconds", Json.MAPPER.readTree(json));
        assertThat(errors(body)).containsExactly(new FieldError("durationSeconds", message));
    }

    @Test
    void durationBounds() {
        ObjectNode body = valid();
        body.put("durationSeconds", 3);
        assertThat(accepted(body).getDurationSeconds()).isEqualTo(3);
        body.put("durationSeconds", 30);
        assertThat(accepted(body).getDurationSeconds()).isEqualTo(30);
    }

    @Test
    void unknownFieldsAreRefusedOneByOne() {
        ObjectNode body = valid();
        body.put("tweet_body", "typo");
        body.put("requestedAt", "2026-11-28T10:00:00Z");
        assertThat(errors(body))
                .containsExactlyInAnyOrder(
                        new FieldError("tweet_body", "is not a known field"),
                        new FieldError("requestedAt", "is not a known field"));
    }

    @Test
    void everyBadFieldIsReportedOnce() {
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.put("username", "not valid!");
        body.put("theme", "neon");
        body.put("durationSeconds", 1);
        assertThat(errors(body))
                .extracting(FieldError::field)
                .containsExactly("tweetBody", "profileName", "username", "theme", "durationSeconds");
    }

    @Test
    void theBodyMustBeAnObject() throws Exception {
        assertThat(errors(Json.MAPPER.readTree("[1,2]")))
                .containsExactly(new FieldError("", "the body must be a JSON object"));
        assertThat(errors(Json.MAPPER.readTree("\"text\""))).hasSize(1);
    }

    @Test
    void webhookUrlAndMetadataAreKeptAsSent() throws Exception {
        ObjectNode body = valid();
        body.put("webhookUrl", "  https://hooks.example.com/reels?team=7 ");
        body.set("metadata", Json.MAPPER.readTree("""
                {"order-id":"A-1042","campaign.name":"Spring sale","empty":"","note":"ünïcödé 🚀"}"""));
        VideoRequested r = accepted(body);
        assertThat(r.getWebhookUrl()).isEqualTo("https://hooks.example.com/reels?team=7");
        assertThat(r.getMetadata())
                .containsExactly(
                        Map.entry("order-id", "A-1042"),
                        Map.entry("campaign.name", "Spring sale"),
                        Map.entry("empty", ""),
                        Map.entry("note", "ünïcödé 🚀"));
    }

    @Test
    void webhookUrlAndMetadataAreOptional() {
        VideoRequested absent = accepted(valid());
        assertThat(absent.getWebhookUrl()).isNull();
        assertThat(absent.getMetadata()).isEmpty();

        ObjectNode nulls = valid();
        nulls.putNull("webhookUrl");
        nulls.putNull("metadata");
        assertThat(accepted(nulls).getMetadata()).isEmpty();

        ObjectNode blank = valid();
        blank.put("webhookUrl", " ");
        blank.set("metadata", Json.MAPPER.createObjectNode());
        assertThat(accepted(blank).getWebhookUrl()).isNull();
    }

    @Test
    void metadataAtItsLimitsPasses() {
        ObjectNode metadata = Json.MAPPER.createObjectNode();
        for (int i = 1; i <= 16; i++) {
            metadata.put(i + "_" + "k".repeat(38 - Integer.toString(i).length()), "é".repeat(500));
        }
        ObjectNode body = valid();
        body.set("metadata", metadata);
        assertThat(accepted(body).getMetadata()).hasSize(16);
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "[] | metadata | must be an object of strings",
                "\"a=b\" | metadata | must be an object of strings",
                "7 | metadata | must be an object of strings",
                "{\"n\":1} | metadata.n | must be a string",
                "{\"n\":null} | metadata.n | must be a string",
                "{\"n\":{\"deeper\":\"x\"}} | metadata.n | must be a string",
                "{\"n\":[\"x\"]} | metadata.n | must be a string",
                "{\"k\":\"bell\\u0007\"} | metadata.k | must not contain control characters",
                "{\"k\":\"tab\\tinside\"} | metadata.k | must not contain control characters"
            })
    void metadataIsAnObjectOfStrings(String json, String field, String message) throws Exception {
        ObjectNode body = valid();
        body.set("metadata", Json.MAPPER.readTree(json));
        assertThat(errors(body)).containsExactly(new FieldError(field, message));
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"bad key\":1}", "{\"tab\\there\":\"x\"}", "{\"\":\"x\"}", "{\"ключ\":\"x\"}"})
    void badMetadataKeysAreReportedWithoutEchoingThem(String json) throws Exception {
        ObjectNode body = valid();
        body.set("metadata", Json.MAPPER.readTree(json));
        assertThat(errors(body))
                .containsExactly(new FieldError("metadata", "keys must be 1 to 40 letters, digits, '_', '.' or '-'"));
    }

    @Test
    void everyKeyCountsTowardsTheLimitWhateverItsValue() {
        ObjectNode metadata = Json.MAPPER.createObjectNode();
        for (int i = 1; i <= 16; i++) {
            metadata.put("k" + i, "v");
        }
        metadata.put("seventeenth", 17);
        ObjectNode body = valid();
        body.set("metadata", metadata);
        assertThat(errors(body))
                .containsExactly(
                        new FieldError("metadata", "must have at most 16 keys (it has 17)"),
                        new FieldError("metadata.seventeenth", "must be a string"));
    }

    @Test
    void everyBadMetadataValueIsReportedUnderItsKey() throws Exception {
        ObjectNode body = valid();
        body.set("metadata", Json.MAPPER.readTree("""
                {"b":"%s","a":"ok","c":"line\\nbreak","?":"x"}""".formatted("x".repeat(501))));
        assertThat(errors(body))
                .containsExactly(
                        new FieldError("metadata", "keys must be 1 to 40 letters, digits, '_', '.' or '-'"),
                        new FieldError("metadata.b", "must be at most 500 characters (it has 501)"),
                        new FieldError("metadata.c", "must not contain control characters"));
    }

    @Test
    void webhookUrlMustBeAString() {
        ObjectNode body = valid();
        body.put("webhookUrl", 7);
        assertThat(errors(body)).containsExactly(new FieldError("webhookUrl", "must be a string"));
    }

    private static ObjectNode withJson(String field, String json) throws Exception {
        ObjectNode body = valid();
        body.set(field, Json.MAPPER.readTree(json));
        return body;
    }

    @Test
    void theCardsFieldsAreKeptAsSentAndNormalised() throws Exception {
        ObjectNode body = (ObjectNode) Json.MAPPER.readTree("""
                {"tweetBody": "Look", "profileName": "Ada", "username": "ada", "theme": "dim",
                 "verified": "blue",
                 "media": [{"url": " https://example.com/a.png ", "alt": "A cat"},
                           {"url": "https://example.com/b.png"}],
                 "quote": {"tweetBody": "Quoted", "profileName": " Grace ", "username": "@grace",
                           "profilePhotoUrl": "", "verified": "gold",
                           "media": [{"url": "https://example.com/q.png", "alt": " "}]},
                 "postedAt": "2026-12-01T16:04:05.123+01:00", "timeZone": "Europe/Paris", "locale": "de-de",
                 "metrics": {"replies": 0, "likes": 1200, "views": 1000000000000000},
                 "replyTo": "@grace", "accentColor": "#1D9BF0", "formats": ["1:1", "9:16"]}
                """);
        Clock clock = Clock.fixed(Instant.parse("2026-12-01T18:00:00Z"), ZoneOffset.UTC);
        RequestValidation.Outcome outcome = RequestValidation.validate(body, clock);
        assertThat(outcome.errors()).isEmpty();
        VideoRequested r = outcome.request();
        assertThat(r.getTheme()).isEqualTo(Theme.dim);
        assertThat(r.getVerified()).isEqualTo(VerifiedBadge.blue);
        assertThat(r.getMedia())
                .containsExactly(
                        new MediaItem("https://example.com/a.png", "A cat"),
                        new MediaItem("https://example.com/b.png", null));
        assertThat(r.getQuote())
                .isEqualTo(new QuotedPost(
                        "Quoted",
                        "Grace",
                        "grace",
                        null,
                        VerifiedBadge.gold,
                        List.of(new MediaItem("https://example.com/q.png", null))));
        assertThat(r.getPostedAt()).isEqualTo(Instant.parse("2026-12-01T15:04:05.123Z"));
        assertThat(r.getTimeZone()).isEqualTo("Europe/Paris");
        assertThat(r.getLocale()).isEqualTo("de-DE");
        assertThat(r.getMetrics()).isEqualTo(new PostMetrics(0L, null, 1200L, 1_000_000_000_000_000L, null));
        assertThat(r.getReplyTo()).isEqualTo("grace");
        assertThat(r.getAccentColor()).isEqualTo("#1d9bf0");
        assertThat(r.getFormats()).containsExactly("1:1", "9:16");
    }

    @Test
    void theCardsFieldsAreOptional() throws Exception {
        VideoRequested r = accepted(valid());
        assertThat(r.getVerified()).isEqualTo(VerifiedBadge.none);
        assertThat(r.getMedia()).isEmpty();
        assertThat(r.getQuote()).isNull();
        assertThat(r.getPostedAt()).isNull();
        assertThat(r.getMetrics()).isNull();
        assertThat(r.getFormats()).isEmpty();
        ObjectNode nulls = valid();
        for (String field : List.of(
                "verified",
                "media",
                "quote",
                "postedAt",
                "timeZone",
                "locale",
                "metrics",
                "replyTo",
                "accentColor",
                "formats")) {
            nulls.putNull(field);
        }
        assertThat(accepted(nulls).getFormats()).isEmpty();
        ObjectNode blanks = valid();
        for (String field : List.of("timeZone", "locale", "replyTo", "accentColor")) {
            blanks.put(field, "");
        }
        VideoRequested blank = accepted(blanks);
        assertThat(blank.getTimeZone()).isNull();
        assertThat(blank.getReplyTo()).isNull();
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "verified | \"Blue\" | verified | must be \"none\", \"blue\", \"gold\" or \"grey\"",
                "verified | true | verified | must be \"none\", \"blue\", \"gold\" or \"grey\"",
                "media | {\"url\": \"https://e.com/a.png\"} | media | must be an array of images {url, alt}",
                "media | [\"https://e.com/a.png\"] | media[0] | must be an object {url, alt}",
                "media | [{\"alt\": \"x\"}] | media[0].url | is required",
                "media | [{\"url\": 5}] | media[0].url | must be a string",
                "media | [{\"url\": \"https://e.com/a\", \"alt\": 5}] | media[0].alt | must be a string",
                "media | [{\"url\": \"https://e.com/a\", \"title\": \"x\"}] | media[0].title | is not a known field",
                "quote | \"a post\" | quote | must be an object with the quoted post's fields",
                "quote | {\"tweetBody\": \"q\", \"profileName\": \"G\"} | quote.username | is required",
                "quote | {\"tweetBody\": \"q\", \"profileName\": \"G\", \"username\": \"g\", \"verified\": \"red\"}"
                        + " | quote.verified | must be \"none\", \"blue\", \"gold\" or \"grey\"",
                "quote | {\"tweetBody\": \"q\", \"profileName\": \"G\", \"username\": \"g\", \"quote\": {}}"
                        + " | quote.quote | is not a known field",
                "quote | {\"tweetBody\": 1, \"profileName\": \"G\", \"username\": \"g\"}"
                        + " | quote.tweetBody | must be a string",
                "postedAt | 1764601445000 | postedAt | must be an ISO-8601 instant such as 2026-12-01T15:04:05Z",
                "postedAt | \"2026-12-01\" | postedAt | must be an ISO-8601 instant such as 2026-12-01T15:04:05Z",
                "postedAt | \"2026-12-01T15:04:05\" | postedAt"
                        + " | must be an ISO-8601 instant such as 2026-12-01T15:04:05Z",
                "timeZone | 2 | timeZone | must be a string",
                "locale | [\"de\"] | locale | must be a string",
                "metrics | [1, 2] | metrics | must be an object of counts",
                "metrics | {\"likes\": 1.5} | metrics.likes | must be a whole number from 0 to 1000000000000000",
                "metrics | {\"likes\": \"12\"} | metrics.likes | must be a whole number from 0 to 1000000000000000",
                "metrics | {\"likes\": 99999999999999999999999} | metrics.likes"
                        + " | must be a whole number from 0 to 1000000000000000",
                "metrics | {\"quotes\": 1} | metrics.quotes | is not a known field",
                "replyTo | 7 | replyTo | must be a string",
                "accentColor | 1931760 | accentColor | must be a string",
                "formats | \"9:16\" | formats | must be an array of formats such as [\"9:16\"]",
                "formats | [] | formats | must list 1 to 4 formats",
                "formats | [916] | formats[0] | must be \"9:16\", \"1:1\", \"4:5\" or \"16:9\""
            })
    void theCardsFieldsHaveTheirJsonTypes(String field, String json, String errorField, String message)
            throws Exception {
        assertThat(errors(withJson(field, json))).containsExactly(new FieldError(errorField, message));
    }

    @Test
    void everyMistakeInTheCardsFieldsIsListed() throws Exception {
        ObjectNode body = (ObjectNode) Json.MAPPER.readTree("""
                {"tweetBody": "Look", "profileName": "Ada", "username": "ada",
                 "media": [{"url": 5}, {"url": "ftp://e.com/b.png"}, "x"],
                 "quote": {"tweetBody": "", "profileName": 3, "username": "a b"},
                 "formats": ["9:16", "9:16", "2:1"]}
                """);
        assertThat(errors(body))
                .containsExactly(
                        new FieldError("media[0].url", "must be a string"),
                        new FieldError("media[2]", "must be an object {url, alt}"),
                        new FieldError("media[1].url", "must be an http:// or https:// URL"),
                        new FieldError("quote.profileName", "must be a string"),
                        new FieldError("quote.tweetBody", "must not be empty"),
                        new FieldError(
                                "quote.username",
                                "must be 1 to 15 letters, digits or underscores (a leading @ is allowed)"),
                        new FieldError("formats[2]", "must be \"9:16\", \"1:1\", \"4:5\" or \"16:9\""),
                        new FieldError("formats", "must not repeat a format (9:16)"));
    }

    @Test
    void postedAtIsCheckedAgainstTheGatewaysClock() throws Exception {
        Clock clock = Clock.fixed(Instant.parse("2026-12-01T12:00:00Z"), ZoneOffset.UTC);
        assertThat(validateAt(withJson("postedAt", "\"2026-12-02T12:00:00Z\""), clock))
                .isEmpty();
        assertThat(validateAt(withJson("postedAt", "\"2026-12-02T12:00:01Z\""), clock))
                .containsExactly(new FieldError("postedAt", "must be from 2006-03-21T00:00:00Z to 1 day from now"));
    }

    private static List<FieldError> validateAt(JsonNode body, Clock clock) {
        return RequestValidation.validate(body, clock).errors();
    }

    @Test
    void theFingerprintCoversTheCardsFields() throws Exception {
        String base = RequestFingerprint.of(accepted(valid()));
        List<ObjectNode> variants = List.of(
                withJson("media", "[{\"url\": \"https://example.com/a.png\"}]"),
                withJson("media", "[{\"url\": \"https://example.com/a.png\", \"alt\": \"a\"}]"),
                withJson("quote", "{\"tweetBody\": \"q\", \"profileName\": \"G\", \"username\": \"g\"}"),
                withJson("verified", "\"blue\""),
                withJson("postedAt", "\"2026-01-01T00:00:00Z\""),
                withJson("timeZone", "\"Europe/Paris\""),
                withJson("locale", "\"de\""),
                withJson("metrics", "{\"likes\": 1}"),
                withJson("replyTo", "\"grace\""),
                withJson("accentColor", "\"#000000\""),
                withJson("theme", "\"dim\""),
                withJson("formats", "[\"1:1\"]"),
                withJson("formats", "[\"9:16\", \"1:1\"]"),
                withJson("formats", "[\"1:1\", \"9:16\"]"),
                withJson("animation", "\"reveal\""),
                withJson("zoom", "true"),
                withJson("music", "\"calm\""),
                withJson("audioUrl", "\"https://cdn.example.com/track.mp3\""),
                withJson("durationSeconds", "5"));
        List<String> fingerprints =
                variants.stream().map(v -> RequestFingerprint.of(accepted(v))).toList();
        assertThat(fingerprints).doesNotContain(base).doesNotHaveDuplicates();
        // the same request written differently (case, @, whitespace) is the same request
        assertThat(RequestFingerprint.of(accepted(withJson("replyTo", "\" @grace \""))))
                .isEqualTo(fingerprints.get(8));
    }

    @Test
    void motionAndSoundAreKeptAsSent() throws Exception {
        ObjectNode body = valid();
        body.put("animation", "reveal");
        body.put("zoom", true);
        body.put("music", "cinematic");
        VideoRequested r = accepted(body);
        assertThat(r.getAnimation()).isEqualTo(Animation.reveal);
        assertThat(r.getZoom()).isTrue();
        assertThat(r.getMusic()).isEqualTo("cinematic");
        assertThat(r.getAudioUrl()).isNull();
        assertThat(r.getDurationSeconds()).isEqualTo(RequestRules.DURATION_CHOSEN_BY_PIPELINE);

        VideoRequested own = accepted(withJson("audioUrl", "\" https://cdn.example.com/track.mp3?v=2 \""));
        assertThat(own.getAudioUrl()).isEqualTo("https://cdn.example.com/track.mp3?v=2");
        assertThat(own.getMusic()).isNull();
        // what an HTML form sends for an empty field: no audio URL
        assertThat(accepted(withJson("audioUrl", "\"\"")).getAudioUrl()).isNull();
        for (String music : io.tweetreel.schemas.MusicChoice.labels()) {
            assertThat(accepted(withJson("music", "\"" + music + "\"")).getMusic())
                    .isEqualTo(music);
        }
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "animation | \"fade\"      | must be \"none\" or \"reveal\"",
                "animation | \"Reveal\"    | must be \"none\" or \"reveal\"",
                "animation | true          | must be \"none\" or \"reveal\"",
                "animation | [\"reveal\"]  | must be \"none\" or \"reveal\"",
                "zoom      | \"true\"      | must be true or false",
                "zoom      | 1             | must be true or false",
                "zoom      | {}            | must be true or false",
                "music     | \"jazz\"      | must be \"default\", \"none\", \"calm\", \"upbeat\" or \"cinematic\"",
                "music     | \"CALM\"      | must be \"default\", \"none\", \"calm\", \"upbeat\" or \"cinematic\"",
                "music     | 3             | must be \"default\", \"none\", \"calm\", \"upbeat\" or \"cinematic\"",
                "audioUrl  | 5             | must be a string",
                "audioUrl  | \"file:///etc/passwd\" | must be an http:// or https:// URL",
                "audioUrl  | \"https://a:b@cdn.example.com/t.mp3\" | must not contain a user name or password",
            })
    void motionAndSoundFieldsHaveStrictTypesAndNamedValues(String field, String json, String message) throws Exception {
        assertThat(errors(withJson(field, json))).containsExactly(new FieldError(field, message));
    }

    @Test
    void musicAndAnAudioUrlTogetherAreRefusedOnMusic() throws Exception {
        ObjectNode both = valid();
        both.put("music", "upbeat");
        both.put("audioUrl", "https://cdn.example.com/track.mp3");
        assertThat(errors(both)).containsExactly(new FieldError("music", "give either music or audioUrl, not both"));

        // a bad audio URL next to music: both mistakes are named
        both.put("audioUrl", "ftp://cdn.example.com/track.mp3");
        assertThat(errors(both)).extracting(FieldError::field).containsExactly("audioUrl", "music");

        // an empty audio URL is no audio URL
        both.put("audioUrl", " ");
        assertThat(accepted(both).getMusic()).isEqualTo("upbeat");
    }

    @Test
    void aRecordFromJsonPassesTheRulesTheRendererApplies() throws Exception {
        ObjectNode body = valid();
        body.put("animation", "reveal");
        body.put("zoom", true);
        body.put("audioUrl", "https://cdn.example.com/track.mp3");
        assertThat(RequestRules.check(accepted(body))).isEmpty();
        assertThat(RequestRules.check(accepted(valid()))).isEmpty();
    }
}
