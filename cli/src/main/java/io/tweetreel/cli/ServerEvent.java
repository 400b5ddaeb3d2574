package io.tweetreel.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.util.function.Predicate;

/** One Server-Sent Event: its type ({@code message} when the server names none) and data. */
record ServerEvent(String type, String data) {

    /**
     * Reads events as the HTML standard's event-stream format defines them (comments and unknown fields ignored, data
     * lines joined with newlines, an event dispatched at a blank line) until the stream ends or the handler answers
     * false.
     */
    static void read(BufferedReader lines, Predicate<ServerEvent> onEvent) throws IOException {
        String type = null;
        StringBuilder data = null;
        String line;
        while ((line = lines.readLine()) != null) {
            if (line.isEmpty()) {
                if (data != null && !onEvent.test(new ServerEvent(type == null ? "message" : type, data.toString()))) {
                    return;
                }
                type = null;
                data = null;
                continue;
            }
            if (line.startsWith(":")) {
                continue;
            }
            int colon = line.indexOf(':');
            String field = colon < 0 ? line : line.substring(0, colon);
            String value = colon < 0 ? "" : line.substring(colon + 1);
            if (value.startsWith(" ")) {
                value = value.substring(1);
            }
            if (field.equals("event")) {
                type = value;
            } else if (field.equals("data")) {
                data = data == null
                        ? new StringBuilder(value)
                        : data.append('\n').append(value);
            }
        }
    }
}
