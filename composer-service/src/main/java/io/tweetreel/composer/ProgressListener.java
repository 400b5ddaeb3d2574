package io.tweetreel.composer;

/**
 * Receives how far an encode has got.
 *
 * <p>{@link ReelComposer} calls it with fractions in 0..1 that never decrease, at most once per 250 ms while
 * ffmpeg runs, then once with exactly 1.0 when the reel is complete. Calls come from a Jaffree reader thread
 * (the caller's SLF4J MDC is copied onto it), so an implementation must be thread-safe and quick; whatever it
 * throws is logged and ignored rather than aborting the encode.
 */
@FunctionalInterface
public interface ProgressListener {

    /** A listener that ignores progress. */
    ProgressListener NONE = fraction -> {};

    /** @param fraction share of the reel encoded so far, 0..1 */
    void onProgress(double fraction);
}
