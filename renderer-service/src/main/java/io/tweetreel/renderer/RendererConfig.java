package io.tweetreel.renderer;

import io.tweetreel.core.ConfigVariable;
import io.tweetreel.core.EnvConfig;
import io.tweetreel.core.PipelineConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Settings of the renderer service.
 *
 * @param templatePath           Mustache card template; null = the bundled one
 * @param chromiumPath           the Chromium executable Playwright drives
 * @param allowPrivatePhotoHosts let profile photos come from loopback/private addresses (tests only)
 * @param renderTimeout          longest one render may take before the browser is relaunched
 * @param browsers               Chromium instances (each with its own Playwright driver) the jobs share
 */
public record RendererConfig(
        PipelineConfig pipeline,
        Path templatePath,
        Path chromiumPath,
        boolean allowPrivatePhotoHosts,
        Duration renderTimeout,
        int browsers) {
    public static final int DEFAULT_OPS_PORT = 3101;

    public static final ConfigVariable TEMPLATE_PATH = ConfigVariable.derived(
            "TEMPLATE_PATH",
            "bundled card",
            "Mustache card template (body via {{{bodyHtml}}}, everything else escaped)");
    public static final ConfigVariable CHROMIUM_PATH = ConfigVariable.withDefault(
            "CHROMIUM_PATH", CardRenderer.DEFAULT_CHROMIUM_PATH.toString(), "the Chromium Playwright drives");
    public static final ConfigVariable RENDER_TIMEOUT = ConfigVariable.withDefault(
            "RENDER_TIMEOUT",
            CardRenderer.DEFAULT_RENDER_TIMEOUT,
            "longest one render may take before the browser is relaunched");
    public static final ConfigVariable RENDERER_ALLOW_PRIVATE_PHOTO_HOSTS = ConfigVariable.withDefault(
            "RENDERER_ALLOW_PRIVATE_PHOTO_HOSTS",
            false,
            "allow profile photos from loopback/private addresses (tests only)");
    /**
     * One by default: a card renders in under a second, a quarter of its encode, so one browser keeps up with the
     * jobs of a few stage threads, and each more costs a browser and a driver (about 370 MiB in the bench).
     */
    public static final ConfigVariable RENDER_BROWSERS = ConfigVariable.withDefault(
            "RENDER_BROWSERS",
            1,
            "browsers (Chromium + Playwright driver) the renderer's jobs share, 1–64; more than MAX_CONCURRENT_JOBS"
                    + " are never busy");
    /** Every variable the renderer reads. */
    public static final List<ConfigVariable> VARIABLES = ConfigVariable.concat(
            PipelineConfig.variables(DEFAULT_OPS_PORT),
            List.of(TEMPLATE_PATH, CHROMIUM_PATH, RENDER_TIMEOUT, RENDER_BROWSERS, RENDERER_ALLOW_PRIVATE_PHOTO_HOSTS));

    public static RendererConfig read(EnvConfig env) {
        PipelineConfig pipeline = PipelineConfig.read(env, "renderer-service", DEFAULT_OPS_PORT);
        Path template = env.path(TEMPLATE_PATH);
        if (template != null && !Files.isReadable(template)) {
            env.problem("TEMPLATE_PATH=" + template + " is not a readable file");
        }
        Path chromium = env.path(CHROMIUM_PATH);
        if (!Files.isExecutable(chromium)) {
            env.problem(
                    "CHROMIUM_PATH=" + chromium + " is not an executable; install Chromium (apt-get install chromium)"
                            + " or point CHROMIUM_PATH at it");
        }
        RendererConfig config = new RendererConfig(
                pipeline,
                template,
                chromium,
                env.bool(RENDERER_ALLOW_PRIVATE_PHOTO_HOSTS),
                env.duration(RENDER_TIMEOUT, Duration.ofSeconds(1)),
                env.integer(RENDER_BROWSERS, 1, 64));
        env.validate();
        return config;
    }

    /** Browsers to start: never more than can be busy at once. */
    public int browserCount() {
        return Math.min(browsers, pipeline.maxConcurrentJobs());
    }
}
