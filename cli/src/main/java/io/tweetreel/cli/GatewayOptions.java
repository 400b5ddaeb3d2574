package io.tweetreel.cli;

import java.nio.file.Path;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The options every job command shares: which gateway, with which API key, and how to show progress. */
final class GatewayOptions {
    @Mixin
    ServerOption server;

    @Option(
            names = "--api-key-file",
            paramLabel = "FILE",
            description = "send the API key in FILE (default: $TWEETREEL_API_KEY, else .tweetreel/api-key if it"
                    + " exists; without one, no key is sent)")
    Path apiKeyFile;

    @Option(
            names = "--plain",
            description = "plain progress lines instead of a progress bar (the default when not on a terminal)")
    boolean plain;

    Gateway gateway(TweetReelClient client) {
        Credential apiKey = Credential.find(
                Credential.Kind.API_KEY,
                apiKeyFile,
                client.environment(),
                client.terminal().err());
        return server.gateway(apiKey);
    }

    Progress progress(TweetReelClient.Terminal terminal) {
        return terminal.interactive() && !plain ? new Progress.Bar(terminal.err()) : new Progress.Lines(terminal.err());
    }
}
