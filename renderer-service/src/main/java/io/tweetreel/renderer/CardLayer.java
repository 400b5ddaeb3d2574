package io.tweetreel.renderer;

/**
 * One part of a card that a {@code reveal} reel brings in: a visual line of the post's text or a block (media,
 * quote, footer), as a box in the card's pixels that lies inside the frame.
 *
 * @param text the line's text as laid out (whitespace at its ends stripped); empty for a block
 */
public record CardLayer(Kind kind, int x, int y, int width, int height, String text) {

    public enum Kind {
        LINE("line"),
        BLOCK("block");

        private final String label;

        Kind(String label) {
            this.label = label;
        }

        /** The name on the topic ({@code RevealLayer.kind}). */
        public String label() {
            return label;
        }
    }

    public CardLayer {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("empty layer " + width + "x" + height);
        }
    }

    /** The same columns, rows {@code top} (inclusive) to {@code bottom} (exclusive). */
    CardLayer withRows(int top, int bottom) {
        return new CardLayer(kind, x, top, width, bottom - top, text);
    }
}
