package io.tweetreel.composer;

import io.tweetreel.core.EnvConfig;
import io.tweetreel.core.JobWorkspace;
import io.tweetreel.core.MinioObjectStore;
import io.tweetreel.core.ObjectStore;
import io.tweetreel.core.ServiceLauncher;
import io.tweetreel.core.StageService;
import io.tweetreel.core.WorkObjects;
import io.tweetreel.schemas.MusicChoice;
import io.tweetreel.schemas.ScreenshotReady;
import io.tweetreel.schemas.VideoComposed;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;

/** The composer stage: still + music (or the user's own track, or silence) → MP4 reel with FFmpeg. */
public final class ComposerService implements AutoCloseable {
    private final StageService<ScreenshotReady, VideoComposed> stage;

    public ComposerService(ComposerConfig config) {
        Path stateDir = config.pipeline().stateDir();
        // ffmpeg, ffprobe and the tracks are checked here: anything missing refuses start-up
        Map<MusicChoice, Path> tracks = BundledMusic.resolveAll(config.audioPath(), stateDir.resolve("audio"));
        ReelComposer composer =
                new ReelComposer(config.ffmpegHome(), tracks.get(MusicChoice.DEFAULT), config.encodeTimeout());
        Soundtracks soundtracks = new Soundtracks(
                tracks,
                new AudioFetcher(
                        config.allowPrivateAudioHosts(), composer.binaries().ffmpeg()));
        Path workDir = stateDir.resolve("work");
        JobWorkspace.sweep(workDir, java.time.Duration.ZERO); // leftovers of a crashed run of this instance
        var objects = config.pipeline().objectStore();
        ObjectStore store = new MinioObjectStore(objects);
        store.tryEnsureBucket(objects.workBucket()); // jobs create it too; this only makes a fresh stack tidy
        this.stage = new StageService<>(
                config.pipeline(),
                ComposerTopology::definition,
                new ReelComposing(composer, soundtracks, store, objects.workBucket(), workDir, Clock.systemUTC()),
                WorkObjects.in(store, objects.workBucket()),
                Map.of("object-store", store::isReachable),
                List.of());
    }

    public ComposerService start() {
        stage.start();
        return this;
    }

    public StageService<ScreenshotReady, VideoComposed> stage() {
        return stage;
    }

    @Override
    public void close() {
        stage.close();
    }

    public static void main(String[] args) {
        ServiceLauncher.run(
                "composer-service", () -> new ComposerService(ComposerConfig.read(EnvConfig.fromSystem())).start());
    }
}
