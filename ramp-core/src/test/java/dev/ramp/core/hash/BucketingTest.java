package dev.ramp.core.hash;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.apache.commons.codec.digest.MurmurHash3;
import org.junit.jupiter.api.Test;

class BucketingTest {

    // Unleash's cross-SDK check (unleash-client-node and the Java SDK's StrategyUtilsTest): the same buckets
    // in every language.
    @Test
    void bucketOf_unleashCrossClientValues_match() {
        assertThat(Bucketing.bucketOf("gr1", "123")).isEqualTo(73);
        assertThat(Bucketing.bucketOf("groupX", "999")).isEqualTo(25);
    }

    // Pinned with Apache Commons Codec 1.23.0 MurmurHash3.hash32x86 over the UTF-8 bytes of "group:unit"
    // (itself checked against the reference vector "The quick brown fox..." seed 0x9747b28c = 0x2fa826cd).
    @Test
    void hash_knownAnswers_arePinned() {
        assertThat(Integer.toUnsignedString(Bucketing.hash("", "", 0))).isEqualTo("723937430");
        assertThat(Integer.toUnsignedString(Bucketing.hash("gr1", "123", 0))).isEqualTo("538421172");
        assertThat(Integer.toUnsignedString(Bucketing.hash("flexible", "user-1", 0))).isEqualTo("3309005495");
        assertThat(Integer.toUnsignedString(Bucketing.hash("🚀", "ü", 0))).isEqualTo("3556434561");
        assertThat(Integer.toUnsignedString(Bucketing.hash("group", "unit-with-twelve", 0))).isEqualTo("1626453992");
        assertThat(Integer.toUnsignedString(Bucketing.hash("gr1", "123", Bucketing.VARIANT_SEED))).isEqualTo("4076427795");
        assertThat(Bucketing.bucketOf("Feature.Variants.C", "163", 1000, Bucketing.VARIANT_SEED)).isEqualTo(963);
    }

    @Property(tries = 2000)
    void hash_anyText_equalsCommonsCodecOverUtf8Bytes(
            @ForAll("text") String group, @ForAll("text") String unit, @ForAll int seed) {
        byte[] bytes = (group + ":" + unit).getBytes(StandardCharsets.UTF_8);
        assertThat(Bucketing.hash(group, unit, seed)).isEqualTo(MurmurHash3.hash32x86(bytes, 0, bytes.length, seed));
    }

    @Property(tries = 1000)
    void bucketGroup_anyText_agreesWithBucketing(@ForAll("text") String group, @ForAll("text") String unit,
            @ForAll int seed, @ForAll @IntRange(min = 1, max = 100_000) int modulus) {
        BucketGroup prepared = BucketGroup.of(group, seed);
        assertThat(prepared.hash(unit)).isEqualTo(Bucketing.hash(group, unit, seed));
        assertThat(prepared.bucketOf(unit, modulus)).isEqualTo(Bucketing.bucketOf(group, unit, modulus, seed));
    }

    @Property(tries = 500)
    void bucketOf_isDeterministicAndInRange(@ForAll("text") String group, @ForAll("text") String unit,
            @ForAll @IntRange(min = 1, max = 100_000) int modulus) {
        int bucket = Bucketing.bucketOf(group, unit, modulus, Bucketing.VARIANT_SEED);
        assertThat(bucket).isBetween(1, modulus).isEqualTo(Bucketing.bucketOf(group, unit, modulus, Bucketing.VARIANT_SEED));
    }

    @Property(tries = 1000)
    void bucketOf_raisingThePercentage_neverRemovesAUnit(@ForAll("text") String group, @ForAll("text") String unit,
            @ForAll @IntRange(max = 100) int lower, @ForAll @IntRange(max = 100) int raise) {
        int higher = Math.min(100, lower + raise);
        int bucket = Bucketing.bucketOf(group, unit);
        if (bucket <= lower) {
            assertThat(bucket).isLessThanOrEqualTo(higher);
        }
    }

    /**
     * 100,000 units over 100 buckets: the chi-square statistic (99 degrees of freedom) must stay below
     * 148.23, its 0.999 quantile (scipy: {@code scipy.stats.chi2.ppf(0.999, 99)}). The units are fixed, so
     * the result is too.
     */
    @Test
    void bucketOf_hundredThousandUnits_isUniform() {
        int units = 100_000;
        int[] counts = new int[101];
        for (int i = 0; i < units; i++) {
            counts[Bucketing.bucketOf("uniformity", "user-" + i)]++;
        }
        double expected = units / 100.0;
        double chiSquare = 0;
        for (int bucket = 1; bucket <= 100; bucket++) {
            chiSquare += Math.pow(counts[bucket] - expected, 2) / expected;
        }
        assertThat(counts[0]).isZero();
        assertThat(chiSquare).isLessThan(148.23);
    }

    @Test
    void split_ninetyTen_staysWithinOnePercentOverTenThousandUnits() {
        long inCanary = java.util.stream.IntStream.range(0, 10_000)
                .filter(i -> Bucketing.bucketOf("checkout", "unit-" + i) <= 10).count();
        assertThat(inCanary).isBetween(900L, 1100L);
    }

    @Test
    void bucketOf_nonPositiveModulus_isRejected() {
        assertThatThrownBy(() -> Bucketing.bucketOf("g", "u", 0, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("modulus");
    }

    @Provide
    Arbitrary<String> text() {
        // All of UTF-16, lone surrogates included: they must hash as String.getBytes(UTF_8) encodes them ('?').
        return Arbitraries.oneOf(
                Arbitraries.strings().ofMaxLength(40),
                Arbitraries.strings().all().ofMaxLength(40),
                Arbitraries.strings().withChars("a:🚀\uD800\uDC00\uDFFFé").ofMaxLength(12));
    }
}
