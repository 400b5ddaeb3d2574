package io.tweetreel.gateway;

import io.javalin.http.Context;
import io.micrometer.core.instrument.MeterRegistry;
import io.tweetreel.core.ObjectStore;
import io.tweetreel.core.ObjectStoreException;
import io.tweetreel.core.StoredObject;
import io.tweetreel.schemas.ObjectLayout;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET|HEAD /download/{filename}}: a finished video ({@code .mp4}), its poster ({@code .jpg}, the same
 * name) or its captions ({@code .vtt}, {@code .srt}), streamed from the videos bucket with the content type
 * {@link ObjectLayout#contentType} names. All follow the same rules:
 * <ul>
 *   <li>Only names matching {@link ObjectLayout#DOWNLOAD_FILENAME} are looked up; anything else is 404 without
 *       touching the store.</li>
 *   <li>410 Gone once the object's {@link ObjectLayout#EXPIRES_AT} has passed, even while the sweeper has not
 *       deleted it.</li>
 *   <li>{@code Accept-Ranges: bytes}; one range ({@code a-b}, {@code a-}, {@code -n}) answers 206 with
 *       Content-Range, an unsatisfiable one 416; several ranges, or a Range that is not well-formed, are ignored
 *       (a full 200, as RFC 9110 allows). {@code If-Range} and {@code If-None-Match} use the object's ETag.</li>
 *   <li>Videos and posters come as attachments (a link saves them); captions inline, so that a page's
 *       {@code <track>} loads them as it would any text.</li>
 * </ul>
 */
public final class VideoDownloads {
    private static final Pattern SINGLE_RANGE = Pattern.compile("^bytes=\\s*(\\d*)\\s*-\\s*(\\d*)\\s*$");
    private static final Logger log = LoggerFactory.getLogger(VideoDownloads.class);
    private static final int BUFFER = 64 * 1024;

    private final ObjectStore store;
    private final String bucket;
    private final Clock clock;
    private final MeterRegistry meters;

    public VideoDownloads(ObjectStore store, String bucket, Clock clock, MeterRegistry meters) {
        this.store = store;
        this.bucket = bucket;
        this.clock = clock;
        this.meters = meters;
    }

    public void get(Context ctx) {
        serve(ctx, true);
    }

    public void head(Context ctx) {
        serve(ctx, false);
    }

    private void serve(Context ctx, boolean withBody) {
        String filename = ctx.pathParam("filename");
        if (!ObjectLayout.DOWNLOAD_FILENAME.matcher(filename).matches()) {
            throw notFound();
        }
        StoredObject object = stat(filename).orElseThrow(VideoDownloads::notFound);
        Optional<Instant> expiresAt = expiresAt(object);
        Instant now = clock.instant();
        if (expiresAt.isPresent() && !now.isBefore(expiresAt.get())) {
            meters.counter("gateway.downloads", "outcome", "expired").increment();
            throw Problem.typed(
                            Problem.VIDEO_EXPIRED,
                            "Gone",
                            410,
                            "this video expired at " + expiresAt.get() + " and is no longer available")
                    .toException();
        }
        long size = object.size();
        String etag = object.etag() == null ? null : "\"" + object.etag() + "\"";

        ctx.header("Accept-Ranges", "bytes");
        if (etag != null) {
            ctx.header("ETag", etag);
        }
        if (etag != null && matches(ctx.header("If-None-Match"), etag)) {
            ctx.status(304);
            return;
        }
        ByteRange range = ByteRange.FULL;
        String rangeHeader = ctx.header("Range");
        String ifRange = ctx.header("If-Range");
        if (rangeHeader != null && (ifRange == null || ifRange.trim().equals(etag))) {
            range = ByteRange.parse(rangeHeader, size);
        }
        if (range == ByteRange.UNSATISFIABLE) {
            throw Problem.of(416, "the requested range is outside the video's " + size + " bytes")
                    .withHeader("Content-Range", "bytes */" + size)
                    .toException();
        }
        ctx.header("Content-Type", ObjectLayout.contentType(filename));
        ctx.header("Content-Disposition", disposition(filename) + "; filename=\"" + filename + "\"");
        ctx.header(
                "Cache-Control",
                expiresAt
                        .map(at -> "private, max-age="
                                + Math.max(0, Duration.between(now, at).toSeconds()))
                        .orElse("private, no-cache"));
        if (object.lastModified() != null) {
            ctx.header(
                    "Last-Modified",
                    DateTimeFormatter.RFC_1123_DATE_TIME.format(
                            object.lastModified().atOffset(ZoneOffset.UTC)));
        }
        long start = range == ByteRange.FULL ? 0 : range.start();
        long length = range == ByteRange.FULL ? size : range.end() - range.start() + 1;
        if (range != ByteRange.FULL) {
            ctx.status(206);
            ctx.header("Content-Range", "bytes " + start + "-" + (start + length - 1) + "/" + size);
        } else {
            ctx.status(200);
        }
        ctx.res().setContentLengthLong(length);
        meters.counter("gateway.downloads", "outcome", range == ByteRange.FULL ? "full" : "partial")
                .increment();
        if (!withBody || length == 0) {
            return;
        }
        stream(ctx, filename, start, length);
    }

    private static String disposition(String filename) {
        return filename.endsWith(".vtt") || filename.endsWith(".srt") ? "inline" : "attachment";
    }

    private Optional<StoredObject> stat(String filename) {
        try {
            return store.stat(bucket, filename);
        } catch (ObjectStoreException e) {
            log.warn("download of {}: object store unavailable: {}", filename, e.getMessage());
            throw Problem.typed(
                            Problem.STORE_UNAVAILABLE,
                            "Temporarily unavailable",
                            503,
                            "the video store cannot be reached; try again shortly")
                    .withHeader("Retry-After", "5")
                    .toException();
        }
    }

    private void stream(Context ctx, String filename, long start, long length) {
        InputStream in;
        try {
            in = store.read(bucket, filename, start, length);
        } catch (ObjectStoreException.ObjectNotFoundException e) {
            throw notFound(); // deleted between stat and read
        } catch (ObjectStoreException e) {
            throw Problem.typed(
                            Problem.STORE_UNAVAILABLE,
                            "Temporarily unavailable",
                            503,
                            "the video store cannot be reached; try again shortly")
                    .withHeader("Retry-After", "5")
                    .toException();
        }
        try (in) {
            OutputStream out = ctx.res().getOutputStream();
            byte[] buffer = new byte[BUFFER];
            long left = length;
            while (left > 0) {
                int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
                if (n < 0) {
                    break;
                }
                out.write(buffer, 0, n);
                left -= n;
            }
            out.flush();
            if (left > 0) {
                // the store sent less than it announced: the declared Content-Length tells the client
                log.warn("download of {} ended {} bytes short", filename, left);
            }
        } catch (IOException e) {
            // client went away or the store stream broke; the response is already committed
            log.debug("download of {} interrupted: {}", filename, e.toString());
        }
    }

    static Optional<Instant> expiresAt(StoredObject object) {
        String value = object.metadata() == null ? null : object.metadata().get(ObjectLayout.EXPIRES_AT);
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Instant.parse(value.trim()));
        } catch (DateTimeParseException e) {
            log.warn("{} has an unreadable expires-at '{}'; serving it", object.key(), value);
            return Optional.empty();
        }
    }

    private static boolean matches(String ifNoneMatch, String etag) {
        if (ifNoneMatch == null) {
            return false;
        }
        for (String candidate : ifNoneMatch.split(",")) {
            String c = candidate.trim();
            if (c.startsWith("W/")) {
                c = c.substring(2);
            }
            if (c.equals("*") || c.equals(etag)) {
                return true;
            }
        }
        return false;
    }

    private static Problem.ProblemException notFound() {
        return Problem.of(404, "no such video").toException();
    }

    /** One byte range of an object, inclusive; or the whole object; or none that can be served. */
    record ByteRange(long start, long end) {
        static final ByteRange FULL = new ByteRange(-1, -1);
        static final ByteRange UNSATISFIABLE = new ByteRange(-2, -2);

        static ByteRange parse(String header, long size) {
            Matcher m = SINGLE_RANGE.matcher(header.trim());
            if (!m.matches()) {
                return FULL; // several ranges or not a byte range: ignored
            }
            String first = m.group(1);
            String last = m.group(2);
            if (first.isEmpty() && last.isEmpty()) {
                return FULL;
            }
            if (first.isEmpty()) {
                long suffix = number(last);
                if (suffix == 0 || size == 0) {
                    return UNSATISFIABLE;
                }
                return new ByteRange(Math.max(0, size - suffix), size - 1);
            }
            long start = number(first);
            long end = last.isEmpty() ? Long.MAX_VALUE : number(last);
            if (end < start) {
                return FULL; // not a valid range
            }
            if (start >= size) {
                return UNSATISFIABLE;
            }
            return new ByteRange(start, Math.min(end, size - 1));
        }

        private static long number(String digits) {
            return digits.length() > 18 ? Long.MAX_VALUE : Long.parseLong(digits);
        }
    }
}
