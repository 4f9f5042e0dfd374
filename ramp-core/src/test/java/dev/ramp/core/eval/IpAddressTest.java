package dev.ramp.core.eval;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IpAddressTest {

    @ParameterizedTest
    @ValueSource(strings = {"", "1.2.3", "1.2.3.4.5", "256.1.1.1", "01.2.3.4", "1.2.3.a", "localhost", "example.com",
            ":", ":::", "1::2::3", "1:2:3:4:5:6:7:8:9", "12345::", "fe80::1%eth0", "::ffff:1.2.3", "1.2.3.4::", "g::1", "1:"})
    void parse_nonLiterals_areRejectedWithoutLookup(String text) {
        assertThat(IpAddress.parse(text)).isEmpty();
    }

    /** Every IPv6 address, written out in full, then compressed by the JDK, parses to its own bits. */
    @Property(tries = 500)
    void parse_anyIpv6Literal_matchesTheJdk(@ForAll @Size(16) byte[] bytes) throws Exception {
        InetAddress jdk = InetAddress.getByAddress(bytes);
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        IpAddress expected = jdk instanceof java.net.Inet6Address
                ? new IpAddress(true, buffer.getLong(), buffer.getLong())
                : null;
        String text = jdk.getHostAddress();
        if (expected != null) {
            assertThat(IpAddress.parse(text)).contains(expected);
        }
    }

    @Property(tries = 500)
    void parse_anyIpv4Literal_matchesTheJdk(@ForAll @Size(4) byte[] bytes) throws Exception {
        String text = InetAddress.getByAddress(bytes).getHostAddress();
        assertThat(IpAddress.parse(text)).contains(new IpAddress(false, 0, ByteBuffer.wrap(bytes).getInt() & 0xffffffffL));
    }

    @Test
    void cidr_blocks_containTheirAddressesOnly() {
        assertThat(CidrBlock.parse("10.0.0.0/8").orElseThrow().contains(IpAddress.parse("10.255.0.1").orElseThrow())).isTrue();
        assertThat(CidrBlock.parse("10.0.0.0/8").orElseThrow().contains(IpAddress.parse("11.0.0.1").orElseThrow())).isFalse();
        assertThat(CidrBlock.parse("0.0.0.0/0").orElseThrow().contains(IpAddress.parse("8.8.8.8").orElseThrow())).isTrue();
        assertThat(CidrBlock.parse("2001:db8::/32").orElseThrow().contains(IpAddress.parse("2001:db8:ffff::1").orElseThrow())).isTrue();
        assertThat(CidrBlock.parse("2001:db8::/127").orElseThrow().contains(IpAddress.parse("2001:db8::1").orElseThrow())).isTrue();
        assertThat(CidrBlock.parse("2001:db8::/128").orElseThrow().contains(IpAddress.parse("2001:db8::1").orElseThrow())).isFalse();
        assertThat(CidrBlock.parse("::/0").orElseThrow().contains(IpAddress.parse("1.2.3.4").orElseThrow())).as("families differ").isFalse();
        assertThat(CidrBlock.parse("::ffff:10.0.0.1").orElseThrow().contains(IpAddress.parse("::ffff:a00:1").orElseThrow())).isTrue();
        assertThat(CidrBlock.parse("1.2.3.4/33")).isEmpty();
        assertThat(CidrBlock.parse("::/129")).isEmpty();
        assertThat(CidrBlock.parse("1.2.3.4/")).isEmpty();
    }
}
