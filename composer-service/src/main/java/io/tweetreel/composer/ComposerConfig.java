package io.tweetreel.composer;

import io.tweetreel.core.ConfigVariable;
import io.tweetreel.core.EnvConfig;
import io.tweetreel.core.PipelineConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Settings of the composer service.
 *
 * @param ffmpegHome    directory of ffmpeg and ffprobe, or the ffmpeg file ({@code FFMPEG_PATH})
 * @param audioPath     background track ({@code AUDIO_PATH}); null = the bundled one
 * @param encodeTimeout longest one encode may take ({@code ENCODE_TIMEOUT})
 * @param allowPrivateAudioHosts {@code COMPOSER_ALLOW_PRIVATE_AUDIO_HOSTS}: audioUrls may also point at loopback and
 *                      private addresses (tests)
 */
public record ComposerConfig(
        PipelineConfig pipeline,
        Path ffmpegHome,
        String audioPath,
        Duration encodeTimeout,
        boolean allowPrivateAudioHosts) {
    public static final int DEFAULT_OPS_PORT = 3102;

    public static final ConfigVariable FFMPEG_PATH = ConfigVariable.withDefault(
            FfmpegBinaries.ENV_VAR,
            FfmpegBinaries.DEFAULT_HOME.toString(),
            "directory of ffmpeg and ffprobe (or the ffmpeg file)");
    public static final ConfigVariable AUDIO_PATH = ConfigVariable.derived(
            ReelComposer.AUDIO_ENV_VAR, "bundled track", "background music, looped or trimmed to the reel's length");
    public static final ConfigVariable ENCODE_TIMEOUT = ConfigVariable.withDefault(
            "ENCODE_TIMEOUT", ReelComposer.DEFAULT_ENCODE_TIMEOUT, "longest one encode may take (at most JOB_TIMEOUT)");
    public static final ConfigVariable COMPOSER_ALLOW_PRIVATE_AUDIO_HOSTS = ConfigVariable.withDefault(
            "COMPOSER_ALLOW_PRIVATE_AUDIO_HOSTS", false, "allow audioUrls on loopback/private addresses (tests only)");
    /** Every variable the composer reads. */
    public static final List<ConfigVariable> VARIABLES = ConfigVariable.concat(
            PipelineConfig.variables(DEFAULT_OPS_PORT),
            List.of(FFMPEG_PATH, AUDIO_PATH, ENCODE_TIMEOUT, COMPOSER_ALLOW_PRIVATE_AUDIO_HOSTS));

    public static ComposerConfig read(EnvConfig env) {
        PipelineConfig pipeline = PipelineConfig.read(env, "composer-service", DEFAULT_OPS_PORT);
        ComposerConfig config = new ComposerConfig(
                pipeline,
                env.path(FFMPEG_PATH),
                env.string(AUDIO_PATH),
                env.duration(ENCODE_TIMEOUT, Duration.ofSeconds(5)),
                env.bool(COMPOSER_ALLOW_PRIVATE_AUDIO_HOSTS));
        if (config.encodeTimeout().compareTo(pipeline.jobTimeout()) > 0) {
            env.problem("ENCODE_TIMEOUT=" + config.encodeTimeout() + " must not exceed JOB_TIMEOUT="
                    + pipeline.jobTimeout());
        }
        env.validate();
        return config;
    }
}
