package io.tweetreel.renderer;

/** A card could not be rendered even after a browser relaunch and one retry. The message is the reason, fit for a job's error. */
public class RenderException extends RuntimeException {

    public RenderException(String reason) {
        super(reason);
    }

    public RenderException(String reason, Throwable cause) {
        super(reason, cause);
    }
}
