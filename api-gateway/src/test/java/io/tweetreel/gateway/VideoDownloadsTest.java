package io.tweetreel.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tweetreel.schemas.ObjectLayout;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** GET/HEAD /download/{filename} against an object store in memory, with a fixed clock. */
class VideoDownloadsTest {
    static final Instant NOW = Instant.parse("2026-11-28T12:00:00Z");
    static final String NAME = "2026-11-28_0123456789abcdef0123456789abcdef.mp4";
    static final String EXPIRED = "2026-11-27_fedcba9876543210fedcba9876543210.mp4";
    static final byte[] VIDEO = new byte[10_000];
    static final String POSTER = ObjectLayout.posterFilename(NAME);
    static final String EXPIRED_POSTER = ObjectLayout.posterFilename(EXPIRED);
    /** The start of a JPEG (SOI + APP0), then filler: the gateway serves bytes, it does not decode them. */
    static final byte[] JPEG = new byte[3_000];

    static final String VTT_NAME = ObjectLayout.captionFilename(NAME, "vtt");
    static final String SRT_NAME = ObjectLayout.captionFilename(NAME, "srt");
    static final String EXPIRED_VTT = ObjectLayout.captionFilename(EXPIRED, "vtt");
    static final byte[] VTT =
            "WEBVTT\n\n00:00:01.000 --> 00:00:03.500\nمرحبا — 你好 🚀\n".getBytes(StandardCharsets.UTF_8);
    static final byte[] SRT = "1\n00:00:01,000 --> 00:00:03,500\nمرحبا — 你好 🚀\n".getBytes(StandardCharsets.UTF_8);

    private static GatewayFixture gateway;
    private static TestHttp http;

    static {
        for (int i = 0; i < VIDEO.length; i++) {
            VIDEO[i] = (byte) (i * 31 + 7);
        }
        for (int i = 0; i < JPEG.length; i++) {
            JPEG[i] = (byte) (i * 17 + 3);
        }
        System.arraycopy(new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xE0}, 0, JPEG, 0, 4);
    }

    @BeforeAll
    static void start() {
        gateway = new GatewayFixture(Clock.fixed(NOW, ZoneOffset.UTC), Duration.ofSeconds(15));
        http = gateway.http;
    }

    @BeforeEach
    void objects() {
        gateway.reset();
        gateway.objects.putBytes(
                GatewayFixture.BUCKET,
                NAME,
                VIDEO,
                Map.of(
                        ObjectLayout.JOB_ID,
                        "x",
                        ObjectLayout.EXPIRES_AT,
                        NOW.plus(Duration.ofHours(24)).toString()));
        gateway.objects.putBytes(
                GatewayFixture.BUCKET,
                EXPIRED,
                VIDEO,
                Map.of(
                        ObjectLayout.JOB_ID,
                        "y",
                        ObjectLayout.EXPIRES_AT,
                        NOW.minusSeconds(1).toString()));
        gateway.objects.putBytes(
                GatewayFixture.BUCKET,
                POSTER,
                JPEG,
                Map.of(
                        ObjectLayout.JOB_ID,
                        "x",
                        ObjectLayout.EXPIRES_AT,
                        NOW.plus(Duration.ofHours(24)).toString()));
        gateway.objects.putBytes(
                GatewayFixture.BUCKET,
                EXPIRED_POSTER,
                JPEG,
                Map.of(
                        ObjectLayout.JOB_ID,
                        "y",
                        ObjectLayout.EXPIRES_AT,
                        NOW.minusSeconds(1).toString()));
        Map<String, String> fresh = Map.of(
                ObjectLayout.JOB_ID,
                "x",
                ObjectLayout.EXPIRES_AT,
                NOW.plus(Duration.ofHours(24)).toString());
        gateway.objects.putBytes(GatewayFixture.BUCKET, VTT_NAME, VTT, fresh);
        gateway.objects.putBytes(GatewayFixture.BUCKET, SRT_NAME, SRT, fresh);
        gateway.objects.putBytes(
                GatewayFixture.BUCKET,
                EXPIRED_VTT,
                VTT,
                Map.of(
                        ObjectLayout.JOB_ID,
                        "y",
                        ObjectLayout.EXPIRES_AT,
                        NOW.minusSeconds(1).toString()));
        gateway.objects.calls.set(0);
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    private static String header(HttpResponse<?> r, String name) {
        return r.headers().firstValue(name).orElse(null);
    }

    @Test
    void servesTheWholeVideo() {
        HttpResponse<byte[]> r = http.get("/download/" + NAME);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo(VIDEO);
        assertThat(header(r, "Content-Type")).isEqualTo("video/mp4");
        assertThat(header(r, "Content-Length")).isEqualTo("10000");
        assertThat(header(r, "Accept-Ranges")).isEqualTo("bytes");
        assertThat(header(r, "ETag")).startsWith("\"").endsWith("\"");
        assertThat(header(r, "Content-Disposition")).isEqualTo("attachment; filename=\"" + NAME + "\"");
        assertThat(header(r, "Cache-Control")).isEqualTo("private, max-age=86400");
        assertThat(header(r, "Last-Modified")).isEqualTo("Sat, 28 Nov 2026 10:00:00 GMT");
    }

    @Test
    void servesOneRange() {
        HttpResponse<byte[]> r = http.get("/download/" + NAME, Map.of("Range", "bytes=100-199"));
        assertThat(r.statusCode()).isEqualTo(206);
        assertThat(r.body()).isEqualTo(Arrays.copyOfRange(VIDEO, 100, 200));
        assertThat(header(r, "Content-Range")).isEqualTo("bytes 100-199/10000");
        assertThat(header(r, "Content-Length")).isEqualTo("100");
        assertThat(header(r, "Content-Type")).isEqualTo("video/mp4");

        HttpResponse<byte[]> open = http.get("/download/" + NAME, Map.of("Range", "bytes=9990-"));
        assertThat(open.statusCode()).isEqualTo(206);
        assertThat(open.body()).isEqualTo(Arrays.copyOfRange(VIDEO, 9990, 10000));
        assertThat(header(open, "Content-Range")).isEqualTo("bytes 9990-9999/10000");

        HttpResponse<byte[]> suffix = http.get("/download/" + NAME, Map.of("Range", "bytes=-5"));
        assertThat(suffix.statusCode()).isEqualTo(206);
        assertThat(suffix.body()).isEqualTo(Arrays.copyOfRange(VIDEO, 9995, 10000));
        assertThat(header(suffix, "Content-Range")).isEqualTo("bytes 9995-9999/10000");

        HttpResponse<byte[]> pastEnd = http.get("/download/" + NAME, Map.of("Range", "bytes=9000-20000"));
        assertThat(header(pastEnd, "Content-Range")).isEqualTo("bytes 9000-9999/10000");
        assertThat(pastEnd.body()).hasSize(1000);
    }

    @Test
    void unsatisfiableRangesAre416() {
        for (String range :
                new String[] {"bytes=10000-", "bytes=20000-30000", "bytes=-0", "bytes=99999999999999999999999-"}) {
            HttpResponse<byte[]> r = http.get("/download/" + NAME, Map.of("Range", range));
            assertThat(r.statusCode()).as(range).isEqualTo(416);
            assertThat(header(r, "Content-Range")).isEqualTo("bytes */10000");
            assertThat(header(r, "Content-Type")).isEqualTo("application/problem+json");
            assertThat(header(r, "Content-Disposition")).isNull();
        }
    }

    @Test
    void rangesItDoesNotServeAreIgnored() {
        for (String range : new String[] {"bytes=0-1,5-6", "items=0-5", "bytes=5-2", "bytes=abc", "bytes="}) {
            HttpResponse<byte[]> r = http.get("/download/" + NAME, Map.of("Range", range));
            assertThat(r.statusCode()).as(range).isEqualTo(200);
            assertThat(r.body()).hasSize(VIDEO.length);
        }
    }

    @Test
    void ifRangeWithAnotherEtagGetsTheWholeVideo() {
        HttpResponse<byte[]> r = http.get("/download/" + NAME, Map.of("Range", "bytes=0-9", "If-Range", "\"old\""));
        assertThat(r.statusCode()).isEqualTo(200);
        String etag = header(http.get("/download/" + NAME), "ETag");
        HttpResponse<byte[]> same = http.get("/download/" + NAME, Map.of("Range", "bytes=0-9", "If-Range", etag));
        assertThat(same.statusCode()).isEqualTo(206);
    }

    @Test
    void ifNoneMatchWithTheEtagIs304() {
        String etag = header(http.get("/download/" + NAME), "ETag");
        HttpResponse<byte[]> r = http.get("/download/" + NAME, Map.of("If-None-Match", etag));
        assertThat(r.statusCode()).isEqualTo(304);
        assertThat(r.body()).isEmpty();
        assertThat(header(r, "ETag")).isEqualTo(etag);
    }

    @Test
    void headAnswersTheHeadersOnly() {
        HttpResponse<byte[]> r = http.send("HEAD", "/download/" + NAME, Map.of(), null);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEmpty();
        assertThat(header(r, "Content-Length")).isEqualTo("10000");
        assertThat(header(r, "Accept-Ranges")).isEqualTo("bytes");
        assertThat(header(r, "ETag")).isNotBlank();

        HttpResponse<byte[]> range = http.send("HEAD", "/download/" + NAME, Map.of("Range", "bytes=0-99"), null);
        assertThat(range.statusCode()).isEqualTo(206);
        assertThat(header(range, "Content-Length")).isEqualTo("100");
        assertThat(header(range, "Content-Range")).isEqualTo("bytes 0-99/10000");

        assertThat(http.send("HEAD", "/download/" + EXPIRED, Map.of(), null).statusCode())
                .isEqualTo(410);
    }

    @Test
    void expiredVideosAreGoneEvenWhileTheObjectExists() {
        HttpResponse<byte[]> r = http.get("/download/" + EXPIRED);
        assertThat(r.statusCode()).isEqualTo(410);
        assertThat(header(r, "Content-Type")).isEqualTo("application/problem+json");
        assertThat(TestHttp.json(r).get("type").asText()).isEqualTo("urn:tweetreel:problem:video-expired");
    }

    @Test
    void unknownVideosAre404() {
        HttpResponse<byte[]> r = http.get("/download/2026-11-28_" + "f".repeat(32) + ".mp4");
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(header(r, "Content-Type")).isEqualTo("application/problem+json");
    }

    @Test
    void namesOutsideThePatternNeverReachTheStore() {
        for (String name : new String[] {
            "x.mp4",
            "2026-11-28_" + "A".repeat(32) + ".mp4",
            "2026-11-28_" + "a".repeat(31) + ".mp4",
            NAME + ".exe",
            "..%2f..%2fetc%2fpasswd",
            "..%252f..%252fetc%252fpasswd",
            "%2e%2e%2f" + NAME,
            NAME.replace(".mp4", ".MP4"),
            "2026-11-28_" + "a".repeat(32) + ".mp4%00.txt",
            "..",
            "."
        }) {
            HttpResponse<byte[]> r = http.get("/download/" + name);
            assertThat(r.statusCode()).as(name).isIn(400, 404);
            assertThat(header(r, "Content-Type")).as(name).isEqualTo("application/problem+json");
        }
        assertThat(http.get("/download/..%2f..%2fetc%2fpasswd").statusCode()).isEqualTo(404);
        assertThat(gateway.objects.calls.get()).isZero();
    }

    @Test
    void servesThePosterAsAJpegWithTheVideosRules() {
        HttpResponse<byte[]> r = http.get("/download/" + POSTER);
        assertThat(POSTER).endsWith("0123456789abcdef0123456789abcdef.jpg");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo(JPEG);
        assertThat(header(r, "Content-Type")).isEqualTo("image/jpeg");
        assertThat(header(r, "Content-Length")).isEqualTo("3000");
        assertThat(header(r, "Accept-Ranges")).isEqualTo("bytes");
        assertThat(header(r, "Content-Disposition")).isEqualTo("attachment; filename=\"" + POSTER + "\"");
        assertThat(header(r, "Cache-Control")).isEqualTo("private, max-age=86400");

        HttpResponse<byte[]> range = http.get("/download/" + POSTER, Map.of("Range", "bytes=0-3"));
        assertThat(range.statusCode()).isEqualTo(206);
        assertThat(range.body()).containsExactly(0xFF, 0xD8, 0xFF, 0xE0);
        assertThat(header(range, "Content-Range")).isEqualTo("bytes 0-3/3000");
        assertThat(header(range, "Content-Type")).isEqualTo("image/jpeg");

        String etag = header(r, "ETag");
        assertThat(etag).isNotEqualTo(header(http.get("/download/" + NAME), "ETag"));
        HttpResponse<byte[]> cached = http.get("/download/" + POSTER, Map.of("If-None-Match", etag));
        assertThat(cached.statusCode()).isEqualTo(304);
        assertThat(cached.body()).isEmpty();

        HttpResponse<byte[]> head = http.send("HEAD", "/download/" + POSTER, Map.of(), null);
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.body()).isEmpty();
        assertThat(header(head, "Content-Type")).isEqualTo("image/jpeg");
        assertThat(header(head, "Content-Length")).isEqualTo("3000");
    }

    @Test
    void anExpiredPosterIsGoneAndAnUnknownOneIs404() {
        HttpResponse<byte[]> gone = http.get("/download/" + EXPIRED_POSTER);
        assertThat(gone.statusCode()).isEqualTo(410);
        assertThat(TestHttp.json(gone).get("type").asText()).isEqualTo("urn:tweetreel:problem:video-expired");
        assertThat(http.send("HEAD", "/download/" + EXPIRED_POSTER, Map.of(), null)
                        .statusCode())
                .isEqualTo(410);
        assertThat(http.get("/download/2026-11-28_" + "f".repeat(32) + ".jpg").statusCode())
                .isEqualTo(404);
    }

    @Test
    void posterNamesOutsideThePatternNeverReachTheStore() {
        for (String name : new String[] {
            POSTER.replace(".jpg", ".JPG"),
            POSTER.replace(".jpg", ".jpeg"),
            POSTER.replace(".jpg", ".png"),
            NAME + ".jpg",
            POSTER + ".mp4",
            "2026-11-28_" + "a".repeat(31) + ".jpg"
        }) {
            HttpResponse<byte[]> r = http.get("/download/" + name);
            assertThat(r.statusCode()).as(name).isEqualTo(404);
        }
        assertThat(gateway.objects.calls.get()).isZero();
    }

    @Test
    void servesCaptionsInlineAsUtf8TextWithTheVideosRules() {
        HttpResponse<byte[]> vtt = http.get("/download/" + VTT_NAME);
        assertThat(VTT_NAME).endsWith("0123456789abcdef0123456789abcdef.vtt");
        assertThat(vtt.statusCode()).isEqualTo(200);
        assertThat(new String(vtt.body(), StandardCharsets.UTF_8)).isEqualTo(new String(VTT, StandardCharsets.UTF_8));
        assertThat(header(vtt, "Content-Type")).isEqualTo("text/vtt; charset=utf-8");
        assertThat(header(vtt, "Content-Length")).isEqualTo(Integer.toString(VTT.length));
        assertThat(header(vtt, "Content-Disposition")).isEqualTo("inline; filename=\"" + VTT_NAME + "\"");
        assertThat(header(vtt, "Cache-Control")).isEqualTo("private, max-age=86400");

        HttpResponse<byte[]> srt = http.get("/download/" + SRT_NAME);
        assertThat(srt.statusCode()).isEqualTo(200);
        assertThat(srt.body()).isEqualTo(SRT);
        assertThat(header(srt, "Content-Type")).isEqualTo("application/x-subrip; charset=utf-8");
        assertThat(header(srt, "Content-Disposition")).isEqualTo("inline; filename=\"" + SRT_NAME + "\"");

        HttpResponse<byte[]> range = http.get("/download/" + VTT_NAME, Map.of("Range", "bytes=0-5"));
        assertThat(range.statusCode()).isEqualTo(206);
        assertThat(new String(range.body(), StandardCharsets.UTF_8)).isEqualTo("WEBVTT");
        HttpResponse<byte[]> cached = http.get("/download/" + SRT_NAME, Map.of("If-None-Match", header(srt, "ETag")));
        assertThat(cached.statusCode()).isEqualTo(304);
        HttpResponse<byte[]> head = http.send("HEAD", "/download/" + VTT_NAME, Map.of(), null);
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.body()).isEmpty();
        assertThat(header(head, "Content-Type")).isEqualTo("text/vtt; charset=utf-8");
    }

    @Test
    void expiredCaptionsAreGoneUnknownOnes404AndOddNamesNeverReachTheStore() {
        HttpResponse<byte[]> gone = http.get("/download/" + EXPIRED_VTT);
        assertThat(gone.statusCode()).isEqualTo(410);
        assertThat(TestHttp.json(gone).get("type").asText()).isEqualTo("urn:tweetreel:problem:video-expired");
        assertThat(http.get("/download/2026-11-28_" + "f".repeat(32) + ".srt").statusCode())
                .isEqualTo(404);
        gateway.objects.calls.set(0);
        for (String name : new String[] {
            VTT_NAME.replace(".vtt", ".VTT"),
            SRT_NAME.replace(".srt", ".sub"),
            VTT_NAME + ".srt",
            NAME.replace(".mp4", ".webvtt"),
            "2026-11-28_" + "a".repeat(31) + ".vtt"
        }) {
            HttpResponse<byte[]> r = http.get("/download/" + name);
            assertThat(r.statusCode()).as(name).isEqualTo(404);
        }
        assertThat(gateway.objects.calls.get()).isZero();
    }

    @Test
    void apiDocumentDeclaresTheFilenamePatternTheEndpointEnforces() {
        JsonNode spec = TestHttp.json(http.get("/api/openapi.json"));
        for (String method : new String[] {"get", "head"}) {
            JsonNode filename = spec.at("/paths/~1download~1{filename}/" + method + "/parameters/0");
            assertThat(filename.get("name").asText()).isEqualTo("filename");
            assertThat(filename.at("/schema/pattern").asText())
                    .as(method)
                    .isEqualTo(ObjectLayout.DOWNLOAD_FILENAME.pattern());
        }
    }
}
