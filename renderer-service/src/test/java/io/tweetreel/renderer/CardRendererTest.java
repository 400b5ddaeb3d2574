package io.tweetreel.renderer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.microsoft.playwright.CDPSession;
import com.microsoft.playwright.Page;
import io.tweetreel.core.testing.CountingHttpServer;
import io.tweetreel.renderer.ImageFetchResult.Failure;
import io.tweetreel.schemas.Theme;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** Real Chromium, one renderer shared by the class (start-up costs seconds). */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CardRendererTest {

    private CardRenderer renderer;

    @TempDir
    Path dir;

    @BeforeAll
    void startRenderer() {
        // Private photo hosts allowed: the photo tests serve from 127.0.0.1.
        renderer = new CardRenderer(CardRenderer.DEFAULT_CHROMIUM_PATH, CardTemplate.bundled(), new ImageFetcher(true));
    }

    @AfterAll
    void stopRenderer() {
        renderer.close();
    }

    @Test
    void pngIsExactly1080x1920() throws IOException {
        CardRenderResult result = renderer.render(request("Hello reel", Theme.dark), dir.resolve("card.png"));

        BufferedImage png = ImageIO.read(result.png().toFile());
        assertThat(png.getWidth()).isEqualTo(1080);
        assertThat(png.getHeight()).isEqualTo(1920);
        assertThat(result.attempts()).isEqualTo(1);
    }

    @Test
    void darkAndLightThemesDifferInLuminance() throws IOException {
        BufferedImage dark = renderImage(request(TestTexts.chars280(), Theme.dark));
        Rect darkCard = rect(".card");
        BufferedImage light = renderImage(request(TestTexts.chars280(), Theme.light));
        Rect lightCard = rect(".card");

        assertThat(meanLuminance(dark, 0, 0, 1080, 1920)).isLessThan(40);
        assertThat(meanLuminance(light, 0, 0, 1080, 1920)).isGreaterThan(200);
        // The card surfaces are X's palettes: pure black (lights out) and white.
        assertThat(new Color(dark.getRGB(px(darkCard.left + 12), px(darkCard.top + 12))))
                .isEqualTo(Color.BLACK);
        assertThat(new Color(light.getRGB(px(lightCard.left + 12), px(lightCard.top + 12))))
                .isEqualTo(Color.WHITE);
        // And the body text colours: #E7E9EA on dark, #0F1419 on light.
        assertThat(evaluate("() => getComputedStyle(document.querySelector('.text')).color"))
                .isEqualTo("rgb(15, 20, 25)");
    }

    @Test
    void emojiAreDrawnInColour() throws IOException {
        BufferedImage emoji = renderImage(request(TestTexts.EMOJI, Theme.dark));
        Rect emojiBox = contentRect(".text");
        BufferedImage plain = renderImage(request("ABCDEF", Theme.dark));
        Rect plainBox = contentRect(".text");

        assertThat(saturatedShare(emoji, emojiBox))
                .as("share of saturated pixels where the emoji are")
                .isGreaterThan(0.15);
        assertThat(saturatedShare(plain, plainBox))
                .as("control: plain text is grey on black")
                .isLessThan(0.01);
    }

    @Test
    void arabicIsLaidOutRightToLeft() {
        renderImage(request(TestTexts.ARABIC, Theme.light));
        String direction = (String) evaluate("() => getComputedStyle(document.querySelector('.text')).direction");
        Rect text = rect(".text");
        List<double[]> arabicLines = lineExtents(".text");

        renderImage(request(
                "Left to right text that is long enough to need more than one line on the card, surely.", Theme.light));
        List<double[]> latinLines = lineExtents(".text");

        assertThat(direction).isEqualTo("rtl");
        assertThat(arabicLines).hasSizeGreaterThan(1);
        for (double[] line : arabicLines) {
            assertThat(line[1]).as("every Arabic line ends at the right edge").isCloseTo(text.right, within(2.0));
        }
        assertThat(arabicLines.get(arabicLines.size() - 1)[0])
                .as("the short last line leaves space on the left")
                .isGreaterThan(text.left + 40);
        assertThat(latinLines.get(latinLines.size() - 1)[0])
                .as("control: Latin starts at the left")
                .isCloseTo(text.left, within(2.0));
    }

    @Test
    void japaneseGlyphsComeFromACjkFontNotTofu() {
        renderImage(request(TestTexts.JAPANESE, Theme.dark));
        Page page = renderer.currentPage();

        // 1. Glyph coverage as Chromium reports it: which platform font drew how many glyphs of the body.
        CDPSession cdp = page.context().newCDPSession(page);
        try {
            cdp.send("DOM.enable");
            cdp.send("CSS.enable");
            int root = cdp.send("DOM.getDocument")
                    .getAsJsonObject("root")
                    .get("nodeId")
                    .getAsInt();
            JsonObject query = new JsonObject();
            query.addProperty("nodeId", root);
            query.addProperty("selector", ".text");
            int textNode = cdp.send("DOM.querySelector", query).get("nodeId").getAsInt();
            JsonObject fontsQuery = new JsonObject();
            fontsQuery.addProperty("nodeId", textNode);
            JsonArray fonts =
                    cdp.send("CSS.getPlatformFontsForNode", fontsQuery).getAsJsonArray("fonts");
            Map<String, Integer> glyphsByFamily = new TreeMap<>();
            for (JsonElement font : fonts) {
                glyphsByFamily.merge(
                        font.getAsJsonObject().get("familyName").getAsString(),
                        font.getAsJsonObject().get("glyphCount").getAsInt(),
                        Integer::sum);
            }
            assertThat(glyphsByFamily).as("fonts used for the Japanese body").containsOnlyKeys("Noto Sans CJK JP");
            assertThat(glyphsByFamily.get("Noto Sans CJK JP"))
                    .isEqualTo(TestTexts.JAPANESE.codePointCount(0, TestTexts.JAPANESE.length()));
        } finally {
            cdp.detach();
        }

        // 2. Pixels: no character draws like the .notdef box of an unassigned code point, and each draws like the
        //    known-good CJK font does.
        @SuppressWarnings("unchecked")
        Map<String, Object> check = (Map<String, Object>) page.evaluate(
                "text => {"
                        + "const family = getComputedStyle(document.querySelector('.text')).fontFamily;"
                        + "const canvas = document.createElement('canvas'); canvas.width = 72; canvas.height = 72;"
                        + "const g = canvas.getContext('2d', {willReadFrequently: true});"
                        + "const draw = (ch, fam) => { g.clearRect(0, 0, 72, 72); g.font = '48px ' + fam; g.textBaseline = 'alphabetic';"
                        + "  g.fillText(ch, 8, 58); return g.getImageData(0, 0, 72, 72).data.filter((v, i) => i % 4 === 3).join(','); };"
                        + "const blank = (g.clearRect(0, 0, 72, 72), g.getImageData(0, 0, 72, 72).data.filter((v, i) => i % 4 === 3).join(','));"
                        + "const tofu = draw('\\u0378', family);"
                        + "const chars = Array.from(text).filter(ch => ch.trim());"
                        + "return { tofuIsVisible: tofu !== blank,"
                        + "  tofuChars: chars.filter(ch => draw(ch, family) === tofu).join(''),"
                        + "  differentFromKnownGood: chars.filter(ch => draw(ch, family) !== draw(ch, '\"Noto Sans CJK JP\"')).join('') };"
                        + "}",
                TestTexts.JAPANESE);
        assertThat(check.get("tofuIsVisible"))
                .as("the reference .notdef glyph draws something")
                .isEqualTo(true);
        assertThat(check.get("tofuChars")).as("characters drawn as tofu").isEqualTo("");
        assertThat(check.get("differentFromKnownGood"))
                .as("characters not drawn as Noto Sans CJK JP draws them")
                .isEqualTo("");
    }

    @Test
    void hostileFieldsStayLiteralTextAndRunNothing() throws IOException {
        assertHostileInputInert(CardTemplate.bundled());
    }

    @Test
    void escapingAloneKeepsHostileFieldsInert(@TempDir Path templates) throws IOException {
        // Same check without the template's CSP, so it is the escaping that is being tested, not the CSP.
        String bundled = new String(
                CardTemplate.class
                        .getResourceAsStream(CardTemplate.BUNDLED_RESOURCE)
                        .readAllBytes(),
                java.nio.charset.StandardCharsets.UTF_8);
        String withoutCsp = bundled.replaceAll("<meta http-equiv=\"Content-Security-Policy\"[^>]*>", "")
                .replace("<script nonce=\"{{cspNonce}}\">", "<script>");
        assertThat(withoutCsp).doesNotContain("Content-Security-Policy");
        Path file = Files.writeString(templates.resolve("no-csp.mustache"), withoutCsp);

        assertHostileInputInert(CardTemplate.load(file));
    }

    private void assertHostileInputInert(CardTemplate template) {
        String hostile = "<script>window.__pwned=1;alert(1)</script><img src=x onerror=\"window.__pwned=2;alert(2)\">"
                + "{{displayName}}{{{bodyHtml}}}{{#hasPhoto}}yes{{/hasPhoto}}";
        long blockedBefore = renderer.blockedRequestCount();
        long dialogsBefore = renderer.dialogCount();

        renderer.renderHtml(
                template.render(new CardRequest(hostile, hostile, hostile, Theme.dark, null), null),
                dir.resolve("x.png"));

        assertThat(evaluate("() => document.querySelector('.name').textContent"))
                .isEqualTo(hostile);
        assertThat(evaluate("() => document.querySelector('.username').textContent"))
                .isEqualTo("@" + hostile);
        assertThat(evaluate("() => document.querySelector('.text').textContent"))
                .isEqualTo(hostile);
        assertThat(evaluate("() => String(window.__pwned)")).isEqualTo("undefined");
        assertThat(evaluate("() => document.querySelectorAll('script').length")).isEqualTo(1);
        assertThat(evaluate("() => document.querySelectorAll('img').length")).isEqualTo(0);
        assertThat(evaluate("() => document.querySelectorAll('[onerror]').length"))
                .isEqualTo(0);
        assertThat(renderer.dialogCount()).isEqualTo(dialogsBefore);
        assertThat(renderer.blockedRequestCount()).as("nothing tried to load").isEqualTo(blockedBefore);
        assertThat(renderer.unblockedRequestCount()).isZero();
    }

    @Test
    void bundledTemplateMakesNoRequests() {
        long blockedBefore = renderer.blockedRequestCount();

        renderImage(new CardRequest("Links are text: https://example.com @x #y", "Name", "name", Theme.light, null));

        assertThat(renderer.blockedRequestCount()).isEqualTo(blockedBefore);
        assertThat(renderer.unblockedRequestCount()).isZero();
    }

    @Test
    void everyRequestThePageAttemptsIsAborted(@TempDir Path templates) throws Exception {
        try (CountingHttpServer server = CountingHttpServer.start(
                "127.0.0.1", CountingHttpServer.ok("image/png", TestImages.encoded("png", 4, 4)))) {
            String base = "http://127.0.0.1:" + server.port();
            String leakyTemplate = "<!DOCTYPE html><html><head>"
                    + "<link rel=\"stylesheet\" href=\"" + base + "/style.css\">"
                    + "<link rel=\"preconnect\" href=\"" + base + "\">"
                    + "<style>body { background: url(" + base + "/bg.png); } @font-face { font-family: X; src: url("
                    + base + "/f.woff2); }"
                    + " .text { font-family: X; }</style>"
                    + "<script src=\"" + base + "/script.js\"></script></head><body>"
                    + "<img src=\"" + base + "/img.png\"><iframe src=\"" + base + "/frame\"></iframe>"
                    + "<div class=\"text\">{{{bodyHtml}}}</div>"
                    + "<script>fetch('" + base + "/fetch').catch(function () {});"
                    + "try { new WebSocket('ws://127.0.0.1:" + server.port() + "/ws'); } catch (e) {}"
                    + "navigator.sendBeacon && navigator.sendBeacon('" + base + "/beacon', 'x');</script>"
                    + "</body></html>";
            Path file = Files.writeString(templates.resolve("leaky.mustache"), leakyTemplate);
            long blockedBefore = renderer.blockedRequestCount();

            renderer.renderHtml(
                    CardTemplate.load(file).render(request("hi", Theme.dark), null), dir.resolve("leaky.png"));
            Thread.sleep(500); // anything asynchronous (fetch, beacon, WebSocket) gets time to try

            assertThat(renderer.blockedRequestCount() - blockedBefore)
                    .as("aborted attempts")
                    .isGreaterThanOrEqualTo(5);
            assertThat(renderer.unblockedRequestCount()).isZero();
            assertThat(server.connections())
                    .as("connections that reached the server")
                    .isZero();
        }
    }

    @Test
    void longTextShrinksToFitAndNeverOverflows() {
        Map<String, String> bodies = new java.util.LinkedHashMap<>();
        bodies.put("20", TestTexts.chars20());
        bodies.put("280", TestTexts.chars280());
        bodies.put("2000", TestTexts.chars2000());
        bodies.put("2000 CJK", TestTexts.JAPANESE.repeat(40).substring(0, 2000));
        bodies.put("2000 unbroken", "W".repeat(2000));
        bodies.put("1000 lines", "a\n".repeat(1000));
        Map<String, Double> fontSizes = new TreeMap<>();

        for (Map.Entry<String, String> body : bodies.entrySet()) {
            renderImage(request(body.getValue(), Theme.dark));
            Rect card = rect(".card");
            Rect text = rect(".text");
            Rect content = contentRect(".text");
            String what = body.getKey() + " chars";

            assertThat(card.left).as(what).isGreaterThanOrEqualTo(0);
            assertThat(card.top).as(what).isGreaterThanOrEqualTo(0);
            assertThat(card.right).as(what).isLessThanOrEqualTo(540);
            assertThat(card.bottom).as(what).isLessThanOrEqualTo(960);
            assertThat(text.top).as(what).isGreaterThanOrEqualTo(card.top);
            assertThat(text.bottom).as(what).isLessThanOrEqualTo(card.bottom);
            assertThat(content.left).as(what).isGreaterThanOrEqualTo(text.left - 1);
            assertThat(content.right).as(what).isLessThanOrEqualTo(text.right + 1);
            assertThat(content.bottom).as(what + ": text ends inside its box").isLessThanOrEqualTo(text.bottom + 1);
            assertThat(evaluate("() => { const t = document.querySelector('.text');"
                            + " return t.scrollHeight <= t.clientHeight && t.scrollWidth <= t.clientWidth; }"))
                    .as(what + ": nothing clipped")
                    .isEqualTo(true);
            fontSizes.put(
                    body.getKey(),
                    ((Number) evaluate("() => parseFloat(getComputedStyle(document.querySelector('.text')).fontSize)"))
                            .doubleValue());
        }

        assertThat(fontSizes.get("20")).isGreaterThanOrEqualTo(36);
        assertThat(fontSizes.get("280")).isBetween(20.0, 30.0).isLessThan(fontSizes.get("20"));
        assertThat(fontSizes.get("2000")).isGreaterThanOrEqualTo(10.0).isLessThan(fontSizes.get("280"));
        System.out.println("[fit] body font sizes (CSS px) by length: " + fontSizes);
    }

    @Test
    void fetchedPhotoIsInlinedAndAFailedOneFallsBackToInitials() throws IOException {
        BufferedImage green = new BufferedImage(300, 300, BufferedImage.TYPE_INT_RGB);
        java.awt.Graphics2D graphics = green.createGraphics();
        graphics.setColor(new Color(0x00, 0xC8, 0x53));
        graphics.fillRect(0, 0, 300, 300);
        graphics.dispose();
        java.io.ByteArrayOutputStream png = new java.io.ByteArrayOutputStream();
        ImageIO.write(green, "png", png);
        try (CountingHttpServer server =
                CountingHttpServer.start("127.0.0.1", CountingHttpServer.ok("image/png", png.toByteArray()))) {
            CardRenderResult withPhoto = renderer.render(
                    new CardRequest("photo", "Ada Lovelace", "ada", Theme.dark, server.url("/ada.png")),
                    dir.resolve("photo.png"));
            BufferedImage image = ImageIO.read(withPhoto.png().toFile());
            Rect avatar = rect(".avatar");
            Object avatarSource =
                    evaluate("() => document.querySelector('img.avatar').getAttribute('src').slice(0, 22)");

            server.setHandler(CountingHttpServer.status(404));
            CardRenderResult withoutPhoto = renderer.render(
                    new CardRequest("photo", "Ada Lovelace", "ada", Theme.dark, server.url("/gone.png")),
                    dir.resolve("initials.png"));

            assertThat(withPhoto.photo().isFetched()).isTrue();
            assertThat(avatarSource).isEqualTo("data:image/png;base64,");
            assertThat(new Color(
                            image.getRGB(px((avatar.left + avatar.right) / 2), px((avatar.top + avatar.bottom) / 2))))
                    .isEqualTo(new Color(0x00, 0xC8, 0x53));
            assertThat(withoutPhoto.photo().failure()).contains(Failure.HTTP_STATUS);
            assertThat(evaluate("() => document.querySelector('.avatar.initials').textContent"))
                    .isEqualTo("AL");
            assertThat(renderer.unblockedRequestCount()).isZero();
        }
    }

    /** Reports timings for the note (speed targets live in the bench); asserts only that every render is a card. */
    @Test
    void warmRenderTime() {
        renderImage(request(TestTexts.chars280(), Theme.dark)); // warm-up
        List<Long> millis = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            CardRenderResult result = renderer.render(
                    request(TestTexts.chars280() + " " + i, i % 2 == 0 ? Theme.dark : Theme.light),
                    dir.resolve("warm-" + i + ".png"));
            millis.add(result.renderTime().toMillis());
            assertThat(result.png()).isRegularFile();
        }
        Collections.sort(millis);
        long median = (millis.get(4) + millis.get(5)) / 2;
        System.out.printf(
                "[timing] cold start (Playwright.create + launch + page): %d ms; warm render median of 10: %d ms (min %d, max %d)%n",
                renderer.startupTime().toMillis(), median, millis.get(0), millis.get(9));
    }

    // ---- helpers --------------------------------------------------------------------------------------------

    private static CardRequest request(String body, Theme theme) {
        return new CardRequest(body, "Ada Lovelace", "ada", theme, null);
    }

    private BufferedImage renderImage(CardRequest request) {
        Path file = dir.resolve("render.png");
        renderer.render(request, file);
        try {
            return ImageIO.read(file.toFile());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private Object evaluate(String script) {
        return renderer.currentPage().evaluate(script);
    }

    private record Rect(double left, double top, double right, double bottom) {}

    private Rect rect(String selector) {
        return toRect(evaluate("() => { const b = document.querySelector('" + selector + "').getBoundingClientRect();"
                + " return [b.left, b.top, b.right, b.bottom]; }"));
    }

    /**
     * Boxes of the visible text (every run of non-space characters) inside the element. Whole-range boxes would
     * include the invisible spaces that pre-wrap lets hang past the end of a line.
     */
    private static final String INK_RECTS = "selector => { const root = document.querySelector(selector);"
            + " const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT); const range = document.createRange();"
            + " const rects = []; while (walker.nextNode()) { const node = walker.currentNode; const words = /\\S+/g; let m;"
            + "   while ((m = words.exec(node.data))) { range.setStart(node, m.index); range.setEnd(node, m.index + m[0].length);"
            + "     for (const b of range.getClientRects()) { if (b.width > 0) rects.push([b.left, b.top, b.right, b.bottom]); } } }"
            + " return rects; }";

    /** Where the element's text actually is, not its box. */
    @SuppressWarnings("unchecked")
    private Rect contentRect(String selector) {
        List<List<Number>> rects = (List<List<Number>>) renderer.currentPage().evaluate(INK_RECTS, selector);
        assertThat(rects).as("visible text in " + selector).isNotEmpty();
        double left = Double.MAX_VALUE, top = Double.MAX_VALUE, right = -Double.MAX_VALUE, bottom = -Double.MAX_VALUE;
        for (List<Number> rect : rects) {
            left = Math.min(left, rect.get(0).doubleValue());
            top = Math.min(top, rect.get(1).doubleValue());
            right = Math.max(right, rect.get(2).doubleValue());
            bottom = Math.max(bottom, rect.get(3).doubleValue());
        }
        return new Rect(left, top, right, bottom);
    }

    /** [left, right] of each rendered line of the element's visible text. */
    @SuppressWarnings("unchecked")
    private List<double[]> lineExtents(String selector) {
        List<List<Number>> rects = new ArrayList<>();
        for (List<Number> box : (List<List<Number>>) renderer.currentPage().evaluate(INK_RECTS, selector)) {
            rects.add(List.of(
                    box.get(0),
                    box.get(2),
                    (box.get(1).doubleValue() + box.get(3).doubleValue()) / 2));
        }
        Map<Long, double[]> lines = new TreeMap<>();
        for (List<Number> rect : rects) {
            long line = Math.round(rect.get(2).doubleValue() / 4);
            lines.merge(
                    line, new double[] {rect.get(0).doubleValue(), rect.get(1).doubleValue()}, (a, b) ->
                            new double[] {Math.min(a[0], b[0]), Math.max(a[1], b[1])});
        }
        return new ArrayList<>(lines.values());
    }

    @SuppressWarnings("unchecked")
    private static Rect toRect(Object value) {
        List<Number> numbers = (List<Number>) value;
        return new Rect(
                numbers.get(0).doubleValue(),
                numbers.get(1).doubleValue(),
                numbers.get(2).doubleValue(),
                numbers.get(3).doubleValue());
    }

    private static int px(double cssPixels) {
        return (int) Math.round(cssPixels * CardRenderer.DEVICE_SCALE_FACTOR);
    }

    private static double meanLuminance(BufferedImage image, int x0, int y0, int x1, int y1) {
        double sum = 0;
        long count = 0;
        for (int y = y0; y < y1; y += 3) {
            for (int x = x0; x < x1; x += 3) {
                int rgb = image.getRGB(x, y);
                sum += 0.2126 * (rgb >> 16 & 0xFF) + 0.7152 * (rgb >> 8 & 0xFF) + 0.0722 * (rgb & 0xFF);
                count++;
            }
        }
        return sum / count;
    }

    private static double saturatedShare(BufferedImage image, Rect cssBox) {
        long saturated = 0;
        long total = 0;
        for (int y = px(cssBox.top); y < px(cssBox.bottom); y++) {
            for (int x = px(cssBox.left); x < px(cssBox.right); x++) {
                float[] hsb = Color.RGBtoHSB(
                        image.getRGB(x, y) >> 16 & 0xFF,
                        image.getRGB(x, y) >> 8 & 0xFF,
                        image.getRGB(x, y) & 0xFF,
                        null);
                if (hsb[1] > 0.35f && hsb[2] > 0.3f) {
                    saturated++;
                }
                total++;
            }
        }
        return (double) saturated / total;
    }
}
