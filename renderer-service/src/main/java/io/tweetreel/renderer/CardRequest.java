package io.tweetreel.renderer;

import io.tweetreel.schemas.Theme;
import java.util.Objects;

/**
 * Everything the renderer needs to draw one card. Plain data: validation of lengths and patterns is the
 * gateway's job; the renderer only insists on what it cannot draw without.
 *
 * @param tweetBody       post text as the user typed it (escaped by the renderer, never trusted)
 * @param profileName     display name
 * @param username        handle, with or without a leading {@code @}
 * @param theme           colour scheme; {@code null} means {@link Theme#dark}, the contract default
 * @param profilePhotoUrl http(s) URL of the avatar, or {@code null} for an initials avatar
 */
public record CardRequest(String tweetBody, String profileName, String username, Theme theme, String profilePhotoUrl) {

    public CardRequest {
        Objects.requireNonNull(tweetBody, "tweetBody");
        Objects.requireNonNull(profileName, "profileName");
        Objects.requireNonNull(username, "username");
        theme = theme == null ? Theme.dark : theme;
        profilePhotoUrl = profilePhotoUrl == null || profilePhotoUrl.isBlank() ? null : profilePhotoUrl.trim();
    }

    /** Handle without the leading {@code @}, as the card prints its own. */
    public String handle() {
        return username.startsWith("@") ? username.substring(1) : username;
    }
}
