package io.tweetreel.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The items of a batch from a file: JSON lines ({@code .jsonl}, {@code .ndjson}: one request object per line, the
 * fields of {@code POST /api/generate}) or CSV ({@code .csv}) with a header row naming the columns: the {@code reel}
 * command's options without their dashes ({@code text, name, user, photo, theme, duration, format, media, verified,
 * posted-at, ...}) or the request's own field names. A {@code format} cell lists shapes ({@code 9:16 1:1} or
 * {@code 9:16,1:1}), a {@code media} cell image URLs separated by spaces, a {@code zoom} cell is {@code true} or
 * {@code false}. Empty cells and blank lines are skipped. Only the shape is checked here; the values are the
 * gateway's to judge, with its messages.
 */
final class BatchFile {
    /** One request and the line of the file it starts on. */
    record Item(int line, ObjectNode request) {}

    /** CSV column → request field; the request's own field names are accepted as columns too. */
    static final Map<String, String> FIELD_OF_COLUMN = columns();

    /** The columns by the reel command's option names, as the error for an unknown one lists them. */
    private static final List<String> COLUMNS = ReelCommand.OPTION_OF_FIELD.values().stream()
            .map(option -> option.substring(2))
            .toList();

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
                        + "\"; the columns are " + String.join(", ", COLUMNS) + " (or the request's field names)");
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

    /**
     * Text as it is, except where the request wants another type: the duration a number, zoom a boolean, formats and
     * media lists. A cell that is not what its field wants goes as text, for the gateway to refuse by name.
     */
    private static void putCell(ObjectNode request, String field, String value) {
        switch (field) {
            case "durationSeconds" -> {
                try {
                    request.put(field, Integer.parseInt(value.strip()));
                } catch (NumberFormatException notANumber) {
                    request.put(field, value);
                }
            }
            case "zoom" -> {
                String flag = value.strip().toLowerCase(Locale.ROOT);
                if (flag.equals("true") || flag.equals("false")) {
                    request.put(field, Boolean.parseBoolean(flag));
                } else {
                    request.put(field, value);
                }
            }
            case "formats" -> words(value, "[\\s,]+").forEach(request.putArray(field)::add);
            case "media" ->
                words(value, "\\s+")
                        .forEach(url -> request.withArray(field).addObject().put("url", url));
            default -> request.put(field, value);
        }
    }

    private static List<String> words(String cell, String separator) {
        return Arrays.stream(cell.strip().split(separator))
                .filter(word -> !word.isEmpty())
                .toList();
    }

    /** Column → request field: each reel option without its dashes, and each field's own name. */
    private static Map<String, String> columns() {
        Map<String, String> columns = new LinkedHashMap<>();
        ReelCommand.OPTION_OF_FIELD.forEach((field, option) -> columns.put(option.substring(2), field));
        ReelCommand.OPTION_OF_FIELD.keySet().forEach(field -> columns.put(field, field));
        return Collections.unmodifiableMap(columns);
    }
}
