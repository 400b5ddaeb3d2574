package io.tweetreel.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code tweetreel keys create | list | revoke}: the gateway's API keys, through its admin endpoints
 * ({@code /admin/keys}), which want the admin token rather than an API key.
 */
@Command(
        name = "keys",
        mixinStandardHelpOptions = true,
        description = {
            "Manage the gateway's API keys (needs the gateway's ADMIN_TOKEN).",
            "The admin token is read from --admin-token-file FILE, else $TWEETREEL_ADMIN_TOKEN, else"
                    + " .tweetreel/admin-token (written by ./tweetreel up --auth)."
        },
        subcommands = {KeysCommand.Create.class, KeysCommand.ListKeys.class, KeysCommand.Revoke.class})
final class KeysCommand {
    @ParentCommand
    private TweetReelClient client;

    /** The options every keys command shares: which gateway, and its admin token. */
    static final class AdminOptions {
        @Mixin
        ServerOption server;

        @Option(
                names = "--admin-token-file",
                paramLabel = "FILE",
                description = "the gateway's admin token is in FILE (default: $TWEETREEL_ADMIN_TOKEN, else"
                        + " .tweetreel/admin-token)")
        Path adminTokenFile;

        Gateway gateway(TweetReelClient client) {
            Credential token = Credential.find(
                    Credential.Kind.ADMIN_TOKEN,
                    adminTokenFile,
                    client.environment(),
                    client.terminal().err());
            if (!token.isPresent()) {
                throw new UnusableInputException("no admin token: give the gateway's ADMIN_TOKEN with "
                        + Credential.Kind.ADMIN_TOKEN.whereFrom() + " (./tweetreel up --auth writes that file)");
            }
            return server.gateway(token);
        }
    }

    @Command(
            name = "create",
            mixinStandardHelpOptions = true,
            description = {
                "Make an API key and print it: the key on the first line, then its id and limits.",
                "The key (and the webhook secret) is shown only this once; the gateway keeps only a hash of it."
            })
    static final class Create implements Callable<Integer> {
        /** The fields the gateway names in its errors, and the options that set them. */
        private static final Map<String, String> OPTION_OF_FIELD = Map.of(
                "name", "NAME",
                "ratePerMinute", "--rate",
                "burst", "--burst",
                "jobsPerDay", "--per-day",
                "webhookUrl", "--webhook-url");

        @ParentCommand
        private KeysCommand keys;

        @Mixin
        private AdminOptions options;

        @Parameters(paramLabel = "NAME", description = "what the key is for, e.g. the team or tool using it")
        private String name;

        @Option(names = "--rate", paramLabel = "N", description = "jobs per minute (default: the gateway's, 60)")
        private Integer ratePerMinute;

        @Option(
                names = "--burst",
                paramLabel = "N",
                description = "jobs that may come at once before --rate applies (default: the gateway's)")
        private Integer burst;

        @Option(names = "--per-day", paramLabel = "N", description = "jobs per UTC day (default: the gateway's, 1000)")
        private Integer jobsPerDay;

        @Option(
                names = "--webhook-url",
                paramLabel = "URL",
                description = "where the key's jobs send their webhooks unless a job names its own")
        private String webhookUrl;

        @Option(
                names = {"-q", "--quiet"},
                description = "print only the key, for scripts")
        private boolean quiet;

        @Override
        public Integer call() {
            ObjectNode body = Gateway.JSON.createObjectNode();
            body.put("name", name);
            if (ratePerMinute != null) {
                body.put("ratePerMinute", ratePerMinute);
            }
            if (burst != null) {
                body.put("burst", burst);
            }
            if (jobsPerDay != null) {
                body.put("jobsPerDay", jobsPerDay);
            }
            if (webhookUrl != null) {
                body.put("webhookUrl", webhookUrl);
            }
            JsonNode key;
            try {
                key = options.gateway(keys.client).post("/admin/keys", body);
            } catch (ServerProblem problem) {
                throw problem.withFieldNames(field ->
                        OPTION_OF_FIELD.containsKey(field) ? field + " (" + OPTION_OF_FIELD.get(field) + ")" : field);
            }
            PrintStream out = keys.client.terminal().out();
            // the key alone on the first line, so that a script can take it with head -1 (or --quiet)
            out.println(key.path("key").asText());
            if (quiet) {
                return 0;
            }
            line(out, "id", key.path("id").asText());
            line(out, "name", key.path("name").asText());
            line(out, "prefix", key.path("prefix").asText());
            line(out, "limits", limits(key));
            if (key.hasNonNull("webhookUrl")) {
                line(out, "webhook URL", key.get("webhookUrl").asText());
            }
            if (key.hasNonNull("webhookSecret")) {
                line(out, "webhook secret", key.get("webhookSecret").asText());
            }
            keys.client
                    .terminal()
                    .err()
                    .println("The key" + (key.hasNonNull("webhookSecret") ? " and the webhook secret are" : " is")
                            + " shown only this once: keep "
                            + (key.hasNonNull("webhookSecret") ? "them" : "it") + " now.");
            return 0;
        }

        private static String limits(JsonNode key) {
            String burst =
                    key.hasNonNull("burst") ? " (burst " + key.get("burst").asInt() + ")" : "";
            return key.path("ratePerMinute").asInt() + " per minute" + burst + ", "
                    + key.path("jobsPerDay").asInt() + " per day";
        }

        private static void line(PrintStream out, String label, String value) {
            out.printf("%-15s %s%n", label, value);
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the API keys, revoked ones too.")
    static final class ListKeys implements Callable<Integer> {
        private static final List<String> HEADINGS =
                List.of("ID", "NAME", "PREFIX", "CREATED", "REVOKED", "RATE/MIN", "PER DAY");

        @ParentCommand
        private KeysCommand keys;

        @Mixin
        private AdminOptions options;

        @Option(names = "--json", description = "print the gateway's answer as it is")
        private boolean json;

        @Override
        public Integer call() throws JsonProcessingException {
            JsonNode answer = options.gateway(keys.client).get("/admin/keys");
            PrintStream out = keys.client.terminal().out();
            if (json) {
                out.println(Gateway.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(answer));
                return 0;
            }
            if (answer.path("keys").isEmpty()) {
                out.println("no API keys yet; make one with ./tweetreel keys create NAME");
                return 0;
            }
            List<List<String>> rows = new ArrayList<>();
            rows.add(HEADINGS);
            for (JsonNode key : answer.path("keys")) {
                rows.add(List.of(
                        key.path("id").asText(),
                        key.path("name").asText(),
                        key.path("prefix").asText(),
                        key.path("createdAt").asText(),
                        key.hasNonNull("revokedAt") ? key.get("revokedAt").asText() : "-",
                        key.path("ratePerMinute").asText(),
                        key.path("jobsPerDay").asText()));
            }
            printTable(rows, out);
            return 0;
        }

        /** Left-aligned columns, as wide as their widest cell, two spaces apart. */
        private static void printTable(List<List<String>> rows, PrintStream out) {
            int[] widths = new int[HEADINGS.size()];
            for (List<String> row : rows) {
                for (int i = 0; i < row.size(); i++) {
                    widths[i] = Math.max(widths[i], row.get(i).length());
                }
            }
            for (List<String> row : rows) {
                StringBuilder line = new StringBuilder();
                for (int i = 0; i < row.size(); i++) {
                    line.append(i == row.size() - 1 ? row.get(i) : String.format("%-" + widths[i] + "s  ", row.get(i)));
                }
                out.println(line.toString().stripTrailing());
            }
        }
    }

    @Command(
            name = "revoke",
            mixinStandardHelpOptions = true,
            description = "Revoke an API key: every gateway instance refuses it within seconds. Cannot be undone.")
    static final class Revoke implements Callable<Integer> {
        /** Key ids are key_ and base62; anything else would not be one path segment. */
        private static final Pattern KEY_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");

        @ParentCommand
        private KeysCommand keys;

        @Mixin
        private AdminOptions options;

        @Parameters(paramLabel = "ID", description = "the key's id (key_..., see keys list)")
        private String id;

        @Override
        public Integer call() {
            if (!KEY_ID.matcher(id).matches()) {
                throw new UnusableInputException(
                        "'" + id + "' is not a key id (key_ and letters or digits; see ./tweetreel keys list)");
            }
            JsonNode key = options.gateway(keys.client).delete("/admin/keys/" + id);
            keys.client
                    .terminal()
                    .out()
                    .println("key " + key.path("id").asText() + " ("
                            + key.path("name").asText() + ") revoked at "
                            + key.path("revokedAt").asText());
            return 0;
        }
    }
}
