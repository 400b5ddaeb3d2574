package io.tweetreel.cli;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code ./tweetreel reel | batch | status | cancel | keys}: a client of the gateway's HTTP API, nothing else (no
 * Kafka).
 * Exit codes: 0 done, 1 the job or an item failed or the server refused the request, 2 the client could not do its
 * work (bad arguments, unreadable input file, gateway unreachable), 130 interrupted by Ctrl-C (the job is canceled).
 */
@Command(
        name = "tweetreel",
        mixinStandardHelpOptions = true,
        version = "tweetreel client 0.1.0",
        subcommands = {
            ReelCommand.class,
            BatchCommand.class,
            StatusCommand.class,
            CancelCommand.class,
            KeysCommand.class
        },
        description = "Make tweet reels through a tweet-reel gateway (HTTP only).",
        footer = {
            "",
            "Exit codes: 0 done, 1 failed or refused by the server, 2 could not run (arguments, input, gateway"
                    + " unreachable), 130 interrupted (the job is canceled)."
        })
public final class TweetReelClient {
    static final int FAILED = 1;
    static final int CANNOT_RUN = 2;

    /** Where commands write and how: results on {@code out}, progress and errors on {@code err}. */
    record Terminal(PrintStream out, PrintStream err, boolean interactive, Duration pollInterval) {}

    private final Terminal terminal;
    private final Map<String, String> environment;

    TweetReelClient(Terminal terminal, Map<String, String> environment) {
        this.terminal = terminal;
        this.environment = Map.copyOf(environment);
    }

    Terminal terminal() {
        return terminal;
    }

    /** The variables the commands read for keys and the state directory (a seam: tests give their own). */
    Map<String, String> environment() {
        return environment;
    }

    public static void main(String[] args) {
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        PrintStream err = new PrintStream(System.err, true, StandardCharsets.UTF_8);
        // a progress bar only where someone watches: not in CI, pipes or files
        boolean interactive = System.console() != null && !"dumb".equals(System.getenv("TERM"));
        System.exit(run(args, new Terminal(out, err, interactive, Duration.ofSeconds(1)), System.getenv()));
    }

    static int run(String[] args, Terminal terminal, Map<String, String> environment) {
        CommandLine commandLine = new CommandLine(new TweetReelClient(terminal, environment));
        commandLine.setOut(new PrintWriter(terminal.out(), true));
        commandLine.setErr(new PrintWriter(terminal.err(), true));
        commandLine.setExecutionExceptionHandler((e, cmd, parsed) -> {
            if (e instanceof ServerProblem problem) {
                terminal.err().println("tweetreel: " + problem.describe());
                return FAILED;
            }
            if (e instanceof GatewayUnreachable || e instanceof UnusableInputException) {
                terminal.err().println("tweetreel: " + e.getMessage());
                return CANNOT_RUN;
            }
            // a fault of the client itself: still one line, the exception named so it can be reported
            terminal.err().println("tweetreel: unexpected error: " + e);
            return FAILED;
        });
        return commandLine.execute(args);
    }
}
