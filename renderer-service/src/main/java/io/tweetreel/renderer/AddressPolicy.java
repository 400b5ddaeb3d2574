package io.tweetreel.renderer;

import java.net.InetAddress;
import java.util.EnumSet;
import java.util.Set;

/** Decides whether the photo fetcher may connect to a resolved address. A seam so tests can simulate public hosts. */
@FunctionalInterface
interface AddressPolicy {

    /** @return {@code null} if allowed, else a short reason such as "loopback" */
    String refusal(InetAddress address);

    /** Production default: public unicast only. */
    AddressPolicy PUBLIC_ONLY = allowing(EnumSet.of(AddressKind.PUBLIC));

    /**
     * {@code RENDERER_ALLOW_PRIVATE_PHOTO_HOSTS=true}, for tests and private deployments: adds loopback and private
     * ranges. Link-local (cloud metadata), multicast, unspecified and reserved stay refused: no photo host lives there.
     */
    AddressPolicy PUBLIC_AND_PRIVATE = allowing(EnumSet.of(AddressKind.PUBLIC, AddressKind.LOOPBACK,
            AddressKind.PRIVATE, AddressKind.SHARED_CGNAT, AddressKind.UNIQUE_LOCAL));

    static AddressPolicy allowing(Set<AddressKind> allowed) {
        Set<AddressKind> copy = EnumSet.copyOf(allowed);
        return address -> {
            AddressKind kind = AddressKind.of(address);
            return copy.contains(kind) ? null : kind.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ');
        };
    }
}
