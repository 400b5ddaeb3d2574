package io.tweetreel.cli;

import java.io.PrintStream;

/** Shows how far something is: a bar redrawn in place on a terminal, or one plain line per change elsewhere. */
sealed interface Progress {
    /** {@code percent} 0–100 and what is happening, e.g. {@code composing_video}; repeats are not shown again. */
    void show(int percent, String what);

    /** Ends the display, so what is printed next starts on a line of its own. */
    void end();

    /** One line redrawn with a carriage return; {@code ESC [K} clears what a longer previous text left behind. */
    final class Bar implements Progress {
        static final int WIDTH = 30;
        private final PrintStream err;
        private String shown;

        Bar(PrintStream err) {
            this.err = err;
        }

        @Override
        public void show(int percent, String what) {
            String line = render(percent, what);
            if (!line.equals(shown)) {
                err.print("\r" + line + "\u001b[K");
                err.flush();
                shown = line;
            }
        }

        static String render(int percent, String what) {
            int clamped = Math.max(0, Math.min(100, percent));
            int filled = clamped * WIDTH / 100;
            return "[" + "#".repeat(filled) + ".".repeat(WIDTH - filled) + "] "
                    + String.format("%3d%% %s", clamped, what);
        }

        @Override
        public void end() {
            if (shown != null) {
                err.println();
                shown = null;
            }
        }
    }

    /** For CI logs and pipes: a line per change, no control characters. */
    final class Lines implements Progress {
        private final PrintStream err;
        private String shown;

        Lines(PrintStream err) {
            this.err = err;
        }

        @Override
        public void show(int percent, String what) {
            String line = String.format("%3d%% %s", Math.max(0, Math.min(100, percent)), what);
            if (!line.equals(shown)) {
                err.println(line);
                shown = line;
            }
        }

        @Override
        public void end() {
            shown = null;
        }
    }
}
