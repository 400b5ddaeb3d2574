package io.tweetreel.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class TopicsTest {
    private final Topics topics = Topics.with(new PlainAvroSerdeFactory());

    @Test
    void namesEveryTopicOfTheContract() {
        assertThat(Topics.ALL).containsExactly("videos.requested", "videos.screenshot", "videos.composed",
                "videos.stored", "videos.status", "videos.dead-letter");
        assertThat(topics.status().name()).isEqualTo("videos.status");
    }

    @Test
    void requestRoundTripsWithDefaults() {
        VideoRequested request = VideoRequested.newBuilder()
                .setTweetBody("hello").setProfileName("Ada").setUsername("ada")
                .setRequestedAt(Instant.now().truncatedTo(ChronoUnit.MILLIS)).build();
        var serde = topics.requested().valueSerde();
        VideoRequested back = serde.deserializer().deserialize("t", serde.serializer().serialize("t", request));
        assertThat(back).isEqualTo(request);
        assertThat(back.getTheme()).isEqualTo(Theme.dark);
        assertThat(back.getDurationSeconds()).isEqualTo(5);
    }

    @Test
    void garbageIsASerializationError() {
        var deserializer = topics.status().valueSerde().deserializer();
        assertThatThrownBy(() -> deserializer.deserialize("t", new byte[] {1, 2, 3}))
                .isInstanceOf(SerializationException.class);
    }
}
