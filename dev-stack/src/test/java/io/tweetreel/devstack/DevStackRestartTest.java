package io.tweetreel.devstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.minio.GetObjectArgs;
import io.minio.ListBucketsArgs;
import io.minio.MakeBucketArgs;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import io.minio.Result;
import io.minio.messages.Bucket;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A second start on the same state directory finds the topics, objects and schema ids of the first. */
class DevStackRestartTest {

    private static final String SUBJECT = "videos.requested-value";
    private static final String SCHEMA = """
            {"type":"record","name":"Restart","namespace":"io.tweetreel.test",
             "fields":[{"name":"jobId","type":"string"}]}""";
    private static final String TOPIC = "videos.requested";
    private static final String BUCKET = "tweetreel-work";
    private static final String KEY = "jobs/42/card.png";

    @TempDir
    Path stateDir;

    @Test
    void secondStartKeepsTopicsObjectsAndSchemaIdsAndLeavesNoChildBehind() throws Exception {
        Set<Long> registriesBefore = registryChildren();
        // fixed ports across both starts, as a developer's machine would have
        DevStackConfig config = DevStackConfig.forTests(stateDir)
                .withPorts(Ports.resolve(0), Ports.resolve(0), Ports.resolve(0), Ports.resolve(0));
        long schemaId;
        String clusterId;
        ProcessHandle firstRegistry;

        try (DevStack stack = new DevStack(config, List.of(), System.out::println)) {
            StackEndpoints endpoints = stack.start();
            firstRegistry = stack.registryProcess().orElseThrow();
            try (Admin admin = StackClients.admin(endpoints)) {
                admin.createTopics(List.of(new NewTopic(TOPIC, 6, (short) 1)))
                        .all()
                        .get(30, TimeUnit.SECONDS);
                clusterId = admin.describeCluster().clusterId().get(30, TimeUnit.SECONDS);
            }
            MinioClient s3 = StackClients.s3(endpoints);
            s3.makeBucket(MakeBucketArgs.builder().bucket(BUCKET).build());
            byte[] png = "png bytes".getBytes(StandardCharsets.UTF_8);
            s3.putObject(PutObjectArgs.builder().bucket(BUCKET).object(KEY).stream(
                            new ByteArrayInputStream(png), png.length, -1)
                    .build());
            schemaId = StackClients.registerAvroSchema(endpoints, SUBJECT, SCHEMA);

            // a second stack on the same state directory would corrupt the first one's data
            assertThatThrownBy(() -> new DevStack(config, List.of(), line -> {}).start())
                    .hasMessageContaining("in use");
        }
        assertThat(firstRegistry.isAlive()).as("registry child after stop").isFalse();

        try (DevStack stack = new DevStack(config, List.of(), System.out::println)) {
            StackEndpoints endpoints = stack.start();
            try (Admin admin = StackClients.admin(endpoints)) {
                assertThat(admin.listTopics().names().get(30, TimeUnit.SECONDS)).contains(TOPIC);
                assertThat(admin.describeTopics(List.of(TOPIC))
                                .allTopicNames()
                                .get(30, TimeUnit.SECONDS)
                                .get(TOPIC)
                                .partitions())
                        .hasSize(6);
                assertThat(admin.describeCluster().clusterId().get(30, TimeUnit.SECONDS))
                        .isEqualTo(clusterId);
                // the registry's journal is its only copy of the schemas: it must never expire
                for (String topic : ApicurioRegistry.STORAGE_TOPICS) {
                    ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
                    Config topicConfig = admin.describeConfigs(List.of(resource))
                            .all()
                            .get(30, TimeUnit.SECONDS)
                            .get(resource);
                    assertThat(topicConfig.get("retention.ms").value())
                            .as(topic)
                            .isEqualTo("-1");
                }
            }

            MinioClient s3 = StackClients.s3(endpoints);
            List<String> buckets = new ArrayList<>();
            for (Result<Bucket> bucket :
                    s3.listBuckets(ListBucketsArgs.builder().build())) {
                buckets.add(bucket.get().name());
            }
            assertThat(buckets).contains(BUCKET);
            try (InputStream in = s3.getObject(
                    GetObjectArgs.builder().bucket(BUCKET).object(KEY).build())) {
                assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8))
                        .isEqualTo("png bytes");
            }

            assertThat(StackClients.getJson(endpoints.ccompatUrl() + "/subjects/" + SUBJECT + "/versions/latest")
                            .get("id")
                            .asLong())
                    .isEqualTo(schemaId);
            assertThat(StackClients.getJson(endpoints.ccompatUrl() + "/schemas/ids/" + schemaId)
                            .get("schema")
                            .asText())
                    .contains("Restart");
            assertThat(StackClients.registerAvroSchema(endpoints, SUBJECT, SCHEMA))
                    .isEqualTo(schemaId);

            ProcessHandle secondRegistry = stack.registryProcess().orElseThrow();
            stack.close();
            assertThat(secondRegistry.isAlive()).as("registry child after stop").isFalse();
        }
        // the shared extension stack may run in this JVM too; only its registry may still be alive
        assertThat(registryChildren()).as("registry children left running").isSubsetOf(registriesBefore);
    }

    private static Set<Long> registryChildren() {
        return ProcessHandle.current()
                .children()
                .filter(ProcessHandle::isAlive)
                .filter(p -> p.info().commandLine().orElse("").contains("apicurio-registry"))
                .map(ProcessHandle::pid)
                .collect(Collectors.toSet());
    }
}
