package io.tweetreel.schemas;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The output shapes a job can ask for ({@code VideoRequested.formats}), each with its own frame. The label is what
 * requests, records and the job JSON carry; the slug is its file-name form (a colon is not welcome in object keys).
 */
public enum ReelFormat {
    PORTRAIT("9:16", 1080, 1920),
    SQUARE("1:1", 1080, 1080),
    FEED("4:5", 1080, 1350),
    LANDSCAPE("16:9", 1920, 1080);

    /** The format of a request that names none, and of every record written before formats existed. */
    public static final ReelFormat DEFAULT = PORTRAIT;

    public static final int MAX_PER_JOB = 4;

    private final String label;
    private final int width;
    private final int height;

    ReelFormat(String label, int width, int height) {
        this.label = label;
        this.width = width;
        this.height = height;
    }

    /** {@code 9:16}, {@code 1:1}, {@code 4:5} or {@code 16:9}. */
    public String label() {
        return label;
    }

    /** {@code 9x16} etc.: the label as it appears in object keys. */
    public String slug() {
        return label.replace(':', 'x');
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    /** {@code WIDTHxHEIGHT}, as results state a resolution. */
    public String resolution() {
        return width + "x" + height;
    }

    public static Optional<ReelFormat> ofLabel(String label) {
        return Arrays.stream(values()).filter(f -> f.label.equals(label)).findFirst();
    }

    /** Every label, in declaration order, for messages and documentation. */
    public static List<String> labels() {
        return Arrays.stream(values()).map(ReelFormat::label).toList();
    }

    /**
     * The formats of a request that passed validation, in its order; {@code [9:16]} when it names none.
     *
     * @throws IllegalArgumentException for a label that is not a format (validation lets none through)
     */
    public static List<ReelFormat> of(List<? extends CharSequence> labels) {
        if (labels == null || labels.isEmpty()) {
            return List.of(DEFAULT);
        }
        return labels.stream()
                .map(CharSequence::toString)
                .map(l -> ofLabel(l).orElseThrow(() -> new IllegalArgumentException("not a format: " + l)))
                .distinct()
                .toList();
    }
}
