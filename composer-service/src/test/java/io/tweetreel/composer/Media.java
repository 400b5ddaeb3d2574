package io.tweetreel.composer;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import javax.imageio.ImageIO;

/** Test inputs made on the spot and measurements of outputs, with the real ffmpeg and ffprobe. */
final class Media {

    static final Path FFMPEG_HOME = Path.of(System.getenv().getOrDefault("FFMPEG_PATH", "/usr/bin"));
    static final int SAMPLE_RATE = 48_000;

    private Media() {}

    /** A mid-grey card with a bright white panel and a blue disc, like a tweet card without the text. */
    static Path card(Path file, int width, int height) throws IOException {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(new Color(128, 128, 128));
        g.fillRect(0, 0, width, height);
        g.setColor(new Color(245, 245, 245));
        g.fillRoundRect(width / 10, height / 3, width * 8 / 10, height / 4, width / 20, width / 20);
        g.setColor(new Color(29, 155, 240));
        g.fillOval(width / 10, height / 5, width / 6, width / 6);
        g.dispose();
        ImageIO.write(image, "png", file.toFile());
        return file;
    }

    /** A card that looks like the real thing: dark theme, text lines, avatar. */
    static Path tweetLikeCard(Path file) throws IOException {
        BufferedImage image = new BufferedImage(1080, 1920, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(new Color(21, 32, 43));
        g.fillRect(0, 0, 1080, 1920);
        g.setColor(new Color(29, 155, 240));
        g.fillOval(80, 600, 140, 140);
        g.setColor(Color.WHITE);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 46));
        g.drawString("Ada Lovelace", 250, 660);
        g.setColor(new Color(139, 152, 165));
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 40));
        g.drawString("@ada", 250, 720);
        g.setColor(Color.WHITE);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 54));
        String[] lines = {
            "The Analytical Engine weaves",
            "algebraic patterns just as the",
            "Jacquard loom weaves flowers",
            "and leaves. #history @babbage"
        };
        for (int i = 0; i < lines.length; i++) {
            g.drawString(lines[i], 80, 860 + i * 78);
        }
        g.dispose();
        ImageIO.write(image, "png", file.toFile());
        return file;
    }

    /** Background of the reveal cards: a dark grey that no layer of theirs has. */
    static final Color REVEAL_BACKGROUND = new Color(40, 44, 52);

    /** The "lines" of the reveal cards: x, y, width, height in the card's pixels, in reading order. */
    static final int[][] REVEAL_LINES = {{80, 820, 900, 56}, {80, 900, 860, 56}, {80, 980, 920, 56}, {80, 1060, 500, 56}
    };

    /**
     * A reveal's pair of 1080x1920 cards: the base (background and an avatar disc) and the full card, the base
     * with a bright block on each of {@link #REVEAL_LINES}. Returns {@code [full, base]}.
     */
    static Path[] revealCards(Path dir) throws IOException {
        Path base = dir.resolve("base.png");
        Path full = dir.resolve("full.png");
        BufferedImage image = new BufferedImage(1080, 1920, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(REVEAL_BACKGROUND);
        g.fillRect(0, 0, 1080, 1920);
        g.setColor(new Color(29, 155, 240));
        g.fillOval(80, 600, 140, 140);
        ImageIO.write(image, "png", base.toFile());
        g.setColor(new Color(250, 250, 250));
        for (int[] line : REVEAL_LINES) {
            g.fillRect(line[0], line[1], line[2], line[3]);
        }
        g.dispose();
        ImageIO.write(image, "png", full.toFile());
        return new Path[] {full, base};
    }

    /**
     * A mid-grey card with two small white squares, 800 px apart on the middle row, to measure a zoom by; nothing
     * of it is black, so a black edge in a frame is a border the zoom left.
     */
    static Path zoomMarkersCard(Path file) throws IOException {
        BufferedImage image = new BufferedImage(1080, 1920, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(new Color(100, 100, 100));
        g.fillRect(0, 0, 1080, 1920);
        g.setColor(Color.WHITE);
        g.fillRect(120, 940, 40, 40);
        g.fillRect(920, 940, 40, 40);
        g.dispose();
        ImageIO.write(image, "png", file.toFile());
        return file;
    }

    /** Mean Rec.709 luma of a box of the image, 0..255. */
    static double meanLuma(BufferedImage image, int x, int y, int width, int height) {
        return meanLuma(image.getSubimage(x, y, width, height));
    }

    /** The frame shown at {@code seconds} of a 30 fps reel. */
    static BufferedImage frameAt(Path mp4, double seconds) throws IOException {
        return frame(mp4, (int) Math.floor(seconds * 30 + 1e-6));
    }

    /** A constant-level 440 Hz tone in AAC, so that fades are the only change in loudness. */
    static Path tone(Path file, double seconds) {
        ffmpeg(
                "-f",
                "lavfi",
                "-i",
                "sine=frequency=440:sample_rate=44100:duration=" + seconds,
                "-af",
                "volume=0.5",
                "-c:a",
                "aac",
                "-b:a",
                "128k",
                file.toString());
        return file;
    }

    static String ffmpeg(String... args) {
        List<String> command = new ArrayList<>(List.of(
                FFMPEG_HOME.resolve("ffmpeg").toString(), "-hide_banner", "-nostdin", "-loglevel", "error", "-y"));
        command.addAll(List.of(args));
        return new String(run(command), StandardCharsets.UTF_8);
    }

    /** Runs ffmpeg and returns what it logged (its stderr), for filters that report there. */
    static String ffmpegStderr(String... args) {
        List<String> command =
                new ArrayList<>(List.of(FFMPEG_HOME.resolve("ffmpeg").toString(), "-hide_banner", "-nostdin", "-y"));
        command.addAll(List.of(args));
        return new String(run(command, true), StandardCharsets.UTF_8);
    }

    /** ffprobe's fields of one stream ({@code v:0}, {@code a:0}) or of the format ({@code format}). */
    static Map<String, String> probe(Path file, String what) {
        List<String> command = new ArrayList<>(
                List.of(FFMPEG_HOME.resolve("ffprobe").toString(), "-v", "error", "-of", "default=noprint_wrappers=1"));
        if (what.equals("format")) {
            command.addAll(List.of("-show_format"));
        } else {
            command.addAll(List.of("-select_streams", what, "-show_streams", "-count_frames"));
        }
        command.add(file.toString());
        Map<String, String> fields = new LinkedHashMap<>();
        for (String line : new String(run(command), StandardCharsets.UTF_8).split("\\R")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                fields.putIfAbsent(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        return fields;
    }

    /** Frame number {@code index} of the first video stream, decoded to RGB. */
    static BufferedImage frame(Path mp4, int index) throws IOException {
        Path png = Files.createTempFile("frame-" + index + "-", ".png");
        try {
            ffmpeg(
                    "-i",
                    mp4.toString(),
                    "-vf",
                    "select=eq(n\\," + index + ")",
                    "-fps_mode",
                    "passthrough",
                    "-frames:v",
                    "1",
                    png.toString());
            BufferedImage image = ImageIO.read(png.toFile());
            if (image == null) {
                throw new IOException("no frame " + index + " in " + mp4);
            }
            return image;
        } finally {
            Files.deleteIfExists(png);
        }
    }

    /** Mean Rec.709 luma, 0..255. */
    static double meanLuma(BufferedImage image) {
        double sum = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                int rgb = image.getRGB(x, y);
                sum += 0.2126 * (rgb >> 16 & 0xff) + 0.7152 * (rgb >> 8 & 0xff) + 0.0722 * (rgb & 0xff);
            }
        }
        return sum / ((double) image.getWidth() * image.getHeight());
    }

    /** Mean absolute difference over all pixels and the three channels, 0..255. */
    static double meanAbsoluteDifference(BufferedImage a, BufferedImage b) {
        if (a.getWidth() != b.getWidth() || a.getHeight() != b.getHeight()) {
            throw new IllegalArgumentException("sizes differ");
        }
        double sum = 0;
        for (int y = 0; y < a.getHeight(); y++) {
            for (int x = 0; x < a.getWidth(); x++) {
                int p = a.getRGB(x, y);
                int q = b.getRGB(x, y);
                sum += Math.abs((p >> 16 & 0xff) - (q >> 16 & 0xff))
                        + Math.abs((p >> 8 & 0xff) - (q >> 8 & 0xff))
                        + Math.abs((p & 0xff) - (q & 0xff));
            }
        }
        return sum / (3.0 * a.getWidth() * a.getHeight());
    }

    /** The first audio stream decoded to mono 48 kHz samples in -1..1. */
    static double[] monoSamples(Path mp4) {
        byte[] pcm = run(List.of(
                FFMPEG_HOME.resolve("ffmpeg").toString(),
                "-hide_banner",
                "-nostdin",
                "-loglevel",
                "error",
                "-i",
                mp4.toString(),
                "-map",
                "0:a:0",
                "-ac",
                "1",
                "-ar",
                String.valueOf(SAMPLE_RATE),
                "-f",
                "s16le",
                "-"));
        ByteBuffer buffer = ByteBuffer.wrap(pcm).order(ByteOrder.LITTLE_ENDIAN);
        double[] samples = new double[pcm.length / 2];
        for (int i = 0; i < samples.length; i++) {
            samples[i] = buffer.getShort() / 32768.0;
        }
        return samples;
    }

    /** Root mean square of the samples between two times, in seconds. */
    static double rms(double[] samples, double fromSeconds, double toSeconds) {
        int from = (int) Math.round(fromSeconds * SAMPLE_RATE);
        int to = Math.min(samples.length, (int) Math.round(toSeconds * SAMPLE_RATE));
        if (to <= from) {
            throw new IllegalArgumentException("no samples between " + fromSeconds + " and " + toSeconds);
        }
        double sum = 0;
        for (int i = from; i < to; i++) {
            sum += samples[i] * samples[i];
        }
        return Math.sqrt(sum / (to - from));
    }

    /** Types of the top-level ISO BMFF boxes, in file order ({@code ftyp}, {@code moov}, {@code mdat}...). */
    static List<String> topLevelBoxes(Path mp4) throws IOException {
        List<String> types = new ArrayList<>();
        long fileSize = Files.size(mp4);
        try (DataInputStream in = new DataInputStream(Files.newInputStream(mp4))) {
            long position = 0;
            while (position < fileSize) {
                long size = Integer.toUnsignedLong(in.readInt());
                byte[] type = new byte[4];
                in.readFully(type);
                long header = 8;
                if (size == 1) {
                    size = in.readLong();
                    header = 16;
                } else if (size == 0) {
                    size = fileSize - position;
                }
                types.add(new String(type, StandardCharsets.ISO_8859_1));
                if (size < header) {
                    throw new IOException("corrupt box size " + size + " at " + position);
                }
                skipFully(in, size - header);
                position += size;
            }
        }
        return types;
    }

    private static void skipFully(InputStream in, long bytes) throws IOException {
        long left = bytes;
        while (left > 0) {
            long skipped = in.skip(left);
            if (skipped <= 0) {
                if (in.read() < 0) {
                    throw new EOFException();
                }
                skipped = 1;
            }
            left -= skipped;
        }
    }

    private static byte[] run(List<String> command) {
        return run(command, false);
    }

    private static byte[] run(List<String> command, boolean returnStderr) {
        try {
            Process process = new ProcessBuilder(command).start();
            process.getOutputStream().close();
            CompletableFuture<byte[]> stderr = CompletableFuture.supplyAsync(() -> {
                try (InputStream err = process.getErrorStream()) {
                    return err.readAllBytes();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            ByteArrayOutputStream stdout = new ByteArrayOutputStream();
            try (InputStream out = process.getInputStream()) {
                out.transferTo(stdout);
            }
            int exit = process.waitFor();
            if (exit != 0) {
                throw new IllegalStateException(String.join(" ", command) + " exited with " + exit + ": "
                        + new String(stderr.join(), StandardCharsets.UTF_8));
            }
            return returnStderr ? stderr.join() : stdout.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
