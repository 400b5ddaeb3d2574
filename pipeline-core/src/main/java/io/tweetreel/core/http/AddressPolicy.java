package io.tweetreel.core.http;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * Decides whether {@link SafeHttpClient} may connect to an address. A seam so tests can simulate public hosts;
 * whatever a policy says, {@link SafeHttpClient} also refuses {@link #cloudPlatformRefusal cloud platform endpoints}.
 */
@FunctionalInterface
public interface AddressPolicy {

    /** @return {@code null} if allowed, else a short reason such as "loopback" */
    String refusal(InetAddress address);

    /** Production default: public unicast only. */
    AddressPolicy PUBLIC_ONLY = allowing(EnumSet.of(AddressKind.PUBLIC));

    /**
     * {@code RENDERER_ALLOW_PRIVATE_PHOTO_HOSTS=true}, for tests and private deployments: adds loopback and private
     * ranges. Link-local, multicast, unspecified, reserved and the cloud platform endpoints that live in the
     * private ranges (100.100.100.200, fd00:ec2::254, ...) stay refused: no photo or webhook host lives there.
     */
    AddressPolicy PUBLIC_AND_PRIVATE = allowing(EnumSet.of(
            AddressKind.PUBLIC,
            AddressKind.LOOPBACK,
            AddressKind.PRIVATE,
            AddressKind.SHARED_CGNAT,
            AddressKind.UNIQUE_LOCAL));

    /** Allows the given kinds of address, except cloud platform endpoints. */
    static AddressPolicy allowing(Set<AddressKind> allowed) {
        Set<AddressKind> copy = EnumSet.copyOf(allowed);
        return address -> {
            AddressKind kind = AddressKind.of(address);
            if (!copy.contains(kind)) {
                return kind.name().toLowerCase(Locale.ROOT).replace('_', ' ');
            }
            return cloudPlatformRefusal(address);
        };
    }

    /**
     * Refuses the addresses where clouds serve instance metadata (and with it credentials) or platform services,
     * also in their IPv4-mapped and other IPv6 forms: all of 169.254/16 and fe80::/10 (AWS, GCP, Azure, OpenStack,
     * DigitalOcean 169.254.169.254, AWS ECS 169.254.170.2, Tencent 169.254.0.23), Alibaba 100.100.100.200, Azure
     * WireServer 168.63.129.16, Oracle 192.0.0.192, AWS fd00:ec2::/32, GCP fd20:ce::254, Oracle fd00:c1::a9fe:a9fe.
     * Several of them sit in ranges {@link #PUBLIC_AND_PRIVATE} allows, hence a check of its own.
     *
     * @return {@code null} if the address is none of them, else "cloud metadata"
     */
    static String cloudPlatformRefusal(InetAddress address) {
        byte[] bytes = address.getAddress();
        if (address instanceof Inet6Address) {
            int first = bytes[0] & 0xFF;
            int second = bytes[1] & 0xFF;
            boolean linkLocal = first == 0xFE && (second & 0xC0) == 0x80;
            boolean awsInternal =
                    first == 0xFD && second == 0x00 && (bytes[2] & 0xFF) == 0x0E && (bytes[3] & 0xFF) == 0xC2;
            boolean gcpOrOracle = isAddress(bytes, "fd20:ce::254") || isAddress(bytes, "fd00:c1::a9fe:a9fe");
            if (linkLocal || awsInternal || gcpOrOracle) {
                return "cloud metadata";
            }
            bytes = AddressKind.embeddedIpv4(bytes);
            if (bytes == null) {
                return null;
            }
        }
        int a = bytes[0] & 0xFF;
        int b = bytes[1] & 0xFF;
        boolean linkLocal = a == 169 && b == 254;
        if (linkLocal
                || isAddress(bytes, "100.100.100.200")
                || isAddress(bytes, "168.63.129.16")
                || isAddress(bytes, "192.0.0.192")) {
            return "cloud metadata";
        }
        return null;
    }

    private static boolean isAddress(byte[] bytes, String literal) {
        try {
            return java.util.Arrays.equals(bytes, InetAddress.getByName(literal).getAddress());
        } catch (java.net.UnknownHostException e) {
            throw new IllegalArgumentException("not an IP literal: " + literal, e);
        }
    }
}
