package io.tweetreel.renderer;

import io.tweetreel.renderer.ImageFetchResult.Failure;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Base64;
import java.util.Iterator;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.ImageOutputStream;

/**
 * Turns fetched image bytes (profile photos and post media) into a data URI the card can inline, downscaled to what
 * the card draws. The bytes must be PNG, JPEG, GIF or WebP by their magic numbers; the first three are decoded and
 * re-encoded (which also proves they decode): an avatar as a small square PNG, a media image with its aspect kept
 * as a JPEG (a PNG when it has transparency). WebP (no ImageIO reader) is structurally checked and passed to
 * Chromium as is, without downscaling.
 */
final class ImageDecoder {

    /** Twice the largest avatar the card draws (56 CSS px at scale 2 = 112 px), with headroom for custom templates. */
    static final int AVATAR_SIZE_PX = 256;
    /**
     * Longest side of a media image after downscaling: the largest tile is a full-width image in a 9:16 card, about
     * 490 CSS px wide at scale 2 (980 px); the 16:9 side column is narrower.
     */
    static final int MEDIA_MAX_SIDE_PX = 1000;
    /** Decoded pixels are what costs memory; a tiny PNG can claim 50000x50000. */
    static final int MAX_SOURCE_DIMENSION = 10_000;

    private static final float MEDIA_JPEG_QUALITY = 0.9f;

    /** What the image becomes. */
    enum Fit {
        /** A square crop, {@value #AVATAR_SIZE_PX} px at most. */
        AVATAR,
        /** The whole image, longest side {@value #MEDIA_MAX_SIDE_PX} px at most (the tile crops it in CSS). */
        MEDIA
    }

    private ImageDecoder() {}

    /** A fetched result with the data URI, or {@link Failure#NOT_AN_IMAGE} saying why; never throws. */
    static ImageFetchResult decode(byte[] bytes, Fit fit) {
        try {
            return decodeOrThrow(bytes, fit);
        } catch (NotAnImage e) {
            return ImageFetchResult.failed(Failure.NOT_AN_IMAGE, e.getMessage());
        }
    }

    private static ImageFetchResult decodeOrThrow(byte[] bytes, Fit fit) throws NotAnImage {
        String type = sniffImageType(bytes);
        if (type == null) {
            throw new NotAnImage("content is not PNG, JPEG, GIF or WebP (" + bytes.length + " bytes)");
        }
        if (type.equals("webp")) {
            checkWebpStructure(bytes);
            return ImageFetchResult.fetched(
                    "data:image/webp;base64," + Base64.getEncoder().encodeToString(bytes),
                    "webp, " + bytes.length + " bytes");
        }
        BufferedImage decoded = decodeDownsampled(bytes, type, fit);
        BufferedImage scaled = fit == Fit.AVATAR ? cropAndScale(decoded) : scaleWhole(decoded);
        boolean jpeg = fit == Fit.MEDIA && !scaled.getColorModel().hasAlpha();
        byte[] encoded;
        try {
            if (jpeg) {
                encoded = jpeg(scaled, MEDIA_JPEG_QUALITY);
            } else {
                ByteArrayOutputStream png = new ByteArrayOutputStream();
                ImageIO.write(scaled, "png", png);
                encoded = png.toByteArray();
            }
        } catch (IOException e) {
            throw new NotAnImage("cannot re-encode image: " + e.getMessage());
        }
        String base64 = Base64.getEncoder().encodeToString(encoded);
        return ImageFetchResult.fetched(
                "data:image/" + (jpeg ? "jpeg" : "png") + ";base64," + base64,
                type + ", " + bytes.length + " bytes, " + decoded.getWidth() + "x" + decoded.getHeight() + " decoded");
    }

    private static String sniffImageType(byte[] b) {
        if (startsWith(b, 0, 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A)) {
            return "png";
        }
        if (startsWith(b, 0, 0xFF, 0xD8, 0xFF)) {
            return "jpeg";
        }
        if (startsWith(b, 0, 'G', 'I', 'F', '8') && b.length > 5 && (b[4] == '7' || b[4] == '9') && b[5] == 'a') {
            return "gif";
        }
        if (startsWith(b, 0, 'R', 'I', 'F', 'F') && startsWith(b, 8, 'W', 'E', 'B', 'P')) {
            return "webp";
        }
        return null;
    }

    private static void checkWebpStructure(byte[] b) throws NotAnImage {
        long riffSize = (b[4] & 0xFFL) | (b[5] & 0xFFL) << 8 | (b[6] & 0xFFL) << 16 | (b[7] & 0xFFL) << 24;
        boolean knownChunk = startsWith(b, 12, 'V', 'P', '8', ' ')
                || startsWith(b, 12, 'V', 'P', '8', 'L')
                || startsWith(b, 12, 'V', 'P', '8', 'X');
        if (b.length < 30 || !knownChunk || riffSize + 8 > b.length || riffSize < 22) {
            throw new NotAnImage("malformed WebP");
        }
    }

    private static BufferedImage decodeDownsampled(byte[] bytes, String type, Fit fit) throws NotAnImage {
        try (ImageInputStream input = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
            Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName(type);
            if (!readers.hasNext()) {
                throw new NotAnImage("no decoder for " + type);
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(input, true, true);
                int width = reader.getWidth(0);
                int height = reader.getHeight(0);
                if (width <= 0 || height <= 0 || width > MAX_SOURCE_DIMENSION || height > MAX_SOURCE_DIMENSION) {
                    throw new NotAnImage("unacceptable image size " + width + "x" + height);
                }
                ImageReadParam param = reader.getDefaultReadParam();
                // Read every n-th pixel while decoding, keeping at least twice the target for a smooth final scale.
                int subsampling = fit == Fit.AVATAR
                        ? Math.max(1, Math.min(width, height) / (AVATAR_SIZE_PX * 2))
                        : Math.max(1, Math.max(width, height) / (MEDIA_MAX_SIDE_PX * 2));
                param.setSourceSubsampling(subsampling, subsampling, 0, 0);
                return reader.read(0, param);
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            throw new NotAnImage("cannot decode " + type + ": " + e.getMessage());
        }
    }

    private static BufferedImage cropAndScale(BufferedImage source) {
        int side = Math.min(source.getWidth(), source.getHeight());
        int x = (source.getWidth() - side) / 2;
        int y = (source.getHeight() - side) / 2;
        int target = Math.min(side, AVATAR_SIZE_PX);
        BufferedImage avatar = new BufferedImage(target, target, BufferedImage.TYPE_INT_ARGB);
        Graphics2D graphics = avatar.createGraphics();
        try {
            graphics.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BICUBIC);
            graphics.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
            graphics.drawImage(source, 0, 0, target, target, x, y, x + side, y + side, null);
        } finally {
            graphics.dispose();
        }
        return avatar;
    }

    private static BufferedImage scaleWhole(BufferedImage source) {
        int longest = Math.max(source.getWidth(), source.getHeight());
        double factor = Math.min(1.0, (double) MEDIA_MAX_SIDE_PX / longest);
        return scaled(source, factor);
    }

    /** The image at {@code factor} of its size (bicubic), keeping transparency where it has any. */
    static BufferedImage scaled(BufferedImage source, double factor) {
        int width = Math.max(1, (int) Math.round(source.getWidth() * factor));
        int height = Math.max(1, (int) Math.round(source.getHeight() * factor));
        boolean alpha = source.getColorModel().hasAlpha();
        BufferedImage scaled =
                new BufferedImage(width, height, alpha ? BufferedImage.TYPE_INT_ARGB : BufferedImage.TYPE_INT_RGB);
        Graphics2D graphics = scaled.createGraphics();
        try {
            graphics.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BICUBIC);
            graphics.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
            graphics.drawImage(source, 0, 0, width, height, null);
        } finally {
            graphics.dispose();
        }
        return scaled;
    }

    /** An opaque image as a JPEG of the given quality (0 to 1). */
    static byte[] jpeg(BufferedImage image, float quality) throws IOException {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ImageOutputStream output = ImageIO.createImageOutputStream(out)) {
            writer.setOutput(output);
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(quality);
            writer.write(null, new IIOImage(image, null, null), param);
        } finally {
            writer.dispose();
        }
        return out.toByteArray();
    }

    private static boolean startsWith(byte[] bytes, int offset, int... expected) {
        if (bytes.length < offset + expected.length) {
            return false;
        }
        for (int i = 0; i < expected.length; i++) {
            if ((bytes[offset + i] & 0xFF) != expected[i]) {
                return false;
            }
        }
        return true;
    }

    private static final class NotAnImage extends Exception {
        NotAnImage(String message) {
            super(message, null, false, false);
        }
    }
}
