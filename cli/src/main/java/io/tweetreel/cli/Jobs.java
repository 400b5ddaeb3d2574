package io.tweetreel.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/** Jobs as the gateway shows them (its job JSON), and following one to its end. */
final class Jobs {
    static final Set<String> FINAL = Set.of("completed", "failed", "canceled");

    private final Gateway gateway;
    private final Duration pollInterval;

    Jobs(Gateway gateway, Duration pollInterval) {
        this.gateway = gateway;
        this.pollInterval = pollInterval;
    }

    static boolean isFinal(JsonNode job) {
        return FINAL.contains(job.path("status").asText());
    }

    static String path(String jobId) {
        return "/api/jobs/" + jobId;
    }

    JsonNode job(String jobId) {
        return gateway.get(path(jobId));
    }

    /**
     * Hands every change of the job to {@code onUpdate} until it is final, and answers its final JSON. Follows the
     * job's event stream; when a stream ends early (the gateway restarted, or the stream reached its age limit) it
     * looks the job up and opens another, and when the gateway has no stream to spare (503) it polls.
     */
    JsonNode follow(String jobId, Consumer<JsonNode> onUpdate) {
        AtomicReference<JsonNode> last = new AtomicReference<>();
        boolean streams = true;
        while (true) {
            if (streams) {
                try {
                    gateway.events(path(jobId) + "/events", event -> {
                        if (event.type().equals("status")) {
                            JsonNode job = parse(event.data());
                            last.set(job);
                            onUpdate.accept(job);
                            return !isFinal(job);
                        }
                        return true;
                    });
                } catch (ServerProblem problem) {
                    if (problem.status() != 503) {
                        throw problem;
                    }
                    streams = false;
                }
            }
            if (last.get() != null && isFinal(last.get())) {
                return last.get();
            }
            JsonNode now = job(jobId);
            onUpdate.accept(now);
            if (isFinal(now)) {
                return now;
            }
            pause();
        }
    }

    private void pause() {
        try {
            Thread.sleep(pollInterval.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new GatewayUnreachable("interrupted while following the job", e);
        }
    }

    private static JsonNode parse(String json) {
        try {
            return Gateway.JSON.readTree(json);
        } catch (IOException e) {
            throw ServerProblem.unreadable(200, "an event that is not JSON: " + json);
        }
    }
}
