package io.tweetreel.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The items of a batch from a file: JSON lines ({@code .jsonl}, {@code .ndjson}: one request object per line, the
 * fields of {@code POST /api/generate}) or CSV ({@code .csv}) with a header row naming the columns {@code text, name,
 * user, photo, theme, duration} (or the request's own field names). Empty cells and blank lines are skipped. Only the
 * shape is checked here; the values are the gateway's to judge, with its messages.
 */
final class BatchFile {
    /** One request and the line of the file it starts on. */
    record Item(int line, ObjectNode request) {}

    /** CSV column → request field; the request's own field names are accepted as columns too. */
    static final Map<String, String> FIELD_OF_COLUMN = columns();

    private BatchFile() {}

    static List<Item> read(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        String text;
        try {
            text = new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UnusableInputException("cannot read " + file + ": " + e);
        }
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1); // the byte order mark spreadsheet programs put in front of UTF-8
        }
        List<Item> items;
        if (name.endsWith(".jsonl") || name.endsWith(".ndjson")) {
            items = jsonLines(file, text);
        } else if (name.endsWith(".csv")) {
            items = csv(file, text);
        } else {
            throw new UnusableInputException(file + ": give the items as JSON lines (.jsonl) or CSV (.csv)");
        }
        if (items.isEmpty()) {
            throw new UnusableInputException(file + ": no items");
        }
        return items;
    }

    static List<Item> jsonLines(Path file, String text) {
        List<Item> items = new ArrayList<>();
        String[] lines = text.split("\r\n|\n|\r", -1);
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].isBlank()) {
                continue;
            }
            JsonNode node;
            try {
                node = Gateway.JSON.readTree(lines[i]);
            } catch (JsonProcessingException e) {
                throw new UnusableInputException(
                        file + " line " + (i + 1) + ": not JSON (" + e.getOriginalMessage() + ")");
            }
            if (!(node instanceof ObjectNode request)) {
                throw new UnusableInputException(file + " line " + (i + 1) + ": not a JSON object");
            }
            items.add(new Item(i + 1, request));
        }
        return items;
    }

    static List<Item> csv(Path file, String text) {
        List<Csv.Row> rows;
        try {
            rows = Csv.parse(text);
        } catch (IllegalArgumentException e) {
            throw new UnusableInputException(file + " " + e.getMessage());
        }
        rows = rows.stream().filter(row -> !row.isBlank()).toList();
        if (rows.isEmpty()) {
            throw new UnusableInputException(file + ": no header row");
        }
        List<String> fields = new ArrayList<>();
        for (String column : rows.get(0).cells()) {
            String field = FIELD_OF_COLUMN.get(column.strip());
            if (field == null) {
                throw new UnusableInputException(file + " line " + rows.get(0).line() + ": unknown column \"" + column
                        + "\"; the columns are text, name, user, photo, theme, duration");
            }
            fields.add(field);
        }
        for (String required : List.of("tweetBody", "profileName", "username")) {
            if (!fields.contains(required)) {
                throw new UnusableInputException(file + " line " + rows.get(0).line()
                        + ": the header must name the columns text, name and user");
            }
        }
        List<Item> items = new ArrayList<>();
        for (Csv.Row row : rows.subList(1, rows.size())) {
            if (row.cells().size() != fields.size()) {
                throw new UnusableInputException(file + " line " + row.line() + ": "
                        + row.cells().size() + " cells where the header has " + fields.size());
            }
            ObjectNode request = Gateway.JSON.createObjectNode();
            for (int i = 0; i < fields.size(); i++) {
                String value = row.cells().get(i);
                if (!value.isEmpty()) {
                    putCell(request, fields.get(i), value);
                }
            }
            items.add(new Item(row.line(), request));
        }
        return items;
    }

    /** Text as it is; the duration as a number when it is one, else as text, for the gateway to refuse by name. */
    private static void putCell(ObjectNode request, String field, String value) {
        if (field.equals("durationSeconds")) {
            try {
                request.put(field, Integer.parseInt(value.strip()));
                return;
            } catch (NumberFormatException notANumber) {
                // falls through: sent as text, for the gateway to refuse with its own message
            }
        }
        request.put(field, value);
    }

    private static Map<String, String> columns() {
        Map<String, String> columns = new LinkedHashMap<>();
        columns.put("text", "tweetBody");
        columns.put("name", "profileName");
        columns.put("user", "username");
        columns.put("photo", "profilePhotoUrl");
        columns.put("theme", "theme");
        columns.put("duration", "durationSeconds");
        for (String field : List.copyOf(columns.values())) {
            columns.put(field, field);
        }
        return Map.copyOf(columns);
    }
}
