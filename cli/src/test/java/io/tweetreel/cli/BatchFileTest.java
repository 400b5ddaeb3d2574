package io.tweetreel.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BatchFileTest {
    @TempDir
    Path dir;

    private Path write(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text, StandardCharsets.UTF_8);
    }

    @Test
    void csvCellsMayHoldQuotedCommasQuotesAndLineBreaks() throws IOException {
        Path file = write(
                "posts.csv",
                "\uFEFFtext,name,user,photo,theme,duration\r\n"
                        + "\"Hello, world\",Ada Lovelace,ada,,light,8\r\n"
                        + "\"She said \"\"no\"\"\nand left\",\"Grace Hopper\",@grace,https://example.com/g.png,,\r\n"
                        + "\r\n"
                        + "plain,Alan,alan,,dark,ten\n");

        List<BatchFile.Item> items = BatchFile.read(file);

        assertThat(items).extracting(BatchFile.Item::line).containsExactly(2, 3, 6);
        assertThat(items.get(0).request().toString())
                .isEqualTo("{\"tweetBody\":\"Hello, world\",\"profileName\":\"Ada Lovelace\",\"username\":\"ada\","
                        + "\"theme\":\"light\",\"durationSeconds\":8}");
        assertThat(items.get(1).request().toString())
                .isEqualTo("{\"tweetBody\":\"She said \\\"no\\\"\\nand left\",\"profileName\":\"Grace Hopper\","
                        + "\"username\":\"@grace\",\"profilePhotoUrl\":\"https://example.com/g.png\"}");
        // not a number: passed on as text for the gateway to refuse with its message
        assertThat(items.get(2).request().get("durationSeconds").isTextual()).isTrue();
    }

    @Test
    void csvColumnsMayUseTheRequestsFieldNamesInAnyOrder() throws IOException {
        Path file = write("posts.csv", "username,tweetBody,profileName\nada,hi,Ada\n");

        assertThat(BatchFile.read(file).get(0).request().toString())
                .isEqualTo("{\"username\":\"ada\",\"tweetBody\":\"hi\",\"profileName\":\"Ada\"}");
    }

    @Test
    void csvColumnsAreTheReelCommandsOptionsWithListsAndFlagsTyped() throws IOException {
        Path file = write(
                "posts.csv",
                "text,name,user,format,media,verified,posted-at,time-zone,locale,reply-to,accent,animation,zoom,"
                        + "music,audio-url\n"
                        + "hi,Ada,ada,\"9:16, 1:1\", https://e.com/a.png  https://e.com/b.png ,blue,2026-12-01T15:04:05Z,"
                        + "Europe/Paris,de-DE,grace,#1d9bf0,reveal,TRUE,calm,\n"
                        + "yo,Alan,alan,4:5,,,,,,,,,maybe,,https://e.com/t.mp3\n");

        List<BatchFile.Item> items = BatchFile.read(file);

        assertThat(items.get(0).request().toString())
                .isEqualTo("{\"tweetBody\":\"hi\",\"profileName\":\"Ada\",\"username\":\"ada\","
                        + "\"formats\":[\"9:16\",\"1:1\"],"
                        + "\"media\":[{\"url\":\"https://e.com/a.png\"},{\"url\":\"https://e.com/b.png\"}],"
                        + "\"verified\":\"blue\",\"postedAt\":\"2026-12-01T15:04:05Z\",\"timeZone\":\"Europe/Paris\","
                        + "\"locale\":\"de-DE\",\"replyTo\":\"grace\",\"accentColor\":\"#1d9bf0\","
                        + "\"animation\":\"reveal\",\"zoom\":true,\"music\":\"calm\"}");
        assertThat(items.get(1).request().toString())
                .isEqualTo("{\"tweetBody\":\"yo\",\"profileName\":\"Alan\",\"username\":\"alan\","
                        + "\"formats\":[\"4:5\"],\"zoom\":\"maybe\",\"audioUrl\":\"https://e.com/t.mp3\"}");
    }

    @Test
    void csvMistakesNameTheFileAndLine() throws IOException {
        assertThatThrownBy(() -> BatchFile.read(write("a.csv", "text,name,user\n\"open,Ada,ada\nx,y,z\n")))
                .isInstanceOf(UnusableInputException.class)
                .hasMessageEndingWith("a.csv line 2: a quoted field is never closed");
        assertThatThrownBy(() -> BatchFile.read(write("b.csv", "text,name,user\nhi,Ada\n")))
                .hasMessageEndingWith("b.csv line 2: 2 cells where the header has 3");
        assertThatThrownBy(() -> BatchFile.read(write("c.csv", "text,name,handle\nhi,Ada,ada\n")))
                .hasMessageContaining("c.csv line 1: unknown column \"handle\"; the columns are text, name, user,")
                .hasMessageContaining("format, media, verified, posted-at");
        assertThatThrownBy(() -> BatchFile.read(write("d.csv", "text,name\nhi,Ada\n")))
                .hasMessageEndingWith("d.csv line 1: the header must name the columns text, name and user");
        assertThatThrownBy(() -> BatchFile.read(write("e.csv", "text,name,user\n\"hi\"x,Ada,ada\n")))
                .hasMessageEndingWith("e.csv line 2: text after a closing quote");
        assertThatThrownBy(() -> BatchFile.read(write("f.csv", "text,name,user\n")))
                .hasMessageEndingWith("f.csv: no items");
    }

    @Test
    void jsonLinesAreRequestObjectsOneALineBlankLinesSkipped() throws IOException {
        Path file = write(
                "posts.jsonl",
                "{\"tweetBody\":\"one\",\"profileName\":\"A\",\"username\":\"a\",\"metadata\":{\"k\":\"v\"}}\n"
                        + "\n"
                        + "{\"tweetBody\":\"two\",\"profileName\":\"B\",\"username\":\"b\",\"durationSeconds\":3}\n");

        List<BatchFile.Item> items = BatchFile.read(file);

        assertThat(items).extracting(BatchFile.Item::line).containsExactly(1, 3);
        assertThat(items.get(0).request().path("metadata").path("k").asText()).isEqualTo("v");
        assertThat(items.get(1).request().path("durationSeconds").asInt()).isEqualTo(3);
    }

    @Test
    void jsonLinesMistakesNameTheLine() throws IOException {
        assertThatThrownBy(() -> BatchFile.read(write("a.jsonl", "{\"tweetBody\":\"one\"}\n{\"tweetBody\":\n")))
                .isInstanceOf(UnusableInputException.class)
                .hasMessageContaining("a.jsonl line 2: not JSON");
        assertThatThrownBy(() -> BatchFile.read(write("b.jsonl", "[1,2]\n")))
                .hasMessageEndingWith("b.jsonl line 1: not a JSON object");
        assertThatThrownBy(() -> BatchFile.read(write("posts.txt", "hi\n")))
                .hasMessageEndingWith("posts.txt: give the items as JSON lines (.jsonl) or CSV (.csv)");
    }
}
