package io.tweetreel.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.tweetreel.core.testing.RequestRuleCases;
import io.tweetreel.schemas.Animation;
import io.tweetreel.schemas.MediaItem;
import io.tweetreel.schemas.MusicChoice;
import io.tweetreel.schemas.PlainAvroSerdeFactory;
import io.tweetreel.schemas.PostMetrics;
import io.tweetreel.schemas.QuotedPost;
import io.tweetreel.schemas.Theme;
import io.tweetreel.schemas.Topics;
import io.tweetreel.schemas.VerifiedBadge;
import io.tweetreel.schemas.VideoRequested;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The rules on a record as it arrives on {@code videos.requested}, before any serialisation. */
class RequestRulesTest {

    private static VideoRequested.Builder valid() {
        return VideoRequested.newBuilder()
                .setTweetBody("Hello, reels!")
                .setProfileName("Ada Lovelace")
                .setUsername("ada");
    }

    static List<RequestRuleCases.Case> cases() {
        return RequestRuleCases.ALL;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void eachBadValueIsOneViolationOfItsField(RequestRuleCases.Case bad) {
        assertThat(RequestRules.check(bad.record()))
                .containsExactly(new RequestRules.Violation(bad.field(), bad.message()));
    }

    @Test
    void theTableStartsFromAValidRequest() {
        assertThat(RequestRules.check(RequestRuleCases.validRecord())).isEmpty();
        assertThat(RequestRuleCases.ALL)
                .extracting(RequestRuleCases.Case::requestField)
                .containsOnly(
                        RequestRules.TWEET_BODY,
                        RequestRules.PROFILE_NAME,
                        RequestRules.USERNAME,
                        RequestRules.PROFILE_PHOTO_URL,
                        RequestRules.DURATION_SECONDS,
                        RequestRules.WEBHOOK_URL,
                        RequestRules.METADATA,
                        RequestRules.MEDIA,
                        RequestRules.QUOTE,
                        RequestRules.POSTED_AT,
                        RequestRules.TIME_ZONE,
                        RequestRules.LOCALE,
                        RequestRules.METRICS,
                        RequestRules.REPLY_TO,
                        RequestRules.ACCENT_COLOR,
                        RequestRules.FORMATS,
                        RequestRules.AUDIO_URL,
                        RequestRules.MUSIC);
    }

    @Test
    void valuesAtTheLimitsPass() {
        VideoRequested atLimits = valid().setTweetBody("😀".repeat(2000))
                .setProfileName("  " + "é".repeat(50) + " ")
                .setUsername("@abcdefghijklmno")
                .setProfilePhotoUrl(" HTTP://Example.com/" + "a".repeat(2028))
                .setTheme(Theme.light)
                .setDurationSeconds(30)
                .build();
        assertThat(RequestRules.check(atLimits)).isEmpty();
        assertThat(RequestRules.check(valid().setDurationSeconds(3)
                        .setTweetBody("line\r\n\ttab")
                        .build()))
                .isEmpty();
        java.util.Map<String, String> metadata = new java.util.HashMap<>();
        for (int i = 0; i < 16; i++) {
            metadata.put(Integer.toHexString(i) + "_.-" + "K".repeat(36), "😀".repeat(500));
        }
        assertThat(RequestRules.check(valid().setWebhookUrl(" https://hooks.example.com/" + "a".repeat(2022) + " ")
                        .setMetadata(metadata)
                        .build()))
                .isEmpty();
    }

    @Test
    void aBlankWebhookUrlIsNoWebhookAndAUrlIsTrimmed() {
        VideoRequested blank = valid().setWebhookUrl(" ").build();
        assertThat(RequestRules.check(blank)).isEmpty();
        assertThat(RequestRules.normalized(blank).getWebhookUrl()).isNull();
        assertThat(RequestRules.normalized(
                                valid().setWebhookUrl(" https://h.example/x ").build())
                        .getWebhookUrl())
                .isEqualTo("https://h.example/x");
    }

    @Test
    void aBlankPhotoUrlIsNoPhoto() {
        VideoRequested blank = valid().setProfilePhotoUrl("  ").build();
        assertThat(RequestRules.check(blank)).isEmpty();
        assertThat(RequestRules.normalized(blank).getProfilePhotoUrl()).isNull();
    }

    @Test
    void normalisedIsWhatTheCardShows() {
        VideoRequested request = RequestRules.normalized(valid().setProfileName("  Ada ")
                .setUsername("@ada")
                .setProfilePhotoUrl(" https://example.com/a.png\n")
                .build());
        assertThat(request.getProfileName()).isEqualTo("Ada");
        assertThat(request.getUsername()).isEqualTo("ada");
        assertThat(request.getProfilePhotoUrl()).isEqualTo("https://example.com/a.png");
    }

    @Test
    void everyBadFieldIsReportedInFieldOrderAndStatedTogether() {
        VideoRequested bad = valid().setTweetBody("")
                .setProfilePhotoUrl("ftp://x/a.png")
                .setProfileName(" ")
                .setUsername("a b")
                .setDurationSeconds(99)
                .build();
        List<RequestRules.Violation> problems = RequestRules.check(bad);
        assertThat(problems)
                .extracting(RequestRules.Violation::field)
                .containsExactly(
                        RequestRules.TWEET_BODY,
                        RequestRules.PROFILE_PHOTO_URL,
                        RequestRules.PROFILE_NAME,
                        RequestRules.USERNAME,
                        RequestRules.DURATION_SECONDS);
        assertThat(RequestRules.describe(problems.subList(0, 2)))
                .isEqualTo(
                        "Invalid request: tweetBody must not be empty; profilePhotoUrl must be an http:// or https:// URL");
    }

    @Test
    void aLoneSurrogateCannotTravelOnTheAvroWire() {
        // why RequestRuleCases.onTheWire() leaves those cases out: the encoder writes '?' instead
        var serde = Topics.with(new PlainAvroSerdeFactory()).requested().valueSerde();
        VideoRequested sent = valid().setTweetBody("broken \ud800 surrogate").build();
        VideoRequested received = serde.deserializer()
                .deserialize(Topics.VIDEOS_REQUESTED, serde.serializer().serialize(Topics.VIDEOS_REQUESTED, sent));
        assertThat(received.getTweetBody()).isEqualTo("broken ? surrogate");
    }

    @Test
    void aThemeIsNamedExactly() {
        assertThat(RequestRules.theme("light")).contains(Theme.light);
        assertThat(RequestRules.checkTheme("DARK"))
                .contains(new RequestRules.Violation(RequestRules.THEME, "must be \"dark\", \"light\" or \"dim\""));
        assertThat(RequestRules.theme("dim")).contains(Theme.dim);
        assertThat(RequestRules.checkTheme(null)).isPresent();
    }

    @Test
    void aBadgeIsNamedExactly() {
        assertThat(RequestRules.verified("gold")).contains(VerifiedBadge.gold);
        assertThat(RequestRules.checkVerified("quote.verified", "Gold"))
                .contains(new RequestRules.Violation(
                        "quote.verified", "must be \"none\", \"blue\", \"gold\" or \"grey\""));
    }

    private static MediaItem image(String url, String alt) {
        return MediaItem.newBuilder().setUrl(url).setAlt(alt).build();
    }

    private static QuotedPost.Builder quote() {
        return QuotedPost.newBuilder()
                .setTweetBody("Quoted")
                .setProfileName("Grace Hopper")
                .setUsername("grace");
    }

    @Test
    void theCardsFieldsAtTheirLimitsPass() {
        Clock clock = Clock.fixed(Instant.parse("2026-12-01T12:00:00Z"), ZoneOffset.UTC);
        MediaItem longest =
                image("https://example.com/" + "a".repeat(2048 - "https://example.com/".length()), "😀".repeat(1000));
        VideoRequested atLimits = valid().setMedia(List.of(longest, longest, longest, longest))
                .setQuote(quote().setTweetBody("😀".repeat(2000))
                        .setProfileName("é".repeat(50))
                        .setUsername("@abcdefghijklmno")
                        .setProfilePhotoUrl("https://example.com/g.png")
                        .setVerified(VerifiedBadge.grey)
                        .setMedia(List.of(longest))
                        .build())
                .setVerified(VerifiedBadge.gold)
                .setTheme(Theme.dim)
                .setPostedAt(Instant.parse("2026-12-02T12:00:00Z"))
                .setTimeZone("America/Argentina/ComodRivadavia")
                .setLocale("zh-Hant-TW-x-" + "abcdefgh-".repeat(2) + "abcd")
                .setMetrics(PostMetrics.newBuilder()
                        .setReplies(0L)
                        .setReposts(1_000_000_000_000_000L)
                        .setLikes(42L)
                        .build())
                .setReplyTo("@abcdefghijklmno")
                .setAccentColor("#1D9bf0")
                .setFormats(List.of("16:9", "9:16", "4:5", "1:1"))
                .build();
        assertThat(atLimits.getLocale()).hasSize(35);
        assertThat(RequestRules.check(atLimits, clock)).isEmpty();
        VideoRequested earliest = valid().setPostedAt(RequestRules.POSTED_AT_MIN)
                .setTimeZone("+02:00")
                .build();
        assertThat(RequestRules.check(earliest, clock)).isEmpty();
        assertThat(RequestRules.check(valid().setTimeZone("UTC").setLocale("de").build(), clock))
                .isEmpty();
    }

    @Test
    void postedAtMayBeUpToOneDayAhead() {
        Instant now = Instant.parse("2026-12-01T12:00:00Z");
        Clock clock = Clock.fixed(now, ZoneOffset.UTC);
        assertThat(RequestRules.check(
                        valid().setPostedAt(now.plusSeconds(86_400)).build(), clock))
                .isEmpty();
        assertThat(RequestRules.check(
                        valid().setPostedAt(now.plusSeconds(86_401)).build(), clock))
                .containsExactly(new RequestRules.Violation(
                        RequestRules.POSTED_AT, "must be from 2006-03-21T00:00:00Z to 1 day from now"));
    }

    @Test
    void anInstantIsReadWithZOrAnOffset() {
        assertThat(RequestRules.parseInstant("2026-12-01T15:04:05Z")).contains(Instant.parse("2026-12-01T15:04:05Z"));
        assertThat(RequestRules.parseInstant("2026-12-01T16:04:05.250+01:00"))
                .contains(Instant.parse("2026-12-01T15:04:05.250Z"));
        assertThat(RequestRules.parseInstant("2026-12-01 15:04")).isEmpty();
        assertThat(RequestRules.parseInstant("2026-12-01T15:04:05")).isEmpty();
    }

    @Test
    void fiveFormatsAreTooManyAndRepeatOne() {
        assertThat(RequestRules.checkFormats(List.of("9:16", "1:1", "4:5", "16:9", "1:1")))
                .containsExactly(
                        new RequestRules.Violation(RequestRules.FORMATS, "must list 1 to 4 formats (it has 5)"),
                        new RequestRules.Violation(RequestRules.FORMATS, "must not repeat a format (1:1)"));
        assertThat(RequestRules.checkFormats(List.of())).isEmpty();
    }

    @Test
    void everyBadItemOfAListIsReported() {
        VideoRequested bad = valid().setMedia(List.of(
                        image("ftp://a/x.png", null),
                        image("https://example.com/a.png", "ok"),
                        image("", "bell\u0007")))
                .build();
        assertThat(RequestRules.check(bad))
                .containsExactly(
                        new RequestRules.Violation("media[0].url", "must be an http:// or https:// URL"),
                        new RequestRules.Violation("media[2].url", "is required"),
                        new RequestRules.Violation("media[2].alt", "must not contain control characters"));
    }

    @Test
    void normalisedTrimsTheCardsFieldsAndTheQuote() {
        VideoRequested request = RequestRules.normalized(valid().setMedia(
                        List.of(image(" https://example.com/a.png ", "  "), image("https://example.com/b.png", " B ")))
                .setQuote(quote().setProfileName(" Grace ")
                        .setUsername("@grace")
                        .setProfilePhotoUrl(" ")
                        .setMedia(List.of(image("\thttps://example.com/q.png", null)))
                        .build())
                .setTimeZone(" Europe/Paris ")
                .setLocale("de-de")
                .setReplyTo(" @grace ")
                .setAccentColor("#1D9BF0")
                .build());
        assertThat(request.getMedia())
                .containsExactly(image("https://example.com/a.png", null), image("https://example.com/b.png", "B"));
        assertThat(request.getQuote().getProfileName()).isEqualTo("Grace");
        assertThat(request.getQuote().getUsername()).isEqualTo("grace");
        assertThat(request.getQuote().getProfilePhotoUrl()).isNull();
        assertThat(request.getQuote().getMedia()).containsExactly(image("https://example.com/q.png", null));
        assertThat(request.getTimeZone()).isEqualTo("Europe/Paris");
        assertThat(request.getLocale()).isEqualTo("de-DE");
        assertThat(request.getReplyTo()).isEqualTo("grace");
        assertThat(request.getAccentColor()).isEqualTo("#1d9bf0");

        VideoRequested blanks = valid().setTimeZone(" ")
                .setLocale("")
                .setReplyTo(" ")
                .setAccentColor("")
                .build();
        assertThat(RequestRules.check(blanks)).isEmpty();
        VideoRequested absent = RequestRules.normalized(blanks);
        assertThat(Arrays.asList(
                        absent.getTimeZone(), absent.getLocale(), absent.getReplyTo(), absent.getAccentColor()))
                .containsOnlyNulls();
    }

    @Test
    void motionAndSoundFieldsPassWithEveryValueTheyMayHave() {
        for (Animation animation : Animation.values()) {
            assertThat(RequestRules.check(
                            valid().setAnimation(animation).setZoom(true).build()))
                    .isEmpty();
        }
        for (String music : MusicChoice.labels()) {
            assertThat(RequestRules.check(valid().setMusic(music).build())).isEmpty();
        }
        VideoRequested ownTrack = valid().setAudioUrl(" HTTPS://cdn.example.com/" + "a".repeat(2023) + "\n")
                .build();
        assertThat(RequestRules.check(ownTrack)).isEmpty();
        assertThat(RequestRules.normalized(ownTrack).getAudioUrl())
                .isEqualTo(ownTrack.getAudioUrl().strip());
    }

    @Test
    void aRecordLeavingTheLengthToThePipelinePasses() {
        VideoRequested reveal = valid().setAnimation(Animation.reveal).build();
        assertThat(reveal.getDurationSeconds()).isEqualTo(RequestRules.DURATION_CHOSEN_BY_PIPELINE);
        assertThat(RequestRules.check(reveal)).isEmpty();
        assertThat(RequestRules.check(valid().setDurationSeconds(2).build()))
                .extracting(RequestRules.Violation::field)
                .containsExactly(RequestRules.DURATION_SECONDS);
    }

    @Test
    void musicAndAnAudioUrlTogetherAreRefusedOnMusic() {
        VideoRequested both = valid().setMusic("calm")
                .setAudioUrl("https://cdn.example.com/track.mp3")
                .build();
        assertThat(RequestRules.check(both))
                .containsExactly(
                        new RequestRules.Violation(RequestRules.MUSIC, "give either music or audioUrl, not both"));
        // "default" names the bundled track too: still two tracks.
        assertThat(RequestRules.check(valid().setMusic("default")
                        .setAudioUrl("https://cdn.example.com/track.mp3")
                        .build()))
                .extracting(RequestRules.Violation::field)
                .containsExactly(RequestRules.MUSIC);
        // A blank audio URL is no audio URL.
        assertThat(RequestRules.check(valid().setMusic("calm").setAudioUrl("  ").build()))
                .isEmpty();
        assertThat(RequestRules.normalized(valid().setAudioUrl("  ").build()).getAudioUrl())
                .isNull();
    }

    @Test
    void anUnknownMusicNextToAnAudioUrlIsOneProblem() {
        assertThat(RequestRules.check(valid().setMusic("jazz")
                        .setAudioUrl("https://cdn.example.com/track.mp3")
                        .build()))
                .containsExactly(new RequestRules.Violation(
                        RequestRules.MUSIC, "must be \"default\", \"none\", \"calm\", \"upbeat\" or \"cinematic\""));
    }

    @Test
    void anAnimationIsNamedExactly() {
        assertThat(RequestRules.animation("reveal")).contains(Animation.reveal);
        assertThat(RequestRules.checkAnimation("Reveal"))
                .contains(new RequestRules.Violation(RequestRules.ANIMATION, "must be \"none\" or \"reveal\""));
        assertThat(RequestRules.checkAnimation(null)).isPresent();
        assertThat(RequestRules.check(valid().build())).isEmpty();
        VideoRequested noAnimation = valid().build();
        noAnimation.put(RequestRules.ANIMATION, null);
        assertThat(RequestRules.check(noAnimation))
                .extracting(RequestRules.Violation::field)
                .containsExactly(RequestRules.ANIMATION);
    }
}
