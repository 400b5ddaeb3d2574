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
 */
public record RendererConfig(
        PipelineConfig pipeline,
        Path templatePath,
        Path chromiumPath,
        boolean allowPrivatePhotoHosts,
        Duration renderTimeout) {
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
    /** Every variable the renderer reads. */
    public static final List<ConfigVariable> VARIABLES = ConfigVariable.concat(
            PipelineConfig.variables(DEFAULT_OPS_PORT),
            List.of(TEMPLATE_PATH, CHROMIUM_PATH, RENDER_TIMEOUT, RENDERER_ALLOW_PRIVATE_PHOTO_HOSTS));

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
                env.duration(RENDER_TIMEOUT, Duration.ofSeconds(1)));
        env.validate();
        return config;
    }
}
