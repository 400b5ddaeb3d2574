package io.tweetreel.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * RFC 4180 CSV: fields separated by commas, records by CRLF, LF or CR; a field in double quotes may hold commas,
 * line breaks and doubled quotes ({@code ""} for one). Unquoted fields are taken as they are, spaces included.
 */
final class Csv {
    /** One record and the line it starts on (1-based), so errors can point at the file. */
    record Row(int line, List<String> cells) {
        boolean isBlank() {
            return cells.size() == 1 && cells.get(0).isEmpty();
        }
    }

    private Csv() {}

    /** @throws IllegalArgumentException naming the line, for a quote left open or text after a closing quote */
    static List<Row> parse(String text) {
        List<Row> rows = new ArrayList<>();
        List<String> cells = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        int line = 1;
        int rowStart = 1;
        int quoteOpenedOn = 0;
        boolean quoted = false;
        boolean afterClosingQuote = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quoted) {
                if (c == '"') {
                    if (i + 1 < text.length() && text.charAt(i + 1) == '"') {
                        cell.append('"');
                        i++;
                    } else {
                        quoted = false;
                        afterClosingQuote = true;
                    }
                } else {
                    if (c == '\n' || (c == '\r' && !(i + 1 < text.length() && text.charAt(i + 1) == '\n'))) {
                        line++;
                    }
                    cell.append(c);
                }
                continue;
            }
            if (c == ',') {
                cells.add(cell.toString());
                cell.setLength(0);
                afterClosingQuote = false;
            } else if (c == '\r' || c == '\n') {
                if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
                    i++;
                }
                cells.add(cell.toString());
                rows.add(new Row(rowStart, List.copyOf(cells)));
                cells.clear();
                cell.setLength(0);
                afterClosingQuote = false;
                line++;
                rowStart = line;
            } else if (afterClosingQuote) {
                throw new IllegalArgumentException("line " + line + ": text after a closing quote");
            } else if (c == '"' && cell.isEmpty()) {
                quoted = true;
                quoteOpenedOn = line;
            } else {
                cell.append(c);
            }
        }
        if (quoted) {
            throw new IllegalArgumentException("line " + quoteOpenedOn + ": a quoted field is never closed");
        }
        if (!cells.isEmpty() || !cell.isEmpty() || afterClosingQuote) {
            cells.add(cell.toString());
            rows.add(new Row(rowStart, List.copyOf(cells)));
        }
        return rows;
    }
}
