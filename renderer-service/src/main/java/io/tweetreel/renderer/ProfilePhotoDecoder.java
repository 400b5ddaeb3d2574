package io.tweetreel.renderer;

import io.tweetreel.renderer.PhotoFetchResult.Failure;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Base64;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * Turns fetched profile photo bytes into a data URI the card can inline. The bytes must be PNG, JPEG, GIF or WebP
 * by their magic numbers; the first three are decoded and re-encoded as a small square PNG (which also proves they
 * decode), WebP (no ImageIO reader) is structurally checked and passed to Chromium as is.
 */
final class ProfilePhotoDecoder {

    /** Twice the largest avatar the card draws (56 CSS px at scale 2 = 112 px), with headroom for custom templates. */
    static final int AVATAR_SIZE_PX = 256;
    /** Decoded pixels are what costs memory; a tiny PNG can claim 50000x50000. */
    static final int MAX_SOURCE_DIMENSION = 10_000;

    private ProfilePhotoDecoder() {}

    /** A fetched result with the data URI, or {@link Failure#NOT_AN_IMAGE} saying why; never throws. */
    static PhotoFetchResult decode(byte[] bytes) {
        try {
            return decodeOrThrow(bytes);
        } catch (NotAnImage e) {
            return PhotoFetchResult.failed(Failure.NOT_AN_IMAGE, e.getMessage());
        }
    }

    private static PhotoFetchResult decodeOrThrow(byte[] bytes) throws NotAnImage {
        String type = sniffImageType(bytes);
        if (type == null) {
            throw new NotAnImage("content is not PNG, JPEG, GIF or WebP (" + bytes.length + " bytes)");
        }
        if (type.equals("webp")) {
            checkWebpStructure(bytes);
            return PhotoFetchResult.fetched(
                    "data:image/webp;base64," + Base64.getEncoder().encodeToString(bytes),
                    "webp, " + bytes.length + " bytes");
        }
        BufferedImage avatar = decodeAsSquareAvatar(bytes, type);
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        try {
            ImageIO.write(avatar, "png", png);
        } catch (IOException e) {
            throw new NotAnImage("cannot re-encode image: " + e.getMessage());
        }
        String base64 = Base64.getEncoder().encodeToString(png.toByteArray());
        return PhotoFetchResult.fetched("data:image/png;base64," + base64, type + ", " + bytes.length + " bytes");
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

    private static BufferedImage decodeAsSquareAvatar(byte[] bytes, String type) throws NotAnImage {
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
                int subsampling = Math.max(1, Math.min(width, height) / (AVATAR_SIZE_PX * 2));
                param.setSourceSubsampling(subsampling, subsampling, 0, 0);
                BufferedImage decoded = reader.read(0, param);
                return cropAndScale(decoded);
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
