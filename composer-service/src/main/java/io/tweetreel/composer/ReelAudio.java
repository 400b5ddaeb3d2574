package io.tweetreel.composer;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The sound of one reel: a track (looped or cut to the reel) or silence, and, once {@link Loudness} has measured
 * it, the linear gain that brings it to {@value Loudness#TARGET_LUFS} LUFS.
 *
 * @param track    the audio file; {@code null} for silence
 * @param origin   where the track came from: decides whether its measurement may be reused and how ffmpeg may
 *                 open it
 * @param leveling the measured gain; {@code null} until measured (silence needs none)
 */
public record ReelAudio(Path track, Origin origin, Leveling leveling) {

    /** Where a track came from. */
    public enum Origin {
        /** A track the service was configured with (bundled or {@code AUDIO_PATH}): measured once per duration. */
        CONFIGURED,
        /** A file a user gave ({@code audioUrl}): measured for each job, opened by ffmpeg with a narrow whitelist. */
        FETCHED,
        /** No track: a silent AAC track. */
        SILENCE
    }

    /**
     * Demuxers ffmpeg may use for a fetched file: plain audio containers only. A playlist or concat demuxer (HLS,
     * {@code ffconcat}) would let a user's file make ffmpeg read other files or URLs; the mov demuxer leaves its
     * external references ({@code enable_drefs}) off by default.
     */
    static final String FETCHED_FORMATS = "mp3,aac,mov,ogg,wav,flac,matroska,webm,w64,aiff";

    /** A silent stereo 48 kHz track, made inside the reel's own ffmpeg run. */
    public static final ReelAudio SILENCE = new ReelAudio(null, Origin.SILENCE, Leveling.NONE);

    public ReelAudio {
        if ((track == null) != (origin == Origin.SILENCE)) {
            throw new IllegalArgumentException("silence has no track, and every other origin has one");
        }
    }

    /** A track the service was configured with (bundled or {@code AUDIO_PATH}). */
    public static ReelAudio configured(Path track) {
        return new ReelAudio(track.toAbsolutePath(), Origin.CONFIGURED, null);
    }

    /** A track a user gave, already fetched into the job's workspace. */
    public static ReelAudio fetched(Path track) {
        return new ReelAudio(track.toAbsolutePath(), Origin.FETCHED, null);
    }

    public boolean isSilent() {
        return origin == Origin.SILENCE;
    }

    public boolean isLeveled() {
        return leveling != null;
    }

    public ReelAudio leveled(Leveling measured) {
        return new ReelAudio(track, origin, measured);
    }

    /** Options that go before the track's {@code -i}: a fetched file may only be a local file of an audio format. */
    List<String> inputOptions() {
        return origin == Origin.FETCHED
                ? List.of("-protocol_whitelist", "file", "-format_whitelist", FETCHED_FORMATS)
                : List.of();
    }

    /**
     * The gain that brings a track to the target loudness, and whether a limiter must keep its true peak under
     * {@value Loudness#PEAK_CEILING_DBFS} dBFS after that gain.
     */
    public record Leveling(double gainDb, boolean limit) {
        static final Leveling NONE = new Leveling(0, false);

        /** Filters appended to the audio chain; empty when there is nothing to do. */
        String filters() {
            StringBuilder filters = new StringBuilder();
            if (Math.abs(gainDb) >= 0.05) {
                filters.append(",volume=")
                        .append(String.format(Locale.ROOT, "%.2f", gainDb))
                        .append("dB");
            }
            if (limit) {
                // level=false: no automatic make-up gain, which would undo the leveling; latency=true: no delay
                filters.append(",alimiter=limit=")
                        .append(String.format(Locale.ROOT, "%.4f", Math.pow(10, Loudness.PEAK_CEILING_DBFS / 20)))
                        .append(":level=false:latency=true");
            }
            return filters.toString();
        }
    }
}
