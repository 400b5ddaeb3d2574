package io.tweetreel.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Fails the build when a schema stops being BACKWARD compatible (new readers must read every committed
 * earlier version). Changing a schema: keep it compatible, then commit the new text as the next
 * {@code src/test/resources/schema-history/<Name>/vN.avsc}.
 */
class SchemaCompatibilityTest {
    private static final Path CURRENT = Path.of("src/main/avro");
    private static final Path HISTORY = Path.of("src/test/resources/schema-history");

    @TestFactory
    Stream<DynamicTest> everySchemaReadsEveryCommittedVersionOfItself() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        for (Path file : avscFiles(CURRENT)) {
            String name = file.getFileName().toString().replace(".avsc", "");
            Schema current = parse(file);
            List<Path> versions = avscFiles(HISTORY.resolve(name));
            tests.add(DynamicTest.dynamicTest(
                    name + " has a committed history",
                    () -> assertThat(versions)
                            .as("schema-history/%s/v1.avsc must exist", name)
                            .isNotEmpty()));
            for (Path old : versions) {
                tests.add(DynamicTest.dynamicTest(name + " reads " + old.getFileName(), () -> {
                    var result = SchemaCompatibility.checkReaderWriterCompatibility(current, parse(old));
                    assertThat(result.getType())
                            .as("%s vs %s: %s", name, old.getFileName(), result.getDescription())
                            .isEqualTo(SchemaCompatibilityType.COMPATIBLE);
                }));
            }
        }
        return tests.stream();
    }

    @Test
    void aFieldAddedWithoutDefaultIsCaught() throws IOException {
        Schema old = parse(HISTORY.resolve("VideoRequested/v1.avsc"));
        String text = Files.readString(CURRENT.resolve("VideoRequested.avsc"))
                .replace("\"fields\": [", "\"fields\": [\n {\"name\": \"campaign\", \"type\": \"string\"},");
        Schema broken = new Schema.Parser().parse(text);
        assertThat(SchemaCompatibility.checkReaderWriterCompatibility(broken, old)
                        .getType())
                .isEqualTo(SchemaCompatibilityType.INCOMPATIBLE);
    }

    @Test
    void everyFieldIsDocumented() throws IOException {
        for (Path file : avscFiles(CURRENT)) {
            assertDocumented(parse(file), new ArrayList<>());
        }
    }

    private static void assertDocumented(Schema schema, List<String> seen) {
        if (schema.getType() == Schema.Type.UNION) {
            schema.getTypes().forEach(t -> assertDocumented(t, seen));
        }
        if (schema.getType() != Schema.Type.RECORD || seen.contains(schema.getFullName())) {
            return;
        }
        seen.add(schema.getFullName());
        assertThat(schema.getDoc()).as("doc of %s", schema.getFullName()).isNotBlank();
        for (Schema.Field field : schema.getFields()) {
            assertThat(field.doc())
                    .as("doc of %s.%s", schema.getName(), field.name())
                    .isNotBlank();
            assertDocumented(field.schema(), seen);
        }
    }

    private static Schema parse(Path file) throws IOException {
        return new Schema.Parser().parse(file.toFile());
    }

    private static List<Path> avscFiles(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.toString().endsWith(".avsc")).sorted().toList();
        }
    }
}
