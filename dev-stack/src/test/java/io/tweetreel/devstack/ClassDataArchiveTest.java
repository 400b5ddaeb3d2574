package io.tweetreel.devstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClassDataArchiveTest {

    @Test
    void theFirstStartRecordsAndTheNextUsesWhatItRecorded(@TempDir Path dir) throws Exception {
        String classPath = jar(dir, "a.jar") + File.pathSeparator + jar(dir, "b.jar");
        Path archives = dir.resolve("cds");

        ClassDataArchive first =
                ClassDataArchive.in(archives, "storage", classPath).orElseThrow();
        assertThat(first.jvmOption()).startsWith("-XX:ArchiveClassesAtExit=");
        Files.write(first.recording().orElseThrow(), new byte[] {1, 2, 3});
        first.keepRecording(true);

        ClassDataArchive next =
                ClassDataArchive.in(archives, "storage", classPath).orElseThrow();
        assertThat(next.jvmOption()).startsWith("-XX:SharedArchiveFile=");
        assertThat(next.recording()).isEmpty();
        assertThat(Path.of(next.jvmOption().substring("-XX:SharedArchiveFile=".length())))
                .hasBinaryContent(new byte[] {1, 2, 3});
    }

    @Test
    void aRecordingOfAKilledJvmIsDropped(@TempDir Path dir) throws Exception {
        String classPath = jar(dir, "a.jar").toString();
        ClassDataArchive killed =
                ClassDataArchive.in(dir.resolve("cds"), "renderer", classPath).orElseThrow();
        Path recording = killed.recording().orElseThrow();
        Files.write(recording, new byte[] {1});
        killed.keepRecording(false);

        assertThat(recording).doesNotExist();
        assertThat(ClassDataArchive.in(dir.resolve("cds"), "renderer", classPath)
                        .orElseThrow()
                        .jvmOption())
                .startsWith("-XX:ArchiveClassesAtExit=");
    }

    @Test
    void aRebuiltJarGetsANewArchive(@TempDir Path dir) throws Exception {
        Path jar = jar(dir, "a.jar");
        String before = ClassDataArchive.fingerprint(jar.toString());
        Files.setLastModifiedTime(jar, FileTime.from(Instant.now().plusSeconds(60)));
        assertThat(ClassDataArchive.fingerprint(jar.toString())).isNotEqualTo(before);
    }

    @Test
    void noArchiveWhenClassesComeFromADirectory(@TempDir Path dir) throws Exception {
        Path classes = Files.createDirectories(dir.resolve("classes"));
        Files.writeString(classes.resolve("Some.class"), "x");
        String classPath = jar(dir, "a.jar") + File.pathSeparator + classes;
        assertThat(ClassDataArchive.in(dir.resolve("cds"), "gateway", classPath))
                .isEmpty();
    }

    private static Path jar(Path dir, String name) throws Exception {
        return Files.writeString(dir.resolve(name), name);
    }
}
