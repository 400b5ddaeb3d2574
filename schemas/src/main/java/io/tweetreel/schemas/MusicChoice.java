package io.tweetreel.schemas;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The request's {@code music}: a track bundled with the composer, or silence. Every bundled track is made with
 * ffmpeg alone by {@code composer-service/tools/} and normalised to -16 LUFS; {@link #resource()} is its
 * classpath path in the composer's jar.
 */
public enum MusicChoice {
    /** The soft chord pad every reel had before v6 (or {@code AUDIO_PATH} where the operator set one). */
    DEFAULT("default"),
    /** A silent AAC track: players and platforms that expect a sound track still get one. */
    NONE("none"),
    CALM("calm"),
    UPBEAT("upbeat"),
    CINEMATIC("cinematic");

    private final String label;

    MusicChoice(String label) {
        this.label = label;
    }

    /** The name in requests and on topics. */
    public String label() {
        return label;
    }

    /** Classpath resource of the bundled track; {@code null} for {@link #NONE}. */
    public String resource() {
        return this == NONE ? null : "/audio/" + (this == DEFAULT ? "default-track" : label) + ".m4a";
    }

    /** The choice of a request's value; null means {@link #DEFAULT}. Names are case-sensitive, as on the wire. */
    public static Optional<MusicChoice> of(String label) {
        if (label == null) {
            return Optional.of(DEFAULT);
        }
        return Arrays.stream(values()).filter(m -> m.label.equals(label)).findFirst();
    }

    /** Every accepted name, for error messages and the web page. */
    public static List<String> labels() {
        return Arrays.stream(values()).map(MusicChoice::label).toList();
    }

    @Override
    public String toString() {
        return label.toLowerCase(Locale.ROOT);
    }
}
