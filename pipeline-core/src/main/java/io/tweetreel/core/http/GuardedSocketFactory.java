package io.tweetreel.core.http;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketException;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.SocketFactory;

/**
 * The last line of {@link SafeHttpClient}'s guard: every socket OkHttp opens checks its target against the policy
 * before connecting. {@link PolicyDns} already refuses names, and literals are checked before a call, but OkHttp
 * connects to IP literals without asking its {@link okhttp3.Dns}; here nothing reaches a refused address, whatever
 * path a URL takes. Also counts the connections it lets through.
 */
final class GuardedSocketFactory extends SocketFactory {

    private final AddressPolicy policy;
    private final AtomicLong connectionAttempts = new AtomicLong();

    GuardedSocketFactory(AddressPolicy policy) {
        this.policy = policy;
    }

    long connectionAttempts() {
        return connectionAttempts.get();
    }

    @Override
    public Socket createSocket() {
        return new GuardedSocket();
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
        return connected(new InetSocketAddress(host, port));
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
        return connected(new InetSocketAddress(host, port));
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
        return connected(new InetSocketAddress(host, port));
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
            throws IOException {
        return connected(new InetSocketAddress(address, port));
    }

    private Socket connected(InetSocketAddress target) throws IOException {
        Socket socket = new GuardedSocket();
        socket.connect(target);
        return socket;
    }

    /** Thrown instead of connecting; OkHttp passes it on (possibly as the cause of its own exception). */
    static final class RefusedAddressException extends SocketException {
        RefusedAddressException(String message) {
            super(message);
        }
    }

    private final class GuardedSocket extends Socket {
        @Override
        public void connect(SocketAddress endpoint, int timeout) throws IOException {
            InetAddress address = endpoint instanceof InetSocketAddress target ? target.getAddress() : null;
            if (address == null) {
                throw new RefusedAddressException("unresolved connection target " + endpoint);
            }
            String refused = PolicyDns.refusal(policy, address);
            if (refused != null) {
                throw new RefusedAddressException(address.getHostAddress() + " (" + refused + ")");
            }
            connectionAttempts.incrementAndGet();
            super.connect(endpoint, timeout);
        }
    }
}
