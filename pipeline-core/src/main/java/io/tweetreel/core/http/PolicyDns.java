package io.tweetreel.core.http;

import io.tweetreel.core.http.SafeHttpException.Reason;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import okhttp3.Dns;

/**
 * OkHttp's name resolution for one exchange of {@link SafeHttpClient}: resolves with the exchange's deadline and
 * returns the addresses only if every one passes the {@link AddressPolicy}, so OkHttp never learns an address it
 * may not connect to. One instance per exchange: it carries the deadline and remembers why it refused, because
 * OkHttp hands a {@link Dns} failure back as a bare {@link UnknownHostException}.
 */
final class PolicyDns implements Dns {

    /** Name resolution cannot be given a timeout, so it runs here and is waited on until the deadline. */
    private static final ExecutorService RESOLVER_THREADS = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "safe-http-dns");
        thread.setDaemon(true);
        return thread;
    });

    private final HostResolver resolver;
    private final AddressPolicy policy;
    private final long deadlineNanos;
    private volatile SafeHttpException refusal;

    PolicyDns(HostResolver resolver, AddressPolicy policy, long deadlineNanos) {
        this.resolver = resolver;
        this.policy = policy;
        this.deadlineNanos = deadlineNanos;
    }

    @Override
    public List<InetAddress> lookup(String host) throws UnknownHostException {
        try {
            return resolveAndCheck(host, resolver);
        } catch (SafeHttpException e) {
            refusal = e;
            throw new UnknownHostException(e.getMessage());
        }
    }

    /** Why the last lookup failed, or {@code null}. */
    SafeHttpException refusal() {
        return refusal;
    }

    /**
     * Resolves with {@code resolver} (IP literals: {@link HostResolver#SYSTEM}, which parses them as OkHttp does)
     * and checks every address: ANY refused address refuses the host, otherwise a name with one public and one
     * internal record would be a coin toss.
     */
    List<InetAddress> resolveAndCheck(String host, HostResolver resolver) throws SafeHttpException {
        Future<InetAddress[]> lookup = RESOLVER_THREADS.submit(() -> resolver.resolve(host));
        InetAddress[] resolved;
        try {
            resolved = lookup.get(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            lookup.cancel(true);
            throw new SafeHttpException(Reason.TIMEOUT, "resolving " + host + " took too long");
        } catch (InterruptedException e) {
            lookup.cancel(true);
            Thread.currentThread().interrupt();
            throw new SafeHttpException(Reason.TIMEOUT, "interrupted");
        } catch (ExecutionException e) {
            String why = e.getCause() instanceof UnknownHostException ? "" : ": " + e.getCause();
            throw new SafeHttpException(Reason.UNRESOLVABLE_HOST, "cannot resolve " + host + why);
        }
        if (resolved == null || resolved.length == 0) {
            throw new SafeHttpException(Reason.UNRESOLVABLE_HOST, "cannot resolve " + host);
        }
        for (InetAddress address : resolved) {
            String refused = refusal(policy, address);
            if (refused != null) {
                throw new SafeHttpException(
                        Reason.ADDRESS_NOT_ALLOWED,
                        host + " resolves to " + address.getHostAddress() + " (" + refused + ")");
            }
        }
        return List.of(resolved);
    }

    /** The policy's verdict, with cloud platform endpoints refused whatever the policy says. */
    static String refusal(AddressPolicy policy, InetAddress address) {
        String refused = policy.refusal(address);
        return refused != null ? refused : AddressPolicy.cloudPlatformRefusal(address);
    }
}
