package io.tweetreel.renderer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tweetreel.schemas.Theme;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CardTemplateTest {

    private static final String HOSTILE =
            "<script>alert(1)</script><img src=x onerror=alert(2)>{{displayName}}{{{bodyHtml}}}\"'";

    @Test
    void escapesEveryField() {
        String html = CardTemplate.bundled().render(new CardRequest(HOSTILE, HOSTILE, HOSTILE, Theme.dark, null), null);

        assertThat(html)
                .doesNotContain("<script>alert")
                .doesNotContain("<img src=x")
                .doesNotContain("{{displayName}}<");
        assertThat(html)
                .contains(
                        "&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src&#x3D;x onerror&#x3D;alert(2)&gt;{{displayName}}")
                .contains(
                        "&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt;{{displayName}}{{{bodyHtml}}}");
        assertThat(Pattern.compile("<script").matcher(html).results().count()).isEqualTo(1);
    }

    @Test
    void bundledTemplateReferencesNoNetworkResource() throws Exception {
        String source;
        try (InputStream in = CardTemplate.class.getResourceAsStream(CardTemplate.BUNDLED_RESOURCE)) {
            source = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertThat(source)
                .doesNotContainPattern(
                        "(?i)https?:|//[a-z0-9]|@import|url\\(|<link|<iframe|<object|<embed|fetch\\(|XMLHttpRequest|WebSocket");
        Matcher sources =
                Pattern.compile("(?i)\\b(?:src|href)\\s*=\\s*\"([^\"]*)\"").matcher(source);
        while (sources.find()) {
            // only the data URIs the renderer makes (avatars and media images)
            assertThat(sources.group(1)).as("src/href in the template").isIn("{{avatarDataUri}}", "{{dataUri}}");
        }
    }

    @Test
    void usesPhotoDataUriOrInitials() {
        CardTemplate template = CardTemplate.bundled();
        CardRequest request = new CardRequest("hi", "Ada Lovelace", "@ada", Theme.light, null);

        String withPhoto = template.render(request, TestImages.avatarDataUri());
        String withoutPhoto = template.render(request, null);
        String withBogusUri = template.render(request, "javascript:alert(1)");

        assertThat(withPhoto)
                .contains("<img class=\"avatar\" src=\"data:image/png;base64,")
                .doesNotContain(">AL<");
        assertThat(withoutPhoto).contains(">AL<").doesNotContain("<img");
        assertThat(withBogusUri).contains(">AL<").doesNotContain("javascript:");
        assertThat(withoutPhoto)
                .contains("data-theme=\"light\"")
                .contains("@ada<")
                .doesNotContain("@@ada");
    }

    @Test
    void newScriptNonceEveryRender() {
        CardTemplate template = CardTemplate.bundled();
        CardRequest request = new CardRequest("hi", "A", "a", Theme.dark, null);
        Pattern nonce = Pattern.compile("nonce=\"([^\"]+)\"");

        Matcher first = nonce.matcher(template.render(request, null));
        Matcher second = nonce.matcher(template.render(request, null));

        assertThat(first.find()).isTrue();
        assertThat(second.find()).isTrue();
        assertThat(first.group(1)).isNotEqualTo(second.group(1)).hasSizeGreaterThanOrEqualTo(20);
    }

    @Test
    void initialsFromNameOrHandle() {
        assertThat(CardTemplate.initialsOf("Ada Lovelace", "ada")).isEqualTo("AL");
        assertThat(CardTemplate.initialsOf("grace brewster hopper", "g")).isEqualTo("GH");
        assertThat(CardTemplate.initialsOf("🔥 Fire", "x")).isEqualTo("F");
        assertThat(CardTemplate.initialsOf("山田太郎", "yamada")).isEqualTo("山");
        assertThat(CardTemplate.initialsOf("🔥🔥", "zed")).isEqualTo("Z");
        assertThat(CardTemplate.initialsOf("💥", "_")).isEqualTo("?");
    }

    @Test
    void loadsTemplateFromPath(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("card.mustache");
        Files.writeString(file, "<p data-theme=\"{{theme}}\">{{displayName}}: {{{bodyHtml}}}</p>");

        CardTemplate template = CardTemplate.load(file);

        assertThat(template.render(new CardRequest("a<b", "N&M", "n", Theme.light, null), null))
                .isEqualTo("<p data-theme=\"light\">N&amp;M: a&lt;b</p>");
        assertThat(template.origin()).isEqualTo(file.toAbsolutePath().toString());
    }

    @Test
    void nullPathMeansBundled() {
        assertThat(CardTemplate.load(null).origin()).contains("bundled");
    }

    @Test
    void refusesMissingTemplate(@TempDir Path dir) {
        assertThatThrownBy(() -> CardTemplate.load(dir.resolve("nope.mustache")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("nope.mustache")
                .hasMessageContaining("TEMPLATE_PATH");
        assertThatThrownBy(() -> CardTemplate.load(dir)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void refusesBrokenTemplateAtLoad(@TempDir Path dir) throws Exception {
        Path unclosed = Files.writeString(dir.resolve("unclosed.mustache"), "{{#hasPhoto}}<img>");
        Path unknownVariable = Files.writeString(dir.resolve("unknown.mustache"), "{{tweetText}}");

        assertThatThrownBy(() -> CardTemplate.load(unclosed))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("does not compile");
        assertThatThrownBy(() -> CardTemplate.load(unknownVariable))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("cannot be filled")
                .hasMessageContaining("tweetText");
    }
}
