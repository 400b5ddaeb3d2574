package io.tweetreel.storage;

import java.time.Instant;

/**
 * A reel filed in the videos bucket.
 *
 * @param format    its shape, e.g. {@code 9:16}
 * @param fileSize  of the MP4, in bytes
 * @param posterUrl download URL of its JPEG poster, or null when it has none (a reel from a v1 composer)
 * @param vttUrl    download URL of its WebVTT captions, or null when it has none (a reel from a composer before v3)
 * @param srtUrl    download URL of its SRT captions, or null when it has none
 */
public record ArchivedReel(
        String format,
        String filename,
        String downloadUrl,
        Instant expiresAt,
        long fileSize,
        String posterUrl,
        String vttUrl,
        String srtUrl) {}
