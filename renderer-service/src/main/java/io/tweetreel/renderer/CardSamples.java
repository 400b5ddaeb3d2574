package io.tweetreel.renderer;

import io.tweetreel.schemas.ReelFormat;
import io.tweetreel.schemas.Theme;
import io.tweetreel.schemas.VerifiedBadge;
import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.imageio.ImageIO;

/**
 * Writes sample cards for reviewers ({@code ./tweetreel samples}): every theme x every format, a text post and a
 * post with images and a quote, as half-size JPEGs under {@code docs/samples/}. The images are drawn here and
 * handed to the renderer as data: nothing is fetched, and the page stays offline as always.
 */
public final class CardSamples {

    /** Samples are for looking at, not pixel-exact: half size keeps the committed files small. */
    private static final double SCALE = 0.5;

    private static final float JPEG_QUALITY = 0.86f;

    private CardSamples() {}

    /** {@code [output directory]}, default {@code docs/samples}; {@code CHROMIUM_PATH} as for the service. */
    public static void main(String[] args) throws Exception {
        Path out = Files.createDirectories(Path.of(args.length > 0 ? args[0] : "docs/samples"));
        String chromium = System.getenv().getOrDefault("CHROMIUM_PATH", CardRenderer.DEFAULT_CHROMIUM_PATH.toString());
        Path work = Files.createTempDirectory("card-samples");
        Map<String, byte[]> pictures = pictures();
        try (CardRenderer renderer = new CardRenderer(Path.of(chromium), CardTemplate.bundled(), null)) {
            for (Theme theme : Theme.values()) {
                for (Map.Entry<String, CardRequest> sample : samples(theme).entrySet()) {
                    CardRequest request = sample.getValue();
                    CardImages images = CardImages.of(
                            request,
                            url -> ImageDecoder.decode(pictures.get(url), ImageDecoder.Fit.AVATAR),
                            url -> ImageDecoder.decode(pictures.get(url), ImageDecoder.Fit.MEDIA));
                    CardRenderResult result = renderer.render(
                            request, images, format -> work.resolve(theme + "-" + format.slug() + ".png"));
                    for (CardRenderResult.Card card : result.cards()) {
                        Path target = out.resolve(theme + "-" + card.format().slug() + "-" + sample.getKey() + ".jpg");
                        Files.write(target, halfSizeJpeg(card.png()));
                        System.out.println(target + " (" + Files.size(target) / 1024 + " KiB)");
                    }
                }
            }
        } finally {
            try (var files = Files.list(work)) {
                for (Path file : files.toList()) {
                    Files.deleteIfExists(file);
                }
            }
            Files.deleteIfExists(work);
        }
    }

    private static Map<String, CardRequest> samples(Theme theme) {
        List<ReelFormat> formats = List.of(ReelFormat.values());
        Instant posted = Instant.parse("2026-12-01T15:04:00Z");
        CardRequest text = CardRequest.builder(
                        "Shipped: one job now renders the card in every shape a feed wants. 9:16 for Reels and "
                                + "Shorts, 1:1 and 4:5 for feeds, 16:9 for YouTube and X video. No cropping, each "
                                + "is laid out for its own frame. #buildinpublic @tweetreel https://example.com/card",
                        "Ada Lovelace",
                        "ada")
                .theme(theme)
                .profilePhotoUrl("sample:avatar")
                .verified(VerifiedBadge.blue)
                .postedAt(posted, ZoneId.of("UTC"), Locale.US)
                .metrics(new CardRequest.Metrics(128L, 1_204L, 23_456L, 3_400_000L, 512L))
                .formats(formats)
                .build();
        CardRequest media = CardRequest.builder(
                        "Golden hour over the bay, three ways. Which one goes on the wall? 🌅", "Grace Hopper", "grace")
                .theme(theme)
                .profilePhotoUrl("sample:avatar2")
                .verified(VerifiedBadge.gold)
                .replyTo("ada")
                .accentColor(theme == Theme.light ? "#F91880" : null)
                .media(List.of(
                        new CardRequest.Media("sample:sunset", "Sunset over the bay"),
                        new CardRequest.Media("sample:hills", "Green hills"),
                        new CardRequest.Media("sample:sea", "Open sea")))
                .quote(new CardRequest.Quote(
                        "The best camera is the one you have with you.",
                        "Photo Desk",
                        "photodesk",
                        "sample:avatar3",
                        VerifiedBadge.grey,
                        List.of(new CardRequest.Media("sample:dunes", "Dunes"))))
                .postedAt(posted, ZoneId.of("Europe/Berlin"), Locale.GERMANY)
                .metrics(new CardRequest.Metrics(42L, 310L, 9_876L, 1_250_000L, null))
                .formats(formats)
                .build();
        Map<String, CardRequest> samples = new java.util.LinkedHashMap<>();
        samples.put("text", text);
        samples.put("media", media);
        return samples;
    }

    /** Synthetic pictures: gradients with a sun, hills or waves, and two avatars. */
    private static Map<String, byte[]> pictures() {
        Map<String, byte[]> pictures = new HashMap<>();
        pictures.put("sample:sunset", landscape(new Color(0xFF7A45), new Color(0x6A1B9A), new Color(0x2B1B3F), 0));
        pictures.put("sample:hills", landscape(new Color(0x8FD3FE), new Color(0xE0F7FF), new Color(0x2E7D32), 1));
        pictures.put("sample:sea", landscape(new Color(0x0D47A1), new Color(0x90CAF9), new Color(0x01579B), 2));
        pictures.put("sample:dunes", landscape(new Color(0xFFCC80), new Color(0xFFF3E0), new Color(0xD88B3A), 1));
        pictures.put("sample:avatar", avatar(new Color(0x7E57C2), new Color(0xFFD54F)));
        pictures.put("sample:avatar2", avatar(new Color(0x00897B), new Color(0xFFFFFF)));
        pictures.put("sample:avatar3", avatar(new Color(0x37474F), new Color(0xFF7043)));
        return pictures;
    }

    private static byte[] landscape(Color sky, Color horizon, Color ground, int kind) {
        int width = 1200;
        int height = 900;
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setPaint(new GradientPaint(0, 0, sky, 0, height * 0.65f, horizon));
        g.fillRect(0, 0, width, height);
        g.setColor(new Color(255, 236, 179, 230));
        g.fillOval(width * 3 / 5, height / 5, 180, 180);
        g.setColor(ground);
        List<int[]> shape = new ArrayList<>();
        for (int x = 0; x <= width; x += 20) {
            double y = switch (kind) {
                case 0 -> height * 0.7 + Math.sin(x / 90.0) * 18;
                case 1 -> height * 0.62 + Math.sin(x / 210.0) * 70 + Math.sin(x / 57.0) * 12;
                default -> height * 0.68 + Math.sin(x / 35.0) * 8;
            };
            shape.add(new int[] {x, (int) y});
        }
        int[] xs = new int[shape.size() + 2];
        int[] ys = new int[shape.size() + 2];
        for (int i = 0; i < shape.size(); i++) {
            xs[i] = shape.get(i)[0];
            ys[i] = shape.get(i)[1];
        }
        xs[shape.size()] = width;
        ys[shape.size()] = height;
        xs[shape.size() + 1] = 0;
        ys[shape.size() + 1] = height;
        g.fillPolygon(xs, ys, xs.length);
        g.dispose();
        return png(image);
    }

    private static byte[] avatar(Color background, Color face) {
        BufferedImage image = new BufferedImage(256, 256, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(background);
        g.fillRect(0, 0, 256, 256);
        g.setColor(face);
        g.fillOval(78, 44, 100, 100);
        g.fillOval(38, 160, 180, 160);
        g.dispose();
        return png(image);
    }

    private static byte[] png(BufferedImage image) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, "png", out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static byte[] halfSizeJpeg(Path png) throws IOException {
        return ImageDecoder.jpeg(ImageDecoder.scaled(ImageIO.read(png.toFile()), SCALE), JPEG_QUALITY);
    }
}
