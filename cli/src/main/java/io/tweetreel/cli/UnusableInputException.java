package io.tweetreel.cli;

/**
 * Input the client cannot work with (a batch file that cannot be read or parsed, an output path without a directory,
 * a --server that is not an http URL): exit code 2. The message names the file and line, or the option.
 */
final class UnusableInputException extends RuntimeException {
    UnusableInputException(String message) {
        super(message);
    }
}
