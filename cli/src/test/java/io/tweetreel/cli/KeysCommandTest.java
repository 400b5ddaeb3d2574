package io.tweetreel.cli;

import static io.tweetreel.cli.FakeGateway.json;
import static io.tweetreel.cli.FakeGateway.problem;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeysCommandTest {
    static final String ADMIN_TOKEN = "AdminToken".repeat(4);
    static final String KEY = "trk_" + "0123456789".repeat(4);
    static final String CREATED = "{\"id\":\"key_AAAABBBBCCCCDDDD\",\"name\":\"ci\",\"key\":\"" + KEY + "\","
            + "\"prefix\":\"trk_0123\",\"createdAt\":\"2026-12-02T10:00:00Z\",\"revokedAt\":null,"
            + "\"ratePerMinute\":30,\"burst\":5,\"jobsPerDay\":200,\"webhookUrl\":\"https://hooks.example.com/r\","
            + "\"webhookSecret\":\"whsec_c2VjcmV0\"}";

    private final FakeGateway gateway = new FakeGateway();

    @TempDir
    Path dir;

    @AfterEach
    void stop() {
        gateway.close();
    }

    /** TWEETREEL_HOME with .tweetreel/admin-token in it, as ./tweetreel up --auth leaves it. */
    private Map<String, String> homeWithAdminToken() throws IOException {
        Files.createDirectories(dir.resolve(".tweetreel"));
        Path token = Files.writeString(dir.resolve(".tweetreel/admin-token"), ADMIN_TOKEN + "\n");
        Files.setPosixFilePermissions(token, PosixFilePermissions.fromString("rw-------"));
        return Map.of("TWEETREEL_HOME", dir.toString());
    }

    @Test
    void createSendsTheLimitsWithTheAdminTokenAndPrintsTheKeyOnItsOwnFirstLine() throws IOException {
        gateway.on("POST /admin/keys", json(201, CREATED));

        ClientRun run = ClientRun.run(
                homeWithAdminToken(),
                "keys",
                "create",
                "ci",
                "--rate",
                "30",
                "--burst",
                "5",
                "--per-day",
                "200",
                "--webhook-url",
                "https://hooks.example.com/r",
                "--server",
                gateway.url());

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out().lines())
                .containsExactly(
                        KEY,
                        "id              key_AAAABBBBCCCCDDDD",
                        "name            ci",
                        "prefix          trk_0123",
                        "limits          30 per minute (burst 5), 200 per day",
                        "webhook URL     https://hooks.example.com/r",
                        "webhook secret  whsec_c2VjcmV0");
        assertThat(run.err()).contains("shown only this once");
        FakeGateway.Received sent = gateway.received("POST", "/admin/keys").get(0);
        assertThat(sent.authorization()).isEqualTo("Bearer " + ADMIN_TOKEN);
        assertThat(Gateway.JSON.readTree(sent.body()))
                .isEqualTo(Gateway.JSON.readTree("{\"name\":\"ci\",\"ratePerMinute\":30,\"burst\":5,"
                        + "\"jobsPerDay\":200,\"webhookUrl\":\"https://hooks.example.com/r\"}"));
    }

    @Test
    void createQuietPrintsOnlyTheKeyAndLeavesUnsetLimitsToTheGateway() throws IOException {
        gateway.on("POST /admin/keys", json(201, CREATED));

        ClientRun run = ClientRun.run(
                Map.of("TWEETREEL_ADMIN_TOKEN", ADMIN_TOKEN), "keys", "create", "ci", "-q", "--server", gateway.url());

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).isEqualTo(KEY + System.lineSeparator());
        assertThat(run.err()).isEmpty();
        assertThat(gateway.received("POST", "/admin/keys").get(0).body()).isEqualTo("{\"name\":\"ci\"}");
    }

    @Test
    void aRefusedLimitIsNamedByItsOption() {
        gateway.on(
                "POST /admin/keys",
                problem(
                        400,
                        "{\"title\":\"Invalid key\",\"status\":400,\"errors\":[{\"field\":\"ratePerMinute\","
                                + "\"message\":\"must be between 1 and 100000\"}]}"));

        ClientRun run = ClientRun.run(
                Map.of("TWEETREEL_ADMIN_TOKEN", ADMIN_TOKEN),
                "keys",
                "create",
                "ci",
                "--rate",
                "0",
                "--server",
                gateway.url());

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err())
                .isEqualTo("tweetreel: Invalid key" + System.lineSeparator()
                        + "  ratePerMinute (--rate): must be between 1 and 100000" + System.lineSeparator());
    }

    @Test
    void listPrintsATableOfTheKeysOrTheirJson() throws Exception {
        String keys = "{\"keys\":[{\"id\":\"key_AAAABBBBCCCCDDDD\",\"name\":\"ci\",\"prefix\":\"trk_0123\","
                + "\"createdAt\":\"2026-12-02T10:00:00Z\",\"revokedAt\":null,\"ratePerMinute\":30,\"burst\":5,"
                + "\"jobsPerDay\":200,\"webhookUrl\":null},{\"id\":\"key_EEEEFFFFGGGGHHHH\",\"name\":\"old laptop\","
                + "\"prefix\":\"trk_x9Yz\",\"createdAt\":\"2026-11-30T08:00:00Z\",\"revokedAt\":"
                + "\"2026-12-01T09:30:00Z\",\"ratePerMinute\":60,\"burst\":60,\"jobsPerDay\":1000,\"webhookUrl\":null}]}";
        gateway.on("GET /admin/keys", json(200, keys));
        Map<String, String> env = Map.of("TWEETREEL_ADMIN_TOKEN", ADMIN_TOKEN);

        ClientRun table = ClientRun.run(env, "keys", "list", "--server", gateway.url());
        ClientRun asJson = ClientRun.run(env, "keys", "list", "--json", "--server", gateway.url());

        assertThat(table.exitCode()).as(table.err()).isZero();
        assertThat(table.out().lines())
                .containsExactly(
                        "ID                    NAME        PREFIX    CREATED               REVOKED               RATE/MIN"
                                + "  PER DAY",
                        "key_AAAABBBBCCCCDDDD  ci          trk_0123  2026-12-02T10:00:00Z  -                     30"
                                + "        200",
                        "key_EEEEFFFFGGGGHHHH  old laptop  trk_x9Yz  2026-11-30T08:00:00Z  2026-12-01T09:30:00Z  60"
                                + "        1000");
        assertThat(asJson.exitCode()).isZero();
        JsonNode printed = Gateway.JSON.readTree(asJson.out());
        assertThat(printed).isEqualTo(Gateway.JSON.readTree(keys));
        assertThat(gateway.received("GET", "/admin/keys"))
                .extracting(FakeGateway.Received::authorization)
                .containsOnly("Bearer " + ADMIN_TOKEN);
    }

    @Test
    void revokeDeletesTheKeyAndSaysWhen() {
        gateway.on(
                "DELETE /admin/keys/key_AAAABBBBCCCCDDDD",
                json(
                        200,
                        "{\"id\":\"key_AAAABBBBCCCCDDDD\",\"name\":\"ci\",\"prefix\":\"trk_0123\","
                                + "\"revokedAt\":\"2026-12-02T11:00:00Z\"}"));
        Map<String, String> env = Map.of("TWEETREEL_ADMIN_TOKEN", ADMIN_TOKEN);

        ClientRun run = ClientRun.run(env, "keys", "revoke", "key_AAAABBBBCCCCDDDD", "--server", gateway.url());
        ClientRun unknown = ClientRun.run(env, "keys", "revoke", "key_nope", "--server", gateway.url());
        ClientRun notAnId = ClientRun.run(env, "keys", "revoke", "../jobs", "--server", gateway.url());

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out().strip()).isEqualTo("key key_AAAABBBBCCCCDDDD (ci) revoked at 2026-12-02T11:00:00Z");
        assertThat(unknown.exitCode()).isEqualTo(1);
        assertThat(unknown.err()).startsWith("tweetreel: Not Found");
        assertThat(notAnId.exitCode()).isEqualTo(2);
        assertThat(gateway.received).hasSize(2);
    }

    @Test
    void withoutAnAdminTokenNothingIsSentAndTheExitCodeIsTwo() {
        ClientRun run =
                ClientRun.run(Map.of("TWEETREEL_HOME", dir.toString()), "keys", "list", "--server", gateway.url());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err().strip())
                .isEqualTo("tweetreel: no admin token: give the gateway's ADMIN_TOKEN with --admin-token-file FILE,"
                        + " TWEETREEL_ADMIN_TOKEN or .tweetreel/admin-token (./tweetreel up --auth writes that file)");
        assertThat(gateway.received).isEmpty();
    }

    @Test
    void aRefusedAdminTokenIsNamedByItsFileNeverShown() throws IOException {
        gateway.on(
                "GET /admin/keys",
                problem(
                        401,
                        "{\"type\":\"urn:tweetreel:problem:unauthorized\",\"title\":\"Unauthorized\",\"status\":401,"
                                + "\"detail\":\"admin is disabled: ADMIN_TOKEN is not set\"}"));
        Path file = Files.writeString(dir.resolve("token"), ADMIN_TOKEN);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));

        ClientRun run = ClientRun.run("keys", "list", "--admin-token-file", file.toString(), "--server", gateway.url());

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err().strip())
                .isEqualTo("tweetreel: the gateway refused the admin token from " + file
                        + " (admin is disabled: ADMIN_TOKEN is not set)");
        assertThat(run.err()).doesNotContain(ADMIN_TOKEN);
    }

    @Test
    void keysAloneShowsItsSubcommands() {
        ClientRun run = ClientRun.run("keys");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("create", "list", "revoke");
    }
}
