package io.tweetreel.systemtests;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Plain TCP forwarding of a few ports: what listens on {@code listenHost:port} is connected to
 * {@code targetHost:port}, byte for byte, for each port. Used on both ends of a network namespace's link, so a
 * service inside the namespace reaches the stack's loopback addresses (Kafka advertises 127.0.0.1) through the link
 * that a test cuts. Runs in the test's JVM, or as a JVM of its own inside the namespace ({@link #main}).
 */
final class TcpForwarder implements Closeable {
    private static final int CONNECT_TIMEOUT_MS = 10_000;

    private final List<ServerSocket> listeners = new ArrayList<>();
    private final List<Socket> connections = new CopyOnWriteArrayList<>();

    private TcpForwarder() {}

    /** Listens on every port at once; returns when all are bound. */
    static TcpForwarder start(String listenHost, String targetHost, List<Integer> ports) throws IOException {
        TcpForwarder forwarder = new TcpForwarder();
        try {
            for (int port : ports) {
                ServerSocket listener = new ServerSocket();
                listener.setReuseAddress(true);
                listener.bind(new InetSocketAddress(InetAddress.getByName(listenHost), port));
                forwarder.listeners.add(listener);
                daemon("forward-accept-" + port, () -> forwarder.accept(listener, targetHost, port));
            }
        } catch (IOException e) {
            forwarder.close();
            throw e;
        }
        return forwarder;
    }

    private void accept(ServerSocket listener, String targetHost, int port) {
        while (!listener.isClosed()) {
            Socket client;
            try {
                client = listener.accept();
            } catch (IOException closed) {
                return;
            }
            daemon("forward-connect-" + port, () -> {
                Socket target = new Socket();
                try {
                    target.connect(new InetSocketAddress(targetHost, port), CONNECT_TIMEOUT_MS);
                } catch (IOException unreachable) {
                    closeQuietly(client);
                    closeQuietly(target);
                    return;
                }
                connections.add(client);
                connections.add(target);
                daemon("forward-up-" + port, () -> pipe(client, target));
                pipe(target, client);
            });
        }
    }

    /** Copies until either end closes or fails, then closes both, as a dropped connection would look to each. */
    private void pipe(Socket from, Socket to) {
        byte[] buffer = new byte[64 * 1024];
        try (InputStream in = from.getInputStream();
                OutputStream out = to.getOutputStream()) {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                out.write(buffer, 0, n);
            }
        } catch (IOException endOfEitherSide) {
            // closed below
        } finally {
            closeQuietly(from);
            closeQuietly(to);
            connections.remove(from);
            connections.remove(to);
        }
    }

    @Override
    public void close() {
        listeners.forEach(TcpForwarder::closeQuietly);
        connections.forEach(TcpForwarder::closeQuietly);
    }

    private static void daemon(String name, Runnable body) {
        Thread thread = new Thread(body, name);
        thread.setDaemon(true);
        thread.start();
    }

    private static void closeQuietly(Closeable closeable) {
        try {
            closeable.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    /** {@code LISTEN_HOST TARGET_HOST PORT...}; prints {@code ready} once listening, then forwards until killed. */
    public static void main(String[] args) throws Exception {
        List<Integer> ports = new ArrayList<>();
        for (int i = 2; i < args.length; i++) {
            ports.add(Integer.parseInt(args[i]));
        }
        start(args[0], args[1], ports);
        System.out.println("ready");
        System.out.flush();
        Thread.currentThread().join();
    }
}
