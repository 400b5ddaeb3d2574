package io.tweetreel.cli;

/** A batch file that cannot be read or parsed; the message names the file and the line. */
final class InputFileException extends RuntimeException {
    InputFileException(String message) {
        super(message);
    }
}
