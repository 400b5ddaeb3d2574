package io.tweetreel.bench;

import java.util.List;
import java.util.Locale;

/**
 * The soak over time as an SVG: latency p50 and p99 per minute (lines, left axis, seconds), completed jobs per
 * minute (bars, right axis), each kill as a red line with the instance's name, and the end of submissions.
 */
final class SoakChart {
    private static final int WIDTH = 960;
    private static final int HEIGHT = 500;
    private static final int LEFT = 70;
    private static final int RIGHT = 70;
    private static final int TOP = 60;
    private static final int BOTTOM = 80;

    private SoakChart() {}

    static String svg(String title, List<SoakMinutes.Minute> minutes, List<SoakReport.Kill> kills, double soakSeconds) {
        int plotW = WIDTH - LEFT - RIGHT;
        int plotH = HEIGHT - TOP - BOTTOM;
        double spanSeconds = Math.max(60.0 * Math.max(1, minutes.size()), soakSeconds);
        double maxLatencyS = 1;
        int maxThroughput = 1;
        for (SoakMinutes.Minute m : minutes) {
            if (!Double.isNaN(m.p99Ms())) {
                maxLatencyS = Math.max(maxLatencyS, m.p99Ms() / 1000);
            }
            maxThroughput = Math.max(maxThroughput, m.completed() + m.failed());
        }
        maxLatencyS = niceCeiling(maxLatencyS);
        maxThroughput = (int) niceCeiling(maxThroughput);

        StringBuilder s = new StringBuilder();
        s.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        s.append(f(
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\""
                        + " font-family=\"sans-serif\" font-size=\"12\">\n",
                WIDTH, HEIGHT, WIDTH, HEIGHT));
        s.append(f("<rect width=\"%d\" height=\"%d\" fill=\"white\"/>\n", WIDTH, HEIGHT));
        s.append(f("<text x=\"%d\" y=\"22\" font-size=\"15\" font-weight=\"bold\">%s</text>\n", LEFT, escape(title)));

        // grid and axes: 5 steps on both scales
        for (int i = 0; i <= 5; i++) {
            double y = TOP + plotH - plotH * i / 5.0;
            s.append(f(
                    "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#e4e4e4\"/>\n",
                    LEFT, y, LEFT + plotW, y));
            s.append(f(
                    "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\" fill=\"#1f4e9c\">%s</text>\n",
                    LEFT - 6, y + 4, trim(maxLatencyS * i / 5)));
            s.append(f(
                    "<text x=\"%d\" y=\"%.1f\" fill=\"#5a8f3a\">%s</text>\n",
                    LEFT + plotW + 6, y + 4, trim(maxThroughput * i / 5.0)));
        }
        s.append(f(
                "<text transform=\"translate(18 %d) rotate(-90)\" text-anchor=\"middle\" fill=\"#1f4e9c\">"
                        + "latency (s)</text>\n",
                TOP + plotH / 2));
        s.append(f(
                "<text transform=\"translate(%d %d) rotate(90)\" text-anchor=\"middle\" fill=\"#5a8f3a\">"
                        + "jobs / min</text>\n",
                WIDTH - 18, TOP + plotH / 2));
        int minuteCount = (int) Math.ceil(spanSeconds / 60);
        int labelEvery = Math.max(1, minuteCount / 15);
        for (int m = 0; m <= minuteCount; m += labelEvery) {
            double x = LEFT + plotW * (m * 60.0) / spanSeconds;
            s.append(f("<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%d</text>\n", x, TOP + plotH + 18, m));
        }
        s.append(f(
                "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">minutes since the soak started</text>\n",
                LEFT + plotW / 2, TOP + plotH + 36));

        // throughput bars, one per minute
        s.append("<g class=\"throughput\" fill=\"#a9d18e\">\n");
        double minuteW = plotW * 60.0 / spanSeconds;
        for (SoakMinutes.Minute m : minutes) {
            double h = plotH * m.completed() / (double) maxThroughput;
            s.append(f(
                    "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\"><title>minute %d: %d completed,"
                            + " %d failed</title></rect>\n",
                    LEFT + m.minute() * minuteW + minuteW * 0.15,
                    TOP + plotH - h,
                    minuteW * 0.7,
                    h,
                    m.minute(),
                    m.completed(),
                    m.failed()));
        }
        s.append("</g>\n");
        s.append("<g class=\"failed\" fill=\"#f4a3a3\">\n");
        for (SoakMinutes.Minute m : minutes) {
            if (m.failed() == 0) {
                continue;
            }
            double below = plotH * m.completed() / (double) maxThroughput;
            double h = plotH * m.failed() / (double) maxThroughput;
            s.append(f(
                    "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\"><title>minute %d: %d failed</title>"
                            + "</rect>\n",
                    LEFT + m.minute() * minuteW + minuteW * 0.15,
                    TOP + plotH - below - h,
                    minuteW * 0.7,
                    h,
                    m.minute(),
                    m.failed()));
        }
        s.append("</g>\n");

        // the end of submissions; what follows it is the wait for the jobs in flight
        if (soakSeconds < spanSeconds) {
            double x = LEFT + plotW * soakSeconds / spanSeconds;
            s.append(f(
                    "<line class=\"soak-end\" x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#555\""
                            + " stroke-dasharray=\"2 3\"/>\n",
                    x, TOP, x, TOP + plotH));
            s.append(f("<text x=\"%.1f\" y=\"%d\" fill=\"#555\">submissions end</text>\n", x + 4, TOP + 14));
        }

        // kills: a red line each, its instance's name above, alternating rows so neighbours do not overlap
        s.append("<g class=\"kills\">\n");
        for (int i = 0; i < kills.size(); i++) {
            SoakReport.Kill k = kills.get(i);
            double x = LEFT + plotW * k.killedAtSeconds() / spanSeconds;
            // shaded until the instance was ready again (to the chart's end when it never was)
            double back = k.readyAtSeconds() == null ? spanSeconds : Math.min(spanSeconds, k.readyAtSeconds());
            s.append(f(
                    "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"#d62728\""
                            + " fill-opacity=\"0.08\"/>\n",
                    x, TOP, Math.max(0, plotW * (back - k.killedAtSeconds()) / spanSeconds), plotH));
            s.append(f(
                    "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#d62728\" stroke-dasharray=\"5 4\">"
                            + "<title>kill -9 %s at %.0f s</title></line>\n",
                    x, TOP - 4, x, TOP + plotH, escape(k.instance()), k.killedAtSeconds()));
            s.append(f(
                    "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\" font-size=\"10\" fill=\"#d62728\">%s</text>\n",
                    x, TOP - 8 - (i % 2) * 11, escape(k.instance())));
        }
        s.append("</g>\n");

        // latency lines, a point at the middle of each minute that completed something
        s.append(polyline("p50", minutes, true, maxLatencyS, spanSeconds, plotW, plotH, "#1f4e9c", ""));
        s.append(polyline("p99", minutes, false, maxLatencyS, spanSeconds, plotW, plotH, "#1f4e9c", "6 3"));

        s.append(f(
                "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"#888\"/>\n",
                LEFT, TOP, plotW, plotH));
        // legend, below the axis title so it never runs into the chart's title
        int lx = LEFT;
        int ly = HEIGHT - 14;
        s.append(f(
                "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#1f4e9c\" stroke-width=\"2\"/>\n",
                lx, ly - 4, lx + 20, ly - 4));
        s.append(f("<text x=\"%d\" y=\"%d\">latency p50</text>\n", lx + 24, ly));
        s.append(f(
                "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#1f4e9c\" stroke-width=\"2\""
                        + " stroke-dasharray=\"6 3\"/>\n",
                lx + 110, ly - 4, lx + 130, ly - 4));
        s.append(f("<text x=\"%d\" y=\"%d\">latency p99</text>\n", lx + 134, ly));
        s.append(f("<rect x=\"%d\" y=\"%d\" width=\"14\" height=\"12\" fill=\"#a9d18e\"/>\n", lx + 220, ly - 10));
        s.append(f("<text x=\"%d\" y=\"%d\">completed / min</text>\n", lx + 238, ly));
        s.append(f("<rect x=\"%d\" y=\"%d\" width=\"14\" height=\"12\" fill=\"#f4a3a3\"/>\n", lx + 350, ly - 10));
        s.append(f("<text x=\"%d\" y=\"%d\">failed / min</text>\n", lx + 368, ly));
        s.append(f(
                "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#d62728\" stroke-dasharray=\"5 4\"/>\n",
                lx + 460, ly - 4, lx + 480, ly - 4));
        s.append(f(
                "<text x=\"%d\" y=\"%d\">kill -9 of the instance named above, shaded until ready</text>\n",
                lx + 484, ly));
        s.append("</svg>\n");
        return s.toString();
    }

    private static String polyline(
            String name,
            List<SoakMinutes.Minute> minutes,
            boolean p50,
            double maxLatencyS,
            double spanSeconds,
            int plotW,
            int plotH,
            String colour,
            String dash) {
        StringBuilder points = new StringBuilder();
        StringBuilder dots = new StringBuilder();
        for (SoakMinutes.Minute m : minutes) {
            double ms = p50 ? m.p50Ms() : m.p99Ms();
            if (Double.isNaN(ms)) {
                continue;
            }
            double x = LEFT + plotW * (m.minute() * 60.0 + 30) / spanSeconds;
            double y = TOP + plotH - plotH * (ms / 1000) / maxLatencyS;
            points.append(f("%.1f,%.1f ", x, y));
            dots.append(f(
                    "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"%s\"><title>minute %d %s %.1f s</title></circle>\n",
                    x, y, colour, m.minute(), name, ms / 1000));
        }
        return f(
                        "<polyline class=\"%s\" fill=\"none\" stroke=\"%s\" stroke-width=\"2\"%s points=\"%s\"/>\n",
                        name,
                        colour,
                        dash.isEmpty() ? "" : " stroke-dasharray=\"" + dash + "\"",
                        points.toString().trim())
                + dots;
    }

    /** 1, 2 or 5 times a power of ten, at least {@code v}: axis ends a person reads at a glance. */
    static double niceCeiling(double v) {
        double magnitude = Math.pow(10, Math.floor(Math.log10(v)));
        for (double step : new double[] {1, 2, 5, 10}) {
            if (step * magnitude >= v) {
                return step * magnitude;
            }
        }
        return 10 * magnitude;
    }

    private static String trim(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : String.format(Locale.ROOT, "%.1f", v);
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;")
                .replace("<", "&lt;")
                .replace(">", "&gt;")
                .replace("\"", "&quot;");
    }

    private static String f(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }
}
