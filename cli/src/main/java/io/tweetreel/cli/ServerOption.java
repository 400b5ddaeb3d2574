package io.tweetreel.cli;

import java.net.URI;
import picocli.CommandLine.Option;

/** Which gateway a command talks to: {@code --server URL}, shared by the job commands and {@code keys}. */
final class ServerOption {
    @Option(
            names = "--server",
            paramLabel = "URL",
            defaultValue = "${env:TWEETREEL_SERVER:-http://localhost:3000}",
            description = "the gateway (default: $TWEETREEL_SERVER, else http://localhost:3000)")
    URI server;

    Gateway gateway(Credential credential) {
        String scheme = server.getScheme();
        if (!("http".equals(scheme) || "https".equals(scheme)) || server.getHost() == null) {
            throw new UnusableInputException(
                    "--server must be an http or https URL such as http://localhost:3000, not " + server);
        }
        return new Gateway(server, credential);
    }
}
