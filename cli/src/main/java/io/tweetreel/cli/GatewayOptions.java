package io.tweetreel.cli;

import java.net.URI;
import picocli.CommandLine.Option;

/** The options every command shares: which gateway, and how to show progress. */
final class GatewayOptions {
    @Option(
            names = "--server",
            paramLabel = "URL",
            defaultValue = "${env:TWEETREEL_SERVER:-http://localhost:3000}",
            description = "the gateway (default: $TWEETREEL_SERVER, else http://localhost:3000)")
    URI server;

    @Option(
            names = "--plain",
            description = "plain progress lines instead of a progress bar (the default when not on a terminal)")
    boolean plain;

    Gateway gateway() {
        String scheme = server.getScheme();
        if (!("http".equals(scheme) || "https".equals(scheme)) || server.getHost() == null) {
            throw new UnusableInputException(
                    "--server must be an http or https URL such as http://localhost:3000, not " + server);
        }
        return new Gateway(server);
    }

    Progress progress(TweetReelClient.Terminal terminal) {
        return terminal.interactive() && !plain ? new Progress.Bar(terminal.err()) : new Progress.Lines(terminal.err());
    }
}
