package io.tweetreel.core.http;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** Name resolution for {@link SafeHttpClient}; a seam so tests can make a name resolve to loopback without DNS. */
@FunctionalInterface
public interface HostResolver {

    InetAddress[] resolve(String host) throws UnknownHostException;

    HostResolver SYSTEM = InetAddress::getAllByName;
}
