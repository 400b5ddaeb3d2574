package io.tweetreel.devstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/** Port helpers shared by the stack's parts. */
final class Ports {

    static final String LOOPBACK = "127.0.0.1";

    private Ports() {}

    /**
     * Returns {@code port}, or a currently free loopback port when it is 0. Used where the port must be known
     * before the server starts (KRaft voters, the registry's command line); the tiny race with other processes
     * grabbing it in between is acceptable for a dev stack and tests.
     */
    static int resolve(int port) {
        if (port != 0) {
            return port;
        }
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(LOOPBACK))) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port on " + LOOPBACK, e);
        }
    }

    /** Fails early, with a message naming the port's user, when a fixed port is already taken. */
    static void requireFree(String what, int port) {
        if (port == 0) {
            return;
        }
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getByName(LOOPBACK), port));
        } catch (IOException e) {
            throw new IllegalStateException(
                    what + " port " + port + " is already in use (is another dev stack "
                            + "running?); stop that process or choose another port",
                    e);
        }
    }
}
