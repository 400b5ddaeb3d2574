package io.tweetreel.core.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A raw-socket HTTP server for tests that counts accepted TCP connections, so a test can prove that a refused
 * target was never even connected to (an HTTP-level server would only see requests).
 */
public final class CountingHttpServer implements AutoCloseable {

    /** Writes a complete raw HTTP response (or misbehaves on purpose). */
    @FunctionalInterface
    public interface Handler {
        void respond(String path, OutputStream out) throws IOException, InterruptedException;
    }

    private final ServerSocket serverSocket;
    private final AtomicInteger connections = new AtomicInteger();
    private final List<String> paths = new CopyOnWriteArrayList<>();
    private final List<ReceivedRequest> requests = new CopyOnWriteArrayList<>();
    private final ExecutorService threads = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "counting-http-server");
        thread.setDaemon(true);
        return thread;
    });
    private volatile Handler handler;

    private CountingHttpServer(ServerSocket serverSocket, Handler handler) {
        this.serverSocket = serverSocket;
        this.handler = handler;
        threads.submit(this::acceptLoop);
    }

    public static CountingHttpServer start(String bindAddress, Handler handler) throws IOException {
        ServerSocket socket = new ServerSocket();
        socket.bind(new InetSocketAddress(InetAddress.getByName(bindAddress), 0));
        return new CountingHttpServer(socket, handler);
    }

    /** HTTPS: connections are counted at TCP accept, before the handshake. */
    public static CountingHttpServer startTls(String bindAddress, javax.net.ssl.SSLContext tls, Handler handler)
            throws IOException {
        ServerSocket socket = tls.getServerSocketFactory().createServerSocket();
        socket.bind(new InetSocketAddress(InetAddress.getByName(bindAddress), 0));
        return new CountingHttpServer(socket, handler);
    }

    public int port() {
        return serverSocket.getLocalPort();
    }

    public String hostLiteral() {
        String host = serverSocket.getInetAddress().getHostAddress();
        return host.contains(":") ? "[" + host + "]" : host;
    }

    public String url(String path) {
        return "http://" + hostLiteral() + ":" + port() + path;
    }

    public int connections() {
        return connections.get();
    }

    public List<String> paths() {
        return paths;
    }

    /** Every request read so far, body included (by Content-Length), in arrival order. */
    public List<ReceivedRequest> requests() {
        return requests;
    }

    public void setHandler(Handler handler) {
        this.handler = handler;
    }

    @Override
    public void close() throws IOException {
        serverSocket.close();
        threads.shutdownNow();
    }

    private void acceptLoop() {
        while (!serverSocket.isClosed()) {
            try {
                Socket socket = serverSocket.accept();
                connections.incrementAndGet();
                threads.submit(() -> serve(socket));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket socket) {
        try (socket) {
            ReceivedRequest request = readRequest(socket.getInputStream());
            String path = request.path();
            paths.add(path);
            requests.add(request);
            OutputStream out = socket.getOutputStream();
            handler.respond(path, out);
            out.flush();
        } catch (IOException | InterruptedException e) {
            // client went away (e.g. the fetcher aborted an oversized body): expected in some tests
        }
    }

    private static ReceivedRequest readRequest(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        int c;
        while (matched < 4 && (c = in.read()) != -1 && head.size() < 65536) {
            head.write(c);
            matched = (c == '\r' || c == '\n') && "\r\n\r\n".charAt(matched) == c ? matched + 1 : (c == '\r' ? 1 : 0);
        }
        String[] lines = head.toString(StandardCharsets.ISO_8859_1).split("\r\n");
        String[] parts = lines[0].split(" ");
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) {
                headers.put(
                        lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
                        lines[i].substring(colon + 1).trim());
            }
        }
        int length = headers.containsKey("content-length") ? Integer.parseInt(headers.get("content-length")) : 0;
        byte[] body = in.readNBytes(length);
        return new ReceivedRequest(parts[0], parts.length > 1 ? parts[1] : "", Map.copyOf(headers), body);
    }

    /**
     * A request as it arrived.
     *
     * @param headers names in lower case
     */
    public record ReceivedRequest(String method, String path, Map<String, String> headers, byte[] body) {
        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        public String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    // ---- canned responses ---------------------------------------------------------------------------------

    public static Handler ok(String contentType, byte[] body) {
        return (path, out) -> {
            out.write(("HTTP/1.1 200 OK\r\nContent-Type: " + contentType + "\r\nContent-Length: " + body.length
                            + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.write(body);
        };
    }

    public static Handler chunked(String contentType, byte[] body, int chunkSize) {
        return (path, out) -> {
            out.write(("HTTP/1.1 200 OK\r\nContent-Type: " + contentType + "\r\nTransfer-Encoding: chunked\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            for (int offset = 0; offset < body.length; offset += chunkSize) {
                int length = Math.min(chunkSize, body.length - offset);
                out.write((Integer.toHexString(length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                out.write(body, offset, length);
                out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
            }
            out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        };
    }

    /** No Content-Length, no chunking: the body ends when the connection closes. */
    public static Handler untilClose(String contentType, byte[] body) {
        return (path, out) -> {
            out.write(("HTTP/1.1 200 OK\r\nContent-Type: " + contentType + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.write(body);
        };
    }

    public static Handler status(int status) {
        return (path, out) ->
                out.write(("HTTP/1.1 " + status + " Nope\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
    }

    public static Handler redirect(String location) {
        return (path, out) -> out.write(
                ("HTTP/1.1 302 Found\r\nLocation: " + location + "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
    }
}
