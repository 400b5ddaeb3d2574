package io.tweetreel.core;

/**
 * A job that cannot succeed however often it is tried (bad input, an image that does not decode, ffmpeg
 * refusing the data). The stage fails the job at once with this code and message.
 */
public class JobFailure extends Exception {
    private final String code;

    public JobFailure(String code, String message) {
        super(message);
        this.code = code;
    }

    public JobFailure(String code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    public String code() {
        return code;
    }
}
