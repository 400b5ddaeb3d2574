package io.tweetreel.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.tweetreel.core.testing.RequestRuleCases;
import io.tweetreel.schemas.PlainAvroSerdeFactory;
import io.tweetreel.schemas.Theme;
import io.tweetreel.schemas.Topics;
import io.tweetreel.schemas.VideoRequested;
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
                        RequestRules.METADATA);
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
                .contains(new RequestRules.Violation(RequestRules.THEME, "must be \"dark\" or \"light\""));
        assertThat(RequestRules.checkTheme(null)).isPresent();
    }
}
