package io.tweetreel.renderer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;
import static org.assertj.core.api.Assertions.tuple;

import io.tweetreel.core.testing.CountingHttpServer;
import io.tweetreel.schemas.JobWarning;
import io.tweetreel.schemas.ReelFormat;
import io.tweetreel.schemas.Theme;
import io.tweetreel.schemas.VerifiedBadge;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The card's parts and shapes in real Chromium: media grids, quote, badge, time line, counts, themes and every
 * format, with solid-colour images served from loopback (the fetcher's test switch allows it) so each tile's colour
 * can be found at its place in the PNG. One renderer for the class; several cards per test.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CardLayoutTest {

    private static final Color RED = new Color(0xE5, 0x39, 0x35);
    private static final Color GREEN = new Color(0x43, 0xA0, 0x47);
    private static final Color BLUE = new Color(0x1E, 0x88, 0xE5);
    private static final Color YELLOW = new Color(0xFD, 0xD8, 0x35);
    private static final List<Color> COLOURS = List.of(RED, GREEN, BLUE, YELLOW);

    private CardRenderer renderer;
    private CountingHttpServer images;

    @TempDir
    Path dir;

    @BeforeAll
    void start() throws IOException {
        // /solid/RRGGBB.png is a 400x300 image of that colour; anything else is a 404
        images = CountingHttpServer.start("127.0.0.1", (path, out) -> {
            if (path.startsWith("/solid/") && path.endsWith(".png")) {
                byte[] png = solidPng(new Color(Integer.parseInt(path.substring(7, 13), 16)));
                CountingHttpServer.ok("image/png", png).respond(path, out);
            } else {
                CountingHttpServer.status(404).respond(path, out);
            }
        });
        renderer = new CardRenderer(CardRenderer.DEFAULT_CHROMIUM_PATH, CardTemplate.bundled(), new ImageFetcher(true));
    }

    @AfterAll
    void stop() throws IOException {
        renderer.close();
        images.close();
    }

    @Test
    void eachMediaTileShowsItsImageAtItsPlaceInEveryFormat() throws IOException {
        for (ReelFormat format : ReelFormat.values()) {
            for (int count = 1; count <= 4; count++) {
                List<CardRequest.Media> media = new ArrayList<>();
                for (int i = 0; i < count; i++) {
                    media.add(new CardRequest.Media(solidUrl(COLOURS.get(i)), "image " + i));
                }
                CardRequest request = post("Tiles", Theme.dark).toBuilder()
                        .media(media)
                        .formats(List.of(format))
                        .build();
                CardRenderResult result = renderer.render(request, f -> dir.resolve("tiles.png"));
                BufferedImage png = ImageIO.read(result.png().toFile());
                String what = format.label() + " with " + count + " images";

                assertThat(result.warnings()).as(what).isEmpty();
                Rect card = rect(".card");
                Rect grid = rect(".media");
                List<Rect> tiles = new ArrayList<>();
                for (int i = 0; i < count; i++) {
                    tiles.add(rect(".media .tile[data-index='" + i + "']"));
                }
                assertThat(grid.inside(card))
                        .as(what + ": grid inside the card")
                        .isTrue();
                assertLaidOutAsOnX(count, grid, tiles, what);
                for (int i = 0; i < count; i++) {
                    assertClose(
                            colourAt(png, tiles.get(i).centreX(), tiles.get(i).centreY()),
                            COLOURS.get(i),
                            what + ": colour of tile " + i);
                }
                assertThat(cornerRadius(".media")).as(what).isEqualTo("16px");
            }
        }
        assertThat(renderer.unblockedRequestCount()).isZero();
    }

    /** 1: full width; 2: side by side; 3: one tall left, two stacked right; 4: a 2x2 grid; 2 px gaps. */
    private static void assertLaidOutAsOnX(int count, Rect grid, List<Rect> tiles, String what) {
        Rect first = tiles.get(0);
        switch (count) {
            case 1 -> {
                assertThat(first.width()).as(what).isCloseTo(grid.width() - 2, offset(1.0));
                assertThat(first.height()).as(what).isCloseTo(grid.height() - 2, offset(1.0));
            }
            case 2 -> {
                Rect second = tiles.get(1);
                assertThat(second.top).as(what).isEqualTo(first.top);
                assertThat(second.left - first.right).as(what + ": gap").isCloseTo(2, offset(0.5));
                assertThat(second.width()).as(what).isCloseTo(first.width(), offset(1.0));
                assertThat(first.height()).as(what).isCloseTo(grid.height() - 2, offset(1.0));
            }
            case 3 -> {
                Rect upper = tiles.get(1);
                Rect lower = tiles.get(2);
                assertThat(first.height()).as(what + ": tall first").isCloseTo(grid.height() - 2, offset(1.0));
                assertThat(upper.left).as(what).isGreaterThan(first.right);
                assertThat(lower.left).as(what).isEqualTo(upper.left);
                assertThat(lower.top - upper.bottom).as(what + ": gap").isCloseTo(2, offset(0.5));
            }
            default -> {
                assertThat(tiles.get(1).top).as(what).isEqualTo(first.top);
                assertThat(tiles.get(1).left).as(what).isGreaterThan(first.right);
                assertThat(tiles.get(2).left).as(what).isEqualTo(first.left);
                assertThat(tiles.get(2).top).as(what).isGreaterThan(first.bottom);
                assertThat(tiles.get(3).left).as(what).isEqualTo(tiles.get(1).left);
                assertThat(tiles.get(3).top).as(what).isEqualTo(tiles.get(2).top);
            }
        }
    }

    @Test
    void everyFormatOfAJobIsRenderedAtItsExactSizeInOneSession() throws IOException {
        CardRequest request = post("Every shape", Theme.light).toBuilder()
                .media(List.of(new CardRequest.Media(solidUrl(RED), null)))
                .formats(List.of(ReelFormat.LANDSCAPE, ReelFormat.PORTRAIT, ReelFormat.SQUARE, ReelFormat.FEED))
                .build();
        long launches = renderer.browserLaunchCount();
        int fetchesBefore = images.paths().size();

        CardRenderResult result = renderer.render(request, f -> dir.resolve("every-" + f.slug() + ".png"));

        assertThat(result.cards())
                .extracting(CardRenderResult.Card::format)
                .containsExactly(ReelFormat.LANDSCAPE, ReelFormat.PORTRAIT, ReelFormat.SQUARE, ReelFormat.FEED);
        for (CardRenderResult.Card card : result.cards()) {
            BufferedImage png = ImageIO.read(card.png().toFile());
            assertThat(png.getWidth())
                    .as(card.format().label())
                    .isEqualTo(card.format().width());
            assertThat(png.getHeight())
                    .as(card.format().label())
                    .isEqualTo(card.format().height());
        }
        assertThat(result.attempts()).isEqualTo(1);
        assertThat(renderer.browserLaunchCount()).isEqualTo(launches);
        assertThat(List.copyOf(images.paths())
                        .subList(fetchesBefore, images.paths().size()))
                .as("the image is fetched once for all formats")
                .containsExactly("/solid/" + hex(RED) + ".png");
    }

    @Test
    void quoteCardAndBadgesAreDrawn() throws IOException {
        CardRequest request = post("Look at this", Theme.dark).toBuilder()
                .verified(VerifiedBadge.blue)
                .quote(new CardRequest.Quote(
                        "Quoted words #here",
                        "Quoted Author",
                        "@quoted",
                        null,
                        VerifiedBadge.gold,
                        List.of(new CardRequest.Media(solidUrl(GREEN), "green"))))
                .build();

        BufferedImage png = ImageIO.read(
                renderer.render(request, dir.resolve("quote.png")).png().toFile());

        assertThat(text(".quote .name")).isEqualTo("Quoted Author");
        assertThat(text(".quote .username")).isEqualTo("@quoted");
        assertThat(text(".quote .quote-text")).isEqualTo("Quoted words #here");
        assertThat(text(".quote .quote-text .hashtag")).isEqualTo("#here");
        Rect card = rect(".card");
        Rect quote = rect(".quote");
        assertThat(quote.inside(card)).isTrue();
        assertThat(quote.top).as("the quote comes after the text").isGreaterThan(rect(".text").bottom);
        Rect thumbnail = rect(".quote .tile");
        assertClose(colourAt(png, thumbnail.centreX(), thumbnail.centreY()), GREEN);
        // the badges' colours cover much of their boxes (the check mark is cut out)
        assertThat(share(png, rect(".name-row .badge-blue"), new Color(0x1D, 0x9B, 0xF0)))
                .isGreaterThan(0.4);
        assertThat(share(png, rect(".quote .badge-gold"), new Color(0xE2, 0xB7, 0x19)))
                .isGreaterThan(0.3);
        assertThat(rect(".name-row .badge").left).as("badge after the name").isGreaterThan(rect(".name").right - 1);

        renderer.render(post("No badge", Theme.dark), dir.resolve("plain.png"));
        assertThat(count(".badge")).isZero();
        assertThat(count(".quote")).isZero();
    }

    @Test
    void longestPostWithFourImagesAndAQuoteFitsEveryFormatAndEndsWithShowMore() {
        List<CardRequest.Media> four = COLOURS.stream()
                .map(c -> new CardRequest.Media(solidUrl(c), null))
                .toList();
        CardRequest request = post(TestTexts.chars2000(), Theme.dim).toBuilder()
                .media(four)
                .replyTo("someone")
                .verified(VerifiedBadge.grey)
                .postedAt(Instant.parse("2026-12-01T15:04:00Z"), ZoneId.of("UTC"), Locale.US)
                .metrics(new CardRequest.Metrics(1L, 22L, 333L, 4444L, 55555L))
                .quote(new CardRequest.Quote(
                        TestTexts.chars2000(),
                        "Quoted",
                        "quoted",
                        null,
                        VerifiedBadge.none,
                        List.of(new CardRequest.Media(solidUrl(RED), null))))
                .build();
        Map<ReelFormat, Double> fontSizes = new LinkedHashMap<>();
        for (ReelFormat format : ReelFormat.values()) {
            renderer.render(request.withFormats(List.of(format)), f -> dir.resolve("long.png"));
            String what = format.label();
            Rect card = rect(".card");

            assertThat(card.inside(new Rect(0, 0, format.width() / 2.0, format.height() / 2.0)))
                    .as(what)
                    .isTrue();
            assertThat(outsideTheCard())
                    .as(what + ": elements outside the card box")
                    .isEmpty();
            assertThat(evaluate("() => { const t = document.querySelector('.text');"
                            + " return t.scrollHeight <= t.clientHeight && t.scrollWidth <= t.clientWidth; }"))
                    .as(what + ": nothing clipped")
                    .isEqualTo(true);
            assertThat(text(".text .show-more")).as(what).isEqualTo("Show more");
            assertThat(rect(".show-more").bottom).as(what).isLessThanOrEqualTo(rect(".text").bottom + 1);
            assertThat(text(".text")).as(what).contains("\u2026");
            double size = ((Number)
                            evaluate("() => parseFloat(getComputedStyle(document.querySelector('.text')).fontSize)"))
                    .doubleValue();
            assertThat(size).as(what + ": the smallest legible size, not less").isEqualTo(14.0);
            fontSizes.put(format, size);
            assertThat(colourOfShowMore()).as(what + ": in the link colour").isEqualTo("rgb(29, 155, 240)");
        }
        renderer.render(
                post(TestTexts.chars280(), Theme.dark).withFormats(List.of(ReelFormat.LANDSCAPE)),
                dir.resolve("s.png"));
        assertThat(count(".show-more")).as("a post that fits is not cut").isZero();
    }

    @Test
    void anImageThatCannotBeFetchedBecomesANeutralTileAndAWarning() throws IOException {
        CardRequest request = post("Two of three", Theme.dark).toBuilder()
                .media(List.of(
                        new CardRequest.Media(solidUrl(RED), "red"),
                        new CardRequest.Media(images.url("/gone.png"), "A cat on a windowsill"),
                        new CardRequest.Media(solidUrl(BLUE), "blue")))
                .quote(new CardRequest.Quote(
                        "q", "Q", "q", null, null, List.of(new CardRequest.Media(images.url("/gone-too.png"), null))))
                .build();

        CardRenderResult result = renderer.render(request, dir.resolve("missing.png"));
        BufferedImage png = ImageIO.read(result.png().toFile());

        assertThat(result.warnings())
                .extracting(JobWarning::getCode, JobWarning::getField)
                .containsExactly(
                        tuple(CardImages.MEDIA_UNAVAILABLE, "media[1].url"),
                        tuple(CardImages.MEDIA_UNAVAILABLE, "quote.media[0].url"));
        assertThat(result.warnings().get(0).getMessage()).contains("did not answer 200 OK");
        assertThat(evaluate(
                        "() => document.querySelector(\".media .tile[data-index='1']\").classList.contains('missing')"))
                .isEqualTo(true);
        assertThat(text(".media .tile[data-index='1'] .alt")).isEqualTo("A cat on a windowsill");
        Rect missing = rect(".media .tile[data-index='1']");
        assertClose(colourAt(png, missing.left + 4, missing.top + 4), new Color(0x20, 0x23, 0x27));
        Rect red = rect(".media .tile[data-index='0']");
        assertClose(colourAt(png, red.centreX(), red.centreY()), RED);
    }

    @Test
    void timeLineAndCountsFollowTheLocaleAndZone() {
        Instant posted = Instant.parse("2026-12-01T15:04:00Z");
        CardRequest.Metrics metrics = new CardRequest.Metrics(7L, 1_234L, 56_789L, 3_456_789L, null);
        renderer.render(
                post("Hallo", Theme.light).toBuilder()
                        .postedAt(posted, ZoneId.of("Europe/Berlin"), Locale.forLanguageTag("de-DE"))
                        .metrics(metrics)
                        .build(),
                dir.resolve("de.png"));
        String german = text(".time");
        List<String> germanCounts = counts();

        renderer.render(
                post("Hello", Theme.light).toBuilder()
                        .postedAt(posted, ZoneId.of("America/New_York"), Locale.forLanguageTag("en-US"))
                        .metrics(metrics)
                        .build(),
                dir.resolve("en.png"));
        String english = text(".time");
        List<String> englishCounts = counts();

        renderer.render(post("No time, no counts", Theme.light), dir.resolve("none.png"));

        assertThat(german).isEqualTo("16:04 \u00B7 01.12.2026");
        assertThat(english).isEqualTo("10:04 AM \u00B7 Dec 1, 2026");
        assertThat(englishCounts).containsExactly("7", "1.2K", "56.7K", "3.4M");
        assertThat(germanCounts).containsExactly("7", "1.234", "56.789", "3,4 Mio.");
        assertThat(count(".time")).isZero();
        assertThat(count(".count")).isZero();
        assertThat(count(".actions svg")).as("icons only, as before").isEqualTo(6);
    }

    @Test
    void dimThemeAccentColourAndReplyLine() throws IOException {
        BufferedImage dim = ImageIO.read(renderer.render(
                        post("Dim @mention", Theme.dim).toBuilder()
                                .replyTo("@grace")
                                .build(),
                        dir.resolve("dim.png"))
                .png()
                .toFile());
        Rect card = rect(".card");
        assertThat(colourAt(dim, card.left + 12, card.top + 12)).isEqualTo(new Color(0x15, 0x20, 0x2B));
        assertThat(evaluate("() => getComputedStyle(document.querySelector('.text')).color"))
                .isEqualTo("rgb(247, 249, 249)");
        assertThat(text(".reply")).isEqualTo("Replying to @grace");
        assertThat(rect(".reply").bottom).as("above the text").isLessThanOrEqualTo(rect(".text").top);

        BufferedImage pink = ImageIO.read(renderer.render(
                        post("Pink #links", Theme.light).toBuilder()
                                .accentColor("#F91880")
                                .build(),
                        dir.resolve("accent.png"))
                .png()
                .toFile());
        assertThat(evaluate("() => getComputedStyle(document.querySelector('.hashtag')).color"))
                .isEqualTo("rgb(249, 24, 128)");
        BufferedImage blue = ImageIO.read(renderer.render(post("Blue #links", Theme.light), dir.resolve("plain.png"))
                .png()
                .toFile());
        Color pinkCorner = colourAt(pink, 20, 20);
        Color blueCorner = colourAt(blue, 20, 20);
        assertThat(pinkCorner.getRed())
                .as("the backdrop is tinted with the accent")
                .isGreaterThan(pinkCorner.getBlue());
        assertThat(blueCorner.getBlue()).as("control: the theme's own blue").isGreaterThan(blueCorner.getRed());
    }

    /** Figures for the closing note: PNG size per format, and a 4-format job against a 1-format one. */
    @Test
    void reportSizesAndTimes() throws IOException {
        CardRequest text = post(TestTexts.chars280(), Theme.dark).toBuilder()
                .verified(VerifiedBadge.blue)
                .postedAt(Instant.parse("2026-12-01T15:04:00Z"), ZoneId.of("UTC"), Locale.US)
                .metrics(new CardRequest.Metrics(12L, 345L, 6_789L, 1_234_567L, 89L))
                .formats(List.of(ReelFormat.values()))
                .build();
        CardRequest withMedia = text.toBuilder()
                .media(List.of(
                        new CardRequest.Media(solidUrl(RED), null),
                        new CardRequest.Media(solidUrl(GREEN), null),
                        new CardRequest.Media(solidUrl(BLUE), null)))
                .build();
        for (Map.Entry<String, CardRequest> sample :
                Map.of("text", text, "media", withMedia).entrySet()) {
            CardRenderResult result = renderer.render(sample.getValue(), f -> dir.resolve("size-" + f.slug() + ".png"));
            StringBuilder line = new StringBuilder("[size] " + sample.getKey() + ":");
            for (CardRenderResult.Card card : result.cards()) {
                line.append(' ')
                        .append(card.format().label())
                        .append(' ')
                        .append(Files.size(card.png()) / 1024)
                        .append(" KiB");
            }
            System.out.println(line);
        }
        List<Long> one = new ArrayList<>();
        List<Long> four = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            one.add(renderer.render(withMedia.withFormats(List.of(ReelFormat.DEFAULT)), f -> dir.resolve("t1.png"))
                    .renderTime()
                    .toMillis());
            four.add(renderer.render(withMedia, f -> dir.resolve("t4-" + f.slug() + ".png"))
                    .renderTime()
                    .toMillis());
        }
        Collections.sort(one);
        Collections.sort(four);
        System.out.printf(
                "[timing] 3-image card, 1 format: %s ms; 4 formats: %s ms (sorted, fetch included); median ratio %.2f%n",
                one, four, (four.get(1) + four.get(2)) / (double) (one.get(1) + one.get(2)));
        assertThat(four.get(0)).isPositive();
    }

    // ---- helpers --------------------------------------------------------------------------------------------

    private static CardRequest post(String body, Theme theme) {
        return new CardRequest(body, "Ada Lovelace", "ada", theme, null);
    }

    private String solidUrl(Color colour) {
        return images.url("/solid/" + hex(colour) + ".png");
    }

    private static String hex(Color colour) {
        return String.format("%06X", colour.getRGB() & 0xFFFFFF);
    }

    private static byte[] solidPng(Color colour) {
        BufferedImage image = new BufferedImage(400, 300, BufferedImage.TYPE_INT_RGB);
        Graphics2D graphics = image.createGraphics();
        graphics.setColor(colour);
        graphics.fillRect(0, 0, 400, 300);
        graphics.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, "png", out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private Object evaluate(String script) {
        return renderer.currentPage().evaluate(script);
    }

    private String text(String selector) {
        return (String) renderer.currentPage().evaluate("s => document.querySelector(s).textContent.trim()", selector);
    }

    private int count(String selector) {
        return ((Number) renderer.currentPage().evaluate("s => document.querySelectorAll(s).length", selector))
                .intValue();
    }

    private String cornerRadius(String selector) {
        return (String) renderer.currentPage()
                .evaluate("s => getComputedStyle(document.querySelector(s)).borderTopLeftRadius", selector);
    }

    private String colourOfShowMore() {
        return (String) evaluate("() => getComputedStyle(document.querySelector('.show-more')).color");
    }

    @SuppressWarnings("unchecked")
    private List<String> counts() {
        // German puts a no-break space before "Mio."
        return (List<String>) evaluate("() => Array.from(document.querySelectorAll('.count'),"
                + " c => c.textContent.replace(/[\\u00A0\\u202F]/g, ' '))");
    }

    /**
     * Every element of the card whose visible part (its box cut by every clipping ancestor, e.g. the quote's line
     * clamp) reaches out of the card's box (1 px of rounding allowed).
     */
    @SuppressWarnings("unchecked")
    private List<String> outsideTheCard() {
        return (List<String>) evaluate("() => { const cardElement = document.querySelector('.card');"
                + " const card = cardElement.getBoundingClientRect(); const out = [];"
                + " for (const e of cardElement.querySelectorAll('*')) {"
                + "   const b = e.getBoundingClientRect();"
                + "   let l = b.left, t = b.top, r = b.right, btm = b.bottom;"
                + "   for (let a = e.parentElement; a && a !== cardElement; a = a.parentElement) {"
                + "     if (getComputedStyle(a).overflow !== 'visible') { const c = a.getBoundingClientRect();"
                + "       l = Math.max(l, c.left); t = Math.max(t, c.top); r = Math.min(r, c.right);"
                + "       btm = Math.min(btm, c.bottom); } }"
                + "   if (r <= l || btm <= t) continue;"
                + "   if (l < card.left - 1 || t < card.top - 1 || r > card.right + 1 || btm > card.bottom + 1)"
                + "     out.push(e.tagName + '.' + e.getAttribute('class')); }"
                + " return out; }");
    }

    private record Rect(double left, double top, double right, double bottom) {
        double width() {
            return right - left;
        }

        double height() {
            return bottom - top;
        }

        double centreX() {
            return (left + right) / 2;
        }

        double centreY() {
            return (top + bottom) / 2;
        }

        boolean inside(Rect outer) {
            return left >= outer.left - 1
                    && top >= outer.top - 1
                    && right <= outer.right + 1
                    && bottom <= outer.bottom + 1;
        }
    }

    @SuppressWarnings("unchecked")
    private Rect rect(String selector) {
        List<Number> b = (List<Number>) renderer.currentPage()
                .evaluate(
                        "s => { const b = document.querySelector(s).getBoundingClientRect();"
                                + " return [b.left, b.top, b.right, b.bottom]; }",
                        selector);
        return new Rect(
                b.get(0).doubleValue(),
                b.get(1).doubleValue(),
                b.get(2).doubleValue(),
                b.get(3).doubleValue());
    }

    private static Color colourAt(BufferedImage png, double cssX, double cssY) {
        return new Color(png.getRGB((int) Math.round(cssX * CardRenderer.DEVICE_SCALE_FACTOR), (int)
                Math.round(cssY * CardRenderer.DEVICE_SCALE_FACTOR)));
    }

    /** Images go through JPEG on their way to the page: a few levels of difference per channel are expected. */
    private static void assertClose(Color actual, Color expected) {
        assertClose(actual, expected, "colour");
    }

    private static void assertClose(Color actual, Color expected, String what) {
        assertThat(Math.abs(actual.getRed() - expected.getRed())
                        + Math.abs(actual.getGreen() - expected.getGreen())
                        + Math.abs(actual.getBlue() - expected.getBlue()))
                .as("%s: %s close to %s", what, actual, expected)
                .isLessThanOrEqualTo(12);
    }

    /** Share of the box's pixels within a small distance of the colour. */
    private static double share(BufferedImage png, Rect cssBox, Color colour) {
        long hits = 0;
        long total = 0;
        for (int y = (int) (cssBox.top * 2); y < (int) (cssBox.bottom * 2); y++) {
            for (int x = (int) (cssBox.left * 2); x < (int) (cssBox.right * 2); x++) {
                Color c = new Color(png.getRGB(x, y));
                if (Math.abs(c.getRed() - colour.getRed())
                                + Math.abs(c.getGreen() - colour.getGreen())
                                + Math.abs(c.getBlue() - colour.getBlue())
                        <= 30) {
                    hits++;
                }
                total++;
            }
        }
        return (double) hits / total;
    }
}
