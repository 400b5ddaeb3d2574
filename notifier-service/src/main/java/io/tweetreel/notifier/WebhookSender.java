package io.tweetreel.notifier;

import io.tweetreel.core.http.SafeHttpClient;
import io.tweetreel.core.http.SafeHttpException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends webhook events the Standard Webhooks 1.0 way, knowing nothing of Kafka: a POST of the JSON body with
 * {@code webhook-id}, {@code webhook-timestamp} (this attempt's Unix seconds) and {@code webhook-signature}, through
 * the {@link SafeHttpClient} (SSRF policy, one deadline per attempt, redirects not followed).
 *
 * <p>Concurrency is bounded twice: at most {@code maxInFlight} attempts overall and {@code maxInFlightPerEndpoint}
 * per host. An attempt beyond either bound is not queued here but declined ({@link #trySend} returns false) and
 * stays due in the caller's schedule, so a slow or dead endpoint fills only its own slots and never holds up
 * deliveries to other hosts.
 */
public final class WebhookSender implements WebhookDispatcher, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(WebhookSender.class);

    private final SafeHttpClient http;
    private final WebhookSecret secret;
    private final Function<String, Optional<WebhookSecret>> keySecrets;
    private final int maxInFlight;
    private final int maxInFlightPerEndpoint;
    private final Clock clock;
    private final Map<String, Integer> inFlightByEndpoint = new HashMap<>();
    private final Map<String, String> inFlightJobs = new LinkedHashMap<>();
    private int inFlight;
    private boolean accepting = true;
    private final ExecutorService threads = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "webhook-sender");
        thread.setDaemon(true);
        return thread;
    });

    public WebhookSender(
            SafeHttpClient http, WebhookSecret secret, int maxInFlight, int maxInFlightPerEndpoint, Clock clock) {
        this(http, secret, keyId -> Optional.empty(), maxInFlight, maxInFlightPerEndpoint, clock);
    }

    /**
     * @param secret     signs events of jobs made without a key, or with a key that has no secret of its own
     * @param keySecrets an API key's own webhook secret by key id, asked at every attempt (so a rotation applies
     *                   to the next attempt)
     */
    public WebhookSender(
            SafeHttpClient http,
            WebhookSecret secret,
            Function<String, Optional<WebhookSecret>> keySecrets,
            int maxInFlight,
            int maxInFlightPerEndpoint,
            Clock clock) {
        this.http = http;
        this.secret = secret;
        this.keySecrets = keySecrets;
        this.maxInFlight = maxInFlight;
        this.maxInFlightPerEndpoint = maxInFlightPerEndpoint;
        this.clock = clock;
    }

    @Override
    public boolean trySend(Message message, Consumer<Attempt> whenDone) {
        String endpoint = endpoint(message.url());
        synchronized (this) {
            boolean full =
                    inFlight >= maxInFlight || inFlightByEndpoint.getOrDefault(endpoint, 0) >= maxInFlightPerEndpoint;
            if (!accepting || full) {
                return false;
            }
            inFlight++;
            inFlightByEndpoint.merge(endpoint, 1, Integer::sum);
            inFlightJobs.put(message.webhookId(), message.jobId());
        }
        try {
            threads.execute(() -> {
                Attempt attempt;
                try {
                    attempt = send(message);
                } finally {
                    release(endpoint, message);
                }
                whenDone.accept(attempt);
            });
            return true;
        } catch (RejectedExecutionException closing) {
            release(endpoint, message);
            return false;
        }
    }

    private synchronized void release(String endpoint, Message message) {
        inFlight--;
        inFlightByEndpoint.computeIfPresent(endpoint, (k, n) -> n == 1 ? null : n - 1);
        inFlightJobs.remove(message.webhookId());
        notifyAll();
    }

    /**
     * For a graceful stop: declines new attempts from now on and waits up to {@code timeout} for the running ones.
     *
     * @return whether none is running any more
     */
    public synchronized boolean stopAndAwaitIdle(Duration timeout) throws InterruptedException {
        accepting = false;
        long deadline = System.nanoTime() + timeout.toNanos();
        while (inFlight > 0) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return true;
    }

    /** The key's own secret when the event's job (or batch) was made with a key that has one; else the default. */
    private WebhookSecret signingSecret(Message message) {
        if (message.keyId() == null) {
            return secret;
        }
        try {
            return keySecrets.apply(message.keyId()).orElse(secret);
        } catch (RuntimeException e) {
            log.warn(
                    "webhook {}: the secret of key {} is unusable ({}); signing with WEBHOOK_SECRET",
                    message.webhookId(),
                    message.keyId(),
                    e.getMessage());
            return secret;
        }
    }

    /** One attempt, on the calling thread. */
    public Attempt send(Message message) {
        Instant started = clock.instant();
        long timestamp = started.getEpochSecond();
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json");
        headers.put("User-Agent", "tweetreel-notifier");
        headers.put("webhook-id", message.webhookId());
        headers.put("webhook-timestamp", Long.toString(timestamp));
        headers.put(
                "webhook-signature", signingSecret(message).signature(message.webhookId(), timestamp, message.body()));
        try {
            SafeHttpClient.Response response =
                    http.post(message.url(), headers, message.body().getBytes(StandardCharsets.UTF_8));
            int status = response.status();
            boolean delivered = status >= 200 && status < 300;
            return new Attempt(
                    message,
                    delivered ? Result.DELIVERED : Result.RETRYABLE,
                    status,
                    delivered ? null : "HTTP " + status,
                    started,
                    clock.instant());
        } catch (SafeHttpException e) {
            Result result = switch (e.reason()) {
                case INVALID_URL, SCHEME_NOT_ALLOWED, ADDRESS_NOT_ALLOWED -> Result.PERMANENT;
                // a name may resolve again, a receiver may come back or answer faster, a body shrink
                case UNRESOLVABLE_HOST, TOO_MANY_REDIRECTS, TOO_LARGE, TIMEOUT, IO_ERROR -> Result.RETRYABLE;
            };
            return new Attempt(
                    message,
                    result,
                    null,
                    e.reason().name().toLowerCase(Locale.ROOT) + ": " + e.getMessage(),
                    started,
                    clock.instant());
        } catch (RuntimeException e) {
            log.warn("webhook {} of job {}: unexpected failure", message.webhookId(), message.jobId(), e);
            return new Attempt(message, Result.RETRYABLE, null, e.toString(), started, clock.instant());
        }
    }

    /** Attempts running now. */
    public synchronized int inFlight() {
        return inFlight;
    }

    /** The jobs whose events are being sent now. */
    public synchronized List<String> inFlightJobs() {
        return List.copyOf(inFlightJobs.values());
    }

    public int maxInFlight() {
        return maxInFlight;
    }

    public int maxInFlightPerEndpoint() {
        return maxInFlightPerEndpoint;
    }

    /** Limits are per host (name as given, port ignored): one machine behind many ports is still one machine. */
    static String endpoint(String url) {
        try {
            String host = URI.create(url).getHost();
            return host == null ? "" : host.toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException e) {
            return "";
        }
    }

    /** Stops taking attempts and waits for the running ones (each ends by its own deadline). */
    @Override
    public void close() {
        threads.shutdown();
        try {
            if (!threads.awaitTermination(30, TimeUnit.SECONDS)) {
                threads.shutdownNow();
            }
        } catch (InterruptedException e) {
            threads.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
