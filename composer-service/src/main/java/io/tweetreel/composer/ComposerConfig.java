package io.tweetreel.composer;

import io.tweetreel.core.EnvConfig;
import io.tweetreel.core.PipelineConfig;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Settings of the composer service.
 *
 * @param ffmpegHome    directory of ffmpeg and ffprobe, or the ffmpeg file ({@code FFMPEG_PATH})
 * @param audioPath     background track ({@code AUDIO_PATH}); null = the bundled one
 * @param encodeTimeout longest one encode may take
 */
public record ComposerConfig(PipelineConfig pipeline, Path ffmpegHome, String audioPath, Duration encodeTimeout) {
    public static final int DEFAULT_OPS_PORT = 3102;

    public static ComposerConfig read(EnvConfig env) {
        PipelineConfig pipeline = PipelineConfig.read(env, "composer-service", DEFAULT_OPS_PORT);
        ComposerConfig config = new ComposerConfig(pipeline,
                env.path(FfmpegBinaries.ENV_VAR, FfmpegBinaries.DEFAULT_HOME),
                env.raw(ReelComposer.AUDIO_ENV_VAR),
                env.duration("ENCODE_TIMEOUT", ReelComposer.DEFAULT_ENCODE_TIMEOUT, Duration.ofSeconds(5)));
        if (config.encodeTimeout().compareTo(pipeline.jobTimeout()) > 0) {
            env.problem("ENCODE_TIMEOUT=" + config.encodeTimeout() + " must not exceed JOB_TIMEOUT="
                    + pipeline.jobTimeout());
        }
        env.validate();
        return config;
    }
}
