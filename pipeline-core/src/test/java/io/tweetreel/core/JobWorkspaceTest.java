package io.tweetreel.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JobWorkspaceTest {

    @Test
    void closeDeletesTheDirectoryAndEverythingInIt(@TempDir Path base) throws IOException {
        Path dir;
        String jobId = "2b1e6c4e-0f7a-4c55-9d1b-1f0e5b7c9a01";
        try (JobWorkspace workspace = JobWorkspace.create(base.resolve("jobs"), jobId)) {
            dir = workspace.dir();
            assertThat(dir).isDirectory().hasParent(base.resolve("jobs"));
            assertThat(dir.getFileName().toString()).startsWith("job-" + jobId + "-");
            Files.writeString(workspace.file("card.png"), "png");
            Files.createDirectories(dir.resolve("nested/deeper"));
            Files.writeString(dir.resolve("nested/deeper/video.mp4"), "mp4");
        }
        assertThat(dir).doesNotExist();
        assertThat(base.resolve("jobs")).isEmptyDirectory();
    }

    @Test
    void closeDeletesAlsoWhenTheJobFails(@TempDir Path base) throws IOException {
        Path[] dir = new Path[1];
        assertThatThrownBy(() -> {
                    try (JobWorkspace workspace = JobWorkspace.create(base, "job")) {
                        dir[0] = workspace.dir();
                        Files.writeString(workspace.file("partial.mp4"), "half");
                        throw new IllegalStateException("ffmpeg failed");
                    }
                })
                .hasMessage("ffmpeg failed");
        assertThat(dir[0]).doesNotExist();
    }

    @Test
    void sameJobTwiceGetsTwoDirectories(@TempDir Path base) throws IOException {
        try (JobWorkspace first = JobWorkspace.create(base, "same");
                JobWorkspace second = JobWorkspace.create(base, "same")) {
            assertThat(first.dir()).isNotEqualTo(second.dir());
        }
    }

    @Test
    void closingTwiceOrAfterSomeoneElseDeletedItIsFine(@TempDir Path base) throws IOException {
        JobWorkspace workspace = JobWorkspace.create(base, "twice");
        workspace.close();
        workspace.close();
        assertThat(workspace.dir()).doesNotExist();
    }

    @Test
    void fileNamesCannotEscapeTheWorkspace(@TempDir Path base) throws IOException {
        try (JobWorkspace workspace = JobWorkspace.create(base, "../../etc")) {
            assertThat(workspace.dir()).hasParent(base);
            assertThatThrownBy(() -> workspace.file("../escape.txt")).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> workspace.file("a/b.txt")).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void sweepRemovesOnlyStaleWorkspaces(@TempDir Path base) throws IOException {
        JobWorkspace stale = JobWorkspace.create(base, "crashed");
        Files.writeString(stale.file("card.png"), "png");
        Files.setLastModifiedTime(stale.dir(), FileTime.from(Instant.now().minus(Duration.ofHours(3))));
        JobWorkspace running = JobWorkspace.create(base, "running");
        Path unrelated = Files.createDirectory(base.resolve("not-a-job"));
        Files.setLastModifiedTime(unrelated, FileTime.from(Instant.now().minus(Duration.ofHours(3))));

        assertThat(JobWorkspace.sweep(base, Duration.ofHours(1))).isEqualTo(1);

        assertThat(stale.dir()).doesNotExist();
        assertThat(running.dir()).isDirectory();
        assertThat(unrelated).isDirectory();
        running.close();
    }
}
