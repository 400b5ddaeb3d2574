package io.tweetreel.renderer;

import com.samskivert.mustache.Mustache;
import com.samskivert.mustache.MustacheException;
import com.samskivert.mustache.Template;
import io.tweetreel.schemas.Theme;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
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
 * with one {@link CardRequest}. Thread-safe and immutable; build it once at start-up.
 *
 * <p>Variables offered to a template (all HTML-escaped by {@code {{name}}} except {@code bodyHtml}, which is
 * already-safe HTML built by {@link PostBodyFormatter} and is meant for {@code {{{bodyHtml}}}}):
 * {@code theme} (the {@link Theme} symbol, "dark"/"light", which the template's CSS maps to colours),
 * {@code displayName}, {@code username} (without {@code @}), {@code bodyHtml}, {@code hasPhoto},
 * {@code avatarDataUri}, {@code initials}, {@code avatarHue} (0-359), {@code cspNonce} (fresh per render, for
 * {@code script-src 'nonce-...'}).
 */
public final class CardTemplate {

    static final String BUNDLED_RESOURCE = "/templates/card.mustache";

    /** Only what {@link ProfilePhotoFetcher} produces; anything else is dropped so a caller cannot smuggle markup or URLs. */
    private static final Pattern SAFE_IMAGE_DATA_URI =
            Pattern.compile("data:image/(?:png|jpeg|gif|webp);base64,[A-Za-z0-9+/]+={0,2}");

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
     * Fills the template.
     *
     * @param avatarDataUri a {@code data:image/...;base64,} URI from {@link ProfilePhotoFetcher}, or {@code null}
     *                      for the initials avatar
     */
    public String render(CardRequest request, String avatarDataUri) {
        boolean hasPhoto = avatarDataUri != null
                && SAFE_IMAGE_DATA_URI.matcher(avatarDataUri).matches();
        Map<String, Object> model = new HashMap<>();
        model.put("theme", request.theme().name());
        model.put("displayName", request.profileName().strip());
        model.put("username", request.handle());
        model.put("bodyHtml", PostBodyFormatter.toHtml(request.tweetBody()));
        model.put("hasPhoto", hasPhoto);
        model.put("avatarDataUri", hasPhoto ? avatarDataUri : "");
        model.put("initials", initialsOf(request.profileName(), request.handle()));
        model.put(
                "avatarHue",
                Math.floorMod(request.handle().toLowerCase(Locale.ROOT).hashCode(), 360));
        model.put("cspNonce", newNonce());
        return template.execute(model);
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
