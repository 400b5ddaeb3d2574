package io.tweetreel.core;

import io.javalin.config.JavalinConfig;
import io.javalin.http.HttpStatus;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The operations endpoints every service answers: {@code /health/live}, {@code /health/ready} (every check
 * passes, else 503 naming the failing ones), {@code /metrics} (Prometheus) and {@code /status}.
 */
public final class OpsEndpoints {
    private final PrometheusMeterRegistry metrics;
    private final Map<String, BooleanSupplier> readiness;
    private final Supplier<Map<String, Object>> status;

    public OpsEndpoints(
            PrometheusMeterRegistry metrics,
            Map<String, BooleanSupplier> readiness,
            Supplier<Map<String, Object>> status) {
        this.metrics = metrics;
        this.readiness = Map.copyOf(readiness);
        this.status = status;
    }

    public void addTo(JavalinConfig config) {
        config.routes.get("/health/live", ctx -> ctx.json(Map.of("status", "UP")));
        config.routes.get("/health/ready", ctx -> {
            Map<String, Object> checks = new LinkedHashMap<>();
            boolean ready = true;
            for (var check : new java.util.TreeMap<>(readiness).entrySet()) {
                boolean ok = safely(check.getValue());
                checks.put(check.getKey(), ok ? "UP" : "DOWN");
                ready &= ok;
            }
            ctx.status(ready ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE)
                    .json(Map.of("status", ready ? "UP" : "DOWN", "checks", checks));
        });
        config.routes.get(
                "/metrics",
                ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8")
                        .result(metrics.scrape()));
        config.routes.get("/status", ctx -> ctx.json(status.get()));
    }

    private static boolean safely(BooleanSupplier check) {
        try {
            return check.getAsBoolean();
        } catch (RuntimeException e) {
            return false;
        }
    }
}
