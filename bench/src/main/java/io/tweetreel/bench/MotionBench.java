package io.tweetreel.bench;

import io.tweetreel.composer.Motion;
import io.tweetreel.composer.ProgressListener;
import io.tweetreel.composer.ReelAudio;
import io.tweetreel.composer.ReelComposer;
import io.tweetreel.core.motion.RevealTimeline;
import io.tweetreel.schemas.ReelFormat;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;

/**
 * (j): compose time of the same card, same length, standing still, revealed, pushed in, and both, with the
 * composer called directly, alternated rep by rep so every kind sees the same machine.
 *
 * <p>The card is drawn here (the post's text wrapped into lines on a dark card, an avatar, a media block) rather than
 * by the renderer, which has no reveal output on this branch: full card, base card and each line's box, exactly
 * the three things the composer is given.
 */
final class MotionBench {

    /** The four kinds, in the order they run in each rep; static first, as the one the others are compared to. */
    static final List<String> KINDS = List.of("static", "reveal", "zoom", "reveal+zoom");

    private MotionBench() {}

    /** A reveal's inputs: full card, base card, layers in reading order, and the paced length. */
    record RevealCard(Path full, Path base, List<Motion.Layer> layers, int durationSeconds) {}

    /** Compose time of one kind: wall clock, and ffmpeg's CPU (user + system, all its threads). */
    record Timing(Stats wallMs, Stats cpuMs) {}

    /**
     * Compose times of each {@linkplain #KINDS kind} over {@code reps} reps. The CPU is what this JVM's child
     * processes used meanwhile, so run it while ffmpeg is the only child (before the stack and the browser start).
     */
    static Map<String, Timing> measure(ReelComposer composer, String postText, Path work, int reps) throws Exception {
        RevealCard card = revealCard(postText, work);
        Map<String, List<Double>> times = new LinkedHashMap<>();
        Map<String, List<Double>> cpu = new LinkedHashMap<>();
        KINDS.forEach(kind -> times.put(kind, new ArrayList<>()));
        KINDS.forEach(kind -> cpu.put(kind, new ArrayList<>()));
        // leveled once, outside the timings: every kind carries the same sound at no cost of its own
        ReelAudio audio = composer.level(ReelAudio.configured(composer.audioTrack()), card.durationSeconds());
        for (int rep = -1; rep < reps; rep++) { // rep -1 warms the page cache and ffmpeg's libraries up
            for (String kind : KINDS) {
                Motion motion = switch (kind) {
                    case "static" -> Motion.STILL;
                    case "reveal" -> Motion.reveal(card.base(), card.layers(), false);
                    case "zoom" -> Motion.still(true);
                    default -> Motion.reveal(card.base(), card.layers(), true);
                };
                long ticks0 =
                        ProcessAccounting.cpuTicks(ProcessHandle.current()).descendants();
                long t0 = System.nanoTime();
                composer.compose(
                        card.full(),
                        motion,
                        audio,
                        card.durationSeconds(),
                        ReelFormat.DEFAULT,
                        work.resolve("motion-" + kind.replace('+', '-') + ".mp4"),
                        work.resolve("motion-" + kind.replace('+', '-') + ".jpg"),
                        ProgressListener.NONE,
                        ReelComposer.StopHook.NONE);
                double wallMs = (System.nanoTime() - t0) / 1e6;
                long ticks = ProcessAccounting.cpuTicks(ProcessHandle.current()).descendants() - ticks0;
                if (rep >= 0) {
                    times.get(kind).add(wallMs);
                    cpu.get(kind).add(ticks * 1000.0 / ProcessAccounting.TICKS_PER_SECOND);
                }
            }
        }
        Map<String, Timing> timings = new LinkedHashMap<>();
        KINDS.forEach(kind -> timings.put(kind, new Timing(Stats.of(times.get(kind)), Stats.of(cpu.get(kind)))));
        return timings;
    }

    /** The post drawn as a 1080x1920 card, a line per layer plus the media block, timed as the renderer times them. */
    static RevealCard revealCard(String postText, Path work) throws IOException {
        BufferedImage image = new BufferedImage(1080, 1920, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(new Color(21, 32, 43));
        g.fillRect(0, 0, 1080, 1920);
        g.setColor(new Color(29, 155, 240));
        g.fillOval(80, 420, 140, 140);
        g.setColor(Color.WHITE);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 46));
        g.drawString("Tweet Reel", 250, 480);
        Path base = work.resolve("motion-base.png");
        ImageIO.write(image, "png", base.toFile());

        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 50));
        FontMetrics metrics = g.getFontMetrics();
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (String word : postText.split("\\s+")) {
            String longer = line.isEmpty() ? word : line + " " + word;
            if (metrics.stringWidth(longer) > 920 && !line.isEmpty()) {
                lines.add(line.toString());
                line = new StringBuilder(word);
            } else {
                line = new StringBuilder(longer);
            }
        }
        lines.add(line.toString());
        List<int[]> boxes = new ArrayList<>();
        int top = 640;
        for (String text : lines) {
            g.drawString(text, 80, top + metrics.getAscent());
            boxes.add(new int[] {80, top, Math.max(2, metrics.stringWidth(text)), metrics.getHeight()});
            top += metrics.getHeight() + 16;
        }
        // a media block after the text, as a photo would be
        g.setColor(new Color(70, 110, 90));
        g.fillRoundRect(80, top + 24, 920, 520, 32, 32);
        boxes.add(new int[] {80, top + 24, 920, 520});
        g.dispose();
        Path full = work.resolve("motion-full.png");
        ImageIO.write(image, "png", full.toFile());

        int seconds = RevealTimeline.durationSeconds(0, true, postText, 1);
        List<Integer> words = lines.stream().map(RevealTimeline::words).toList();
        RevealTimeline timeline = RevealTimeline.plan(words, 1, seconds);
        List<Double> times = new ArrayList<>(timeline.lineTimes());
        times.addAll(timeline.blockTimes());
        List<Motion.Layer> layers = new ArrayList<>();
        for (int i = 0; i < boxes.size(); i++) {
            int[] b = boxes.get(i);
            layers.add(new Motion.Layer(b[0], b[1], b[2], b[3], times.get(i)));
        }
        return new RevealCard(full, base, layers, seconds);
    }
}
