package io.tweetreel.schemas;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * The object-store contract, as {@link Topics} is the topic contract: where a job's claim-checked objects live in
 * the work bucket, the metadata every filed object carries, and the shape of a download filename. The renderer
 * and composer write these keys, the storage service files under these names and labels, and the gateway serves
 * only names that match; none of them spells the literals itself.
 */
public final class ObjectLayout {
    /** Metadata naming the job an object belongs to. */
    public static final String JOB_ID = "job-id";
    /** Metadata holding the ISO-8601 instant after which a filed video is gone (410, then swept). */
    public static final String EXPIRES_AT = "expires-at";

    /** Hex characters of the keyed digest in a download filename. */
    public static final int FILENAME_DIGEST_HEX = 32;
    /**
     * The only download filenames there are: {@code yyyy-MM-dd_} + 32 lower-case hex + {@code .mp4} (a reel) or
     * {@code .jpg} (its poster, same stem).
     */
    public static final Pattern DOWNLOAD_FILENAME =
            Pattern.compile("^\\d{4}-\\d{2}-\\d{2}_[0-9a-f]{" + FILENAME_DIGEST_HEX + "}\\.(mp4|jpg|vtt|srt)$");

    private static final DateTimeFormatter DATE =
            DateTimeFormatter.ofPattern("yyyy-MM-dd").withZone(ZoneOffset.UTC);

    private ObjectLayout() {}

    /** Every work object of a job is under this prefix, so filing can remove them all. */
    public static String jobPrefix(String jobId) {
        return "jobs/" + jobId + "/";
    }

    /** The rendered card PNG in the work bucket; the same key on every re-run, so a re-run overwrites. */
    public static String cardKey(String jobId) {
        return jobPrefix(jobId) + "card.png";
    }

    /** The card of one format; the default format keeps {@link #cardKey(String)}. */
    public static String cardKey(String jobId, ReelFormat format) {
        return format == ReelFormat.DEFAULT ? cardKey(jobId) : jobPrefix(jobId) + "card-" + format.slug() + ".png";
    }

    /** The composed MP4 in the work bucket; the same key on every re-run, so a re-run overwrites. */
    public static String videoKey(String jobId) {
        return jobPrefix(jobId) + "video.mp4";
    }

    /** The MP4 of one format; the default format keeps {@link #videoKey(String)}. */
    public static String videoKey(String jobId, ReelFormat format) {
        return format == ReelFormat.DEFAULT ? videoKey(jobId) : jobPrefix(jobId) + "video-" + format.slug() + ".mp4";
    }

    /** The JPEG poster of one format (the card still at the video's resolution) in the work bucket. */
    public static String posterKey(String jobId, ReelFormat format) {
        return jobPrefix(jobId) + "poster-" + format.slug() + ".jpg";
    }

    /**
     * The card of one format with every layer of its reveal hidden (text lines, media, quote, counts): the
     * composer overlays each layer's box of the full card on it as the layer appears.
     */
    public static String baseCardKey(String jobId, ReelFormat format) {
        return jobPrefix(jobId) + "card-base-" + format.slug() + ".png";
    }

    /** The captions of one format in the work bucket; {@code extension} is {@code vtt} or {@code srt}. */
    public static String captionKey(String jobId, ReelFormat format, String extension) {
        return jobPrefix(jobId) + "captions-" + format.slug() + "." + captionExtension(extension);
    }

    /** A caption file's download filename: the reel's, with {@code .vtt} or {@code .srt}. */
    public static String captionFilename(String videoFilename, String extension) {
        if (!videoFilename.endsWith(".mp4")) {
            throw new IllegalArgumentException("not a reel's filename: " + videoFilename);
        }
        return videoFilename.substring(0, videoFilename.length() - 4) + "." + captionExtension(extension);
    }

    /** The content type a download of {@code filename} is served with (by its extension). */
    public static String contentType(String filename) {
        if (filename.endsWith(".png")) {
            return "image/png";
        }
        if (filename.endsWith(".jpg")) {
            return "image/jpeg";
        }
        if (filename.endsWith(".vtt")) {
            return "text/vtt; charset=utf-8";
        }
        if (filename.endsWith(".srt")) {
            return "application/x-subrip; charset=utf-8";
        }
        return "video/mp4";
    }

    private static String captionExtension(String extension) {
        if (!extension.equals("vtt") && !extension.equals("srt")) {
            throw new IllegalArgumentException("captions are vtt or srt, not " + extension);
        }
        return extension;
    }

    /** The poster's download filename: the reel's, with {@code .jpg}. */
    public static String posterFilename(String videoFilename) {
        if (!videoFilename.endsWith(".mp4")) {
            throw new IllegalArgumentException("not a reel's filename: " + videoFilename);
        }
        return videoFilename.substring(0, videoFilename.length() - 4) + ".jpg";
    }

    /**
     * A download filename: the UTC date of {@code day}, then the first 16 bytes of {@code digest} in hex.
     *
     * @throws IllegalArgumentException if the digest is shorter than 16 bytes
     */
    public static String downloadFilename(Instant day, byte[] digest) {
        int bytes = FILENAME_DIGEST_HEX / 2;
        if (digest.length < bytes) {
            throw new IllegalArgumentException(
                    "a download filename needs " + bytes + " digest bytes, got " + digest.length);
        }
        return DATE.format(day) + "_" + HexFormat.of().formatHex(digest, 0, bytes) + ".mp4";
    }
}
