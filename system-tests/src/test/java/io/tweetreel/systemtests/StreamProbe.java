package io.tweetreel.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** What ffprobe says of a downloaded reel, as a user would ask it: {@code key=value} lines into a map. */
final class StreamProbe {
    /** The video stream's codec, size and duration: what most tests check. */
    static final String VIDEO_BASICS = "stream=codec_name,width,height:format=duration";

    private StreamProbe() {}

    /**
     * @param stream  ffprobe's stream selector, e.g. {@code v:0} or {@code a:0}
     * @param entries ffprobe's {@code -show_entries}; where a key occurs twice the first value is kept
     */
    static Map<String, String> fields(Path file, String stream, String entries)
            throws IOException, InterruptedException {
        Process ffprobe = new ProcessBuilder(
                        "ffprobe",
                        "-v",
                        "error",
                        "-select_streams",
                        stream,
                        "-show_entries",
                        entries,
                        "-of",
                        "default=noprint_wrappers=1",
                        file.toString())
                .redirectErrorStream(true)
                .start();
        Map<String, String> fields = new LinkedHashMap<>();
        for (String line : new String(ffprobe.getInputStream().readAllBytes()).split("\\R")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                fields.putIfAbsent(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        assertThat(ffprobe.waitFor()).as("ffprobe %s: %s", file, fields).isZero();
        return fields;
    }
}
