package io.tweetreel.renderer;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** Name resolution for the photo fetcher; a seam so tests can make a name resolve to loopback without touching DNS. */
@FunctionalInterface
interface HostResolver {

    InetAddress[] resolve(String host) throws UnknownHostException;

    HostResolver SYSTEM = InetAddress::getAllByName;
}
