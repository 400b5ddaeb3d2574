package io.tweetreel.renderer;

import com.samskivert.mustache.Mustache;
import com.samskivert.mustache.MustacheException;
import com.samskivert.mustache.Template;
import io.tweetreel.schemas.ReelFormat;
import io.tweetreel.schemas.Theme;
import io.tweetreel.schemas.VerifiedBadge;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.text.NumberFormat;
import java.time.format.DateTimeFormatter;
import java.time.format.FormatStyle;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The card's HTML: a Mustache template (bundled default, or an operator's file at {@code TEMPLATE_PATH}) filled
 * with one {@link CardRequest}, its {@link CardImages} and one {@link ReelFormat}. Thread-safe and immutable; build it
 * once at start-up.
 *
 * <p>Variables offered to a template (all HTML-escaped by {@code {{name}}} except {@code bodyHtml}, which is
 * already-safe HTML built by {@link PostBodyFormatter} and is meant for {@code {{{bodyHtml}}}}):
 * {@code theme} (the {@link Theme} symbol, "dark"/"light"/"dim", which the template's CSS maps to colours),
 * {@code format} (the format's slug, "9x16", "1x1", "4x5", "16x9"), {@code viewportWidth}/{@code viewportHeight}
 * (CSS px), {@code lang} (BCP 47), {@code displayName}, {@code username} (without {@code @}), {@code bodyHtml},
 * {@code hasPhoto}, {@code avatarDataUri}, {@code initials}, {@code avatarHue} (0-359), {@code cspNonce} (fresh per
 * render, for {@code script-src 'nonce-...'}). Optional parts are lists of zero or one element, for
 * {@code {{#name}}...{{.}}...{{/name}}}: {@code badge} ("blue"/"gold"/"grey"), {@code replyTo}, {@code timeLine}
 * ("3:04 PM · Dec 1, 2026" in the request's zone and locale), {@code accentColor} ({@code #RRGGBB}), the compact
 * counts {@code replies}, {@code reposts}, {@code likes}, {@code views}, {@code bookmarks}, and {@code quote} (with
 * its own {@code displayName}, {@code username}, {@code badge}, {@code bodyHtml}, avatar fields and {@code media}).
 * {@code media} lists the tiles ({@code index}, {@code hasImage}, {@code dataUri}, {@code alt}); {@code hasMedia},
 * {@code mediaCount} and {@code hasAttachments} (media or a quote) go with it.
 */
public final class CardTemplate {

    static final String BUNDLED_RESOURCE = "/templates/card.mustache";

    /** Only what {@link ImageFetcher} produces; anything else is dropped so a caller cannot smuggle markup or URLs. */
    private static final Pattern SAFE_IMAGE_DATA_URI =
            Pattern.compile("data:image/(?:png|jpeg|gif|webp);base64,[A-Za-z0-9+/]+={0,2}");
    /** RequestRules only lets this shape through; checked again because it lands in a style attribute. */
    private static final Pattern ACCENT_COLOR = Pattern.compile("#[0-9A-Fa-f]{6}");
    /** The page is laid out in CSS px at this scale: 540x960 CSS px make the 1080x1920 PNG. */
    static final int DEVICE_SCALE = 2;

    private static final SecureRandom NONCES = new SecureRandom();

    private final Template template;
    private final String origin;

    private CardTemplate(Template template, String origin) {
        this.template = template;
        this.origin = origin;
    }

    /** The template shipped in the jar. */
    public static CardTemplate bundled() {
        try (InputStream in = CardTemplate.class.getResourceAsStream(BUNDLED_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(
                        "Bundled card template " + BUNDLED_RESOURCE + " is missing from the classpath");
            }
            return compile(new String(in.readAllBytes(), StandardCharsets.UTF_8), "bundled " + BUNDLED_RESOURCE);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read bundled card template", e);
        }
    }

    /**
     * Loads the template at {@code templatePath} ({@code null} = the bundled one), compiles it and renders a
     * sample card, so a broken template stops the service at start-up instead of failing every job.
     *
     * @throws IllegalStateException if the file is missing, unreadable, or not a usable template
     */
    public static CardTemplate load(Path templatePath) {
        if (templatePath == null) {
            return bundled();
        }
        if (!Files.isRegularFile(templatePath) || !Files.isReadable(templatePath)) {
            throw new IllegalStateException("Card template not found or not readable: " + templatePath.toAbsolutePath()
                    + " (check TEMPLATE_PATH, or unset it to use the bundled template)");
        }
        try {
            return compile(
                    Files.readString(templatePath, StandardCharsets.UTF_8),
                    templatePath.toAbsolutePath().toString());
        } catch (IOException e) {
            throw new IllegalStateException("Cannot read card template " + templatePath.toAbsolutePath() + ": " + e, e);
        }
    }

    private static CardTemplate compile(String source, String origin) {
        Template compiled;
        try {
            // escapeHTML is the default, stated here because the safety of every {{field}} depends on it.
            compiled = Mustache.compiler().escapeHTML(true).compile(source);
        } catch (MustacheException e) {
            throw new IllegalStateException("Card template " + origin + " does not compile: " + e.getMessage(), e);
        }
        CardTemplate cardTemplate = new CardTemplate(compiled, origin);
        try {
            cardTemplate.render(
                    new CardRequest("Template check #ok @user https://example.com", "Check", "check", Theme.dark, null),
                    null);
        } catch (MustacheException e) {
            throw new IllegalStateException("Card template " + origin + " cannot be filled: " + e.getMessage(), e);
        }
        return cardTemplate;
    }

    /**
     * Fills the template for the request's first format, with the avatar only (no media images).
     *
     * @param avatarDataUri a {@code data:image/...;base64,} URI from {@link ImageFetcher}, or {@code null}
     *                      for the initials avatar
     */
    public String render(CardRequest request, String avatarDataUri) {
        ImageFetchResult avatar = avatarDataUri == null
                ? ImageFetchResult.failed(ImageFetchResult.Failure.NO_URL, "no profile photo")
                : ImageFetchResult.fetched(avatarDataUri, "supplied by caller");
        CardImages none = CardImages.none(request);
        return render(
                request,
                new CardImages(avatar, none.media(), none.quoteAvatar(), none.quoteMedia()),
                request.formats().get(0));
    }

    /** Fills the template for one format of the request. */
    public String render(CardRequest request, CardImages images, ReelFormat format) {
        Map<String, Object> model = new HashMap<>();
        model.put("theme", request.theme().name());
        model.put("format", format.slug());
        model.put("viewportWidth", format.width() / DEVICE_SCALE);
        model.put("viewportHeight", format.height() / DEVICE_SCALE);
        model.put("lang", request.locale().toLanguageTag());
        model.put("displayName", request.profileName().strip());
        model.put("username", request.handle());
        model.put("badge", badge(request.verified()));
        model.put("bodyHtml", PostBodyFormatter.toHtml(request.tweetBody()));
        putAvatar(model, images.avatar(), request.profileName(), request.handle());
        model.put("replyTo", optional(request.replyTo() == null ? null : CardRequest.stripAt(request.replyTo())));
        model.put("timeLine", optional(timeLine(request)));
        model.put(
                "accentColor",
                optional(
                        request.accentColor() != null
                                        && ACCENT_COLOR
                                                .matcher(request.accentColor())
                                                .matches()
                                ? request.accentColor()
                                : null));
        putMetrics(model, request);
        List<Map<String, Object>> media = tiles(request.media(), images.media());
        model.put("media", media);
        model.put("hasMedia", !media.isEmpty());
        model.put("mediaCount", media.size());
        List<Map<String, Object>> quote = new ArrayList<>();
        if (request.quote() != null) {
            quote.add(quoteModel(request.quote(), images));
        }
        model.put("quote", quote);
        model.put("hasAttachments", !media.isEmpty() || !quote.isEmpty());
        model.put("cspNonce", newNonce());
        return template.execute(model);
    }

    /** "3:04 PM · Dec 1, 2026": the locale's own short time and medium date, in the request's zone. */
    static String timeLine(CardRequest request) {
        if (request.postedAt() == null) {
            return null;
        }
        var local = request.postedAt().atZone(request.timeZone());
        String time = DateTimeFormatter.ofLocalizedTime(FormatStyle.SHORT)
                .withLocale(request.locale())
                .format(local);
        String date = DateTimeFormatter.ofLocalizedDate(FormatStyle.MEDIUM)
                .withLocale(request.locale())
                .format(local);
        return time + " \u00B7 " + date;
    }

    /** 1.2K, 3.4M in the locale's compact form; cut rather than rounded up, as X shows counts. */
    static String compactCount(long count, Locale locale) {
        NumberFormat format = NumberFormat.getCompactNumberInstance(locale, NumberFormat.Style.SHORT);
        format.setMaximumFractionDigits(1);
        format.setRoundingMode(RoundingMode.DOWN);
        return format.format(count);
    }

    private static void putMetrics(Map<String, Object> model, CardRequest request) {
        CardRequest.Metrics metrics = request.metrics();
        Locale locale = request.locale();
        model.put("replies", count(metrics == null ? null : metrics.replies(), locale));
        model.put("reposts", count(metrics == null ? null : metrics.reposts(), locale));
        model.put("likes", count(metrics == null ? null : metrics.likes(), locale));
        model.put("views", count(metrics == null ? null : metrics.views(), locale));
        model.put("bookmarks", count(metrics == null ? null : metrics.bookmarks(), locale));
    }

    private static List<String> count(Long value, Locale locale) {
        return optional(value == null ? null : compactCount(value, locale));
    }

    private static Map<String, Object> quoteModel(CardRequest.Quote quote, CardImages images) {
        Map<String, Object> model = new HashMap<>();
        model.put("displayName", quote.profileName().strip());
        model.put("username", quote.handle());
        model.put("badge", badge(quote.verified()));
        model.put("bodyHtml", PostBodyFormatter.toHtml(quote.tweetBody()));
        putAvatar(model, images.quoteAvatar(), quote.profileName(), quote.handle());
        model.put("media", tiles(quote.media(), images.quoteMedia()));
        return model;
    }

    private static void putAvatar(Map<String, Object> model, ImageFetchResult photo, String name, String handle) {
        String dataUri = photo.dataUri().filter(CardTemplate::isSafeImage).orElse(null);
        model.put("hasPhoto", dataUri != null);
        model.put("avatarDataUri", dataUri == null ? "" : dataUri);
        model.put("initials", initialsOf(name, handle));
        model.put("avatarHue", Math.floorMod(handle.toLowerCase(Locale.ROOT).hashCode(), 360));
    }

    private static List<Map<String, Object>> tiles(List<CardRequest.Media> items, List<ImageFetchResult> images) {
        List<Map<String, Object>> tiles = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            String dataUri = i < images.size()
                    ? images.get(i).dataUri().filter(CardTemplate::isSafeImage).orElse(null)
                    : null;
            Map<String, Object> tile = new HashMap<>();
            tile.put("index", i);
            tile.put("hasImage", dataUri != null);
            tile.put("dataUri", dataUri == null ? "" : dataUri);
            tile.put("alt", items.get(i).alt() == null ? "" : items.get(i).alt());
            tiles.add(tile);
        }
        return tiles;
    }

    /** Only what {@link ImageDecoder} produces; anything else is dropped so nobody can smuggle markup or URLs in. */
    private static boolean isSafeImage(String dataUri) {
        return SAFE_IMAGE_DATA_URI.matcher(dataUri).matches();
    }

    private static List<String> badge(VerifiedBadge verified) {
        return verified == null || verified == VerifiedBadge.none ? List.of() : List.of(verified.name());
    }

    private static List<String> optional(String value) {
        return value == null ? List.of() : List.of(value);
    }

    /** Where the template came from, for start-up logs. */
    public String origin() {
        return origin;
    }

    /** Up to two initials: first letter of the first and last word of the name, else of the handle. */
    static String initialsOf(String profileName, String handle) {
        List<String> letters = Arrays.stream(profileName.strip().split("\\s+"))
                .map(CardTemplate::firstLetter)
                .filter(Objects::nonNull)
                .toList();
        String initials;
        if (letters.isEmpty()) {
            String fromHandle = firstLetter(handle);
            initials = fromHandle == null ? "?" : fromHandle;
        } else {
            initials = letters.get(0) + (letters.size() > 1 ? letters.get(letters.size() - 1) : "");
        }
        return initials.toUpperCase(Locale.ROOT);
    }

    private static String firstLetter(String word) {
        return word.codePoints().filter(Character::isLetterOrDigit).findFirst().stream()
                .mapToObj(Character::toString)
                .findFirst()
                .orElse(null);
    }

    private static String newNonce() {
        byte[] bytes = new byte[16];
        NONCES.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
