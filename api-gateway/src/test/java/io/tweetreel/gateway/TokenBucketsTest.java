package io.tweetreel.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.tweetreel.gateway.KeyLimits.Admission;
import io.tweetreel.gateway.KeyLimits.Outcome;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TokenBucketsTest {
    private static final String KEY = "key_AAAAAAAAAAAAAAAA";
    /** 30 per minute = one token every 2 s, bursts of 6, 1000 a day. */
    private static final KeyRates RATES = new KeyRates(30, 30, 6, 1000);

    private final SettableClock clock = new SettableClock(Instant.parse("2026-12-02T10:00:00Z"));
    private final TokenBuckets buckets = new TokenBuckets(clock, DailyUsage.NONE);

    @Test
    void aFullBucketLetsTheBurstThroughThenRefusesWithWhenToRetry() {
        for (int i = 0; i < 6; i++) {
            Admission admitted = buckets.admit(KEY, RATES, 1);
            assertThat(admitted.outcome()).isEqualTo(Outcome.ALLOWED);
            assertThat(admitted.remaining()).isEqualTo(5 - i);
        }
        Admission refused = buckets.admit(KEY, RATES, 1);
        assertThat(refused.outcome()).isEqualTo(Outcome.RATE_LIMITED);
        assertThat(refused.limit()).isEqualTo(30);
        assertThat(refused.remaining()).isZero();
        assertThat(refused.retryAfterSeconds()).isEqualTo(2); // one token every 2 s
        assertThat(refused.resetSeconds()).isEqualTo(12); // 6 tokens to refill

        clock.advance(Duration.ofMillis(1999));
        assertThat(buckets.admit(KEY, RATES, 1).outcome()).isEqualTo(Outcome.RATE_LIMITED);
        clock.advance(Duration.ofMillis(1));
        assertThat(buckets.admit(KEY, RATES, 1).outcome()).isEqualTo(Outcome.ALLOWED);
    }

    @Test
    void theBucketRefillsAtTheRateUpToTheBurstOnly() {
        for (int i = 0; i < 6; i++) {
            buckets.admit(KEY, RATES, 1);
        }
        clock.advance(Duration.ofSeconds(7)); // 3.5 tokens
        assertThat(buckets.peek(KEY, RATES).remaining()).isEqualTo(3);
        assertThat(buckets.peek(KEY, RATES).resetSeconds()).isEqualTo(5);
        clock.advance(Duration.ofHours(1));
        Admission full = buckets.peek(KEY, RATES);
        assertThat(full.remaining()).isEqualTo(6);
        assertThat(full.resetSeconds()).isZero();
    }

    @Test
    void aBatchBiggerThanTheBurstPassesFromAFullBucketAndTheKeyThenWaitsForTheDebt() {
        Admission batch = buckets.admit(KEY, RATES, 20);
        assertThat(batch.outcome()).isEqualTo(Outcome.ALLOWED);
        assertThat(batch.remaining()).isZero(); // -14 tokens, shown as 0
        assertThat(batch.resetSeconds()).isEqualTo(40); // 20 tokens to refill

        Admission next = buckets.admit(KEY, RATES, 1);
        assertThat(next.outcome()).isEqualTo(Outcome.RATE_LIMITED);
        assertThat(next.retryAfterSeconds()).isEqualTo(30); // from -14 to +1
        clock.advance(Duration.ofSeconds(30));
        assertThat(buckets.admit(KEY, RATES, 1).outcome()).isEqualTo(Outcome.ALLOWED);
    }

    @Test
    void aRefusedRequestTakesNothing() {
        buckets.admit(KEY, RATES, 6);
        for (int i = 0; i < 50; i++) {
            assertThat(buckets.admit(KEY, RATES, 1).outcome()).isEqualTo(Outcome.RATE_LIMITED);
        }
        clock.advance(Duration.ofSeconds(2));
        assertThat(buckets.admit(KEY, RATES, 1).outcome()).isEqualTo(Outcome.ALLOWED);
    }

    @Test
    void overTimeTheAcceptedRateIsTheKeysRateWhateverTheRequestSizes() {
        long accepted = 0;
        int[] sizes = {1, 3, 10, 1, 7, 2};
        for (int tick = 0; tick < 6000; tick++) { // 10 minutes, a request every 100 ms
            int cost = sizes[tick % sizes.length];
            if (buckets.admit(KEY, RATES, cost).allowed()) {
                accepted += cost;
            }
            clock.advance(Duration.ofMillis(100));
        }
        // 6 at once, then 30 per minute; the last batch may take at most a batch of debt beyond that
        assertThat(accepted).isBetween(6 + 300 - 10L, 6 + 300 + 10L);
    }

    @Test
    void theDayQuotaRefusesWithTheNextMidnightAndRollsOverThen() {
        KeyRates threePerDay = new KeyRates(60, 60, 10, 3);
        clock.set(Instant.parse("2026-12-02T23:59:00Z"));
        for (int i = 0; i < 3; i++) {
            assertThat(buckets.admit(KEY, threePerDay, 1).allowed()).isTrue();
        }
        Admission exceeded = buckets.admit(KEY, threePerDay, 1);
        assertThat(exceeded.outcome()).isEqualTo(Outcome.QUOTA_EXCEEDED);
        assertThat(exceeded.quotaResetAt()).isEqualTo(Instant.parse("2026-12-03T00:00:00Z"));
        assertThat(exceeded.retryAfterSeconds()).isEqualTo(60);
        assertThat(exceeded.remaining()).isEqualTo(7); // the quota took no token

        clock.set(Instant.parse("2026-12-03T00:00:00Z"));
        assertThat(buckets.admit(KEY, threePerDay, 1).allowed()).isTrue();
    }

    @Test
    void aBatchCountsAsItsItemsAgainstTheDay() {
        KeyRates fivePerDay = new KeyRates(600, 600, 100, 5);
        assertThat(buckets.admit(KEY, fivePerDay, 4).allowed()).isTrue();
        assertThat(buckets.admit(KEY, fivePerDay, 2).outcome()).isEqualTo(Outcome.QUOTA_EXCEEDED);
        assertThat(buckets.admit(KEY, fivePerDay, 1).allowed()).isTrue();
    }

    @Test
    void theDurableDayCountCountsForTheQuotaAfterARestartOrAMove() {
        Map<String, Long> stored = new HashMap<>();
        LocalDate today = LocalDate.parse("2026-12-02");
        stored.put(KEY + today, 2L); // created on another instance, or before this one restarted
        TokenBuckets restarted = new TokenBuckets(clock, (keyId, day) -> stored.getOrDefault(keyId + day, 0L));
        KeyRates threePerDay = new KeyRates(60, 60, 10, 3);

        assertThat(restarted.admit(KEY, threePerDay, 1).allowed()).isTrue();
        // the store has not read that job yet: this instance's own count is the higher one
        assertThat(restarted.admit(KEY, threePerDay, 1).outcome()).isEqualTo(Outcome.QUOTA_EXCEEDED);
        stored.put(KEY + today, 3L);
        assertThat(restarted.admit(KEY, threePerDay, 1).outcome()).isEqualTo(Outcome.QUOTA_EXCEEDED);
    }

    @Test
    void changedLimitsApplyAtOnce() {
        buckets.admit(KEY, RATES, 6);
        KeyRates faster = new KeyRates(600, 600, 6, 1000); // 10 per second
        clock.advance(Duration.ofMillis(100));
        assertThat(buckets.admit(KEY, faster, 1).allowed()).isTrue();
        assertThat(buckets.peek(KEY, faster).limit()).isEqualTo(600);
    }
}
