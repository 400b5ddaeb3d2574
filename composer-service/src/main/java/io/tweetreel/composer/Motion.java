package io.tweetreel.composer;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * What moves in a reel, besides its fades: a reveal (the card's layers appear one by one over its base) and a slow
 * push-in ({@code zoom}). {@link #STILL} is the card standing still, today's reel.
 *
 * @param basePng the card with every layer hidden; null exactly when there are no layers
 * @param layers  the parts of the full card that appear, in reading order; empty for no reveal
 * @param zoom    a push-in from 100 % to {@value ReelComposer#ZOOM_END} of the card over the whole reel
 */
public record Motion(Path basePng, List<Layer> layers, boolean zoom) {

    public static final Motion STILL = new Motion(null, List.of(), false);

    public Motion {
        layers = List.copyOf(layers);
        if ((basePng == null) != layers.isEmpty()) {
            throw new IllegalArgumentException("a reveal needs both its base card and its layers: base " + basePng
                    + ", " + layers.size() + " layers");
        }
    }

    /** A reveal of {@code layers} over {@code basePng}, with or without the push-in. */
    public static Motion reveal(Path basePng, List<Layer> layers, boolean zoom) {
        return new Motion(Objects.requireNonNull(basePng, "basePng"), layers, zoom);
    }

    /** The card standing still, pushed in when {@code zoom}. */
    public static Motion still(boolean zoom) {
        return zoom ? new Motion(null, List.of(), true) : STILL;
    }

    public boolean reveals() {
        return !layers.isEmpty();
    }

    /**
     * One box of the full card that fades in and slides up into place from {@code appearAt} seconds on.
     *
     * @param x        left edge in the card's pixels
     * @param y        top edge in the card's pixels
     * @param width    in the card's pixels, positive
     * @param height   in the card's pixels, positive
     * @param appearAt seconds from the start of the reel, not negative
     */
    public record Layer(int x, int y, int width, int height, double appearAt) {
        public Layer {
            if (width <= 0 || height <= 0) {
                throw new IllegalArgumentException("a layer's box must not be empty: " + width + "x" + height);
            }
            if (!(appearAt >= 0) || Double.isInfinite(appearAt)) {
                throw new IllegalArgumentException("appearAt must be a time in the reel: " + appearAt);
            }
        }
    }
}
