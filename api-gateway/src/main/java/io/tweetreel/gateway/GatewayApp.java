package io.tweetreel.gateway;

import io.javalin.Javalin;
import io.javalin.compression.CompressionStrategy;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.json.JavalinJackson;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.tweetreel.core.Json;
import io.tweetreel.core.OpsEndpoints;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's one HTTP server: the public API, the web page, the download, the internal lookup and limits
 * endpoints and the ops endpoints. Every error is an RFC 9457 problem document without internals (no stack traces,
 * no exception messages of libraries); unknown routes are 404 problems too. Security headers go on every response;
 * the page's Content-Security-Policy allows nothing from other origins.
 */
public final class GatewayApp {
    private static final Logger log = LoggerFactory.getLogger(GatewayApp.class);
    private static final String START_NANOS = "tweetreel.start";
    static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; "
            + "img-src 'self' data:; media-src 'self'; connect-src 'self'; font-src 'self'; manifest-src 'self'; "
            + "base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    /**
     * What the routes call; the peer lookup and limit endpoints are absent in tests that use fakes, the
     * authentication with {@code API_AUTH=none}.
     */
    public record Handlers(
            JobSubmissions submissions,
            JobLookup lookup,
            JobEvents events,
            WebhookDeliveries deliveries,
            JobCancellations cancellations,
            VideoDownloads downloads,
            WebAssets web,
            BatchEndpoints batches,
            PeerLookupEndpoint peerLookups,
            KeyAdmission admission,
            PeerLimitEndpoint peerLimits,
            OpsEndpoints ops,
            MeterRegistry meters,
            ApiKeyAuthentication authentication,
            ApiKeys apiKeys) {}

    private GatewayApp() {}

    public static Javalin create(Handlers h) {
        return Javalin.create(cfg -> {
            cfg.startup.showJavalinBanner = false;
            cfg.jsonMapper(new JavalinJackson(Json.MAPPER, false));
            // videos are already compressed and must keep their Content-Length; JSON answers are small
            cfg.http.compressionStrategy = CompressionStrategy.NONE;
            cfg.http.generateEtags = false;
            cfg.http.asyncTimeout = 0; // event streams end by themselves (final status, client gone, max age)
            cfg.jetty.modifyServer(server -> {
                server.setStopTimeout(2000);
                server.setErrorHandler(new ProblemErrorHandler());
            });

            cfg.routes.before(ctx -> {
                ctx.attribute(START_NANOS, System.nanoTime());
                securityHeaders(ctx);
            });
            cfg.routes.after(ctx -> record(ctx, h.meters()));
            if (h.authentication() != null) {
                cfg.routes.before("/api/*", h.authentication()::handle);
            }
            cfg.routes.before(ApiKeys.PATH, h.apiKeys()::authorize);
            cfg.routes.before(ApiKeys.PATH + "/*", h.apiKeys()::authorize);
            // after authentication (which names the caller): the caller's limits on every API answer
            cfg.routes.before("/api/*", h.admission()::showLimits);

            cfg.routes.get("/", h.web()::page);
            cfg.routes.get("/assets/{name}", h.web()::asset);
            cfg.routes.get("/api/openapi.json", h.web()::openApi);
            cfg.routes.post("/api/generate", h.submissions()::handle);
            cfg.routes.get("/api/jobs/{jobId}", h.lookup()::handle);
            cfg.routes.get("/api/jobs/{jobId}/events", h.events()::handle);
            cfg.routes.post("/api/jobs/{jobId}/cancel", h.cancellations()::handle);
            cfg.routes.get("/api/jobs/{jobId}/deliveries", h.deliveries()::list);
            cfg.routes.post("/api/jobs/{jobId}/deliveries/redeliver", h.deliveries()::redeliver);
            cfg.routes.post("/api/batches", h.batches().submissions()::handle);
            cfg.routes.get("/api/batches/{batchId}", h.batches().lookup()::handle);
            cfg.routes.get("/api/batches/{batchId}/events", h.batches().events()::handle);
            cfg.routes.post("/api/batches/{batchId}/cancel", h.batches().cancels()::handle);
            cfg.routes.get("/api/batches/{batchId}/archive", h.batches().archives()::handle);
            cfg.routes.post(ApiKeys.PATH, h.apiKeys()::create);
            cfg.routes.get(ApiKeys.PATH, h.apiKeys()::list);
            cfg.routes.patch(ApiKeys.PATH + "/{id}", h.apiKeys()::update);
            cfg.routes.delete(ApiKeys.PATH + "/{id}", h.apiKeys()::revoke);
            cfg.routes.post(ApiKeys.PATH + "/{id}/webhook-secret", h.apiKeys()::rotateWebhookSecret);
            cfg.routes.get("/download/{filename}", h.downloads()::get);
            cfg.routes.head("/download/{filename}", h.downloads()::head);
            if (h.peerLookups() != null) {
                cfg.routes.get(PeerLookupEndpoint.PATH, h.peerLookups()::handle);
            }
            if (h.peerLimits() != null) {
                cfg.routes.post(PeerLimitEndpoint.PATH, h.peerLimits()::handle);
            }
            h.ops().addTo(cfg);

            // an Error (out of memory, a class missing) is logged by Javalin; the client gets a plain problem
            cfg.router.javaLangErrorHandler((response, error) -> {
                if (!response.isCommitted()) {
                    response.reset();
                    response.setStatus(500);
                    response.setContentType(Problem.CONTENT_TYPE);
                    try {
                        response.getOutputStream()
                                .write(Json.MAPPER.writeValueAsBytes(
                                        Problem.of(500, "an unexpected error occurred; it has been logged")));
                    } catch (IOException ignored) {
                        // the client is gone
                    }
                }
            });
            cfg.routes.exception(Problem.ProblemException.class, (e, ctx) -> write(ctx, e.problem()));
            cfg.routes.exception(TemporarilyUnavailableException.class, (e, ctx) -> write(ctx, Problem.unavailable(e)));
            cfg.routes.exception(
                    HttpResponseException.class,
                    (e, ctx) -> write(
                            ctx,
                            Problem.of(
                                    e.getStatus(),
                                    e.getStatus() == 404 ? "no such resource" : Problem.reason(e.getStatus()))));
            cfg.routes.exception(Exception.class, (e, ctx) -> {
                log.error("{} {} failed", ctx.method(), ctx.path(), e);
                write(ctx, Problem.of(500, "an unexpected error occurred; it has been logged"));
            });
        });
    }

    static void write(Context ctx, Problem problem) {
        if (ctx.res().isCommitted()) {
            return; // a stream already started: nothing sensible can be added
        }
        ctx.res().reset(); // drop headers of the content that will not come (Content-Disposition, Content-Length)
        securityHeaders(ctx);
        ctx.header("Cache-Control", "no-store");
        KeyAdmission.headersOf(ctx).forEach(ctx::header);
        problem.headers().forEach(ctx::header);
        Problem withInstance = problem.instance() == null ? problem.withInstance(ctx.path()) : problem;
        try {
            ctx.status(problem.status())
                    .contentType(Problem.CONTENT_TYPE)
                    .result(Json.MAPPER.writeValueAsBytes(withInstance));
        } catch (IOException e) {
            ctx.status(problem.status()).result("");
        }
    }

    private static void record(Context ctx, MeterRegistry meters) {
        Long start = ctx.attribute(START_NANOS);
        if (start == null) {
            return;
        }
        String route;
        try {
            var matched = ctx.endpoints().matchedHttpEndpoint();
            route = matched == null ? "unmatched" : matched.path;
        } catch (RuntimeException e) {
            route = "unmatched";
        }
        Timer.builder("gateway.http.requests")
                .tags(
                        "method",
                        ctx.method().name(),
                        "route",
                        route,
                        "status",
                        Integer.toString(ctx.res().getStatus()))
                .publishPercentileHistogram(false)
                .register(meters)
                .record(System.nanoTime() - start, java.util.concurrent.TimeUnit.NANOSECONDS);
    }

    private static void securityHeaders(Context ctx) {
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("Referrer-Policy", "no-referrer");
        ctx.header("X-Frame-Options", "DENY");
        ctx.header("Content-Security-Policy", CONTENT_SECURITY_POLICY);
        ctx.header("Cross-Origin-Opener-Policy", "same-origin");
    }
}
