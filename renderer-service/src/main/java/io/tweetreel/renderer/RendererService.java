package io.tweetreel.renderer;

import io.tweetreel.core.EnvConfig;
import io.tweetreel.core.JobWorkspace;
import io.tweetreel.core.MinioObjectStore;
import io.tweetreel.core.ObjectStore;
import io.tweetreel.core.ServiceLauncher;
import io.tweetreel.core.StageService;
import io.tweetreel.core.WorkObjects;
import io.tweetreel.schemas.ScreenshotReady;
import io.tweetreel.schemas.VideoRequested;
import java.time.Clock;
import java.util.List;
import java.util.Map;

/** The renderer stage: cards rendered by a pool of Chromium browsers ({@code RENDER_BROWSERS}) to PNGs in the work bucket. */
public final class RendererService implements AutoCloseable {
    private final StageService<VideoRequested, ScreenshotReady> stage;

    public RendererService(RendererConfig config) {
        // template and browsers first: a broken template or missing Chromium refuses start-up
        CardTemplate template = CardTemplate.load(config.templatePath());
        ImageFetcher photos = new ImageFetcher(config.allowPrivatePhotoHosts());
        CardRendererPool renderers = CardRendererPool.start(
                config.browserCount(),
                () -> new CardRenderer(config.chromiumPath(), template, photos, config.renderTimeout()));
        var objects = config.pipeline().objectStore();
        ObjectStore store = new MinioObjectStore(objects);
        store.tryEnsureBucket(objects.workBucket()); // jobs create it too; this only makes a fresh stack tidy
        java.nio.file.Path workDir = config.pipeline().stateDir().resolve("work");
        JobWorkspace.sweep(workDir, java.time.Duration.ZERO); // leftovers of a crashed run of this instance
        CardRendering work = new CardRendering(renderers, store, objects.workBucket(), workDir, Clock.systemUTC());
        this.stage = new StageService<>(
                config.pipeline(),
                RendererTopology::definition,
                work,
                WorkObjects.in(store, objects.workBucket()),
                Map.of("object-store", store::isReachable),
                List.of(renderers));
    }

    public RendererService start() {
        stage.start();
        return this;
    }

    public StageService<VideoRequested, ScreenshotReady> stage() {
        return stage;
    }

    @Override
    public void close() {
        stage.close();
    }

    public static void main(String[] args) {
        ServiceLauncher.run(
                "renderer-service", () -> new RendererService(RendererConfig.read(EnvConfig.fromSystem())).start());
    }
}
