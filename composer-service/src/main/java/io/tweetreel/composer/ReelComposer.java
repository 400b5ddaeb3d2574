package io.tweetreel.composer;

import com.github.kokorin.jaffree.StreamType;
import com.github.kokorin.jaffree.ffmpeg.FFmpeg;
import com.github.kokorin.jaffree.ffmpeg.FFmpegProgress;
import com.github.kokorin.jaffree.ffmpeg.FFmpegResultFuture;
import com.github.kokorin.jaffree.ffmpeg.UrlInput;
import com.github.kokorin.jaffree.ffmpeg.UrlOutput;
import io.tweetreel.core.motion.RevealTimeline;
import io.tweetreel.schemas.ReelFormat;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Turns a tweet card (a still PNG) and a music track into the reel: a 30 fps H.264/AAC MP4 at the size of its
 * {@link ReelFormat} (1080x1920 unless told otherwise) with 0.5 s fades in and out on picture and sound,
 * {@code moov} first so players start before the download ends; and, when asked, its poster: the card as a JPEG
 * at the video's size, written by the same ffmpeg run from the same decoded still (the video's first frame is
 * black from the fade-in, so it cannot serve as one). The sound ({@link ReelAudio}: a track or silence) is leveled
 * to -16 LUFS by {@link Loudness} before the encode, so every reel sounds as loud as the next.
 *
 * <p>Speed comes from decoding and scaling the still once and repeating that one frame inside the filter graph
 * ({@code loop}), rather than {@code -loop 1}, which decodes, scales and converts the PNG again for every
 * output frame; plus x264 {@code veryfast} with {@code -tune stillimage}. The bench module's
 * {@code NaiveReelComposer} is the baseline it is measured against.
 *
 * <p>{@link Motion}: a reveal is still one ffmpeg run. The base card (every layer hidden) is the looped
 * background; each layer is cropped once from the decoded, fitted full card, looped as its own small still, and
 * overlaid at its box from its time on, fading in while it slides up into place; once the last has landed the
 * frame is the full card. The push-in ({@code zoom}) resamples the finished frame with sub-pixel corners
 * ({@code perspective}), so it glides instead of stepping a pixel at a time as {@code zoompan} and
 * {@code scale}+{@code crop} do with their whole-pixel rectangles.
 *
 * <p>Knows nothing of Kafka or object stores: files in, file out. Thread-safe; every call runs its own ffmpeg.
 */
public final class ReelComposer {

    /** Size of a reel of the default format, 9:16. */
    public static final int WIDTH = ReelFormat.DEFAULT.width();

    public static final int HEIGHT = ReelFormat.DEFAULT.height();
    public static final int FRAME_RATE = 30;
    public static final double FADE_SECONDS = 0.5;
    public static final int AUDIO_SAMPLE_RATE = 48_000;
    public static final int MIN_DURATION_SECONDS = 1;
    public static final int MAX_DURATION_SECONDS = 600;

    /** The card's scale at the end of a {@linkplain Motion#zoom() push-in}: 4 % larger, centred. */
    public static final double ZOOM_END = 1.04;

    /** How far below its box a layer starts its slide, in pixels of a 1080-pixel-wide frame. */
    static final int SLIDE_PIXELS_AT_1080 = 24;

    /** How long a layer takes to fade in and slide into place (the renderer plans the reveal with the same). */
    static final double LAYER_FADE_SECONDS = RevealTimeline.FADE_SECONDS;

    /** The environment variable that overrides the bundled music; named in start-up errors. */
    public static final String AUDIO_ENV_VAR = "AUDIO_PATH";

    /**
     * ffmpeg's MJPEG quantiser for posters: 2 gives about what ImageIO writes at quality 0.88 (a 1080x1920 test
     * pattern: 129 KB against 130 KB). Encoding the poster in the reel's own ffmpeg run costs one more frame of a
     * run that encodes 150 or more; ImageIO would cost a second PNG decode plus the JPEG encode, 0.2-0.3 s of CPU
     * per 1080x1920 card as measured here, and its own scale-and-pad for a card of another size.
     */
    static final int POSTER_QSCALE = 2;

    /**
     * Generous: a 30 s reel takes about 20 s of CPU. Only catches an ffmpeg that hangs; the service's
     * {@code max.poll.interval.ms} and {@code transaction.timeout.ms} must exceed it.
     */
    public static final Duration DEFAULT_ENCODE_TIMEOUT = Duration.ofMinutes(3);

    /** Progress callbacks at most this often (status updates at most 4 a second). */
    static final long PROGRESS_INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(250);

    private static final Logger LOG = LoggerFactory.getLogger(ReelComposer.class);

    private final FfmpegBinaries binaries;
    private final ReelProbe probe;
    private final Path audioTrack;
    private final Duration encodeTimeout;
    private final Loudness loudness;

    /**
     * @param ffmpegHome directory of ffmpeg and ffprobe ({@value FfmpegBinaries#ENV_VAR}), or the ffmpeg
     *                   executable; {@code null} means {@code /usr/bin}
     * @param audioTrack the music for every reel ({@value #AUDIO_ENV_VAR}, or {@link BundledMusic#install})
     * @throws IllegalStateException when ffmpeg or ffprobe is missing or unusable, or the audio file is
     *                               missing or holds no audio; the message names the path and the variable
     */
    public ReelComposer(Path ffmpegHome, Path audioTrack) {
        this(ffmpegHome, audioTrack, DEFAULT_ENCODE_TIMEOUT);
    }

    /** As {@link #ReelComposer(Path, Path)}, with the time after which a running ffmpeg is killed. */
    public ReelComposer(Path ffmpegHome, Path audioTrack, Duration encodeTimeout) {
        this.binaries = FfmpegBinaries.locate(ffmpegHome);
        this.probe = new ReelProbe(binaries);
        this.audioTrack = requireAudio(audioTrack, probe);
        if (encodeTimeout.isNegative() || encodeTimeout.isZero()) {
            throw new IllegalArgumentException("encodeTimeout must be positive: " + encodeTimeout);
        }
        this.encodeTimeout = encodeTimeout;
        this.loudness = new Loudness(binaries.ffmpeg(), encodeTimeout);
    }

    /** The music used by {@link #compose(Path, int, Path, ProgressListener)}. */
    public Path audioTrack() {
        return audioTrack;
    }

    public FfmpegBinaries binaries() {
        return binaries;
    }

    Loudness loudness() {
        return loudness;
    }

    /** Composes with the configured {@linkplain #audioTrack() audio track}. */
    public ComposedReel compose(Path cardPng, int durationSeconds, Path outputMp4, ProgressListener listener)
            throws ComposeException, IOException {
        return compose(cardPng, audioTrack, durationSeconds, outputMp4, listener, StopHook.NONE);
    }

    /** As {@link #compose(Path, int, Path, ProgressListener)}, stoppable from another thread through {@code stop}. */
    public ComposedReel compose(
            Path cardPng, int durationSeconds, Path outputMp4, ProgressListener listener, StopHook stop)
            throws ComposeException, IOException {
        return compose(cardPng, audioTrack, durationSeconds, outputMp4, listener, stop);
    }

    /**
     * How a caller stops an encode from another thread (a canceled job): the composer hands over the action that
     * kills its ffmpeg, and runs the returned action to take it back once ffmpeg has ended.
     */
    @FunctionalInterface
    public interface StopHook {
        Runnable register(Runnable stopEncode);

        StopHook NONE = stopEncode -> () -> {};
    }

    /** The encode was stopped through its {@link StopHook}; nothing is left of it. */
    public static final class StoppedException extends IOException {
        StoppedException() {
            super("Video composition stopped");
        }
    }

    public ComposedReel compose(
            Path cardPng, Path audio, int durationSeconds, Path outputMp4, ProgressListener listener)
            throws ComposeException, IOException {
        return compose(cardPng, audio, durationSeconds, outputMp4, listener, StopHook.NONE);
    }

    /** A 9:16 reel without a poster; see the method with every parameter. */
    public ComposedReel compose(
            Path cardPng, Path audio, int durationSeconds, Path outputMp4, ProgressListener listener, StopHook stop)
            throws ComposeException, IOException {
        return compose(
                cardPng,
                ReelAudio.configured(audio),
                durationSeconds,
                ReelFormat.DEFAULT,
                outputMp4,
                null,
                listener,
                stop);
    }

    /** With the configured {@linkplain #audioTrack() audio track}: the reel of one format and its poster. */
    public ComposedReel compose(
            Path cardPng,
            int durationSeconds,
            ReelFormat format,
            Path outputMp4,
            Path posterJpg,
            ProgressListener listener,
            StopHook stop)
            throws ComposeException, IOException {
        return compose(
                cardPng,
                ReelAudio.configured(audioTrack),
                durationSeconds,
                format,
                outputMp4,
                posterJpg,
                listener,
                stop);
    }

    /**
     * {@code audio} with the gain that brings it to -16 LUFS in a reel of {@code durationSeconds} (see
     * {@link Loudness}): a job with several formats levels its sound once and composes every format with it.
     *
     * @throws ComposeException the track does not decode (permanent)
     * @throws IOException      ffmpeg could not run or timed out
     */
    public ReelAudio level(ReelAudio audio, int durationSeconds) throws ComposeException, IOException {
        requireDuration(durationSeconds);
        if (!audio.isSilent()) {
            requireReadable(audio.track());
        }
        return loudness.level(audio, durationSeconds);
    }

    /** A reel without motion: the card standing still, as {@link Motion#STILL}. */
    public ComposedReel compose(
            Path cardPng,
            ReelAudio audio,
            int durationSeconds,
            ReelFormat format,
            Path outputMp4,
            Path posterJpg,
            ProgressListener listener,
            StopHook stop)
            throws ComposeException, IOException {
        return compose(cardPng, Motion.STILL, audio, durationSeconds, format, outputMp4, posterJpg, listener, stop);
    }

    /**
     * Encodes the reel (and its poster) and measures it.
     *
     * @param cardPng         the full card; any size (scaled to fit and padded with black to the format's size)
     * @param motion          what moves: {@link Motion#STILL}, a reveal (its base card the same size as
     *                        {@code cardPng}, its layers' boxes in that card's pixels), a push-in, or both
     * @param audio           the music, looped when shorter than the reel and cut when longer, or silence;
     *                        leveled to -16 LUFS first unless {@linkplain #level already leveled} (for this
     *                        duration)
     * @param durationSeconds reel length, {@value #MIN_DURATION_SECONDS}..{@value #MAX_DURATION_SECONDS}
     * @param format          gives the video's width and height
     * @param outputMp4       written (replaced) here; deleted again when the encode fails
     * @param posterJpg       where the poster is written (replaced), or null for none; deleted again when the
     *                        encode fails
     * @param listener        see {@link ProgressListener} for when it is called
     * @param stop            lets another thread kill the encode; it then ends within a second, leaving no
     *                        ffmpeg process and no output file, with a {@link StoppedException}
     * @return duration, size and resolution of the written MP4, from its header (what ffprobe would report)
     * @throws ComposeException ffmpeg rejected the inputs (permanent: the same inputs fail again); the message
     *                          is {@code Video composition failed: <ffmpeg's error lines>}
     * @throws IOException      a problem of the machine (a file missing, disk full, ffmpeg killed or timed
     *                          out, interrupted as {@link InterruptedIOException}): worth retrying
     */
    public ComposedReel compose(
            Path cardPng,
            Motion motion,
            ReelAudio audio,
            int durationSeconds,
            ReelFormat format,
            Path outputMp4,
            Path posterJpg,
            ProgressListener listener,
            StopHook stop)
            throws ComposeException, IOException {
        requireDuration(durationSeconds);
        requireReadable(cardPng);
        ReelAudio sound = level(audio, durationSeconds);
        List<FrameLayer> layers = List.of();
        if (motion.reveals()) {
            requireReadable(motion.basePng());
            int[] card = pngSize(cardPng);
            layers = frameLayers(motion.layers(), card[0], card[1], format.width(), format.height());
        }
        Path output = outputMp4.toAbsolutePath();
        requireDirectory(output);
        Path poster = posterJpg == null ? null : posterJpg.toAbsolutePath();
        if (poster != null) {
            requireDirectory(poster);
        }
        ProgressListener progress = listener == null ? ProgressListener.NONE : listener;

        FFmpeg ffmpeg = command(cardPng, motion, layers, sound, durationSeconds, format, output, poster)
                .setProgressListener(new ProgressRelay(progress, durationSeconds, MDC.getCopyOfContextMap()));
        long started = System.nanoTime();
        run(ffmpeg, output, poster, stop);
        ComposedReel reel = Mp4Header.measure(output);
        LOG.debug(
                "Composed {} ({} s, {} bytes) in {} ms",
                output,
                reel.durationSeconds(),
                reel.sizeBytes(),
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
        notify(progress, 1.0);
        return reel;
    }

    /** Measures any MP4 with ffprobe. */
    public ComposedReel probe(Path mp4) throws IOException {
        return probe.measure(mp4);
    }

    /** The ffmpeg invocation of a still reel, without a progress listener; {@code poster} null: no poster. */
    FFmpeg command(Path cardPng, ReelAudio audio, int durationSeconds, ReelFormat format, Path output, Path poster) {
        return command(cardPng, Motion.STILL, List.of(), audio, durationSeconds, format, output, poster);
    }

    /** With motion: {@code layers} are the motion's layers in the frame's pixels ({@link #frameLayers}). */
    private FFmpeg command(
            Path cardPng,
            Motion motion,
            List<FrameLayer> layers,
            ReelAudio audio,
            int durationSeconds,
            ReelFormat format,
            Path output,
            Path poster) {
        FFmpeg ffmpeg = new FFmpeg(binaries.ffmpeg()).addInput(UrlInput.fromPath(cardPng.toAbsolutePath()));
        if (!audio.isSilent()) {
            // looping the audio at the demuxer keeps the graph simple; atrim cuts it to the reel
            UrlInput track = UrlInput.fromPath(audio.track()).setStreamLoop(-1);
            List<String> options = audio.inputOptions();
            for (int i = 0; i < options.size(); i += 2) {
                track.addArguments(options.get(i), options.get(i + 1));
            }
            ffmpeg.addInput(track);
        }
        if (!layers.isEmpty()) {
            ffmpeg.addInput(UrlInput.fromPath(motion.basePng().toAbsolutePath())); // baseCardInput(audio)
        }
        ffmpeg.setComplexFilter(filterGraph(
                        durationSeconds, format.width(), format.height(), poster != null, audio, layers, motion.zoom()))
                // ffmpeg reports every 0.5 s by default: too coarse for a 1–2 s encode
                .addArguments("-stats_period", "0.25")
                .setOverwriteOutput(true);
        UrlOutput out = UrlOutput.toPath(output)
                .setFormat("mp4")
                .addMap("v") // Jaffree adds the brackets
                .addMap("a")
                .addArguments("-c:v", "libx264")
                .addArguments("-preset", "veryfast")
                .addArguments("-tune", "stillimage")
                .addArguments("-crf", "23")
                .addArguments("-pix_fmt", "yuv420p")
                .addArguments("-r", String.valueOf(FRAME_RATE));
        addOutputTail(out, durationSeconds);
        ffmpeg.addOutput(out);
        if (poster != null) {
            ffmpeg.addOutput(UrlOutput.toPath(poster)
                    .setFormat("image2")
                    .addMap("poster")
                    .setFrameCount(StreamType.VIDEO, 1L)
                    .addArguments("-c:v", "mjpeg")
                    .addArguments("-q:v", String.valueOf(POSTER_QSCALE))
                    // image2 otherwise reads the name as a pattern (%d) and warns that it is not one
                    .addArguments("-update", "1")
                    .addArguments("-map_metadata", "-1"));
        }
        return ffmpeg;
    }

    /**
     * Options shared with the naive baseline so both produce the same kind of file: colour tags, AAC,
     * faststart, no metadata copied from the inputs, exact length.
     */
    static void addOutputTail(UrlOutput out, int durationSeconds) {
        out.addArguments("-colorspace", "bt709")
                .addArguments("-color_primaries", "bt709")
                .addArguments("-color_trc", "bt709")
                .addArguments("-color_range", "tv")
                .addArguments("-c:a", "aac")
                .addArguments("-b:a", "128k")
                .addArguments("-movflags", "+faststart")
                .addArguments("-map_metadata", "-1")
                .setDuration(durationSeconds, TimeUnit.SECONDS);
    }

    /** The graph of a 9:16 reel without a poster. */
    static String filterGraph(int durationSeconds) {
        return filterGraph(durationSeconds, WIDTH, HEIGHT, false, ReelAudio.configured(Path.of("track.m4a")));
    }

    /**
     * {@code [v]}: the still fitted into width x height and converted to BT.709 yuv420p once, then repeated as
     * 30 fps CFR for exactly the duration, faded. {@code [a]}: {@link #audioGraph}. With a
     * poster, {@code [poster]}: the same fitted still, before the video's colour conversion, as full-range
     * (JPEG) yuv420p; one frame, so that branch ends as soon as the still is decoded.
     */
    static String filterGraph(int durationSeconds, int width, int height, boolean withPoster, ReelAudio audio) {
        return filterGraph(durationSeconds, width, height, withPoster, audio, List.of(), false);
    }

    /**
     * As {@link #filterGraph(int, int, int, boolean, ReelAudio)}, with motion. A reveal ({@code layers} not empty):
     * the fitted full card is split once per layer and each copy cropped to its layer's box (one crop, once, before
     * the loop), while the base card ({@link #baseCardInput}) is looped as the background; each layer is
     * overlaid from its time on ({@code enable}, so the frames before cost nothing), its alpha fading in and its
     * position easing up from {@link #slidePixels} below the box to the box. With {@code zoom}, the finished frame
     * is pushed in from 1.00 to {@value #ZOOM_END} over the reel, centred: the source rectangle only ever shrinks
     * inside the frame, so no border of the frame is left empty.
     */
    static String filterGraph(
            int durationSeconds,
            int width,
            int height,
            boolean withPoster,
            ReelAudio audio,
            List<FrameLayer> layers,
            boolean zoom) {
        String loop = "loop=loop=-1:size=1:start=0,settb=1/" + FRAME_RATE + ",setpts=N";
        String still = withPoster
                ? fittedFrame("[0:v:0]", width, height) + ",split=2[card][still];"
                        + "[card]format=yuvj420p[poster];"
                        + "[still]" + videoColours()
                : fittedStill("[0:v:0]", width, height);
        StringBuilder graph = new StringBuilder();
        if (layers.isEmpty()) {
            graph.append(still).append(',').append(loop).append(",fps=" + FRAME_RATE + ",");
            graph.append("trim=duration=").append(durationSeconds).append(',');
        } else {
            graph.append(still).append(",split=").append(layers.size());
            for (int i = 0; i < layers.size(); i++) {
                graph.append("[full").append(i).append(']');
            }
            graph.append(';');
            graph.append(fittedStill(baseCardInput(audio), width, height))
                    .append(',')
                    .append(loop)
                    .append(",fps=" + FRAME_RATE + ",trim=duration=")
                    .append(durationSeconds)
                    .append("[shown0];");
            int slide = slidePixels(width, height);
            for (int i = 0; i < layers.size(); i++) {
                FrameLayer layer = layers.get(i);
                String appearAt = seconds(layer.appearAt());
                graph.append("[full")
                        .append(i)
                        .append(']')
                        .append("crop=w=" + layer.width() + ":h=" + layer.height() + ":x=" + layer.x() + ":y="
                                + layer.y() + ",format=yuva420p," + loop + ",trim=duration=" + durationSeconds
                                + ",fade=t=in:st=" + appearAt + ":d=" + seconds(LAYER_FADE_SECONDS) + ":alpha=1")
                        .append("[layer")
                        .append(i)
                        .append("];");
                // ease-out: the distance left shrinks with the square of the time left, ending exactly at the box
                String y = layer.y() + "+" + slide + "*pow(1-clip((t-" + appearAt + ")/" + seconds(LAYER_FADE_SECONDS)
                        + "\\,0\\,1)\\,2)";
                graph.append("[shown")
                        .append(i)
                        .append("][layer")
                        .append(i)
                        .append(']')
                        .append("overlay=x=" + layer.x() + ":y=" + y + ":eval=frame:enable=gte(t\\," + appearAt + ")")
                        .append("[shown")
                        .append(i + 1)
                        .append("];");
            }
            graph.append("[shown").append(layers.size()).append(']');
        }
        if (zoom) {
            graph.append(zoomFilter(durationSeconds)).append(',');
        }
        return graph.append(videoFades(durationSeconds))
                .append("[v];")
                .append(audioGraph(audio, durationSeconds))
                .append("[a]")
                .toString();
    }

    /** The base card of a reveal is the input after the card and the audio track (silence has no input). */
    static String baseCardInput(ReelAudio audio) {
        return audio.isSilent() ? "[1:v:0]" : "[2:v:0]";
    }

    /**
     * The reel's sound: the track (input 1) as 48 kHz stereo, cut to the duration, faded, then its
     * {@linkplain ReelAudio.Leveling leveling}; or, for silence, a silent 48 kHz stereo track of the duration made
     * by {@code anullsrc} in the same run (players and platforms expect a sound track).
     */
    static String audioGraph(ReelAudio audio, int durationSeconds) {
        if (audio.isSilent()) {
            return "anullsrc=r=" + AUDIO_SAMPLE_RATE + ":cl=stereo,atrim=duration=" + durationSeconds;
        }
        ReelAudio.Leveling leveling = audio.leveling() == null ? ReelAudio.Leveling.NONE : audio.leveling();
        return audioChain("[1:a:0]", durationSeconds) + leveling.filters();
    }

    /**
     * The push-in: {@code perspective} samples the frame from a centred rectangle 1/z its size, z rising linearly
     * from 1 on the first frame to {@value #ZOOM_END} on the last, with bilinear interpolation at sub-pixel
     * corners. It costs about 2.5x a static reel's compose CPU where {@code zoompan} costs 1.3x, but zoompan's
     * whole-pixel crop makes the card shudder on a slow zoom (measured on a 10 s reel: edge steps 0.36 px std, 2 px
     * at worst, against 0.02 px here); a per-frame {@code scale} then a centred {@code crop} gave no centred push-in
     * in ffmpeg 5.1 (measured: the card drifted instead of growing).
     */
    static String zoomFilter(int durationSeconds) {
        int lastFrame = durationSeconds * FRAME_RATE - 1;
        String z = "(1+" + String.format(Locale.ROOT, "%.4f", ZOOM_END - 1) + "*in/" + lastFrame + ")";
        String left = "W/2-W/2/" + z;
        String right = "W/2+W/2/" + z;
        String top = "H/2-H/2/" + z;
        String bottom = "H/2+H/2/" + z;
        return "perspective=x0=" + left + ":y0=" + top + ":x1=" + right + ":y1=" + top + ":x2=" + left + ":y2=" + bottom
                + ":x3=" + right + ":y3=" + bottom + ":interpolation=linear:eval=frame";
    }

    /** {@value #SLIDE_PIXELS_AT_1080} px at 1080 px, in proportion on other frames, even for 4:2:0 chroma. */
    static int slidePixels(int width, int height) {
        return 2 * (int) Math.round(SLIDE_PIXELS_AT_1080 / 2.0 * Math.min(width, height) / 1080.0);
    }

    /** A layer's box in the output frame's pixels: even edges, so 4:2:0 chroma is cropped and placed exactly. */
    record FrameLayer(int x, int y, int width, int height, double appearAt) {}

    /**
     * Maps layers from the card's pixels into the frame the card is fitted into, as {@code scale} (fit, aspect
     * kept, sizes rounded) and {@code pad} (centred) place it; each box widened to even edges and kept inside the
     * frame. The crop and the overlay use the same box of the same fitted pixels, so a layer that has landed
     * shows exactly the full card's pixels there, however the box was rounded.
     *
     * @throws ComposeException a layer lies wholly outside the card
     */
    static List<FrameLayer> frameLayers(
            List<Motion.Layer> layers, int cardWidth, int cardHeight, int frameWidth, int frameHeight)
            throws ComposeException {
        // ffmpeg's scale: each side the other's rescaled size, rounded, capped by the frame (force_original_...)
        long fittedWidth = Math.min(frameWidth, Math.round((double) frameHeight * cardWidth / cardHeight));
        long fittedHeight = Math.min(frameHeight, Math.round((double) frameWidth * cardHeight / cardWidth));
        double scaleX = (double) fittedWidth / cardWidth;
        double scaleY = (double) fittedHeight / cardHeight;
        long padX = (frameWidth - fittedWidth) / 2;
        long padY = (frameHeight - fittedHeight) / 2;
        List<FrameLayer> mapped = new ArrayList<>();
        for (Motion.Layer layer : layers) {
            int left = evenDown(Math.max(0, padX + (long) Math.floor(layer.x() * scaleX)));
            int top = evenDown(Math.max(0, padY + (long) Math.floor(layer.y() * scaleY)));
            int right = evenUp(Math.min(frameWidth, padX + (long) Math.ceil((layer.x() + layer.width()) * scaleX)));
            int bottom = evenUp(Math.min(frameHeight, padY + (long) Math.ceil((layer.y() + layer.height()) * scaleY)));
            if (right <= left || bottom <= top) {
                throw new ComposeException("Video composition failed: a reveal layer (" + layer.width() + "x"
                        + layer.height() + " at " + layer.x() + "," + layer.y() + ") lies outside the "
                        + cardWidth + "x" + cardHeight + " card");
            }
            mapped.add(new FrameLayer(left, top, right - left, bottom - top, layer.appearAt()));
        }
        return mapped;
    }

    private static int evenDown(long value) {
        return (int) (value & ~1L);
    }

    private static int evenUp(long value) {
        return (int) ((value + 1) & ~1L);
    }

    /**
     * Width and height from a PNG's header.
     *
     * @throws ComposeException the file is not a PNG
     */
    static int[] pngSize(Path png) throws ComposeException, IOException {
        byte[] header;
        try (InputStream in = Files.newInputStream(png)) {
            header = in.readNBytes(24);
        }
        ByteBuffer bytes = ByteBuffer.wrap(header);
        boolean isPng = header.length == 24
                && bytes.getLong(0) == 0x89504E470D0A1A0AL
                && bytes.getInt(12) == 0x49484452; // IHDR
        if (!isPng || bytes.getInt(16) <= 0 || bytes.getInt(20) <= 0) {
            throw new ComposeException("Video composition failed: the card " + png.getFileName() + " is not a PNG");
        }
        return new int[] {bytes.getInt(16), bytes.getInt(20)};
    }

    // fittedStill, videoFades and audioChain are public so the bench's baseline encodes exactly the same picture
    // and sound, and a comparison measures only how the still is fed in.

    /** {@link #fittedStill(String, int, int)} into 1080x1920. */
    public static String fittedStill(String input) {
        return fittedStill(input, WIDTH, HEIGHT);
    }

    /** Scale to fit, pad to the frame, convert with the BT.709 matrix the output is tagged with. */
    public static String fittedStill(String input, int width, int height) {
        return fittedFrame(input, width, height) + "," + videoColours();
    }

    private static String fittedFrame(String input, int width, int height) {
        return input + "scale=w=" + width + ":h=" + height + ":force_original_aspect_ratio=decrease:flags=lanczos,"
                + "pad=w=" + width + ":h=" + height + ":x=(ow-iw)/2:y=(oh-ih)/2:color=black,setsar=1";
    }

    private static String videoColours() {
        return "scale=out_color_matrix=bt709:out_range=tv,format=yuv420p";
    }

    public static String videoFades(int durationSeconds) {
        return "fade=t=in:st=0:d=" + seconds(FADE_SECONDS) + ",fade=t=out:st=" + seconds(durationSeconds - FADE_SECONDS)
                + ":d=" + seconds(FADE_SECONDS);
    }

    public static String audioChain(String input, int durationSeconds) {
        return input + "aformat=sample_rates=" + AUDIO_SAMPLE_RATE + ":channel_layouts=stereo,"
                + "atrim=duration=" + durationSeconds + ",asetpts=PTS-STARTPTS,"
                + "afade=t=in:st=0:d=" + seconds(FADE_SECONDS)
                + ",afade=t=out:st=" + seconds(durationSeconds - FADE_SECONDS) + ":d=" + seconds(FADE_SECONDS);
    }

    private static String seconds(double value) {
        return String.format(Locale.ROOT, "%.3f", value);
    }

    /**
     * Runs ffmpeg and sorts its failures into bad input (ComposeException) and machine trouble (IOException);
     * whatever fails leaves neither the video nor the poster (null: none) behind.
     */
    private void run(FFmpeg ffmpeg, Path output, Path poster, StopHook stop) throws ComposeException, IOException {
        boolean done = false;
        try {
            FFmpegResultFuture future = ffmpeg.executeAsync();
            AtomicBoolean stopped = new AtomicBoolean();
            Runnable release = stop.register(() -> {
                stopped.set(true);
                future.forceStop();
            });
            try {
                future.get(encodeTimeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                stopAndWait(future);
                Thread.currentThread().interrupt();
                InterruptedIOException interrupted = new InterruptedIOException("Video composition interrupted");
                interrupted.initCause(e);
                throw interrupted;
            } catch (TimeoutException e) {
                stopAndWait(future);
                throw new IOException("Video composition failed: ffmpeg did not finish within " + encodeTimeout, e);
            } catch (CancellationException e) {
                // forceStop cancels the future at once, before ffmpeg has gone
                killAndAwait(output);
                throw new StoppedException();
            } catch (ExecutionException e) {
                if (stopped.get()) {
                    killAndAwait(output);
                    throw new StoppedException();
                }
                Throwable failure = e.getCause() == null ? e : e.getCause();
                List<String> lines = FfmpegErrorLines.of(failure);
                String message = "Video composition failed: " + FfmpegErrorLines.describe(failure);
                if (lines.isEmpty() || FfmpegErrorLines.blameMachine(lines)) {
                    // no error lines: ffmpeg was killed (OOM, signal) or could not start
                    throw new IOException(message, failure);
                }
                throw new ComposeException(message, failure);
            } finally {
                release.run();
            }
            if (stopped.get()) {
                // killed just as it finished: the file may be whole, but nobody wants it any more
                throw new StoppedException();
            }
            for (Path written : poster == null ? List.of(output) : List.of(output, poster)) {
                if (!Files.isRegularFile(written)) {
                    throw new IOException("Video composition failed: ffmpeg exited normally but wrote no " + written);
                }
            }
            done = true;
        } finally {
            if (!done) {
                Files.deleteIfExists(output);
                if (poster != null) {
                    Files.deleteIfExists(poster);
                }
            }
        }
    }

    /**
     * Kills ffmpeg and waits briefly for it to go, so it cannot recreate the output after we delete it
     * (on SIGTERM ffmpeg still writes the trailer and, with faststart, rewrites the file).
     */
    private static void stopAndWait(FFmpegResultFuture future) {
        future.forceStop();
        try {
            future.toCompletableFuture().handle((result, failure) -> null).get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            LOG.warn("ffmpeg did not stop within 10 s after being killed");
        }
    }

    /**
     * Kills the ffmpeg writing {@code output} (the only one whose arguments name it) and waits for it to go, so
     * nothing of a stopped encode outlives the call and the file cannot be written again after it is deleted.
     */
    private static void killAndAwait(Path output) {
        String target = output.toString();
        ProcessHandle.current()
                .descendants()
                .filter(process -> process.info()
                        .arguments()
                        .map(arguments -> List.of(arguments).contains(target))
                        .orElse(false))
                .forEach(process -> {
                    process.destroyForcibly();
                    try {
                        process.onExit().get(5, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    } catch (ExecutionException | TimeoutException e) {
                        LOG.warn("ffmpeg {} did not stop within 5 s after being killed", process.pid());
                    }
                });
    }

    private static void requireDuration(int durationSeconds) {
        if (durationSeconds < MIN_DURATION_SECONDS || durationSeconds > MAX_DURATION_SECONDS) {
            throw new IllegalArgumentException("durationSeconds must be " + MIN_DURATION_SECONDS + ".."
                    + MAX_DURATION_SECONDS + ": " + durationSeconds);
        }
    }

    private static void requireDirectory(Path output) throws NoSuchFileException {
        if (!Files.isDirectory(output.getParent())) {
            throw new NoSuchFileException(output.getParent().toString(), null, "output directory does not exist");
        }
    }

    private static void requireReadable(Path file) throws NoSuchFileException {
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new NoSuchFileException(file.toString(), null, "missing or unreadable");
        }
    }

    private static Path requireAudio(Path audioTrack, ReelProbe probe) {
        if (audioTrack == null) {
            throw new IllegalStateException(
                    "No audio track: set " + AUDIO_ENV_VAR + " or leave it unset to use the bundled default track");
        }
        Path track = audioTrack.toAbsolutePath();
        if (!Files.isRegularFile(track) || !Files.isReadable(track)) {
            throw new IllegalStateException("Audio file " + track + " not found or not readable: fix " + AUDIO_ENV_VAR
                    + ", or unset it to use the bundled default track");
        }
        boolean hasAudio;
        try {
            hasAudio = probe.hasAudio(track);
        } catch (IOException e) {
            throw new IllegalStateException(
                    "Audio file " + track + " cannot be read by ffprobe (" + e.getMessage() + "): fix " + AUDIO_ENV_VAR
                            + ", or unset it to use the bundled default track",
                    e);
        }
        if (!hasAudio) {
            throw new IllegalStateException("Audio file " + track + " has no audio stream: fix " + AUDIO_ENV_VAR
                    + ", or unset it to use the bundled default track");
        }
        return track;
    }

    private static void notify(ProgressListener listener, double fraction) {
        try {
            listener.onProgress(fraction);
        } catch (RuntimeException e) {
            LOG.warn("Progress listener failed; encoding goes on", e);
        }
    }

    /** Turns ffmpeg's {@code out_time} into a throttled, never-decreasing fraction of the reel. */
    static final class ProgressRelay implements com.github.kokorin.jaffree.ffmpeg.ProgressListener {
        private final ProgressListener listener;
        private final double totalMicros;
        private final Map<String, String> mdc;
        private long lastCallNanos;
        private double lastFraction = -1;

        ProgressRelay(ProgressListener listener, int durationSeconds, Map<String, String> mdc) {
            this.listener = listener;
            this.totalMicros = durationSeconds * 1_000_000.0;
            this.mdc = mdc;
        }

        @Override
        public synchronized void onProgress(FFmpegProgress progress) {
            Long micros = progress.getTimeMicros();
            if (micros == null || micros < 0) {
                return;
            }
            // 1.0 is kept for the end: it is only true once ffmpeg has exited and the file is probed
            double fraction = Math.min(micros / totalMicros, 0.99);
            long now = System.nanoTime();
            boolean due = lastFraction < 0 || now - lastCallNanos >= PROGRESS_INTERVAL_NANOS;
            if (!due || fraction <= lastFraction) {
                return;
            }
            lastFraction = fraction;
            lastCallNanos = now;
            Map<String, String> previous = MDC.getCopyOfContextMap();
            if (mdc != null) {
                MDC.setContextMap(mdc);
            }
            try {
                ReelComposer.notify(listener, fraction);
            } finally {
                if (previous != null) {
                    MDC.setContextMap(previous);
                } else {
                    MDC.clear();
                }
            }
        }
    }
}
