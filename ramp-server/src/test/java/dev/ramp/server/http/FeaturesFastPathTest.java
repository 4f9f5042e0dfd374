package dev.ramp.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FeaturesFastPathTest {
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "gzip|true", "GZIP|true", "deflate, gzip|true", "gzip;q=0.5|true", "br, gzip ; q=1|true",
        "gzip;q=0|false", "gzip; q=0.000|false", "deflate|false", "x-gzip|false", "''|false"})
    void acceptsGzip_readsTheCodingsAndTheirWeights(String header, boolean expected) {
        assertThat(FeaturesFastPath.acceptsGzip(header)).isEqualTo(expected);
    }
}
