package io.tweetreel.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tweetreel.core.JobCancellations;
import io.tweetreel.core.JobTracker;
import io.tweetreel.core.MinioObjectStore;
import io.tweetreel.core.ObjectStore;
import io.tweetreel.core.ObjectStoreConfig;
import io.tweetreel.core.ObjectStoreException;
import io.tweetreel.core.RetrySettings;
import io.tweetreel.core.StageRuntime;
import io.tweetreel.core.StageTopology;
import io.tweetreel.core.StatusEmitter;
import io.tweetreel.core.StoredObject;
import io.tweetreel.core.WorkObjects;
import io.tweetreel.devstack.EmbeddedS3;
import io.tweetreel.schemas.ComposedOutput;
import io.tweetreel.schemas.JobState;
import io.tweetreel.schemas.JobStatus;
import io.tweetreel.schemas.ObjectLayout;
import io.tweetreel.schemas.PlainAvroSerdeFactory;
import io.tweetreel.schemas.ReelFormat;
import io.tweetreel.schemas.StoredOutput;
import io.tweetreel.schemas.Topics;
import io.tweetreel.schemas.VideoComposed;
import io.tweetreel.schemas.VideoStored;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The storage stage on a real S3 server with a job of every format: every reel, poster and caption file filed, or
 * none.
 */
class AllFormatsFilingTest {
    private static final String WORK = "work";
    private static final String VIDEOS = "videos";
    private static final String BASE_URL = "https://reels.example.com";
    private static final List<ReelFormat> FORMATS =
            List.of(ReelFormat.PORTRAIT, ReelFormat.SQUARE, ReelFormat.FEED, ReelFormat.LANDSCAPE);

    static EmbeddedS3 s3;
    static ObjectStore store;

    private final Topics topics = Topics.with(new PlainAvroSerdeFactory());
    private final JobCancellations cancellations = new JobCancellations();
    private final ReelFilenames filenames = new ReelFilenames("test-filename-secret-0123456789");
    private final Instant composedAt = Instant.now().truncatedTo(ChronoUnit.MILLIS);
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

    @AfterEach
    void closeDriver() {
        if (driver != null) {
            driver.close();
        }
    }

    private static ReelArchiver archiver(ObjectStore filingStore) {
        return new ReelArchiver(
                filingStore,
                WORK,
                VIDEOS,
                new ReelFilenames("test-filename-secret-0123456789"),
                BASE_URL,
                Duration.ofHours(24),
                Clock.systemUTC());
    }

    /** The storage stage over {@code filingStore}, retrying a failed filing at once. */
    private void start(ObjectStore filingStore) {
        StageRuntime runtime = new StageRuntime(
                StatusEmitter.NONE,
                new JobTracker("storage", new SimpleMeterRegistry()),
                new RetrySettings(Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(500)),
                Clock.systemUTC(),
                cancellations,
                WorkObjects.in(store, WORK));
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, "storage-formats-test");
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        driver = new TopologyTestDriver(
                StageTopology.build(
                        StorageTopology.definition(topics),
                        new ReelFiling(archiver(filingStore), Clock.systemUTC()),
                        runtime),
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

    /**
     * Puts a reel, a poster and captions of every format in the work bucket, as the renderer and composer leave
     * them.
     */
    private static String stageEveryFormat(Path dir) throws Exception {
        String jobId = UUID.randomUUID().toString();
        for (int i = 0; i < FORMATS.size(); i++) {
            ReelFormat format = FORMATS.get(i);
            Path mp4 = Files.write(dir.resolve(jobId + "-" + format.slug() + ".mp4"), new byte[4096 + i]);
            Path jpg = Files.write(dir.resolve(jobId + "-" + format.slug() + ".jpg"), new byte[512 + i]);
            Path vtt = Files.writeString(dir.resolve(jobId + "-" + format.slug() + ".vtt"), vtt(format));
            Path srt = Files.writeString(dir.resolve(jobId + "-" + format.slug() + ".srt"), srt(format));
            store.put(WORK, ObjectLayout.videoKey(jobId, format), mp4, "video/mp4", Map.of());
            store.put(WORK, ObjectLayout.posterKey(jobId, format), jpg, "image/jpeg", Map.of());
            store.put(WORK, ObjectLayout.captionKey(jobId, format, "vtt"), vtt, "text/vtt", Map.of());
            store.put(WORK, ObjectLayout.captionKey(jobId, format, "srt"), srt, "application/x-subrip", Map.of());
        }
        return jobId;
    }

    private static String vtt(ReelFormat format) {
        return "WEBVTT\n\n00:00:01.000 --> 00:00:04.500\nThe card in " + format.label() + "\n";
    }

    private static String srt(ReelFormat format) {
        return "1\n00:00:01,000 --> 00:00:04,500\nThe card in " + format.label() + "\n";
    }

    private VideoComposed everyFormat(String jobId) {
        List<ComposedOutput> outputs = new ArrayList<>();
        for (int i = 0; i < FORMATS.size(); i++) {
            ReelFormat format = FORMATS.get(i);
            outputs.add(ComposedOutput.newBuilder()
                    .setFormat(format.label())
                    .setVideoKey(ObjectLayout.videoKey(jobId, format))
                    .setPosterKey(ObjectLayout.posterKey(jobId, format))
                    .setVttKey(ObjectLayout.captionKey(jobId, format, "vtt"))
                    .setSrtKey(ObjectLayout.captionKey(jobId, format, "srt"))
                    .setDurationSeconds(5.0)
                    .setFileSize(4096 + i)
                    .setWidth(format.width())
                    .setHeight(format.height())
                    .build());
        }
        return VideoComposed.newBuilder()
                .setVideoKey(outputs.get(0).getVideoKey())
                .setDurationSeconds(5.0)
                .setFileSize(4096)
                .setWidth(1080)
                .setHeight(1920)
                .setComposedAt(composedAt)
                .setOutputs(outputs)
                .build();
    }

    private void pipe(String jobId, VideoComposed composed) {
        driver.createInputTopic(
                        Topics.VIDEOS_COMPOSED,
                        topics.composed().keySerde().serializer(),
                        topics.composed().valueSerde().serializer())
                .pipeInput(jobId, composed);
    }

    /** The names a job's files get: each reel's, then its poster's, its WebVTT and its SRT captions'. */
    private List<String> expectedFilenames(String jobId) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < FORMATS.size(); i++) {
            String video = filenames.filename(
                    i == 0 ? jobId : jobId + "/" + FORMATS.get(i).label(), composedAt);
            names.add(video);
            names.add(ObjectLayout.posterFilename(video));
            names.add(ObjectLayout.captionFilename(video, "vtt"));
            names.add(ObjectLayout.captionFilename(video, "srt"));
        }
        return names;
    }

    /** Everything in the videos bucket that belongs to the job. */
    private static List<String> filedOf(String jobId) {
        return store.list(VIDEOS, "").stream()
                .map(StoredObject::key)
                .filter(key -> store.stat(VIDEOS, key)
                        .map(o -> jobId.equals(o.metadata().get(ObjectLayout.JOB_ID)))
                        .orElse(false))
                .toList();
    }

    /** {@link #store}, with {@code hook} run before every call to the videos bucket's {@code copy}. */
    private static ObjectStore beforeEachCopy(BiConsumer<Integer, Object[]> hook) {
        AtomicInteger copies = new AtomicInteger();
        return (ObjectStore) Proxy.newProxyInstance(
                ObjectStore.class.getClassLoader(), new Class<?>[] {ObjectStore.class}, (proxy, method, args) -> {
                    if (method.getName().equals("copy")) {
                        hook.accept(copies.incrementAndGet(), args);
                    }
                    try {
                        return method.invoke(store, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    @Test
    void everyReelWithItsPosterAndCaptionsIsFiledUnderItsOwnNameAndTheResultListsThemInOrder(@TempDir Path dir)
            throws Exception {
        start(store);
        String jobId = stageEveryFormat(dir);
        pipe(jobId, everyFormat(jobId));

        VideoStored result = stored.readValue();
        List<String> names = expectedFilenames(jobId);
        assertThat(names)
                .doesNotHaveDuplicates()
                .allMatch(n -> ObjectLayout.DOWNLOAD_FILENAME.matcher(n).matches());
        assertThat(result.getOutputs())
                .extracting(StoredOutput::getFormat)
                .containsExactly("9:16", "1:1", "4:5", "16:9");
        for (int i = 0; i < FORMATS.size(); i++) {
            StoredOutput output = result.getOutputs().get(i);
            String video = names.get(4 * i);
            String poster = names.get(4 * i + 1);
            String vtt = names.get(4 * i + 2);
            String srt = names.get(4 * i + 3);
            assertThat(output.getFilename()).isEqualTo(video);
            assertThat(output.getDownloadUrl()).isEqualTo(BASE_URL + "/download/" + video);
            assertThat(output.getPosterUrl()).isEqualTo(BASE_URL + "/download/" + poster);
            assertThat(output.getCaptions().getVtt()).isEqualTo(BASE_URL + "/download/" + vtt);
            assertThat(output.getCaptions().getSrt()).isEqualTo(BASE_URL + "/download/" + srt);
            assertThat(output.getFileSize()).isEqualTo(4096 + i);
            assertThat(output.getResolution()).isEqualTo(FORMATS.get(i).resolution());
            assertThat(output.getDurationSeconds()).isEqualTo(5.0);

            StoredObject filedVideo = store.stat(VIDEOS, video).orElseThrow();
            StoredObject filedPoster = store.stat(VIDEOS, poster).orElseThrow();
            assertThat(filedVideo.contentType()).isEqualTo("video/mp4");
            assertThat(filedPoster.contentType()).isEqualTo("image/jpeg");
            assertThat(filedPoster.size()).isEqualTo(512 + i);
            StoredObject filedVtt = store.stat(VIDEOS, vtt).orElseThrow();
            StoredObject filedSrt = store.stat(VIDEOS, srt).orElseThrow();
            assertThat(filedVtt.contentType()).isEqualTo("text/vtt; charset=utf-8");
            assertThat(filedSrt.contentType()).isEqualTo("application/x-subrip; charset=utf-8");
            assertThat(read(vtt)).isEqualTo(vtt(FORMATS.get(i)));
            assertThat(read(srt)).isEqualTo(srt(FORMATS.get(i)));
            for (StoredObject filed : List.of(filedVideo, filedPoster, filedVtt, filedSrt)) {
                assertThat(filed.metadata())
                        .containsEntry(ObjectLayout.JOB_ID, jobId)
                        .containsEntry(
                                ObjectLayout.EXPIRES_AT, result.getExpiresAt().toString());
            }
        }
        // the first reel keeps the seed's fields and name, so existing clients see what they saw
        assertThat(result.getFilename())
                .isEqualTo(filenames.filename(jobId, composedAt))
                .isEqualTo(result.getOutputs().get(0).getFilename());
        assertThat(result.getDownloadUrl()).isEqualTo(result.getOutputs().get(0).getDownloadUrl());
        assertThat(result.getPosterUrl()).isEqualTo(result.getOutputs().get(0).getPosterUrl());
        assertThat(result.getCaptions()).isEqualTo(result.getOutputs().get(0).getCaptions());
        assertThat(result.getResolution()).isEqualTo("1080x1920");
        assertThat(filedOf(jobId)).containsExactlyInAnyOrderElementsOf(names);
        assertThat(store.list(WORK, ObjectLayout.jobPrefix(jobId))).isEmpty();
    }

    @Test
    void aCopyThatFailsLeavesNothingOfTheJobFiledAndTheRetryFilesEverything(@TempDir Path dir) throws Exception {
        String jobId = stageEveryFormat(dir);
        ReelArchiver failingOnTheThirdCopy = archiver(beforeEachCopy((n, args) -> {
            if (n == 3) {
                throw new ObjectStoreException("injected: the store went away", null);
            }
        }));
        List<ReelArchiver.WorkReel> reels = FORMATS.stream()
                .map(f -> new ReelArchiver.WorkReel(
                        f.label(),
                        ObjectLayout.videoKey(jobId, f),
                        ObjectLayout.posterKey(jobId, f),
                        ObjectLayout.captionKey(jobId, f, "vtt"),
                        ObjectLayout.captionKey(jobId, f, "srt")))
                .toList();

        assertThatThrownBy(() -> failingOnTheThirdCopy.archive(jobId, reels, composedAt))
                .isInstanceOf(ObjectStoreException.class)
                .hasMessageContaining("injected");
        assertThat(filedOf(jobId)).isEmpty();
        assertThat(store.list(WORK, ObjectLayout.jobPrefix(jobId))).hasSize(16);

        List<ArchivedReel> archived = archiver(store).archive(jobId, reels, composedAt);
        assertThat(archived).hasSize(4);
        assertThat(filedOf(jobId)).containsExactlyInAnyOrderElementsOf(expectedFilenames(jobId));
        assertThat(store.list(WORK, ObjectLayout.jobPrefix(jobId))).isEmpty();
    }

    @Test
    void theStageRetriesAFailedFilingAndCompletesTheJobWithEveryReel(@TempDir Path dir) throws Exception {
        start(beforeEachCopy((n, args) -> {
            if (n == 3) {
                throw new ObjectStoreException("injected: the store went away", null);
            }
        }));
        String jobId = stageEveryFormat(dir);
        pipe(jobId, everyFormat(jobId));

        assertThat(stored.readValue().getOutputs()).hasSize(4);
        assertThat(status.readValuesToList())
                .last()
                .extracting(JobStatus::getStatus)
                .isEqualTo(JobState.completed);
        assertThat(filedOf(jobId)).containsExactlyInAnyOrderElementsOf(expectedFilenames(jobId));
    }

    @Test
    void aMissingPosterFailsTheJobWithNothingFiled(@TempDir Path dir) throws Exception {
        start(store);
        String jobId = stageEveryFormat(dir);
        store.delete(WORK, ObjectLayout.posterKey(jobId, ReelFormat.LANDSCAPE));
        pipe(jobId, everyFormat(jobId));

        assertThat(stored.isEmpty()).isTrue();
        JobStatus failed = status.readValuesToList().get(0);
        assertThat(failed.getStatus()).isEqualTo(JobState.failed);
        assertThat(failed.getError().getCode()).isEqualTo("STORAGE_FAILED");
        assertThat(failed.getError().getMessage()).contains(ObjectLayout.posterKey(jobId, ReelFormat.LANDSCAPE));
        assertThat(filedOf(jobId)).isEmpty();
    }

    @Test
    void aMissingCaptionFileFailsTheJobWithNothingFiled(@TempDir Path dir) throws Exception {
        start(store);
        String jobId = stageEveryFormat(dir);
        String missing = ObjectLayout.captionKey(jobId, ReelFormat.SQUARE, "srt");
        store.delete(WORK, missing);
        pipe(jobId, everyFormat(jobId));

        assertThat(stored.isEmpty()).isTrue();
        JobStatus failed = status.readValuesToList().get(0);
        assertThat(failed.getStatus()).isEqualTo(JobState.failed);
        assertThat(failed.getError().getCode()).isEqualTo("STORAGE_FAILED");
        assertThat(failed.getError().getMessage()).contains(missing);
        assertThat(filedOf(jobId)).isEmpty();
    }

    @Test
    void aReelFromAComposerBeforeCaptionsIsFiledWithoutThem(@TempDir Path dir) throws Exception {
        start(store);
        String jobId = stageEveryFormat(dir);
        VideoComposed composed = everyFormat(jobId);
        composed.getOutputs().forEach(o -> {
            o.setVttKey(null);
            o.setSrtKey(null);
        });
        pipe(jobId, composed);

        VideoStored result = stored.readValue();
        assertThat(result.getCaptions()).isNull();
        assertThat(result.getOutputs())
                .hasSize(4)
                .allSatisfy(o -> assertThat(o.getCaptions()).isNull());
        assertThat(filedOf(jobId)).hasSize(8).noneMatch(name -> name.endsWith(".vtt") || name.endsWith(".srt"));
        // the caption files nobody asked for go with the rest of the job's work objects
        assertThat(store.list(WORK, ObjectLayout.jobPrefix(jobId))).isEmpty();
    }

    @Test
    void aJobCanceledJustAfterFilingLosesEveryReelPosterAndCaption(@TempDir Path dir) throws Exception {
        // what the global thread does when the cancel is read as the first file lands
        start(beforeEachCopy((n, args) -> {
            if (n == 2) {
                cancellations.cancel(
                        ((Map<?, ?>) args[6]).get(ObjectLayout.JOB_ID).toString());
            }
        }));
        String jobId = stageEveryFormat(dir);
        pipe(jobId, everyFormat(jobId));

        assertThat(stored.isEmpty()).isTrue();
        assertThat(status.isEmpty()).isTrue();
        assertThat(filedOf(jobId)).isEmpty();
        assertThat(store.list(WORK, ObjectLayout.jobPrefix(jobId))).isEmpty();
    }

    @Test
    void aReelFromAComposerWithoutFormatsIsFiledAsBeforeWithoutAPoster(@TempDir Path dir) throws Exception {
        start(store);
        String jobId = UUID.randomUUID().toString();
        store.put(
                WORK,
                ObjectLayout.videoKey(jobId),
                Files.write(dir.resolve("v1.mp4"), new byte[4096]),
                "video/mp4",
                Map.of());
        pipe(
                jobId,
                VideoComposed.newBuilder()
                        .setVideoKey(ObjectLayout.videoKey(jobId))
                        .setDurationSeconds(5.0)
                        .setFileSize(4096)
                        .setWidth(1080)
                        .setHeight(1920)
                        .setComposedAt(composedAt)
                        .build());

        VideoStored result = stored.readValue();
        assertThat(result.getFilename()).isEqualTo(filenames.filename(jobId, composedAt));
        assertThat(result.getPosterUrl()).isNull();
        assertThat(result.getOutputs()).singleElement().satisfies(output -> {
            assertThat(output.getFormat()).isEqualTo("9:16");
            assertThat(output.getFilename()).isEqualTo(result.getFilename());
            assertThat(output.getPosterUrl()).isNull();
        });
        assertThat(result.getCaptions()).isNull();
        assertThat(filedOf(jobId)).containsExactly(result.getFilename());
    }

    private static String read(String filename) throws Exception {
        try (InputStream in = store.read(VIDEOS, filename, 0, null)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void theSweeperRemovesExpiredPostersAndCaptionsWithTheirVideos(@TempDir Path dir) throws Exception {
        String bucket = "sweep-" + UUID.randomUUID().toString().substring(0, 8);
        store.ensureBucket(bucket);
        Path file = Files.write(dir.resolve("f"), new byte[16]);
        String video = filenames.filename(UUID.randomUUID().toString(), composedAt);
        String fresh = filenames.filename(UUID.randomUUID().toString(), composedAt);
        Instant now = Instant.now();
        Map<String, String> expired =
                Map.of(ObjectLayout.EXPIRES_AT, now.minusSeconds(1).toString());
        Map<String, String> later =
                Map.of(ObjectLayout.EXPIRES_AT, now.plusSeconds(3600).toString());
        store.put(bucket, video, file, "video/mp4", expired);
        store.put(bucket, ObjectLayout.posterFilename(video), file, "image/jpeg", expired);
        store.put(bucket, ObjectLayout.captionFilename(video, "vtt"), file, "text/vtt", expired);
        store.put(bucket, ObjectLayout.captionFilename(video, "srt"), file, "application/x-subrip", expired);
        store.put(bucket, fresh, file, "video/mp4", later);
        store.put(bucket, ObjectLayout.posterFilename(fresh), file, "image/jpeg", later);

        int deleted =
                new ExpiredReelSweeper(store, bucket, bucket, Clock.systemUTC(), new SimpleMeterRegistry()).sweep();

        assertThat(deleted).isEqualTo(4);
        assertThat(store.list(bucket, ""))
                .extracting(StoredObject::key)
                .containsExactlyInAnyOrder(fresh, ObjectLayout.posterFilename(fresh));
    }
}
