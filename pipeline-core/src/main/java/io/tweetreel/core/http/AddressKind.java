package io.tweetreel.core.http;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;

/** What an IP address points at, for {@link AddressPolicy} and so for {@link SafeHttpClient}'s SSRF guard. */
public enum AddressKind {
    PUBLIC,
    LOOPBACK,
    /** RFC 1918 and the deprecated IPv6 site-local range. */
    PRIVATE,
    /** RFC 6598 carrier-grade NAT, 100.64/10: internal to the provider, so not public. */
    SHARED_CGNAT,
    /** fc00::/7. */
    UNIQUE_LOCAL,
    /** 169.254/16 (cloud metadata lives here) and fe80::/10. */
    LINK_LOCAL,
    MULTICAST,
    /** 0.0.0.0/8 and ::, which Linux happily connects to the local host. */
    UNSPECIFIED,
    /** Documentation, benchmarking, future-use, broadcast and other ranges nobody serves avatars from. */
    RESERVED;

    public static AddressKind of(InetAddress address) {
        byte[] bytes = address.getAddress();
        if (address instanceof Inet4Address) {
            return ofIpv4(bytes, 0);
        }
        if (address instanceof Inet6Address) {
            return ofIpv6(bytes);
        }
        return RESERVED;
    }

    private static AddressKind ofIpv4(byte[] bytes, int offset) {
        int a = bytes[offset] & 0xFF;
        int b = bytes[offset + 1] & 0xFF;
        int c = bytes[offset + 2] & 0xFF;
        if (a == 0) {
            return UNSPECIFIED;
        }
        if (a == 10 || (a == 172 && b >= 16 && b <= 31) || (a == 192 && b == 168)) {
            return PRIVATE;
        }
        if (a == 100 && b >= 64 && b <= 127) {
            return SHARED_CGNAT;
        }
        if (a == 127) {
            return LOOPBACK;
        }
        if (a == 169 && b == 254) {
            return LINK_LOCAL;
        }
        if (a >= 224 && a <= 239) {
            return MULTICAST;
        }
        if (a >= 240
                || (a == 192 && b == 0 && (c == 0 || c == 2))
                || (a == 192 && b == 88 && c == 99)
                || (a == 198 && (b == 18 || b == 19))
                || (a == 198 && b == 51 && c == 100)
                || (a == 203 && b == 0 && c == 113)) {
            return RESERVED;
        }
        return PUBLIC;
    }

    private static AddressKind ofIpv6(byte[] b) {
        if (allZero(b, 0, 16)) {
            return UNSPECIFIED;
        }
        if (allZero(b, 0, 15) && b[15] == 1) {
            return LOOPBACK;
        }
        int first = b[0] & 0xFF;
        int second = b[1] & 0xFF;
        if (first == 0xFF) {
            return MULTICAST;
        }
        if ((first & 0xFE) == 0xFC) {
            return UNIQUE_LOCAL;
        }
        if (first == 0xFE && (second & 0xC0) == 0x80) {
            return LINK_LOCAL;
        }
        if (first == 0xFE && (second & 0xC0) == 0xC0) {
            return PRIVATE;
        }
        // Forms that carry an IPv4 address inside: judge the IPv4 address, else ::ffff:127.0.0.1 walks through.
        boolean mapped = allZero(b, 0, 10) && (b[10] & 0xFF) == 0xFF && (b[11] & 0xFF) == 0xFF;
        boolean compatible = allZero(b, 0, 12);
        boolean nat64 = first == 0x00
                && second == 0x64
                && (b[2] & 0xFF) == 0xFF
                && (b[3] & 0xFF) == 0x9B
                && (allZero(b, 4, 12) || (b[4] == 0 && b[5] == 1));
        if (mapped || compatible || nat64) {
            AddressKind embedded = ofIpv4(b, 12);
            return embedded == PUBLIC && compatible ? RESERVED : embedded;
        }
        if (first == 0x20 && second == 0x02) {
            AddressKind embedded = ofIpv4(b, 2);
            return embedded == PUBLIC ? PUBLIC : embedded;
        }
        boolean teredo = first == 0x20 && second == 0x01 && b[2] == 0 && b[3] == 0;
        boolean documentation = first == 0x20 && second == 0x01 && (b[2] & 0xFF) == 0x0D && (b[3] & 0xFF) == 0xB8;
        boolean discard = first == 0x01 && second == 0x00 && allZero(b, 2, 8);
        if (teredo || documentation || discard) {
            return RESERVED;
        }
        // Everything publicly routed today is global unicast, 2000::/3.
        return (first & 0xE0) == 0x20 ? PUBLIC : RESERVED;
    }

    /**
     * The IPv4 address carried inside an IPv4-mapped, IPv4-compatible, NAT64 (64:ff9b::/96, 64:ff9b:1::/48) or
     * 6to4 (2002::/16) IPv6 address, else {@code null}.
     */
    static byte[] embeddedIpv4(byte[] b) {
        int first = b[0] & 0xFF;
        int second = b[1] & 0xFF;
        boolean mapped = allZero(b, 0, 10) && (b[10] & 0xFF) == 0xFF && (b[11] & 0xFF) == 0xFF;
        boolean compatible = allZero(b, 0, 12) && !allZero(b, 12, 16);
        boolean nat64 = first == 0x00
                && second == 0x64
                && (b[2] & 0xFF) == 0xFF
                && (b[3] & 0xFF) == 0x9B
                && (allZero(b, 4, 12) || (b[4] == 0 && b[5] == 1));
        if (mapped || compatible || nat64) {
            return java.util.Arrays.copyOfRange(b, 12, 16);
        }
        if (first == 0x20 && second == 0x02) {
            return java.util.Arrays.copyOfRange(b, 2, 6);
        }
        return null;
    }

    private static boolean allZero(byte[] bytes, int from, int to) {
        for (int i = from; i < to; i++) {
            if (bytes[i] != 0) {
                return false;
            }
        }
        return true;
    }
}
