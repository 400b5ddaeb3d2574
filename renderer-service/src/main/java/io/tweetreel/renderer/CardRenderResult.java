package io.tweetreel.renderer;

import io.tweetreel.schemas.JobWarning;
import io.tweetreel.schemas.ReelFormat;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A finished render: one PNG per format of the request.
 *
 * @param cards      the written files, in the request's format order, each exactly its format's pixel size
 * @param images     what happened to each image (fetched, or why the card shows initials or a neutral tile)
 * @param renderTime wall time including the image fetches
 * @param attempts   1, or 2 when the browser had to be relaunched
 */
public record CardRenderResult(List<Card> cards, CardImages images, Duration renderTime, int attempts) {

    public CardRenderResult {
        cards = List.copyOf(cards);
    }

    /** The card of one format. */
    public record Card(ReelFormat format, Path png) {}

    /** The first format's PNG (the only one for a request that names no formats). */
    public Path png() {
        return cards.get(0).png();
    }

    /** What happened to the profile photo. */
    public PhotoFetchResult photo() {
        return images.avatar();
    }

    /** One per media image that is not on the card. */
    public List<JobWarning> warnings() {
        return images.warnings();
    }
}
