package io.tweetreel.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code tweetreel cancel JOB_ID}: stops a queued or running job; a completed or failed one cannot be (409). */
@Command(name = "cancel", mixinStandardHelpOptions = true, description = "Cancel a queued or running job.")
final class CancelCommand implements Callable<Integer> {
    @ParentCommand
    private TweetReelClient client;

    @Mixin
    private GatewayOptions options;

    @Parameters(paramLabel = "JOB_ID", description = "the job's id")
    private String jobId;

    @Override
    public Integer call() {
        JsonNode job = options.gateway(client).post(Jobs.path(jobId) + "/cancel");
        String status = job.path("status").asText();
        if (status.equals("canceled")) {
            client.terminal()
                    .out()
                    .println("job " + jobId + " canceled at "
                            + job.path("currentStep").asText());
        } else {
            // the gateway answers once the job is final or after ~2 s; the stages stop it in the background
            client.terminal().out().println("job " + jobId + ": cancel requested, the job is " + status + " now");
        }
        return 0;
    }
}
