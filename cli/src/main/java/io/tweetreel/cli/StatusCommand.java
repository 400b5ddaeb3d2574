package io.tweetreel.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintStream;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code tweetreel status JOB_ID}: the job's key facts, or its JSON. */
@Command(name = "status", mixinStandardHelpOptions = true, description = "Show a job: its state, video or error.")
final class StatusCommand implements Callable<Integer> {
    @ParentCommand
    private TweetReelClient client;

    @Mixin
    private GatewayOptions options;

    @Parameters(paramLabel = "JOB_ID", description = "the job's id")
    private String jobId;

    @Option(names = "--json", description = "print the job JSON as the gateway answers it")
    private boolean json;

    @Override
    public Integer call() throws JsonProcessingException {
        JsonNode job = new Jobs(options.gateway(client), client.terminal().pollInterval()).job(jobId);
        PrintStream out = client.terminal().out();
        if (json) {
            out.println(Gateway.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(job));
        } else {
            print(job, out);
        }
        return 0;
    }

    static void print(JsonNode job, PrintStream out) {
        line(out, "job", job.path("jobId").asText());
        line(
                out,
                "status",
                job.path("status").asText() + " (" + job.path("progress").asInt() + "%, "
                        + job.path("currentStep").asText() + ")");
        JsonNode result = job.path("result");
        if (result.isObject()) {
            line(out, "video", result.path("downloadUrl").asText());
            line(
                    out,
                    "",
                    String.format(
                            Locale.ROOT,
                            "%s, %.1f s, %s, %s",
                            size(result.path("fileSize").asLong()),
                            result.path("duration").asDouble(),
                            result.path("resolution").asText(),
                            "expires " + result.path("expiresAt").asText()));
            if (result.hasNonNull("posterUrl")) {
                line(out, "poster", result.path("posterUrl").asText());
            }
            JsonNode outputs = result.path("outputs");
            // the first output is the video above; the others each get their format, size and both links
            for (int i = 1; i < outputs.size(); i++) {
                JsonNode output = outputs.get(i);
                line(
                        out,
                        output.path("format").asText(),
                        output.path("downloadUrl").asText() + " ("
                                + output.path("resolution").asText()
                                + (output.hasNonNull("posterUrl")
                                        ? ", poster " + output.path("posterUrl").asText()
                                        : "")
                                + ")");
            }
        }
        for (JsonNode warning : job.path("warnings")) {
            String field = warning.path("field").asText("");
            line(
                    out,
                    "warning",
                    (field.isEmpty() ? "" : field + ": ")
                            + warning.path("message").asText() + " ("
                            + warning.path("code").asText() + ")");
        }
        JsonNode error = job.path("error");
        if (error.isObject()) {
            line(
                    out,
                    "error",
                    error.path("message").asText() + " (" + error.path("code").asText() + ", at "
                            + error.path("step").asText() + ")");
        }
        line(out, "created", job.path("createdAt").asText());
        line(out, "updated", job.path("updatedAt").asText());
    }

    private static void line(PrintStream out, String label, String value) {
        out.printf("%-8s %s%n", label, value);
    }

    static String size(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        if (bytes < 1024 * 1024) {
            return String.format(Locale.ROOT, "%.1f KiB", bytes / 1024.0);
        }
        return String.format(Locale.ROOT, "%.1f MiB", bytes / (1024.0 * 1024));
    }
}
