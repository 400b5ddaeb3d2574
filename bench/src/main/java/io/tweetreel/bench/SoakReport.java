package io.tweetreel.bench;

import java.util.List;
import java.util.Map;

/**
 * What a chaos soak ({@link ChaosSoak}) measured; written as JSON next to the bench's other results.
 *
 * @param capacitySource how {@code capacityPerMinute} was found: measured in this run, or given
 * @param submitted      jobs the gateway accepted (202)
 * @param refused        jobs no gateway accepted within the client's retries
 * @param lost           accepted jobs not final (or unknown to the gateways) when the wait for them ran out
 * @param lostJobs       each lost job with what its last status lookup said
 * @param duplicated     jobs filed more than once (reels in the videos bucket by {@code job-id} metadata)
 * @param composedMoreThanOnce jobs with more than one record on {@code videos.composed}, read_committed
 * @param peakLag        the largest sum, over the stage groups, of end offset minus committed offset
 * @param unansweredLookups status lookups during the soak that neither gateway answered with a status
 * @param lookupMisses   "gateway: answer" (an HTTP code, refused, no answer) to how many lookups got it
 */
record SoakReport(
        String startedAt,
        long seed,
        double soakSeconds,
        Double chaosSeconds,
        double restartAfterSeconds,
        double capacityPerMinute,
        String capacitySource,
        double targetPerMinute,
        List<String> instances,
        int submitted,
        int refused,
        int completed,
        int failed,
        int lost,
        Map<String, String> lostJobs,
        List<String> failedJobs,
        int duplicated,
        Map<String, Integer> duplicatedJobs,
        Map<String, Integer> composedMoreThanOnce,
        List<SoakMinutes.Minute> minutes,
        LagSample peakLag,
        List<LagSample> lag,
        List<Kill> kills,
        int unansweredLookups,
        Map<String, Integer> lookupMisses) {

    /** The summed lag of the stage groups at {@code atSeconds} into the soak. */
    record LagSample(double atSeconds, long records) {}

    /**
     * One kill -9 and its restart, in seconds since the soak started; {@code readyAtSeconds} is null when the
     * instance did not come back, with {@code error} saying why.
     */
    record Kill(
            String instance, double killedAtSeconds, Double restartedAtSeconds, Double readyAtSeconds, String error) {}
}
