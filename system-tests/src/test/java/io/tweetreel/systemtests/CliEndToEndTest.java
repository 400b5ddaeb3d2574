package io.tweetreel.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tweetreel.devstack.ServiceModule;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command-line client as a user runs it: the real {@code ./tweetreel} launcher in a child process, from another
 * directory (paths are the caller's), against the stack's gateway, not on a terminal (so plain progress lines).
 */
@ExtendWith(PipelineStackExtension.class)
class CliEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What one run of the launcher did. */
    record Run(int exitCode, String out, String err) {}

    private static Run tweetreel(Path workingDir, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(ServiceModule.repoRoot().resolve("tweetreel").toString());
        command.addAll(List.of(args));
        command.addAll(List.of("--server", PipelineStackExtension.GATEWAY));
        Path out = Files.createTempFile(workingDir, "stdout", ".txt");
        Path err = Files.createTempFile(workingDir, "stderr", ".txt");
        Process process = new ProcessBuilder(command)
                .directory(workingDir.toFile())
                .redirectOutput(out.toFile())
                .redirectError(err.toFile())
                .start();
        try {
            assertThat(process.waitFor(4, TimeUnit.MINUTES))
                    .as("tweetreel %s ended; its output so far:%n%s", args[0], Files.readString(err))
                    .isTrue();
        } finally {
            process.destroyForcibly();
        }
        return new Run(process.exitValue(), Files.readString(out), Files.readString(err));
    }

    @Test
    void reelShowsTheStepsDownloadsAPlayableVideoAndPrintsItsPath(@TempDir Path dir) throws Exception {
        Run run = tweetreel(
                dir,
                "reel",
                "--text",
                "Made from the command line ✂️🎬",
                "--name",
                "Ada Lovelace",
                "--user",
                "@ada",
                "--theme",
                "light",
                "--duration",
                "4",
                "-o",
                "ada.mp4");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out().strip()).isEqualTo("ada.mp4");
        assertThat(run.err())
                .containsSubsequence(
                        "0% queued", "generating_screenshot", "composing_video", "saving_file", "100% completed")
                .doesNotContain("\u001b", "Exception");
        Map<String, String> video = ffprobe(dir.resolve("ada.mp4"));
        assertThat(video)
                .containsEntry("codec_name", "h264")
                .containsEntry("width", "1080")
                .containsEntry("height", "1920");
        assertThat(Double.parseDouble(video.get("duration"))).isBetween(3.9, 4.2);
    }

    @Test
    void reelWithAnInvalidRequestShowsTheFieldMessageAndExitsOne(@TempDir Path dir) throws Exception {
        Run run = tweetreel(dir, "reel", "--text", "hi", "--name", "Ada", "--user", "not a handle!");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).startsWith("tweetreel: Invalid request").contains("username (--user): ");
        assertThat(run.err()).doesNotContain("Exception", "\tat ");
    }

    /** Needs the gateway's batch API (POST /api/batches, GET /api/batches/{id}). */
    @Test
    void batchOfThreeWritesEveryFormatsPlayableVideoAndTheManifest(@TempDir Path dir) throws Exception {
        Files.writeString(
                dir.resolve("posts.csv"),
                "text,name,user,theme,duration,format\n"
                        + "\"First post, with a comma\",Ada Lovelace,ada,dark,3,1:1 4:5\n"
                        + "\"Second \"\"quoted\"\" post\",Grace Hopper,grace,light,3,\n"
                        + "Third post 🚀,Alan Turing,alan,,3,\n");

        Run run = tweetreel(dir, "batch", "posts.csv", "--out", "reels");

        assertThat(run.exitCode()).as(run.err()).isZero();
        Path reels = dir.resolve("reels");
        assertThat(run.out().strip())
                .isEqualTo(Path.of("reels", "manifest.json").toString());
        JsonNode manifest = JSON.readTree(reels.resolve("manifest.json").toFile());
        assertThat(manifest).hasSize(3);
        for (int i = 0; i < 3; i++) {
            JsonNode entry = manifest.get(i);
            assertThat(entry.path("index").asInt()).isEqualTo(i);
            assertThat(entry.path("status").asText()).isEqualTo("completed");
            assertThat(entry.path("error").isNull()).isTrue();
            // the first item's format column asked for square and 4:5; the others are the default 9:16
            List<String> sizes = i == 0 ? List.of("1080x1080", "1080x1350") : List.of("1080x1920");
            assertThat(entry.path("files")).hasSize(sizes.size());
            assertThat(entry.path("filename").asText())
                    .isEqualTo(entry.path("files").get(0).path("filename").asText());
            for (int k = 0; k < sizes.size(); k++) {
                Map<String, String> video = ffprobe(reels.resolve(
                        entry.path("files").get(k).path("filename").asText()));
                assertThat(video).containsEntry("codec_name", "h264");
                assertThat(video.get("width") + "x" + video.get("height")).isEqualTo(sizes.get(k));
                assertThat(Double.parseDouble(video.get("duration"))).isBetween(2.9, 3.2);
            }
        }
        try (var files = Files.list(reels)) {
            assertThat(files.filter(f -> f.toString().endsWith(".mp4"))).hasSize(4);
        }
    }

    private static Map<String, String> ffprobe(Path mp4) throws IOException, InterruptedException {
        assertThat(mp4).isRegularFile();
        return StreamProbe.fields(mp4, "v:0", StreamProbe.VIDEO_BASICS);
    }
}
