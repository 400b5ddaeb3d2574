package io.tweetreel.renderer;

import java.util.Locale;

/** Colour scheme of the card, matching X's "Lights out" (dark) and default (light) palettes. */
public enum Theme {
    DARK,
    LIGHT;

    /** Lenient mapping from wire values ("dark", "LIGHT", null); anything unknown falls back to {@link #DARK}, the contract default. */
    public static Theme fromString(String value) {
        if (value != null && value.trim().toLowerCase(Locale.ROOT).equals("light")) {
            return LIGHT;
        }
        return DARK;
    }

    /** Lower-case name used in the template ({@code data-theme="dark"}). */
    public String cssName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
