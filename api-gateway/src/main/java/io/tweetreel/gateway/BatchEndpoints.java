package io.tweetreel.gateway;

/** The handlers of the {@code /api/batches} routes. */
public record BatchEndpoints(
        BatchSubmissions submissions,
        BatchLookup lookup,
        BatchEvents events,
        BatchCancels cancels,
        BatchArchives archives) {}
