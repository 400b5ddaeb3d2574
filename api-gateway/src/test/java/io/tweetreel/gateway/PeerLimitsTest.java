package io.tweetreel.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.javalin.Javalin;
import io.javalin.json.JavalinJackson;
import io.tweetreel.core.Json;
import io.tweetreel.gateway.KeyLimits.Admission;
import io.tweetreel.gateway.KeyLimits.Outcome;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import org.apache.kafka.streams.state.HostInfo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The internal limits route between gateway instances, over real HTTP on loopback. */
class PeerLimitsTest {
    private static final String KEY_ID = "key_AAAAAAAAAAAAAAAA";
    private static final KeyRates RATES = new KeyRates(30, 30, 2, 1000);

    private final SettableClock clock = new SettableClock(Instant.parse("2026-12-02T10:00:00Z"));
    private volatile boolean owning = true;
    private Javalin owner;
    private HostInfo ownerHost;
    // generous: the first request of a JVM on a loaded machine takes seconds
    private final PeerLimits peers = new PeerLimits(new PeerHttp(Duration.ofSeconds(15)));

    @BeforeEach
    void start() {
        SharedKeyLimits limits = new TestPlacement(
                        () -> owning ? ownerHost : new HostInfo("127.0.0.1", 1), () -> ownerHost, 2)
                .limits(TestPlacement.ASKS_NOBODY, clock);
        PeerLimitEndpoint endpoint = new PeerLimitEndpoint(limits);
        owner = Javalin.create(cfg -> {
                    cfg.jsonMapper(new JavalinJackson(Json.MAPPER, false));
                    cfg.routes.post(PeerLimitEndpoint.PATH, endpoint::handle);
                    cfg.routes.exception(
                            Problem.ProblemException.class, (e, ctx) -> GatewayApp.write(ctx, e.problem()));
                })
                .start("127.0.0.1", 0);
        ownerHost = new HostInfo("127.0.0.1", owner.port());
    }

    @AfterEach
    void stop() {
        owner.stop();
    }

    @Test
    void theOwnerDecidesWithTheRatesItIsSentAndAnswersTheWholeAdmission() {
        Admission first = peers.admit(ownerHost, KEY_ID, RATES, 1);
        assertThat(first.outcome()).isEqualTo(Outcome.ALLOWED);
        assertThat(first.limit()).isEqualTo(30);
        assertThat(first.remaining()).isEqualTo(1);
        assertThat(first.quotaResetAt()).isEqualTo(Instant.parse("2026-12-03T00:00:00Z"));

        peers.admit(ownerHost, KEY_ID, RATES, 1);
        Admission refused = peers.admit(ownerHost, KEY_ID, RATES, 1);
        assertThat(refused.outcome()).isEqualTo(Outcome.RATE_LIMITED);
        assertThat(refused.retryAfterSeconds()).isEqualTo(2);
    }

    @Test
    void anInstanceThatNoLongerOwnsTheKeyOrDoesNotAnswerIsUnavailable() throws Exception {
        owning = false;
        assertThatThrownBy(() -> peers.admit(ownerHost, KEY_ID, RATES, 1))
                .isInstanceOf(TemporarilyUnavailableException.class)
                .hasMessageContaining("503");

        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        assertThatThrownBy(() -> peers.admit(new HostInfo("127.0.0.1", closedPort), KEY_ID, RATES, 1))
                .isInstanceOf(TemporarilyUnavailableException.class);
    }

    @Test
    void aBadCostIsRefused() {
        assertThatThrownBy(() -> peers.admit(ownerHost, KEY_ID, RATES, 0))
                .isInstanceOf(TemporarilyUnavailableException.class)
                .hasMessageContaining("400");
    }
}
