package io.tweetreel.bench;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Duplicates among filed reels: the videos bucket's objects grouped by their {@code job-id} metadata (so a second
 * copy under another name shows), and a job of one format that has more than one reel there was filed twice.
 */
final class FiledReels {
    private FiledReels() {}

    /** The jobs with more than {@code reelsPerJob} reels ({@code .mp4}) among their objects, with how many. */
    static Map<String, Integer> duplicated(Map<String, List<String>> keysByJob, int reelsPerJob) {
        Map<String, Integer> duplicated = new TreeMap<>();
        keysByJob.forEach((jobId, keys) -> {
            int reels = (int) keys.stream().filter(k -> k.endsWith(".mp4")).count();
            if (reels > reelsPerJob) {
                duplicated.put(jobId, reels);
            }
        });
        return duplicated;
    }

    /** The jobs whose records on a topic (read_committed, counted per job id) number more than one. */
    static Map<String, Integer> moreThanOnce(Map<String, Integer> recordsByJob) {
        Map<String, Integer> more = new TreeMap<>();
        recordsByJob.forEach((jobId, n) -> {
            if (n > 1) {
                more.put(jobId, n);
            }
        });
        return more;
    }
}
