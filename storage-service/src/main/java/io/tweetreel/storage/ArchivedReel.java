package io.tweetreel.storage;

import java.time.Instant;

/** A reel filed in the videos bucket. */
public record ArchivedReel(String filename, String downloadUrl, Instant expiresAt, long fileSize) {}
