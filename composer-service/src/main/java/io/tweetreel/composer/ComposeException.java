package io.tweetreel.composer;

/**
 * ffmpeg refused the inputs (a corrupt or unsupported image or audio file): running the job again will fail
 * again, so the job should fail at once. The message is {@code Video composition failed: } followed by ffmpeg's
 * own error lines, ready to show to the user.
 *
 * <p>Problems of the machine rather than of the inputs (disk full, file not found, permission denied, ffmpeg
 * killed or timed out) are thrown as {@link java.io.IOException} instead, and are worth retrying.
 */
public class ComposeException extends Exception {

    public ComposeException(String message) {
        super(message);
    }

    public ComposeException(String message, Throwable cause) {
        super(message, cause);
    }
}
