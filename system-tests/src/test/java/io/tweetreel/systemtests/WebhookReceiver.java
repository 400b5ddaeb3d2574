package io.tweetreel.systemtests;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntUnaryOperator;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A webhook endpoint on loopback for the system tests: a raw HTTP/1.1 server that records every request with the
 * wall-clock time it arrived and answers the n-th request (1-based) with the status {@code reply} gives, or never
 * ({@link #HANG}). {@link #stopListening()} and {@link #listenAgain()} close and reopen the port, so a sender meets a
 * refused connection in between.
 */
final class WebhookReceiver implements AutoCloseable {
    /** A reply that never comes: the connection stays open, silent, until the receiver is closed. */
    static final int HANG = -1;

    private final InetAddress address;
    private final IntUnaryOperator reply;
    private final AtomicInteger connections = new AtomicInteger();
    private final AtomicInteger requestCount = new AtomicInteger();
    private final List<Received> requests = new CopyOnWriteArrayList<>();
    private final List<Socket> open = new CopyOnWriteArrayList<>();
    private final ExecutorService threads = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "webhook-receiver");
        thread.setDaemon(true);
        return thread;
    });
    private volatile ServerSocket listener;
    private final int port;

    private WebhookReceiver(String bindAddress, IntUnaryOperator reply) throws IOException {
        this.address = InetAddress.getByName(bindAddress);
        this.reply = reply;
        this.listener = listen(0);
        this.port = listener.getLocalPort();
    }

    /** @param reply the status for the n-th request (1-based), or {@link #HANG} */
    static WebhookReceiver start(String bindAddress, IntUnaryOperator reply) throws IOException {
        return new WebhookReceiver(bindAddress, reply);
    }

    String url(String path) {
        return "http://" + address.getHostAddress() + ":" + port + path;
    }

    int connections() {
        return connections.get();
    }

    /** Every request read so far, in arrival order. */
    List<Received> requests() {
        return List.copyOf(requests);
    }

    /** Closes the port: connections are refused until {@link #listenAgain()}. Accepted ones stay as they are. */
    void stopListening() throws IOException {
        listener.close();
    }

    void listenAgain() throws IOException {
        listener = listen(port);
    }

    @Override
    public void close() throws IOException {
        listener.close();
        for (Socket socket : open) {
            socket.close();
        }
        threads.shutdownNow();
    }

    private ServerSocket listen(int onPort) throws IOException {
        ServerSocket socket = new ServerSocket();
        socket.setReuseAddress(true);
        socket.bind(new InetSocketAddress(address, onPort));
        threads.submit(() -> acceptLoop(socket));
        return socket;
    }

    private void acceptLoop(ServerSocket socket) {
        while (!socket.isClosed()) {
            try {
                Socket accepted = socket.accept();
                connections.incrementAndGet();
                open.add(accepted);
                threads.submit(() -> serve(accepted));
            } catch (IOException closed) {
                return;
            }
        }
    }

    private void serve(Socket socket) {
        try {
            Received request = read(socket.getInputStream());
            int n = requestCount.incrementAndGet();
            requests.add(request);
            int status = reply.applyAsInt(n);
            if (status == HANG) {
                return; // left open and silent; close() ends it
            }
            OutputStream out = socket.getOutputStream();
            out.write(("HTTP/1.1 " + status + " Test\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            socket.close();
            open.remove(socket);
        } catch (IOException e) {
            // the sender gave up on the connection (its timeout): nothing to answer
        }
    }

    private static Received read(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        int c;
        while (matched < 4 && (c = in.read()) != -1) {
            head.write(c);
            matched = c == "\r\n\r\n".charAt(matched) ? matched + 1 : (c == '\r' ? 1 : 0);
        }
        long arrivedAt = System.currentTimeMillis();
        String[] lines = head.toString(StandardCharsets.ISO_8859_1).split("\r\n");
        String[] requestLine = lines[0].split(" ");
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) {
                headers.put(
                        lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
                        lines[i].substring(colon + 1).trim());
            }
        }
        byte[] body = in.readNBytes(Integer.parseInt(headers.getOrDefault("content-length", "0")));
        return new Received(
                requestLine[0],
                requestLine.length > 1 ? requestLine[1] : "",
                headers,
                new String(body, StandardCharsets.UTF_8),
                arrivedAt);
    }

    /**
     * One request as it arrived.
     *
     * @param headers   names in lower case
     * @param arrivedAt wall-clock millis when its head was read
     */
    record Received(String method, String path, Map<String, String> headers, String body, long arrivedAt) {
        String header(String name) {
            return headers.get(name);
        }

        /**
         * Standard Webhooks 1.0 verification, written from the specification rather than taken from the sender:
         * the key is the base64-decoded part of the secret after {@code whsec_}; the signed content is
         * {@code webhook-id + "." + webhook-timestamp + "." + body}; {@code webhook-signature} holds
         * space-separated {@code v1,<base64 HMAC-SHA256>} entries, one of which must match (compared in constant
         * time); and the timestamp must be within {@code tolerance} of now, so an old message cannot be replayed.
         */
        boolean verifies(String secret, Duration tolerance) {
            String id = header("webhook-id");
            String timestamp = header("webhook-timestamp");
            String signatures = header("webhook-signature");
            if (id == null || timestamp == null || signatures == null || !timestamp.matches("\\d{1,12}")) {
                return false;
            }
            long age = Math.abs(System.currentTimeMillis() / 1000 - Long.parseLong(timestamp));
            if (age > tolerance.toSeconds()) {
                return false;
            }
            try {
                Mac hmac = Mac.getInstance("HmacSHA256");
                hmac.init(new SecretKeySpec(
                        Base64.getDecoder().decode(secret.substring("whsec_".length())), "HmacSHA256"));
                byte[] expected = hmac.doFinal((id + "." + timestamp + "." + body).getBytes(StandardCharsets.UTF_8));
                for (String entry : signatures.split(" ")) {
                    String[] versionAndSignature = entry.split(",", 2);
                    if (versionAndSignature.length == 2
                            && versionAndSignature[0].equals("v1")
                            && MessageDigest.isEqual(
                                    expected, Base64.getDecoder().decode(versionAndSignature[1]))) {
                        return true;
                    }
                }
                return false;
            } catch (java.security.GeneralSecurityException | IllegalArgumentException e) {
                return false;
            }
        }
    }
}
