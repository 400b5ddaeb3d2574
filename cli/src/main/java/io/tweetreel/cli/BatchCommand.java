package io.tweetreel.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code tweetreel batch FILE --out DIR}: submits every item of the file as one batch, shows one progress bar over
 * the items, downloads each item's videos (one per format) into DIR as soon as it is done, and writes
 * {@code DIR/manifest.json} (one entry per item: index, jobId, status, filename, files, error; the shape of the batch
 * archive's manifest). Progress comes from polling {@code GET /api/batches/{id}}, which has every item's state in one
 * answer.
 */
@Command(
        name = "batch",
        mixinStandardHelpOptions = true,
        description = {
            "Make a reel for every item of FILE (JSON lines, or CSV with a header row naming reel's options without"
                    + " their dashes: text,name,user,photo,theme,duration,format,media,...), download the videos into DIR"
                    + " and write DIR/manifest.json.",
            "Ctrl-C cancels the batch."
        })
final class BatchCommand implements Callable<Integer> {
    private static final Pattern ITEM_FIELD = Pattern.compile("^items\\[(\\d+)]");
    /** The gateway files a batch in its table a moment after accepting it: a lookup may miss it until then. */
    private static final Duration NEW_BATCH_GRACE = Duration.ofSeconds(10);

    @ParentCommand
    private TweetReelClient client;

    @Mixin
    private GatewayOptions options;

    @Parameters(paramLabel = "FILE", description = "the items: FILE.jsonl (one request per line) or FILE.csv")
    private Path file;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "where the videos and manifest go")
    private Path out;

    /**
     * An item's outcome, as manifest.json lists it: {@code filename} is its first format's video, {@code files} every
     * video of it in DIR, {@code error} why the item did not complete or a video could not be downloaded.
     */
    record Entry(int index, String jobId, String status, String filename, List<Video> files, String error) {}

    /** One video of an item in DIR. */
    record Video(String format, String filename) {}

    @Override
    public Integer call() {
        TweetReelClient.Terminal terminal = client.terminal();
        List<BatchFile.Item> items = BatchFile.read(file);
        try {
            Files.createDirectories(out);
        } catch (IOException e) {
            throw new UnusableInputException("cannot create " + out + ": " + e);
        }
        Gateway gateway = options.gateway(client);
        JsonNode accepted;
        try {
            accepted = gateway.post("/api/batches", body(items));
        } catch (ServerProblem problem) {
            throw problem.withFieldNames(field -> withLine(field, items));
        }
        String batchId = accepted.path("batchId").asText();
        List<String> jobIds = new ArrayList<>();
        accepted.path("jobs").forEach(job -> jobIds.add(job.path("jobId").asText()));
        terminal.err().println("batch " + batchId + ": " + jobIds.size() + " items");

        Map<String, Entry> entries = new HashMap<>();
        try (CancelOnInterrupt interrupt = CancelOnInterrupt.install(
                "batch " + batchId, () -> gateway.post(path(batchId) + "/cancel"), terminal.err())) {
            Progress progress = options.progress(terminal);
            long firstLookup = System.nanoTime();
            boolean seen = false;
            while (true) {
                JsonNode batch;
                try {
                    batch = gateway.get(path(batchId));
                    seen = true;
                } catch (ServerProblem problem) {
                    boolean young = System.nanoTime() - firstLookup < NEW_BATCH_GRACE.toNanos();
                    if (problem.status() != 404 || seen || !young) {
                        throw problem;
                    }
                    batch = null;
                }
                if (batch != null && track(batch, jobIds, entries, progress, interrupt, gateway)) {
                    break;
                }
                pause(terminal.pollInterval());
            }
            progress.end();
            interrupt.disarm();
        }
        List<Entry> manifest = new ArrayList<>();
        for (int i = 0; i < jobIds.size(); i++) {
            manifest.add(entries.get(jobIds.get(i)));
        }
        Path manifestFile = writeManifest(manifest);
        List<Entry> failed = manifest.stream().filter(e -> e.error() != null).toList();
        if (failed.isEmpty()) {
            int videos = manifest.stream().mapToInt(e -> e.files().size()).sum();
            terminal.err().println(videos + " videos in " + out);
        } else {
            terminal.err()
                    .println("tweetreel: " + failed.size() + " of " + manifest.size() + " items did not complete:");
            for (Entry entry : failed) {
                terminal.err()
                        .println("  items[" + entry.index() + "] (line "
                                + items.get(entry.index()).line() + ", job " + entry.jobId() + "): " + entry.error());
            }
        }
        terminal.out().println(manifestFile);
        return failed.isEmpty() ? 0 : TweetReelClient.FAILED;
    }

    /**
     * Downloads what completed since the last look, records what ended, shows the progress; answers whether every item
     * has ended.
     */
    private boolean track(
            JsonNode batch,
            List<String> jobIds,
            Map<String, Entry> entries,
            Progress progress,
            CancelOnInterrupt interrupt,
            Gateway gateway) {
        Map<String, JsonNode> jobs = new HashMap<>();
        batch.path("jobs").forEach(job -> jobs.put(job.path("jobId").asText(), job));
        int percentSum = 0;
        int running = 0;
        for (int index = 0; index < jobIds.size(); index++) {
            String jobId = jobIds.get(index);
            JsonNode job = jobs.get(jobId);
            if (!entries.containsKey(jobId) && job != null && Jobs.isFinal(job)) {
                entries.put(jobId, finish(index, job, interrupt, gateway));
            }
            if (entries.containsKey(jobId)) {
                percentSum += 100;
            } else if (job != null) {
                percentSum += job.path("progress").asInt();
                running += job.path("status").asText().equals("processing") ? 1 : 0;
            }
        }
        long failed = entries.values().stream().filter(e -> e.error() != null).count();
        String what = entries.size() + "/" + jobIds.size() + " done" + (failed > 0 ? ", " + failed + " failed" : "")
                + (running > 0 ? ", " + running + " running" : "");
        progress.show(percentSum / jobIds.size(), what);
        return entries.size() == jobIds.size();
    }

    /** An item that ended: its videos downloaded if it completed. */
    private Entry finish(int index, JsonNode job, CancelOnInterrupt interrupt, Gateway gateway) {
        String jobId = job.path("jobId").asText();
        String status = job.path("status").asText();
        if (!status.equals("completed")) {
            String error = status.equals("failed")
                    ? job.path("error").path("message").asText("failed")
                    : status + " at " + job.path("currentStep").asText();
            return new Entry(index, jobId, status, null, List.of(), error);
        }
        JsonNode result = job.path("result");
        List<JsonNode> outputs = new ArrayList<>();
        result.path("outputs").forEach(outputs::add);
        if (outputs.isEmpty()) {
            outputs.add(result); // a gateway from before formats: the result is the one video
        }
        List<Video> files = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (JsonNode output : outputs) {
            String format = output.path("format").asText("9:16");
            String filename = output.path("filename").asText();
            Path target = out.resolve(filename);
            interrupt.removeOnInterrupt(Gateway.partFile(target));
            try {
                gateway.download(URI.create(output.path("downloadUrl").asText()), target);
                files.add(new Video(format, filename));
            } catch (ServerProblem | GatewayUnreachable e) {
                problems.add((outputs.size() > 1 ? format + ": " : "") + e.getMessage());
            }
        }
        // the result's own filename is the first format's: named only when that video is in DIR
        String seed = result.path("filename").asText();
        String first = files.stream().anyMatch(video -> video.filename().equals(seed)) ? seed : null;
        String error = problems.isEmpty() ? null : "download failed: " + String.join("; ", problems);
        return new Entry(index, jobId, status, first, List.copyOf(files), error);
    }

    private Path writeManifest(List<Entry> manifest) {
        ArrayNode json = Gateway.JSON.createArrayNode();
        for (Entry entry : manifest) {
            ObjectNode item = json.addObject();
            item.put("index", entry.index());
            item.put("jobId", entry.jobId());
            item.put("status", entry.status());
            item.put("filename", entry.filename());
            ArrayNode files = item.putArray("files");
            entry.files()
                    .forEach(video ->
                            files.addObject().put("format", video.format()).put("filename", video.filename()));
            item.put("error", entry.error());
        }
        Path manifestFile = out.resolve("manifest.json");
        Path part = Gateway.partFile(manifestFile);
        try {
            Gateway.JSON.writerWithDefaultPrettyPrinter().writeValue(part.toFile(), json);
            Files.move(part, manifestFile, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UnusableInputException("cannot write " + manifestFile + ": " + e);
        }
        return manifestFile;
    }

    private static ObjectNode body(List<BatchFile.Item> items) {
        ObjectNode body = Gateway.JSON.createObjectNode();
        ArrayNode requests = body.putArray("items");
        items.forEach(item -> requests.add(item.request()));
        return body;
    }

    /** {@code items[3].tweetBody} → {@code items[3].tweetBody (line 5)}: where to fix it in the file. */
    private static String withLine(String field, List<BatchFile.Item> items) {
        Matcher matcher = ITEM_FIELD.matcher(field);
        if (matcher.find()) {
            int index = Integer.parseInt(matcher.group(1));
            if (index < items.size()) {
                return field + " (line " + items.get(index).line() + ")";
            }
        }
        return field;
    }

    private static String path(String batchId) {
        return "/api/batches/" + batchId;
    }

    private static void pause(Duration interval) {
        try {
            Thread.sleep(interval.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new GatewayUnreachable("interrupted while following the batch", e);
        }
    }
}
