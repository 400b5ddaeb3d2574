package io.tweetreel.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code tweetreel reel}: submit one job, follow it with a progress bar, download the video, print its path. */
@Command(
        name = "reel",
        mixinStandardHelpOptions = true,
        description = {
            "Make one reel: submit it, show its progress, download the video and print its path.",
            "Ctrl-C cancels the job."
        })
final class ReelCommand implements Callable<Integer> {
    /** The request fields the gateway names in its errors, and the options that set them. */
    private static final Map<String, String> OPTION_OF_FIELD = Map.of(
            "tweetBody", "--text",
            "profileName", "--name",
            "username", "--user",
            "profilePhotoUrl", "--photo",
            "theme", "--theme",
            "durationSeconds", "--duration");

    @ParentCommand
    private TweetReelClient client;

    @Mixin
    private GatewayOptions options;

    @Option(
            names = "--text",
            required = true,
            paramLabel = "TEXT",
            description = "the post's text (1 to 2000 characters)")
    private String text;

    @Option(names = "--name", required = true, paramLabel = "NAME", description = "the author's display name")
    private String name;

    @Option(
            names = "--user",
            required = true,
            paramLabel = "HANDLE",
            description = "the author's handle, with or without @")
    private String user;

    @Option(names = "--photo", paramLabel = "URL", description = "the author's profile photo (http or https)")
    private String photo;

    @Option(names = "--theme", paramLabel = "light|dark", description = "the card's theme (default: dark)")
    private String theme;

    @Option(names = "--duration", paramLabel = "SECONDS", description = "the video's length, 3 to 30 (default: 5)")
    private Integer duration;

    @Option(
            names = {"-o", "--output"},
            paramLabel = "FILE",
            description = "where to save the video (default: its filename, in this directory)")
    private Path output;

    @Override
    public Integer call() {
        TweetReelClient.Terminal terminal = client.terminal();
        if (output != null
                && output.toAbsolutePath().getParent() != null
                && !Files.isDirectory(output.toAbsolutePath().getParent())) {
            throw new UnusableInputException("cannot write " + output + ": its directory does not exist");
        }
        Gateway gateway = options.gateway(client);
        Jobs jobs = new Jobs(gateway, terminal.pollInterval());
        String jobId;
        try {
            jobId = gateway.post("/api/generate", request()).path("jobId").asText();
        } catch (ServerProblem problem) {
            throw problem.withFieldNames(field ->
                    OPTION_OF_FIELD.containsKey(field) ? field + " (" + OPTION_OF_FIELD.get(field) + ")" : field);
        }
        terminal.err().println("job " + jobId);
        try (CancelOnInterrupt interrupt = CancelOnInterrupt.install(
                "job " + jobId, () -> gateway.post(Jobs.path(jobId) + "/cancel"), terminal.err())) {
            Progress progress = options.progress(terminal);
            JsonNode job = jobs.follow(
                    jobId, update -> progress.show(update.path("progress").asInt(), step(update)));
            progress.end();
            interrupt.disarm();
            String status = job.path("status").asText();
            if (!status.equals("completed")) {
                terminal.err().println("tweetreel: job " + jobId + " " + outcome(job));
                return TweetReelClient.FAILED;
            }
            JsonNode result = job.path("result");
            Path target =
                    output != null ? output : Path.of(result.path("filename").asText());
            interrupt.removeOnInterrupt(Gateway.partFile(target));
            gateway.download(URI.create(result.path("downloadUrl").asText()), target);
            terminal.out().println(target);
            return 0;
        }
    }

    private ObjectNode request() {
        ObjectNode request = Gateway.JSON.createObjectNode();
        request.put("tweetBody", text);
        request.put("profileName", name);
        request.put("username", user);
        if (photo != null) {
            request.put("profilePhotoUrl", photo);
        }
        if (theme != null) {
            request.put("theme", theme);
        }
        if (duration != null) {
            request.put("durationSeconds", duration);
        }
        return request;
    }

    /** The step, and how the job ended when it did not complete. */
    static String step(JsonNode job) {
        String status = job.path("status").asText();
        String step = job.path("currentStep").asText();
        return status.equals("failed") || status.equals("canceled") ? step + " (" + status + ")" : step;
    }

    /** "failed at composing_video: ffmpeg exited with 1 (FFMPEG_FAILED)", or "was canceled at ...". */
    static String outcome(JsonNode job) {
        String status = job.path("status").asText();
        if (status.equals("failed")) {
            JsonNode error = job.path("error");
            String step = error.path("step").asText(job.path("currentStep").asText());
            String code = error.path("code").asText("");
            return "failed at " + step + ": " + error.path("message").asText("no error message")
                    + (code.isEmpty() ? "" : " (" + code + ")");
        }
        return "was " + status + " at " + job.path("currentStep").asText();
    }
}
