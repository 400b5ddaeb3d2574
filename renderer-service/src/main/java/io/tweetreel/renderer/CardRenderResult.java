package io.tweetreel.renderer;

import java.nio.file.Path;
import java.time.Duration;

/**
 * A finished render.
 *
 * @param png        the written file, exactly {@value CardRenderer#WIDTH_PX}x{@value CardRenderer#HEIGHT_PX}
 * @param photo      what happened to the profile photo (fetched, or why the initials avatar was used)
 * @param renderTime wall time including the photo fetch
 * @param attempts   1, or 2 when the browser had to be relaunched
 */
public record CardRenderResult(Path png, PhotoFetchResult photo, Duration renderTime, int attempts) {}
