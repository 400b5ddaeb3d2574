package io.tweetreel.core.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AddressKindTest {

    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource({
        "127.0.0.1, LOOPBACK",
        "127.255.0.9, LOOPBACK",
        "::1, LOOPBACK",
        "10.0.0.1, PRIVATE",
        "172.16.0.1, PRIVATE",
        "172.31.255.255, PRIVATE",
        "192.168.1.1, PRIVATE",
        "fec0::1, PRIVATE",
        "100.64.0.1, SHARED_CGNAT",
        "100.127.255.254, SHARED_CGNAT",
        "fc00::1, UNIQUE_LOCAL",
        "fd12:3456::1, UNIQUE_LOCAL",
        "169.254.169.254, LINK_LOCAL",
        "fe80::1, LINK_LOCAL",
        "224.0.0.1, MULTICAST",
        "ff02::1, MULTICAST",
        "0.0.0.0, UNSPECIFIED",
        "0.1.2.3, UNSPECIFIED",
        "::, UNSPECIFIED",
        "255.255.255.255, RESERVED",
        "240.0.0.1, RESERVED",
        "192.0.2.1, RESERVED",
        "198.18.0.1, RESERVED",
        "2001:db8::1, RESERVED",
        "::ffff:7f00:1, LOOPBACK",
        "::ffff:a9fe:a9fe, LINK_LOCAL",
        "::127.0.0.1, LOOPBACK",
        "::8.8.8.8, RESERVED",
        "64:ff9b::10.0.0.1, PRIVATE",
        "64:ff9b::8.8.8.8, PUBLIC",
        "2002:7f00:1::, LOOPBACK",
        "2002:0808:0808::1, PUBLIC",
        "2001::1, RESERVED",
        "8.8.8.8, PUBLIC",
        "100.63.255.255, PUBLIC",
        "100.128.0.0, PUBLIC",
        "172.32.0.1, PUBLIC",
        "93.184.216.34, PUBLIC",
        "2606:4700:4700::1111, PUBLIC",
    })
    void classifies(String literal, AddressKind expected) throws Exception {
        assertThat(AddressKind.of(InetAddress.getByName(literal))).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({"127.0.0.1", "10.0.0.1", "100.64.0.1", "fd00::1"})
    void privateHostSettingAllowsLoopbackAndPrivate(String literal) throws Exception {
        InetAddress address = InetAddress.getByName(literal);
        assertThat(AddressPolicy.PUBLIC_ONLY.refusal(address)).isNotNull();
        assertThat(AddressPolicy.PUBLIC_AND_PRIVATE.refusal(address)).isNull();
    }

    @ParameterizedTest
    @CsvSource({
        "169.254.169.254",
        "0.0.0.0",
        "224.0.0.1",
        "fe80::1",
        "::",
        "100.100.100.200",
        "fd00:ec2::254",
        "::ffff:100.100.100.200"
    })
    void privateHostSettingStillRefusesMetadataMulticastAndUnspecified(String literal) throws Exception {
        assertThat(AddressPolicy.PUBLIC_AND_PRIVATE.refusal(InetAddress.getByName(literal)))
                .isNotNull();
    }
}
