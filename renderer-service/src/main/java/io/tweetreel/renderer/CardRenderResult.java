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

    /**
     * The card of one format.
     *
     * @param basePng for a reveal, the same card with every layer hidden; {@code null} for a still card
     * @param layers  for a reveal, the card's text lines then its blocks, in reading order; empty for a still card
     */
    public record Card(ReelFormat format, Path png, Path basePng, List<CardLayer> layers) {
        public Card {
            layers = List.copyOf(layers);
        }

        /** A still card. */
        public Card(ReelFormat format, Path png) {
            this(format, png, null, List.of());
        }

        /** The text of each line layer, in reading order. */
        public List<String> lineTexts() {
            return layers.stream()
                    .filter(layer -> layer.kind() == CardLayer.Kind.LINE)
                    .map(CardLayer::text)
                    .toList();
        }
    }

    /** The first format's PNG (the only one for a request that names no formats). */
    public Path png() {
        return cards.get(0).png();
    }

    /** What happened to the profile photo. */
    public ImageFetchResult photo() {
        return images.avatar();
    }

    /** One per media image that is not on the card. */
    public List<JobWarning> warnings() {
        return images.warnings();
    }
}
