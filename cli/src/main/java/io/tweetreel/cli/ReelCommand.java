package io.tweetreel.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code tweetreel reel}: submit one job, follow it with a progress bar, download the video (the first format's),
 * print its path; the links of every format and the job's warnings go to stderr.
 */
@Command(
        name = "reel",
        mixinStandardHelpOptions = true,
        description = {
            "Make one reel: submit it, show its progress, download the video and print its path.",
            "With several --format, the first format's video is downloaded and every format's links are listed.",
            "Ctrl-C cancels the job."
        })
final class ReelCommand implements Callable<Integer> {
    /**
     * The request fields the gateway names in its errors, and the options that set them, in the order of the options;
     * a batch CSV's columns are these options without their dashes ({@link BatchFile}).
     */
    static final Map<String, String> OPTION_OF_FIELD = optionsOfFields(
            "tweetBody", "--text",
            "profileName", "--name",
            "username", "--user",
            "profilePhotoUrl", "--photo",
            "theme", "--theme",
            "durationSeconds", "--duration",
            "formats", "--format",
            "media", "--media",
            "verified", "--verified",
            "postedAt", "--posted-at",
            "timeZone", "--time-zone",
            "locale", "--locale",
            "replyTo", "--reply-to",
            "accentColor", "--accent",
            "animation", "--animation",
            "zoom", "--zoom",
            "music", "--music",
            "audioUrl", "--audio-url");

    @ParentCommand
    private TweetReelClient client;

    @Mixin
    private GatewayOptions options;

    @Option(
            names = "--text",
            required = true,
            paramLabel = "TEXT",
            description = "the post's text (1 to 2000 characters)")
    private String text;

    @Option(names = "--name", required = true, paramLabel = "NAME", description = "the author's display name")
    private String name;

    @Option(
            names = "--user",
            required = true,
            paramLabel = "HANDLE",
            description = "the author's handle, with or without @")
    private String user;

    @Option(names = "--photo", paramLabel = "URL", description = "the author's profile photo (http or https)")
    private String photo;

    @Option(names = "--theme", paramLabel = "dark|light|dim", description = "the card's theme (default: dark)")
    private String theme;

    @Option(
            names = "--duration",
            paramLabel = "SECONDS",
            description =
                    "the video's length, 3 to 30 (default: 5 for a still card, paced from the text for --animation"
                            + " reveal)")
    private Integer duration;

    @Option(
            names = "--animation",
            paramLabel = "none|reveal",
            description = "none: the still card (default); reveal: the lines appear one after another as they are read")
    private String animation;

    @Option(names = "--zoom", description = "a slow push-in over the whole reel")
    private boolean zoom;

    @Option(
            names = "--music",
            paramLabel = "NAME",
            description = "a bundled track: default, none (silence), calm, upbeat or cinematic (not with --audio-url)")
    private String music;

    @Option(
            names = "--audio-url",
            paramLabel = "URL",
            description = "your own track (http or https, at most 20 MB), looped or cut to the reel (not with --music)")
    private String audioUrl;

    @Option(
            names = "--format",
            paramLabel = "FORMAT",
            description = "an output shape: 9:16, 1:1, 4:5 or 16:9; repeat for several, up to 4 (default: 9:16)")
    private List<String> formats;

    @Option(
            names = "--media",
            paramLabel = "URL",
            description = "an image of the post (http or https); repeat for up to 4")
    private List<String> media;

    @Option(
            names = "--verified",
            paramLabel = "blue|gold|grey",
            description = "the badge after the author's name (default: none)")
    private String verified;

    @Option(
            names = "--posted-at",
            paramLabel = "INSTANT",
            description = "when the post was published, e.g. 2026-12-01T15:04:05Z (default: no time line)")
    private String postedAt;

    @Option(
            names = "--time-zone",
            paramLabel = "ZONE",
            description = "the time line's zone, e.g. Europe/Paris (default: UTC)")
    private String timeZone;

    @Option(
            names = "--locale",
            paramLabel = "TAG",
            description = "language of the time line and counts, e.g. de-DE (default: en)")
    private String locale;

    @Option(names = "--reply-to", paramLabel = "HANDLE", description = "show \"Replying to @HANDLE\" above the text")
    private String replyTo;

    @Option(names = "--accent", paramLabel = "#RRGGBB", description = "a colour that tints the card and its links")
    private String accent;

    @Option(
            names = {"-o", "--output"},
            paramLabel = "FILE",
            description = "where to save the video (default: its filename, in this directory)")
    private Path output;

    @Override
    public Integer call() {
        TweetReelClient.Terminal terminal = client.terminal();
        if (output != null
                && output.toAbsolutePath().getParent() != null
                && !Files.isDirectory(output.toAbsolutePath().getParent())) {
            throw new UnusableInputException("cannot write " + output + ": its directory does not exist");
        }
        Gateway gateway = options.gateway(client);
        Jobs jobs = new Jobs(gateway, terminal.pollInterval());
        String jobId;
        try {
            jobId = gateway.post("/api/generate", request()).path("jobId").asText();
        } catch (ServerProblem problem) {
            throw problem.withFieldNames(ReelCommand::withOption);
        }
        terminal.err().println("job " + jobId);
        try (CancelOnInterrupt interrupt = CancelOnInterrupt.install(
                "job " + jobId, () -> gateway.post(Jobs.path(jobId) + "/cancel"), terminal.err())) {
            Progress progress = options.progress(terminal);
            // the gateway wrote the new job's "queued" with its request, so that is where it is now; the event
            // stream starts at the job's current step, which may already be past it when the stream opens
            progress.show(0, "queued");
            JsonNode job = jobs.follow(
                    jobId, update -> progress.show(update.path("progress").asInt(), step(update)));
            progress.end();
            interrupt.disarm();
            String status = job.path("status").asText();
            if (!status.equals("completed")) {
                terminal.err().println("tweetreel: job " + jobId + " " + outcome(job));
                return TweetReelClient.FAILED;
            }
            JsonNode result = job.path("result");
            Path target =
                    output != null ? output : Path.of(result.path("filename").asText());
            interrupt.removeOnInterrupt(Gateway.partFile(target));
            gateway.download(URI.create(result.path("downloadUrl").asText()), target);
            // stdout stays the one path scripts read; every format's links go to the person watching
            for (String line : outputLines(job)) {
                terminal.err().println(line);
            }
            terminal.out().println(target);
            return 0;
        }
    }

    /** A field as the gateway names it, with the option that sets it: {@code media[1].url (--media)}. */
    static String withOption(String field) {
        String requestField = field.split("[.\\[]", 2)[0];
        String option = OPTION_OF_FIELD.get(requestField);
        return option == null ? field : field + " (" + option + ")";
    }

    /**
     * One line per output of a completed job, {@code 1:1 1080x1080 <downloadUrl> poster <posterUrl> captions
     * <vttUrl> <srtUrl>} (poster and captions where it has them), then one per warning; none for a job with one bare
     * output and no warnings, whose video is all there is to say.
     */
    static List<String> outputLines(JsonNode job) {
        List<String> lines = new java.util.ArrayList<>();
        JsonNode outputs = job.path("result").path("outputs");
        JsonNode first = outputs.path(0);
        if (outputs.size() > 1 || first.hasNonNull("posterUrl") || first.hasNonNull("captions")) {
            for (JsonNode output : outputs) {
                String poster = output.path("posterUrl").asText("");
                JsonNode captions = output.path("captions");
                lines.add(output.path("format").asText() + " "
                        + output.path("resolution").asText() + " "
                        + output.path("downloadUrl").asText() + (poster.isEmpty() ? "" : " poster " + poster)
                        + (captions.hasNonNull("vtt")
                                ? " captions " + captions.path("vtt").asText() + " "
                                        + captions.path("srt").asText()
                                : ""));
            }
        }
        for (JsonNode warning : job.path("warnings")) {
            String field = warning.path("field").asText("");
            lines.add("warning: " + (field.isEmpty() ? "" : field + ": ")
                    + warning.path("message").asText() + " ("
                    + warning.path("code").asText() + ")");
        }
        return lines;
    }

    private ObjectNode request() {
        ObjectNode request = Gateway.JSON.createObjectNode();
        request.put("tweetBody", text);
        request.put("profileName", name);
        request.put("username", user);
        if (photo != null) {
            request.put("profilePhotoUrl", photo);
        }
        if (theme != null) {
            request.put("theme", theme);
        }
        if (duration != null) {
            request.put("durationSeconds", duration);
        }
        if (formats != null) {
            formats.forEach(request.putArray("formats")::add);
        }
        if (media != null) {
            media.forEach(url -> request.withArray("media").addObject().put("url", url));
        }
        putIfSet(request, "verified", verified);
        putIfSet(request, "postedAt", postedAt);
        putIfSet(request, "timeZone", timeZone);
        putIfSet(request, "locale", locale);
        putIfSet(request, "replyTo", replyTo);
        putIfSet(request, "accentColor", accent);
        putIfSet(request, "animation", animation);
        if (zoom) {
            request.put("zoom", true);
        }
        putIfSet(request, "music", music);
        putIfSet(request, "audioUrl", audioUrl);
        return request;
    }

    private static Map<String, String> optionsOfFields(String... fieldThenOption) {
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 0; i < fieldThenOption.length; i += 2) {
            options.put(fieldThenOption[i], fieldThenOption[i + 1]);
        }
        return Collections.unmodifiableMap(options);
    }

    private static void putIfSet(ObjectNode request, String field, String value) {
        if (value != null) {
            request.put(field, value);
        }
    }

    /** The step, and how the job ended when it did not complete. */
    static String step(JsonNode job) {
        String status = job.path("status").asText();
        String step = job.path("currentStep").asText();
        return status.equals("failed") || status.equals("canceled") ? step + " (" + status + ")" : step;
    }

    /** "failed at composing_video: ffmpeg exited with 1 (FFMPEG_FAILED)", or "was canceled at ...". */
    static String outcome(JsonNode job) {
        String status = job.path("status").asText();
        if (status.equals("failed")) {
            JsonNode error = job.path("error");
            String step = error.path("step").asText(job.path("currentStep").asText());
            String code = error.path("code").asText("");
            return "failed at " + step + ": " + error.path("message").asText("no error message")
                    + (code.isEmpty() ? "" : " (" + code + ")");
        }
        return "was " + status + " at " + job.path("currentStep").asText();
    }
}
