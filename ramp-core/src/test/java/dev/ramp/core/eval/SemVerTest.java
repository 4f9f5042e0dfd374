package dev.ramp.core.eval;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SemVerTest {

    @ParameterizedTest
    @ValueSource(strings = {"v1.2.3", "1.2", "1.2.3.4", "01.2.3", "1.02.3", "1.2.3-", "1.2.3-01", "1.2.3+", "1.2.3-a..b",
            "1.2.3-é", " 1.2.3", "", "1.2.3-rc+b+c", "18446744073709551616.0.0"})
    void parse_invalidVersions_areRejected(String text) {
        assertThat(SemVer.parse(text)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"0.0.0", "1.2.3", "1.2.3-rc.1", "1.2.3-0.3.7", "1.2.3-x-y-z.--", "1.2.3+build.5", "1.2.3-beta+exp.sha.5114f85"})
    void parse_validVersions_areAccepted(String text) {
        assertThat(SemVer.parse(text)).isPresent();
    }

    /** The precedence example of semver.org §11.4, in order. */
    @Test
    void compareTo_followsSemverPrecedence() {
        List<String> ordered = List.of("1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta", "1.0.0-beta", "1.0.0-beta.2",
                "1.0.0-beta.11", "1.0.0-rc.1", "1.0.0", "1.0.1", "1.1.0", "2.0.0");
        for (int i = 0; i + 1 < ordered.size(); i++) {
            SemVer lower = SemVer.parse(ordered.get(i)).orElseThrow();
            SemVer higher = SemVer.parse(ordered.get(i + 1)).orElseThrow();
            assertThat(lower.compareTo(higher)).as(ordered.get(i) + " < " + ordered.get(i + 1)).isNegative();
            assertThat(higher.compareTo(lower)).isPositive();
        }
        // As the Rust semver crate that Unleash's engine uses: build metadata breaks ties, none is lowest.
        assertThat(SemVer.parse("1.0.0").orElseThrow().compareTo(SemVer.parse("1.0.0+b").orElseThrow())).isNegative();
        assertThat(SemVer.parse("1.0.0+a").orElseThrow().compareTo(SemVer.parse("1.0.0+b").orElseThrow())).isNegative();
        assertThat(SemVer.parse("1.0.0+b").orElseThrow()).isEqualTo(SemVer.parse("1.0.0+b").orElseThrow());
        assertThat(SemVer.parse("18446744073709551615.0.0").orElseThrow().compareTo(SemVer.parse("1.0.0").orElseThrow()))
                .as("unsigned 64-bit numbers").isPositive();
    }
}
