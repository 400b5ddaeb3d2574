package io.tweetreel.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tweetreel.core.JobCancellations;
import io.tweetreel.core.JobTracker;
import io.tweetreel.core.MinioObjectStore;
import io.tweetreel.core.ObjectStore;
import io.tweetreel.core.ObjectStoreConfig;
import io.tweetreel.core.RetrySettings;
import io.tweetreel.core.StageRuntime;
import io.tweetreel.core.StageTopology;
import io.tweetreel.core.StatusEmitter;
import io.tweetreel.core.WorkObjects;
import io.tweetreel.devstack.EmbeddedS3;
import io.tweetreel.schemas.ComposedOutput;
import io.tweetreel.schemas.JobCancellation;
import io.tweetreel.schemas.JobStatus;
import io.tweetreel.schemas.ObjectLayout;
import io.tweetreel.schemas.PlainAvroSerdeFactory;
import io.tweetreel.schemas.ReelFormat;
import io.tweetreel.schemas.Topics;
import io.tweetreel.schemas.VideoComposed;
import io.tweetreel.schemas.VideoStored;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The storage stage on a real S3 server: a canceled job never keeps a filed video. */
class CanceledFilingTest {
    private static final String WORK = "work";
    private static final String VIDEOS = "videos";

    static EmbeddedS3 s3;
    static ObjectStore store;

    private final Topics topics = Topics.with(new PlainAvroSerdeFactory());
    private final JobCancellations cancellations = new JobCancellations();
    private final ReelFilenames filenames = new ReelFilenames("test-filename-secret-0123456789");
    private TopologyTestDriver driver;
    private TestOutputTopic<String, VideoStored> stored;
    private TestOutputTopic<String, JobStatus> status;

    @BeforeAll
    static void startS3(@TempDir Path dir) throws Exception {
        s3 = new EmbeddedS3(dir, 0, "test-access", "test-secret-key");
        String endpoint = s3.start();
        store = new MinioObjectStore(
                new ObjectStoreConfig(endpoint, "test-access", "test-secret-key", "us-east-1", WORK, VIDEOS));
        store.ensureBucket(WORK);
        store.ensureBucket(VIDEOS);
    }

    @AfterAll
    static void stopS3() {
        s3.stop();
    }

    /** The storage stage over {@code filingStore}, deleting work objects from the real store. */
    private void start(ObjectStore filingStore) {
        ReelArchiver archiver = new ReelArchiver(
                filingStore, WORK, VIDEOS, filenames, "http://localhost:3000", Duration.ofHours(24), Clock.systemUTC());
        StageRuntime runtime = new StageRuntime(
                StatusEmitter.NONE,
                new JobTracker("storage", new SimpleMeterRegistry()),
                new RetrySettings(Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(50)),
                Clock.systemUTC(),
                cancellations,
                WorkObjects.in(store, WORK));
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, "storage-cancel-test");
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        driver = new TopologyTestDriver(
                StageTopology.build(
                        StorageTopology.definition(topics), new ReelFiling(archiver, Clock.systemUTC()), runtime),
                p);
        stored = driver.createOutputTopic(
                Topics.VIDEOS_STORED,
                topics.stored().keySerde().deserializer(),
                topics.stored().valueSerde().deserializer());
        status = driver.createOutputTopic(
                Topics.VIDEOS_STATUS,
                topics.status().keySerde().deserializer(),
                topics.status().valueSerde().deserializer());
    }

    @AfterEach
    void closeDriver() {
        if (driver != null) {
            driver.close();
        }
    }

    private static String stageComposedVideo(Path dir) throws Exception {
        String jobId = UUID.randomUUID().toString();
        Path mp4 = Files.write(dir.resolve(jobId + ".mp4"), new byte[4096]);
        store.put(WORK, ObjectLayout.videoKey(jobId), mp4, "video/mp4", Map.of());
        store.put(WORK, ObjectLayout.cardKey(jobId), mp4, "image/png", Map.of());
        return jobId;
    }

    private void pipeComposed(String jobId, Instant composedAt) {
        driver.createInputTopic(
                        Topics.VIDEOS_COMPOSED,
                        topics.composed().keySerde().serializer(),
                        topics.composed().valueSerde().serializer())
                .pipeInput(
                        jobId,
                        VideoComposed.newBuilder()
                                .setVideoKey(ObjectLayout.videoKey(jobId))
                                .setDurationSeconds(5.0)
                                .setFileSize(4096)
                                .setWidth(1080)
                                .setHeight(1920)
                                .setComposedAt(composedAt)
                                .build());
    }

    /** {@link #store}, except that the job is canceled the moment its video has been copied into the videos bucket. */
    private ObjectStore cancelingRightAfterFiling() {
        return (ObjectStore) Proxy.newProxyInstance(
                ObjectStore.class.getClassLoader(), new Class<?>[] {ObjectStore.class}, (proxy, method, args) -> {
                    Object result;
                    try {
                        result = method.invoke(store, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                    if (method.getName().equals("copy") && VIDEOS.equals(args[2])) {
                        String jobId =
                                ((Map<?, ?>) args[6]).get(ObjectLayout.JOB_ID).toString();
                        // what the global thread does when the cancel is read at this moment
                        cancellations.cancel(jobId);
                    }
                    return result;
                });
    }

    @Test
    void jobCanceledJustAfterItsVideoWasFiledLosesTheFileAndForwardsNothing(@TempDir Path dir) throws Exception {
        start(cancelingRightAfterFiling());
        String jobId = stageComposedVideo(dir);
        Instant composedAt = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        pipeComposed(jobId, composedAt);

        assertThat(stored.isEmpty()).isTrue();
        assertThat(status.isEmpty()).isTrue();
        assertThat(store.stat(VIDEOS, filenames.filename(jobId, composedAt))).isEmpty();
        assertThat(store.list(WORK, ObjectLayout.jobPrefix(jobId))).isEmpty();
    }

    @Test
    void jobCanceledJustAfterFilingLosesItsPosterAndCaptionsToo(@TempDir Path dir) throws Exception {
        start(cancelingRightAfterFiling());
        String jobId = stageComposedVideo(dir);
        ReelFormat format = ReelFormat.PORTRAIT;
        Path text = Files.writeString(dir.resolve(jobId + ".txt"), "WEBVTT\n");
        store.put(WORK, ObjectLayout.posterKey(jobId, format), text, "image/jpeg", Map.of());
        store.put(WORK, ObjectLayout.captionKey(jobId, format, "vtt"), text, "text/vtt", Map.of());
        store.put(WORK, ObjectLayout.captionKey(jobId, format, "srt"), text, "application/x-subrip", Map.of());
        Instant composedAt = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        driver.createInputTopic(
                        Topics.VIDEOS_COMPOSED,
                        topics.composed().keySerde().serializer(),
                        topics.composed().valueSerde().serializer())
                .pipeInput(
                        jobId,
                        VideoComposed.newBuilder()
                                .setVideoKey(ObjectLayout.videoKey(jobId))
                                .setDurationSeconds(5.0)
                                .setFileSize(4096)
                                .setWidth(1080)
                                .setHeight(1920)
                                .setComposedAt(composedAt)
                                .setOutputs(List.of(ComposedOutput.newBuilder()
                                        .setFormat(format.label())
                                        .setVideoKey(ObjectLayout.videoKey(jobId))
                                        .setPosterKey(ObjectLayout.posterKey(jobId, format))
                                        .setVttKey(ObjectLayout.captionKey(jobId, format, "vtt"))
                                        .setSrtKey(ObjectLayout.captionKey(jobId, format, "srt"))
                                        .setDurationSeconds(5.0)
                                        .setFileSize(4096)
                                        .setWidth(1080)
                                        .setHeight(1920)
                                        .build()))
                                .build());

        String video = filenames.filename(jobId, composedAt);
        assertThat(stored.isEmpty()).isTrue();
        assertThat(status.isEmpty()).isTrue();
        for (String filed : List.of(
                video,
                ObjectLayout.posterFilename(video),
                ObjectLayout.captionFilename(video, "vtt"),
                ObjectLayout.captionFilename(video, "srt"))) {
            assertThat(store.stat(VIDEOS, filed)).as(filed).isEmpty();
        }
        assertThat(store.list(WORK, ObjectLayout.jobPrefix(jobId))).isEmpty();
    }

    @Test
    void jobCanceledBeforeItsVideoArrivesIsNeverFiled(@TempDir Path dir) throws Exception {
        start(store);
        String jobId = stageComposedVideo(dir);
        driver.createInputTopic(
                        Topics.VIDEOS_CANCELLATIONS,
                        topics.cancellations().keySerde().serializer(),
                        topics.cancellations().valueSerde().serializer())
                .pipeInput(
                        jobId,
                        JobCancellation.newBuilder()
                                .setRequestedAt(Instant.now())
                                .build());
        Instant composedAt = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        pipeComposed(jobId, composedAt);

        assertThat(stored.isEmpty()).isTrue();
        assertThat(status.isEmpty()).isTrue();
        assertThat(store.stat(VIDEOS, filenames.filename(jobId, composedAt))).isEmpty();
        assertThat(store.list(WORK, ObjectLayout.jobPrefix(jobId))).isEmpty();
    }

    @Test
    void jobNobodyCanceledIsFiledAsBefore(@TempDir Path dir) throws Exception {
        start(store);
        String jobId = stageComposedVideo(dir);
        Instant composedAt = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        pipeComposed(jobId, composedAt);

        assertThat(stored.readValue().getFilename()).isEqualTo(filenames.filename(jobId, composedAt));
        assertThat(store.stat(VIDEOS, filenames.filename(jobId, composedAt))).isPresent();
    }
}
