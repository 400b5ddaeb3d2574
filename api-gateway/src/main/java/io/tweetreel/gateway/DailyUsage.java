package io.tweetreel.gateway;

import java.time.LocalDate;

/** How many jobs a key created on a UTC day, as far as the durable count knows; 0 when it knows nothing. */
@FunctionalInterface
public interface DailyUsage {
    DailyUsage NONE = (keyId, day) -> 0;

    long jobsOn(String keyId, LocalDate day);
}
