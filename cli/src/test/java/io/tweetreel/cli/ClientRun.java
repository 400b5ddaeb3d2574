package io.tweetreel.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

/** One run of the client in this JVM, not on a terminal, with what it printed. */
record ClientRun(int exitCode, String out, String err) {

    /** With no variables at all, so that a TWEETREEL_API_KEY or TWEETREEL_HOME of whoever runs the tests is unseen. */
    static ClientRun run(String... args) {
        return run(Map.of(), args);
    }

    static ClientRun run(Map<String, String> environment, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exitCode = TweetReelClient.run(
                args,
                new TweetReelClient.Terminal(
                        new PrintStream(out, true, StandardCharsets.UTF_8),
                        new PrintStream(err, true, StandardCharsets.UTF_8),
                        false,
                        Duration.ofMillis(20)),
                environment);
        return new ClientRun(exitCode, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
