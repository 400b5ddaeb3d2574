package io.tweetreel.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tweetreel.devstack.DevStackExtension;
import io.tweetreel.devstack.StackEndpoints;
import io.tweetreel.schemas.Theme;
import io.tweetreel.schemas.Topics;
import io.tweetreel.schemas.VideoRequested;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.generic.GenericRecordBuilder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The contract with producers in other languages: what the project writes can be read back through the
 * registry's Confluent-compatible API, and a record framed by hand the way a Confluent client frames it
 * (magic byte 0, 4-byte schema id from {@code /apis/ccompat/v7}, Avro binary) is read by the project's serde.
 */
@ExtendWith(DevStackExtension.class)
class RegistryInteropTest {
    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();

    private JsonNode get(String url) throws Exception {
        HttpResponse<String> response =
                http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("GET %s: %s", url, response.body()).isEqualTo(200);
        return json.readTree(response.body());
    }

    @Test
    void writerSchemaOfAPublishedRequestIsServedByTheConfluentCompatibleApi(StackEndpoints stack) throws Exception {
        Topics topics = Topics.withRegistry(stack.registryUrl());
        VideoRequested request = VideoRequested.newBuilder()
                .setTweetBody("interop")
                .setProfileName("Ada")
                .setUsername("ada")
                .build();
        byte[] bytes = topics.requested().valueSerde().serializer().serialize(Topics.VIDEOS_REQUESTED, request);

        assertThat(bytes[0]).as("Confluent magic byte").isEqualTo((byte) 0);
        int id = ByteBuffer.wrap(bytes, 1, 4).getInt();
        JsonNode served = get(stack.ccompatUrl() + "/schemas/ids/" + id);
        Schema writer = new Schema.Parser().parse(served.get("schema").asText());
        assertThat(writer).isEqualTo(VideoRequested.getClassSchema());
        assertThat(get(stack.ccompatUrl() + "/subjects").toString()).contains("videos.requested-value");
    }

    @Test
    void aRecordFramedLikeAConfluentClientIsReadByTheProjectSerde(StackEndpoints stack) throws Exception {
        // what a Python or Go producer does: register (or look up) the schema under <topic>-value ...
        String body = json.writeValueAsString(
                java.util.Map.of("schema", VideoRequested.getClassSchema().toString()));
        HttpResponse<String> registered = http.send(
                HttpRequest.newBuilder(URI.create(stack.ccompatUrl() + "/subjects/videos.requested-value/versions"))
                        .header("Content-Type", "application/vnd.schemaregistry.v1+json")
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(registered.statusCode()).as(registered.body()).isEqualTo(200);
        int id = json.readTree(registered.body()).get("id").asInt();

        // ... then frame generic Avro binary with the id it got back
        Schema schema = VideoRequested.getClassSchema();
        // a client's record builder fills in the defaults of the fields it does not set (webhookUrl, metadata)
        GenericRecord record = new GenericRecordBuilder(schema)
                .set("tweetBody", "from another language 👋")
                .set("profilePhotoUrl", null)
                .set("profileName", "Grace")
                .set("username", "grace_h")
                .set(
                        "theme",
                        new GenericData.EnumSymbol(schema.getField("theme").schema(), "light"))
                .set("durationSeconds", 10)
                .set("requestedAt", null)
                .build();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0);
        out.write(ByteBuffer.allocate(4).putInt(id).array());
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        new GenericDatumWriter<GenericRecord>(schema).write(record, encoder);
        encoder.flush();

        VideoRequested read = Topics.withRegistry(stack.registryUrl())
                .requested()
                .valueSerde()
                .deserializer()
                .deserialize(Topics.VIDEOS_REQUESTED, out.toByteArray());
        assertThat(read.getTweetBody()).isEqualTo("from another language 👋");
        assertThat(read.getTheme()).isEqualTo(Theme.light);
        assertThat(read.getDurationSeconds()).isEqualTo(10);
    }
}
