package io.tweetreel.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import io.tweetreel.core.ConfigVariable;
import io.tweetreel.core.EnvConfig;
import io.tweetreel.core.PipelineConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The services' declared variables ({@link ConfigVariable} lists) against what their config records really read,
 * and the README's table of variables against the declarations. {@link DeploymentDriftTest} holds the deployment
 * files against the same declarations.
 */
class ConfigurationTest {
    private static final Map<String, Set<String>> USED_BY = Map.of(
            "all", Set.of("renderer-service", "composer-service", "storage-service", "notifier-service", "api-gateway"),
            "stages", Set.of("renderer-service", "composer-service", "storage-service"),
            "notifier", Set.of("notifier-service"),
            "renderer", Set.of("renderer-service"),
            "composer", Set.of("composer-service"),
            "storage", Set.of("storage-service"),
            "gateway", Set.of("api-gateway"));

    static Stream<String> services() {
        return ServiceConfigs.DECLARED.keySet().stream();
    }

    @ParameterizedTest
    @MethodSource("services")
    void aServiceReadsExactlyTheVariablesItDeclares(String service) {
        Map<String, String> valid = Map.of(
                // any executable passes the renderer's start-up check; this one exists wherever the tests run
                "CHROMIUM_PATH", ProcessHandle.current().info().command().orElseThrow(),
                "FILENAME_SECRET", "configuration-test-filename-secret",
                "WEBHOOK_SECRET", "whsec_Y29uZmlndXJhdGlvbi10ZXN0LXdlYmhvb2sta2V5");
        EnvConfig env = EnvConfig.of(valid);

        ServiceConfigs.READERS.get(service).accept(env);

        List<ConfigVariable> declared = new ArrayList<>(ServiceConfigs.DECLARED.get(service));
        declared.removeAll(PipelineConfig.LOGGING); // read by logback.xml, which EnvConfigTest checks
        assertThat(env.variablesRead()).containsExactlyInAnyOrderElementsOf(declared);
    }

    @Test
    void theReadmeTableListsEveryDeclaredVariableWithItsDefaultAndMeaning() throws IOException {
        Map<String, Row> rows =
                readmeRows(Files.readString(DeploymentDriftTest.repositoryRoot().resolve("README.md")));
        Set<String> declaredNames = new TreeSet<>();
        ServiceConfigs.DECLARED.values().forEach(list -> list.forEach(v -> declaredNames.add(v.name())));
        List<String> problems = new ArrayList<>();

        for (String name : declaredNames) {
            if (!rows.containsKey(name)) {
                problems.add(name + " is read but not in the README's table");
            }
        }
        rows.forEach((name, row) -> {
            if (!declaredNames.contains(name)) {
                problems.add(name + " is in the README's table but no service declares it");
                return;
            }
            for (String user : row.usedBy()) {
                Set<String> services = USED_BY.get(user);
                if (services == null) {
                    problems.add(name + ": README's 'used by' names " + user + ", expected one of " + USED_BY.keySet());
                    continue;
                }
                for (String service : services) {
                    ServiceConfigs.DECLARED.get(service).stream()
                            .filter(v -> v.name().equals(name))
                            .findFirst()
                            .ifPresentOrElse(
                                    v -> problems.addAll(row.mismatches(service, v)),
                                    () -> problems.add(name + ": README says " + user + " use it, but " + service
                                            + " does not read it"));
                }
            }
        });

        assertThat(problems)
                .as("README's table against the declarations:%n  %s", String.join("\n  ", problems))
                .isEmpty();
    }

    /** One row of the table, backticks removed: the default and meaning cells, and who uses the variable. */
    record Row(String name, String defaultCell, List<String> usedBy, String meaning) {
        List<String> mismatches(String service, ConfigVariable declared) {
            List<String> out = new ArrayList<>();
            String expectedDefault = declared.required() ? "required" : declared.defaultText();
            if (!defaultCell.contains(expectedDefault)) {
                out.add(name + ": README's default '" + defaultCell + "' does not show " + service + "'s "
                        + expectedDefault);
            }
            if (!meaning.contains(declared.description())) {
                out.add(name + ": README's meaning '" + meaning + "' does not contain the declared '"
                        + declared.description() + "'");
            }
            return out;
        }
    }

    private static Map<String, Row> readmeRows(String readme) {
        String section = readme.substring(readme.indexOf("## Configuration"));
        section = section.substring(0, section.indexOf("\n## ", 1));
        Pattern row = Pattern.compile("(?m)^\\| `([A-Z][A-Z0-9_]*)` \\| (.*?) \\| (.*?) \\| (.*) \\|$");
        Map<String, Row> rows = new LinkedHashMap<>();
        Matcher m = row.matcher(section);
        while (m.find()) {
            List<String> usedBy =
                    Stream.of(m.group(3).split(",")).map(String::strip).toList();
            rows.put(
                    m.group(1),
                    new Row(
                            m.group(1),
                            m.group(2).replace("`", ""),
                            usedBy,
                            m.group(4).replace("`", "")));
        }
        assertThat(rows).as("rows of the README's table of variables").isNotEmpty();
        return rows;
    }
}
