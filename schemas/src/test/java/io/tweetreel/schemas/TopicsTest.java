package io.tweetreel.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.generic.GenericRecordBuilder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class TopicsTest {
    private final Topics topics = Topics.with(new PlainAvroSerdeFactory());

    @Test
    void namesEveryTopicOfTheContract() {
        assertThat(Topics.ALL)
                .containsExactly(
                        "videos.requested",
                        "videos.screenshot",
                        "videos.composed",
                        "videos.stored",
                        "videos.status",
                        "videos.dead-letter",
                        "videos.webhook-deliveries",
                        "videos.webhook-commands",
                        "videos.cancellations",
                        "videos.batches",
                        "videos.batch-queue",
                        "videos.api-keys");
        assertThat(topics.status().name()).isEqualTo("videos.status");
    }

    @Test
    void requestRoundTripsWithDefaults() {
        VideoRequested request = VideoRequested.newBuilder()
                .setTweetBody("hello")
                .setProfileName("Ada")
                .setUsername("ada")
                .setRequestedAt(Instant.now().truncatedTo(ChronoUnit.MILLIS))
                .build();
        var serde = topics.requested().valueSerde();
        VideoRequested back =
                serde.deserializer().deserialize("t", serde.serializer().serialize("t", request));
        assertThat(back).isEqualTo(request);
        assertThat(back.getTheme()).isEqualTo(Theme.dark);
        // v6: 0 leaves the length to the pipeline (5 s for a still)
        assertThat(back.getDurationSeconds()).isZero();
        assertThat(back.getWebhookUrl()).isNull();
        assertThat(back.getMetadata()).isEmpty();
    }

    @Test
    void aRequestWrittenBeforeWebhooksExistedReadsWithNoWebhookAndNoMetadata() throws Exception {
        Schema v1 = new Schema.Parser().parse(new File("src/test/resources/schema-history/VideoRequested/v1.avsc"));
        GenericRecord old = new GenericRecordBuilder(v1)
                .set("tweetBody", "hello")
                .set("profileName", "Ada")
                .set("username", "ada")
                .build();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(bytes, null);
        new GenericDatumWriter<GenericRecord>(v1).write(old, encoder);
        encoder.flush();

        VideoRequested read = new SpecificDatumReader<VideoRequested>(v1, VideoRequested.getClassSchema())
                .read(null, DecoderFactory.get().binaryDecoder(bytes.toByteArray(), null));

        assertThat(read.getWebhookUrl()).isNull();
        assertThat(read.getMetadata()).isEmpty();
        assertThat(read.getTweetBody()).isEqualTo("hello");
    }

    @Test
    void garbageIsASerializationError() {
        var deserializer = topics.status().valueSerde().deserializer();
        assertThatThrownBy(() -> deserializer.deserialize("t", new byte[] {1, 2, 3}))
                .isInstanceOf(SerializationException.class);
    }
}
