package io.tweetreel.renderer;

import io.tweetreel.schemas.ReelFormat;
import io.tweetreel.schemas.Theme;
import io.tweetreel.schemas.VerifiedBadge;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Everything the renderer needs to draw one card, in every format a job asks for. Plain data: validation of lengths
 * and patterns is {@code RequestRules}' job; the renderer only insists on what it cannot draw without and fills in
 * the contract's defaults.
 *
 * @param tweetBody       post text as the user typed it (escaped by the renderer, never trusted)
 * @param profileName     display name
 * @param username        handle, with or without a leading {@code @}
 * @param theme           colour scheme; {@code null} means {@link Theme#dark}, the contract default
 * @param profilePhotoUrl http(s) URL of the avatar, or {@code null} for an initials avatar
 * @param media           0 to 4 images of the post
 * @param quote           the quoted post, or {@code null}
 * @param verified        badge after the name; {@code null} means {@link VerifiedBadge#none}
 * @param postedAt        when the post was published, or {@code null} for no time line
 * @param timeZone        zone of the time line; {@code null} means UTC
 * @param locale          language of the time line and the counts; {@code null} means English
 * @param metrics         counts beside the action icons, or {@code null} for icons only
 * @param replyTo         handle the post replies to ("Replying to @x"), or {@code null}
 * @param accentColor     {@code #RRGGBB} tinting the background and links, or {@code null} for the theme's own
 * @param formats         the output shapes, in order; empty or {@code null} means {@code [9:16]}
 */
public record CardRequest(
        String tweetBody,
        String profileName,
        String username,
        Theme theme,
        String profilePhotoUrl,
        List<Media> media,
        Quote quote,
        VerifiedBadge verified,
        Instant postedAt,
        ZoneId timeZone,
        Locale locale,
        Metrics metrics,
        String replyTo,
        String accentColor,
        List<ReelFormat> formats) {

    /** Most images a post (and, at most one, a quote) carries, as on X. */
    public static final int MAX_MEDIA = 4;

    public CardRequest {
        Objects.requireNonNull(tweetBody, "tweetBody");
        Objects.requireNonNull(profileName, "profileName");
        Objects.requireNonNull(username, "username");
        theme = theme == null ? Theme.dark : theme;
        profilePhotoUrl = blankToNull(profilePhotoUrl);
        media = media == null ? List.of() : List.copyOf(media);
        verified = verified == null ? VerifiedBadge.none : verified;
        timeZone = timeZone == null ? ZoneOffset.UTC : timeZone;
        locale = locale == null ? Locale.ENGLISH : locale;
        replyTo = blankToNull(replyTo);
        accentColor = blankToNull(accentColor);
        formats = formats == null || formats.isEmpty() ? List.of(ReelFormat.DEFAULT) : List.copyOf(formats);
    }

    /** A text-only post in the default format, as every card was before media, quotes and formats. */
    public CardRequest(String tweetBody, String profileName, String username, Theme theme, String profilePhotoUrl) {
        this(
                tweetBody,
                profileName,
                username,
                theme,
                profilePhotoUrl,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null);
    }

    /** Handle without the leading {@code @}, as the card prints its own. */
    public String handle() {
        return stripAt(username);
    }

    public CardRequest withMedia(List<Media> newMedia) {
        return toBuilder().media(newMedia).build();
    }

    public CardRequest withFormats(List<ReelFormat> newFormats) {
        return toBuilder().formats(newFormats).build();
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    public static Builder builder(String tweetBody, String profileName, String username) {
        return new Builder(new CardRequest(tweetBody, profileName, username, null, null));
    }

    static String stripAt(String handle) {
        return handle.startsWith("@") ? handle.substring(1) : handle;
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }

    /**
     * One image.
     *
     * @param url http(s) URL, fetched by the renderer with the profile photo's safe client and policy
     * @param alt alt text, shown on the neutral tile when the image cannot be used; may be {@code null}
     */
    public record Media(String url, String alt) {
        public Media {
            Objects.requireNonNull(url, "url");
            alt = blankToNull(alt);
        }
    }

    /** A quoted post, drawn as X's quote card inside the card; {@code media} holds at most one image. */
    public record Quote(
            String tweetBody,
            String profileName,
            String username,
            String profilePhotoUrl,
            VerifiedBadge verified,
            List<Media> media) {
        public Quote {
            Objects.requireNonNull(tweetBody, "tweetBody");
            Objects.requireNonNull(profileName, "profileName");
            Objects.requireNonNull(username, "username");
            profilePhotoUrl = blankToNull(profilePhotoUrl);
            verified = verified == null ? VerifiedBadge.none : verified;
            media = media == null ? List.of() : List.copyOf(media);
        }

        public String handle() {
            return stripAt(username);
        }
    }

    /** The post's counts; a {@code null} count shows its icon alone. */
    public record Metrics(Long replies, Long reposts, Long likes, Long views, Long bookmarks) {}

    /** Builds a request field by field (the record has many optional parts). */
    public static final class Builder {
        private String tweetBody;
        private String profileName;
        private String username;
        private Theme theme;
        private String profilePhotoUrl;
        private List<Media> media;
        private Quote quote;
        private VerifiedBadge verified;
        private Instant postedAt;
        private ZoneId timeZone;
        private Locale locale;
        private Metrics metrics;
        private String replyTo;
        private String accentColor;
        private List<ReelFormat> formats;

        private Builder(CardRequest from) {
            tweetBody = from.tweetBody;
            profileName = from.profileName;
            username = from.username;
            theme = from.theme;
            profilePhotoUrl = from.profilePhotoUrl;
            media = from.media;
            quote = from.quote;
            verified = from.verified;
            postedAt = from.postedAt;
            timeZone = from.timeZone;
            locale = from.locale;
            metrics = from.metrics;
            replyTo = from.replyTo;
            accentColor = from.accentColor;
            formats = from.formats;
        }

        public Builder theme(Theme value) {
            theme = value;
            return this;
        }

        public Builder profilePhotoUrl(String value) {
            profilePhotoUrl = value;
            return this;
        }

        public Builder media(List<Media> value) {
            media = value;
            return this;
        }

        public Builder quote(Quote value) {
            quote = value;
            return this;
        }

        public Builder verified(VerifiedBadge value) {
            verified = value;
            return this;
        }

        public Builder postedAt(Instant at, ZoneId zone, Locale language) {
            postedAt = at;
            timeZone = zone;
            locale = language;
            return this;
        }

        public Builder locale(Locale value) {
            locale = value;
            return this;
        }

        public Builder metrics(Metrics value) {
            metrics = value;
            return this;
        }

        public Builder replyTo(String value) {
            replyTo = value;
            return this;
        }

        public Builder accentColor(String value) {
            accentColor = value;
            return this;
        }

        public Builder formats(List<ReelFormat> value) {
            formats = value;
            return this;
        }

        public CardRequest build() {
            return new CardRequest(
                    tweetBody,
                    profileName,
                    username,
                    theme,
                    profilePhotoUrl,
                    media,
                    quote,
                    verified,
                    postedAt,
                    timeZone,
                    locale,
                    metrics,
                    replyTo,
                    accentColor,
                    formats);
        }
    }
}
