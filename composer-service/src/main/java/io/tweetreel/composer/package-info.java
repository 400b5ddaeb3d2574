/**
 * The composer's I/O work, free of Kafka and Avro: a still card plus music in, a 1080x1920 H.264/AAC reel out.
 *
 * <p>Wiring at start-up: {@link io.tweetreel.composer.DefaultTrack#resolve(String, java.nio.file.Path)} picks
 * {@code AUDIO_PATH} or copies out the bundled track; {@code new ReelComposer(FFMPEG_PATH, track)} checks ffmpeg,
 * ffprobe and the track and throws {@link java.lang.IllegalStateException} when the service should not start;
 * {@link io.tweetreel.core.JobWorkspace#sweep} clears leftovers of a crashed run. Per job: a
 * {@link io.tweetreel.core.JobWorkspace} around
 * {@link io.tweetreel.composer.ReelComposer#compose(java.nio.file.Path, int, java.nio.file.Path,
 * io.tweetreel.composer.ProgressListener)}; a {@link io.tweetreel.composer.ComposeException} fails the job
 * ({@code COMPOSE_FAILED}, its message as is), an {@link java.io.IOException} is worth a retry.
 */
package io.tweetreel.composer;
