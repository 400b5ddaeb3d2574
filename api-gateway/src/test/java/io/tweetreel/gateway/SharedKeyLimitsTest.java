package io.tweetreel.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.tweetreel.gateway.KeyLimits.Admission;
import io.tweetreel.gateway.KeyLimits.Outcome;
import io.tweetreel.schemas.ApiKey;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.streams.state.HostInfo;
import org.junit.jupiter.api.Test;

/** Two gateway instances' limits, the owner found by a fake placement, the peer calls made in memory. */
class SharedKeyLimitsTest {
    private static final HostInfo A = new HostInfo("127.0.0.1", 3001);
    private static final HostInfo B = new HostInfo("127.0.0.1", 3002);
    private static final ApiKey KEY = ApiKey.newBuilder()
            .setId("key_AAAAAAAAAAAAAAAA")
            .setName("thirty a minute")
            .setKeyHash("0".repeat(64))
            .setPrefix("trk_AAAA")
            .setCreatedAt(Instant.EPOCH)
            .setUpdatedAt(Instant.EPOCH)
            .setRatePerMinute(30)
            .setBurst(6)
            .build();

    private final SettableClock clock = new SettableClock(Instant.parse("2026-12-02T10:00:00Z"));
    /** null: the owner is unknown (rebalancing) */
    private volatile HostInfo owner = A;

    private volatile boolean ownerReachable = true;
    private final AtomicInteger peerCalls = new AtomicInteger();
    private SharedKeyLimits instanceA;
    private SharedKeyLimits instanceB;

    SharedKeyLimitsTest() {
        instanceA = instance(A);
        instanceB = instance(B);
    }

    private SharedKeyLimits instance(HostInfo self) {
        SharedKeyLimits.Peers peers = (to, keyId, rates, cost) -> {
            peerCalls.incrementAndGet();
            if (!ownerReachable) {
                throw new TemporarilyUnavailableException("connection refused", Duration.ofSeconds(1));
            }
            SharedKeyLimits ownerLimits = to.equals(A) ? instanceA : instanceB;
            return ownerLimits
                    .admitAsOwner(keyId, rates, cost)
                    .orElseThrow(() -> new TemporarilyUnavailableException("not the owner", Duration.ofSeconds(1)));
        };
        return new TestPlacement(() -> owner, () -> self, 2).limits(peers, clock);
    }

    /** 100 requests sent alternately to both instances, one every {@code every}; how many passed. */
    private int alternately(Duration every) {
        int accepted = 0;
        for (int i = 0; i < 100; i++) {
            SharedKeyLimits to = i % 2 == 0 ? instanceA : instanceB;
            if (to.admit(KEY, 1).allowed()) {
                accepted++;
            }
            clock.advance(every);
        }
        return accepted;
    }

    @Test
    void theOwnerDecidesForEveryInstanceSoTheyTogetherKeepOneBucket() {
        // 100 requests in 50 s: the burst of 6 and one token every 2 s
        int accepted = alternately(Duration.ofMillis(500));
        assertThat(accepted).isBetween(6 + 24, 6 + 25);
        assertThat(peerCalls.get()).isEqualTo(50); // B asked A for each of its requests; A asked nobody
    }

    @Test
    void whileTheOwnerIsUnknownEachInstanceDecidesWithItsShareAndTogetherTheyStayWithinTheLimits() {
        owner = null;
        int accepted = alternately(Duration.ofMillis(500));
        assertThat(accepted).isLessThanOrEqualTo(6 + 25);
        assertThat(accepted).isGreaterThanOrEqualTo(20); // each instance at half the rate, not stopped
        assertThat(peerCalls.get()).isZero();
    }

    @Test
    void anUnreachableOwnerLeavesTheOthersTheirShare() {
        ownerReachable = false;
        for (int i = 0; i < 3; i++) {
            assertThat(instanceB.admit(KEY, 1).allowed()).isTrue(); // half of the burst of 6
        }
        Admission refused = instanceB.admit(KEY, 1);
        assertThat(refused.outcome()).isEqualTo(Outcome.RATE_LIMITED);
        assertThat(refused.limit()).isEqualTo(30); // the headers show the key's limit, not the share
        assertThat(refused.retryAfterSeconds()).isEqualTo(4); // 15 per minute
    }

    @Test
    void peekingAsksNobodyAndShowsTheLastKnownState() {
        for (int i = 0; i < 4; i++) {
            instanceB.admit(KEY, 1);
        }
        int calls = peerCalls.get();
        Admission seenFromB = instanceB.peek(KEY);
        assertThat(peerCalls.get()).isEqualTo(calls);
        assertThat(seenFromB.remaining()).isEqualTo(2);
        assertThat(instanceA.peek(KEY).remaining()).isEqualTo(2); // the owner's own bucket
        assertThat(instanceA.peek(KEY).outcome()).isEqualTo(Outcome.ALLOWED);
    }

    @Test
    void anInstanceThatDoesNotOwnTheKeyRefusesToDecideForOthers() {
        assertThat(instanceB.admitAsOwner(KEY.getId(), KeyRates.of(KEY), 1)).isEmpty();
        assertThat(instanceA.admitAsOwner(KEY.getId(), KeyRates.of(KEY), 1)).isPresent();
    }
}
