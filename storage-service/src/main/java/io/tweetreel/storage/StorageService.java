package io.tweetreel.storage;

import io.tweetreel.core.EnvConfig;
import io.tweetreel.core.MinioObjectStore;
import io.tweetreel.core.ObjectStore;
import io.tweetreel.core.ServiceLauncher;
import io.tweetreel.core.StageService;
import io.tweetreel.core.WorkObjects;
import io.tweetreel.schemas.VideoComposed;
import io.tweetreel.schemas.VideoStored;
import java.time.Clock;
import java.util.List;
import java.util.Map;

/** The storage stage: files composed reels, completes jobs, and sweeps expired videos. */
public final class StorageService implements AutoCloseable {
    private final StageService<VideoComposed, VideoStored> stage;
    private final ExpiredReelSweeper sweeper;
    private final StorageConfig config;

    public StorageService(StorageConfig config) {
        this.config = config;
        Clock clock = Clock.systemUTC();
        var objects = config.pipeline().objectStore();
        ObjectStore store = new MinioObjectStore(objects);
        ReelArchiver archiver = new ReelArchiver(
                store,
                objects.workBucket(),
                objects.videosBucket(),
                new ReelFilenames(config.filenameSecret()),
                config.baseUrl(),
                config.ttl(),
                clock);
        this.stage = new StageService<>(
                config.pipeline(),
                StorageTopology::definition,
                new ReelFiling(archiver, clock),
                WorkObjects.in(store, objects.workBucket()),
                Map.of("object-store", store::isReachable),
                List.of());
        this.sweeper = new ExpiredReelSweeper(
                store,
                objects.videosBucket(),
                objects.workBucket(),
                clock,
                stage.tracker().registry());
    }

    public StorageService start() {
        stage.start();
        sweeper.start(config.sweepInterval(), config.ttl());
        return this;
    }

    public StageService<VideoComposed, VideoStored> stage() {
        return stage;
    }

    public ExpiredReelSweeper sweeper() {
        return sweeper;
    }

    @Override
    public void close() {
        sweeper.close();
        stage.close();
    }

    public static void main(String[] args) {
        ServiceLauncher.run(
                "storage-service", () -> new StorageService(StorageConfig.read(EnvConfig.fromSystem())).start());
    }
}
