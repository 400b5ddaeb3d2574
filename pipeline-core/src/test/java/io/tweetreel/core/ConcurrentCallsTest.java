package io.tweetreel.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class ConcurrentCallsTest {

    @Test
    void callsRunAtOnceAndTheResultsKeepTheItemsOrder() {
        // each call waits for all four to have started: only calls running at once get past it
        CountDownLatch allStarted = new CountDownLatch(4);
        List<String> results = ConcurrentCalls.eachAtOnce(List.of(1, 2, 3, 4), n -> {
            allStarted.countDown();
            try {
                assertThat(allStarted.await(10, TimeUnit.SECONDS)).isTrue();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            return "call " + n;
        });

        assertThat(results).containsExactly("call 1", "call 2", "call 3", "call 4");
    }

    @Test
    void aFailureIsThrownOnlyOnceEveryOtherCallHasEnded() {
        AtomicBoolean slowCallEnded = new AtomicBoolean();
        CountDownLatch failed = new CountDownLatch(1);

        assertThatThrownBy(() -> ConcurrentCalls.eachAtOnce(List.of("fails", "slow", "also fails"), item -> {
                    switch (item) {
                        case "slow" -> {
                            try {
                                // still running when the first failure is known
                                assertThat(failed.await(10, TimeUnit.SECONDS)).isTrue();
                                Thread.sleep(200);
                            } catch (InterruptedException e) {
                                throw new IllegalStateException(e);
                            }
                            slowCallEnded.set(true);
                            return item;
                        }
                        case "fails" -> {
                            failed.countDown();
                            throw new IllegalArgumentException("first");
                        }
                        default -> throw new IllegalStateException("second");
                    }
                }))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("first")
                .satisfies(
                        e -> assertThat(e.getSuppressed()).singleElement().isInstanceOf(IllegalStateException.class));
        assertThat(slowCallEnded).isTrue();
    }

    @Test
    void oneCallRunsOnTheCallersThread() {
        Thread caller = Thread.currentThread();

        assertThat(ConcurrentCalls.eachAtOnce(List.of("only"), item -> Thread.currentThread() == caller))
                .containsExactly(true);
    }
}
