package io.tweetreel.devstack;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import java.util.List;
import org.slf4j.Marker;

/**
 * Drops the few warnings the embedded broker logs on every normal start and stop, so the dev stack's console shows
 * only what needs attention. Referenced from this module's {@code logback.xml}.
 */
public final class KnownNoiseFilter extends TurboFilter {

    private static final List<String> HARMLESS_WARNINGS = List.of(
            // every KRaft controller start, and the first one after formatting
            "Performing controller activation",
            // the broker's shutdown closes its controller channel twice
            "Attempting to close NetworkClient that has already been closed");

    @Override
    public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params, Throwable t) {
        if (level != Level.WARN || format == null || !logger.getName().startsWith("org.apache.kafka")) {
            return FilterReply.NEUTRAL;
        }
        for (String harmless : HARMLESS_WARNINGS) {
            if (format.contains(harmless)) {
                return FilterReply.DENY;
            }
        }
        return FilterReply.NEUTRAL;
    }
}
