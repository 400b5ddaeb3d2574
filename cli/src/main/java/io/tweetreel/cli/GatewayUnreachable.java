package io.tweetreel.cli;

/** The gateway could not be reached (refused, unknown host, timed out, connection lost): exit code 2. */
final class GatewayUnreachable extends RuntimeException {
    GatewayUnreachable(String message, Throwable cause) {
        super(message, cause);
    }
}
