/**
 * The composer stage: {@code videos.screenshot} → the card plus music as a 1080x1920 H.264/AAC reel in the work
 * bucket → {@code videos.composed}.
 *
 * <p>{@link io.tweetreel.composer.ComposerService} wires the stage and refuses to start when ffmpeg, ffprobe or
 * the default audio track ({@code AUDIO_PATH}, else the bundled one from
 * {@link io.tweetreel.composer.BundledMusic}) or a bundled mood is missing or unusable; {@link io.tweetreel.composer.ComposerTopology} names its topics, step and failure code (the
 * stream shape itself is {@link io.tweetreel.core.StageTopology}); {@link io.tweetreel.composer.ReelComposing} is
 * the work per job: fetch the card into a {@link io.tweetreel.core.JobWorkspace}, choose the sound
 * ({@link io.tweetreel.composer.Soundtracks}: a bundled track, silence, or the user's {@code audioUrl} through
 * {@link io.tweetreel.composer.AudioFetcher}, which fails the job with {@code AUDIO_FAILED}), level it to -16 LUFS
 * ({@link io.tweetreel.composer.Loudness}), compose, put the MP4 in the work bucket.
 *
 * <p>The encoding, {@link io.tweetreel.composer.ReelComposer}, knows nothing of Kafka or object stores: files in,
 * file out. A {@link io.tweetreel.composer.ComposeException} fails the job at once ({@code COMPOSE_FAILED}, with
 * ffmpeg's own error lines); an {@link java.io.IOException} is a problem of the machine and is retried. A
 * canceled job's ffmpeg is killed through the compose call's {@link io.tweetreel.composer.ReelComposer.StopHook}.
 */
package io.tweetreel.composer;
