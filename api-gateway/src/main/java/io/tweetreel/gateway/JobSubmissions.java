package io.tweetreel.gateway;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import io.micrometer.core.instrument.MeterRegistry;
import io.tweetreel.core.JobStatuses;
import io.tweetreel.core.Json;
import io.tweetreel.core.RequestRules;
import io.tweetreel.schemas.JobStatus;
import io.tweetreel.schemas.VideoRequested;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * {@code POST /api/generate}: checks and publishes a new job, answering 202 {@code {jobId, statusUrl}}.
 * <p>
 * Idempotency-Key: the job id is derived from the key ({@link JobIds#fromIdempotencyKey}), so every instance
 * agrees on it. A retry with the same body answers the same job again (202, header {@code Idempotent-Replayed:
 * true}) without publishing anything; a different body answers 409. "Same body" is decided by the request's
 * {@link RequestFingerprint}, found in this instance's {@link RecentSubmissions} or in the request table (through
 * its owner). Retries on one instance are serialised per key; two instances receiving the same new key within
 * the same fraction of a second may both publish it: the job id is the same, so at worst the job is done twice
 * (and for different bodies the later one wins). With API keys each key has its own Idempotency-Keys
 * ({@link JobIds#fromIdempotencyKey(String, String)}).
 * <p>
 * Access: the job records the caller's key id (on the request and on its {@code pending} status), and a request
 * without a {@code webhookUrl} gets the key's default one. A new job passes the caller's limits
 * ({@link KeyAdmission}, cost 1) after validation; a 400 and a replay cost nothing.
 */
public final class JobSubmissions {
    public static final int MAX_BODY_BYTES = 64 * 1024;
    /** Beyond this an oversized body is not read to its end; the connection is closed instead. */
    private static final long MAX_DRAINED_BYTES = 1024 * 1024;

    private static final Logger log = LoggerFactory.getLogger(JobSubmissions.class);
    private static final ObjectMapper STRICT_JSON = Json.MAPPER
            .copy()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY);
    private static final int LOCK_STRIPES = 64;

    private final RequestPublisher publisher;
    private final JobQueries queries;
    private final RecentSubmissions recent;
    private final KeyAdmission admission;
    private final String baseUrl;
    private final Clock clock;
    private final MeterRegistry meters;
    private final Object[] keyLocks = new Object[LOCK_STRIPES];

    public JobSubmissions(
            RequestPublisher publisher,
            JobQueries queries,
            RecentSubmissions recent,
            KeyAdmission admission,
            String baseUrl,
            Clock clock,
            MeterRegistry meters) {
        this.publisher = publisher;
        this.queries = queries;
        this.recent = recent;
        this.admission = admission;
        this.baseUrl = baseUrl;
        this.clock = clock;
        this.meters = meters;
        for (int i = 0; i < LOCK_STRIPES; i++) {
            keyLocks[i] = new Object();
        }
    }

    public record Accepted(String jobId, String statusUrl) {}

    public void handle(Context ctx) {
        requireJson(ctx.header("Content-Type"));
        byte[] body = readBounded(ctx, MAX_BODY_BYTES, MAX_DRAINED_BYTES);
        JsonNode tree = parse(body);
        String idempotencyKey = ctx.header("Idempotency-Key");
        if (idempotencyKey != null && !JobIds.isValidIdempotencyKey(idempotencyKey)) {
            throw Problem.invalid(
                            List.of(new FieldError("Idempotency-Key", "must be 1 to 255 printable ASCII characters")))
                    .toException();
        }
        RequestValidation.Outcome outcome = RequestValidation.validate(tree, clock);
        if (!outcome.valid()) {
            meters.counter("gateway.requests.invalid").increment();
            throw Problem.invalid(outcome.errors()).toException();
        }
        Caller caller = Caller.of(ctx);
        // the fingerprint covers what goes to Kafka (owner and default webhook included), as the request table's
        VideoRequested request = ownedBy(outcome.request(), caller);
        RequestSummary summary = RequestSummary.of(request);
        String fingerprint = summary.fingerprint();

        boolean replayed = false;
        String jobId;
        if (idempotencyKey == null) {
            jobId = JobIds.random();
            admission.admit(ctx, 1);
            publish(jobId, request, summary);
        } else {
            jobId = JobIds.fromIdempotencyKey(caller.keyId(), idempotencyKey);
            synchronized (keyLocks[Math.floorMod(jobId.hashCode(), LOCK_STRIPES)]) {
                Optional<String> known = recent.find(jobId)
                        .map(RecentSubmissions.Submission::request)
                        .or(() -> queries.request(jobId))
                        .map(RequestSummary::fingerprint);
                if (known.isEmpty()) {
                    admission.admit(ctx, 1);
                    publish(jobId, request, summary);
                } else if (known.get().equals(fingerprint)) {
                    replayed = true;
                    meters.counter("gateway.jobs.replayed").increment();
                } else {
                    meters.counter("gateway.jobs.conflicts").increment();
                    throw Problem.typed(
                                    Problem.IDEMPOTENCY_KEY_REUSED,
                                    "Idempotency-Key reused",
                                    409,
                                    "this Idempotency-Key was already used for a different request")
                            .toException();
                }
            }
        }
        String statusUrl = baseUrl + "/api/jobs/" + jobId;
        if (replayed) {
            ctx.header("Idempotent-Replayed", "true");
        }
        ctx.header("Location", "/api/jobs/" + jobId);
        ctx.status(202).json(new Accepted(jobId, statusUrl));
    }

    private void publish(String jobId, VideoRequested validated, RequestSummary summary) {
        Instant now = Instant.ofEpochMilli(clock.millis());
        VideoRequested request =
                VideoRequested.newBuilder(validated).setRequestedAt(now).build();
        JobStatus pending = JobStatus.newBuilder(JobStatuses.pending(now))
                .setKeyId(request.getKeyId())
                .build();
        publisher.publish(jobId, request, pending);
        recent.add(new RecentSubmissions.Submission(jobId, summary, pending, now));
        meters.counter("gateway.jobs.submitted").increment();
        MDC.put("jobId", jobId);
        try {
            log.info(
                    "job accepted: {} {} {} reel for @{}",
                    request.getDurationSeconds() == RequestRules.DURATION_CHOSEN_BY_PIPELINE
                            ? "paced"
                            : request.getDurationSeconds() + "s",
                    request.getAnimation(),
                    request.getTheme(),
                    request.getUsername());
        } finally {
            MDC.remove("jobId");
        }
    }

    /**
     * The request as the caller's job: its key id recorded and, when the request names no webhook, the key's
     * default {@code webhookUrl}. An anonymous caller's request stays as it is.
     */
    static VideoRequested ownedBy(VideoRequested request, Caller caller) {
        if (caller.key() == null) {
            return request;
        }
        VideoRequested.Builder owned = VideoRequested.newBuilder(request).setKeyId(caller.keyId());
        if (request.getWebhookUrl() == null && caller.key().getWebhookUrl() != null) {
            owned.setWebhookUrl(caller.key().getWebhookUrl());
        }
        return owned.build();
    }

    /** application/json or any +json type; a charset, if given, must be UTF-8 (RFC 8259). */
    static void requireJson(String contentType) {
        if (contentType == null || contentType.isBlank()) {
            throw Problem.of(415, "send the request as JSON, with Content-Type: application/json")
                    .toException();
        }
        String[] parts = contentType.split(";", -1); // -1 keeps ";;;" from splitting into nothing
        String type = parts[0].trim().toLowerCase(Locale.ROOT);
        boolean json = type.equals("application/json") || (type.startsWith("application/") && type.endsWith("+json"));
        for (int i = 1; i < parts.length && json; i++) {
            String[] param = parts[i].split("=", 2);
            if (param[0].trim().equalsIgnoreCase("charset")
                    && param.length == 2
                    && !param[1].trim().replace("\"", "").equalsIgnoreCase("utf-8")) {
                json = false;
            }
        }
        if (!json) {
            throw Problem.of(415, "send the request as JSON (UTF-8), with Content-Type: application/json")
                    .toException();
        }
    }

    /**
     * The body, at most {@code maxBytes}; 413 beyond. An oversized body up to {@code drainLimit} is read to its end
     * first (see {@link #tooLarge}); a larger one is not, the connection closes instead.
     */
    static byte[] readBounded(Context ctx, int maxBytes, long drainLimit) {
        long declared = ctx.req().getContentLengthLong();
        try (InputStream in = ctx.req().getInputStream()) {
            if (declared > drainLimit) {
                // not worth reading: the connection closes
                throw tooLarge(InputStream.nullInputStream(), maxBytes, drainLimit);
            }
            if (declared > maxBytes) {
                throw tooLarge(in, maxBytes, drainLimit);
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream(declared > 0 ? (int) declared : 1024);
            byte[] buffer = new byte[8192];
            int total = 0;
            int n;
            while ((n = in.read(buffer)) != -1) {
                total += n;
                if (total > maxBytes) {
                    throw tooLarge(in, maxBytes, drainLimit);
                }
                out.write(buffer, 0, n);
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw Problem.of(400, "the request body could not be read").toException();
        }
    }

    /**
     * Reads what is left of a moderately oversized body before answering: closing a socket with unread bytes in
     * its receive buffer sends a TCP reset, and the client then loses the 413 along with the connection.
     */
    private static Problem.ProblemException tooLarge(InputStream rest, int maxBytes, long drainLimit)
            throws IOException {
        long drained = 0;
        byte[] buffer = new byte[8192];
        int n;
        while (drained <= drainLimit && (n = rest.read(buffer)) != -1) {
            drained += n;
        }
        return Problem.of(413, "the request body must be at most " + maxBytes / 1024 + " KB")
                .withHeader("Connection", "close")
                .toException();
    }

    static JsonNode parse(byte[] body) {
        if (body.length == 0) {
            throw malformed("the body is empty; send a JSON object");
        }
        try {
            JsonNode tree = STRICT_JSON.readTree(body);
            if (tree == null || tree.isMissingNode()) {
                throw malformed("the body is empty; send a JSON object");
            }
            return tree;
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String where = at == null ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")";
            throw malformed("the body is not valid JSON" + where);
        } catch (IOException e) {
            throw malformed("the body is not valid JSON");
        }
    }

    private static Problem.ProblemException malformed(String detail) {
        return new Problem(Problem.MALFORMED_JSON, "Malformed JSON", 400, detail, null, null, Map.of()).toException();
    }
}
