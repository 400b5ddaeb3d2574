package io.tweetreel.composer;

/**
 * What a finished reel measures: from its own MP4 header after an encode ({@link Mp4Header}), as ffprobe would say.
 *
 * @param durationSeconds container duration
 * @param sizeBytes       file size
 * @param width           video width in pixels
 * @param height          video height in pixels
 */
public record ComposedReel(double durationSeconds, long sizeBytes, int width, int height) {

    /** {@code "1080x1920"}, the form the job result carries. */
    public String resolution() {
        return width + "x" + height;
    }
}
