package io.tweetreel.renderer;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PostBodyFormatterTest {

    @Test
    void escapesMarkupBeforeAnythingElse() {
        String html = PostBodyFormatter.toHtml("<script>alert(1)</script> <img src=x onerror=\"alert(2)\"> & 'q' `b`");

        assertThat(html)
                .isEqualTo("&lt;script&gt;alert(1)&lt;/script&gt; &lt;img src=x onerror=&quot;alert(2)&quot;&gt;"
                        + " &amp; &#39;q&#39; &#96;b&#96;");
    }

    @Test
    void leavesMustacheDelimitersAsText() {
        assertThat(PostBodyFormatter.toHtml("{{displayName}} {{{bodyHtml}}}"))
                .isEqualTo("{{displayName}} {{{bodyHtml}}}");
    }

    @Test
    void highlightsLinksMentionsAndHashtags() {
        String html = PostBodyFormatter.toHtml("Hi @ada_l, see https://example.com/a?b=1&c=2. #java #1 #1st");

        assertThat(html)
                .isEqualTo("Hi <span class=\"hl mention\">@ada_l</span>, see "
                        + "<span class=\"hl link\">example.com/a?b=1&amp;c=2</span>. "
                        + "<span class=\"hl hashtag\">#java</span> #1 <span class=\"hl hashtag\">#1st</span>");
    }

    @Test
    void highlightsNonLatinHashtags() {
        assertThat(PostBodyFormatter.toHtml("مرحبا #تجربة 桜 #東京"))
                .contains("<span class=\"hl hashtag\">#تجربة</span>")
                .contains("<span class=\"hl hashtag\">#東京</span>");
    }

    @Test
    void highlightSpansWrapEscapedTextOnly() {
        String html = PostBodyFormatter.toHtml("https://evil.example/\"><script>x</script> #a<b>");

        assertThat(html)
                .doesNotContain("<script")
                .doesNotContain("<b>")
                .contains("<span class=\"hl link\">evil.example/</span>&quot;&gt;&lt;script&gt;x&lt;/script&gt;")
                .contains("<span class=\"hl hashtag\">#a</span>&lt;b&gt;");
    }

    @Test
    void typedEntitiesAreNeitherDecodedNorHashtags() {
        assertThat(PostBodyFormatter.toHtml("&#39; &lt;")).isEqualTo("&amp;#39; &amp;lt;");
    }

    @Test
    void emailAddressesAndLongHandlesAreNotMentions() {
        assertThat(PostBodyFormatter.toHtml("me@example.com @abcdefghijklmnopq"))
                .doesNotContain("<span");
    }

    @Test
    void keepsLineBreaksAndCapsBlankRuns() {
        assertThat(PostBodyFormatter.toHtml("one\r\ntwo\n\n\n\n\nthree\rfour"))
                .isEqualTo("one<br>two<br><br>three<br>four");
    }

    @Test
    void dropsControlCharacters() {
        assertThat(PostBodyFormatter.toHtml("a\u0000b\u0007c\td")).isEqualTo("abc\td");
    }

    @Test
    void trimsSentencePunctuationButKeepsBalancedParentheses() {
        assertThat(PostBodyFormatter.toHtml("(see https://en.wikipedia.org/wiki/Kafka_(software))."))
                .isEqualTo("(see <span class=\"hl link\">en.wikipedia.org/wiki/Kafka_(so\u2026</span>).");
        assertThat(PostBodyFormatter.toHtml("go to www.example.com!"))
                .isEqualTo("go to <span class=\"hl link\">example.com</span>!");
    }

    @Test
    void shortensLongLinkText() {
        String html = PostBodyFormatter.toHtml("https://example.com/a/very/long/path/that/goes/on/and/on");

        assertThat(html).isEqualTo("<span class=\"hl link\">example.com/a/very/long/path/th\u2026</span>");
    }
}
