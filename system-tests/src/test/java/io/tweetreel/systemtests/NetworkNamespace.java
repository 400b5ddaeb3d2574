package io.tweetreel.systemtests;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A Linux network namespace joined to the host's by a veth pair, {@value #HOST_ADDRESS} on the host's end and
 * {@value #INNER_ADDRESS} inside: a machine of its own on a link a test can cut. Needs root and iproute2's
 * {@code ip netns}. One at a time (fixed names, so a run killed before cleaning up is cleaned up by the next).
 */
final class NetworkNamespace {
    static final String NAME = "tweetreel-partition";
    static final String HOST_ADDRESS = "10.203.0.1";
    static final String INNER_ADDRESS = "10.203.0.2";
    /** Interface names are at most 15 characters. */
    private static final String HOST_LINK = "trpart-host";

    private static final String INNER_LINK = "trpart-inner";

    private NetworkNamespace() {}

    /** Why no namespace can be made here, if so: not root, or no {@code ip netns}. */
    static Optional<String> whyUnavailable() {
        if (!"root".equals(System.getProperty("user.name"))) {
            return Optional.of("network namespaces need root; running as " + System.getProperty("user.name"));
        }
        try {
            ip("netns", "list");
            return Optional.empty();
        } catch (Exception e) {
            return Optional.of("no `ip netns` (iproute2): " + e.getMessage());
        }
    }

    /** Makes the namespace and its link, up, removing a leftover of an earlier run first. */
    static void create() throws Exception {
        remove();
        ip("netns", "add", NAME);
        ip("link", "add", HOST_LINK, "type", "veth", "peer", "name", INNER_LINK, "netns", NAME);
        ip("addr", "add", HOST_ADDRESS + "/30", "dev", HOST_LINK);
        ip("link", "set", HOST_LINK, "up");
        inside("ip", "addr", "add", INNER_ADDRESS + "/30", "dev", INNER_LINK);
        inside("ip", "link", "set", INNER_LINK, "up");
        inside("ip", "link", "set", "lo", "up");
    }

    /** Deletes the link and the namespace, whatever of them exists. */
    static void remove() {
        try {
            ip("link", "del", HOST_LINK);
        } catch (Exception absent) {
            // nothing to delete
        }
        try {
            ip("netns", "del", NAME);
        } catch (Exception absent) {
            // nothing to delete
        }
    }

    /** Takes the link down: whatever either side sends to the other is lost, no connection is told. */
    static void cut() throws Exception {
        ip("link", "set", HOST_LINK, "down");
    }

    static void restore() throws Exception {
        ip("link", "set", HOST_LINK, "up");
    }

    /** The words that run a command inside the namespace. */
    static List<String> launcher() {
        return List.of("ip", "netns", "exec", NAME);
    }

    private static void inside(String... command) throws Exception {
        List<String> words = new ArrayList<>(launcher());
        words.addAll(List.of(command));
        run(words);
    }

    private static void ip(String... args) throws Exception {
        List<String> words = new ArrayList<>(List.of("ip"));
        words.addAll(List.of(args));
        run(words);
    }

    private static void run(List<String> command) throws Exception {
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new IOException(String.join(" ", command) + ": " + e.getMessage(), e);
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + output);
        }
    }
}
