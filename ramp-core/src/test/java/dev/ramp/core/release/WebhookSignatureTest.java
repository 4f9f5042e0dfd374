package dev.ramp.core.release;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class WebhookSignatureTest {
    private static final String SECRET = "whsec-0123456789abcdef";
    private static final Instant SENT = Instant.ofEpochSecond(1_764_583_200L);
    private static final byte[] BODY = "{\"release\":\"shop-v2\"}".getBytes(StandardCharsets.UTF_8);

    @Test
    void sign_matchesOpensslOverTheTimeADotAndTheBody() {
        // printf '1764583200.{"release":"shop-v2"}' | openssl dgst -sha256 -hmac 'whsec-0123456789abcdef'
        assertThat(WebhookSignature.sign(List.of(SECRET), SENT, BODY))
                .isEqualTo("t=1764583200,v1=9a5f6ca11dc9b69bb4c5c76b79471716fd943a1e7a11aa91d0e3a6810b92c5b3");
    }

    @Test
    void verify_acceptsWhatWasSigned_withinTheTolerance() {
        String header = WebhookSignature.sign(List.of(SECRET), SENT, BODY);

        assertThat(WebhookSignature.verify(SECRET, header, BODY, SENT.plusSeconds(299), Duration.ofMinutes(5))).isTrue();
        assertThat(WebhookSignature.verify(SECRET, header, BODY, SENT.minusSeconds(299), Duration.ofMinutes(5))).isTrue();
    }

    @Test
    void verify_refusesAnotherBody_anotherSecret_andAnOldOrFutureTime() {
        String header = WebhookSignature.sign(List.of(SECRET), SENT, BODY);
        byte[] altered = "{\"release\":\"shop-v3\"}".getBytes(StandardCharsets.UTF_8);

        assertThat(WebhookSignature.verify(SECRET, header, altered, SENT, Duration.ofMinutes(5))).isFalse();
        assertThat(WebhookSignature.verify("another-secret-0123", header, BODY, SENT, Duration.ofMinutes(5))).isFalse();
        assertThat(WebhookSignature.verify(SECRET, header, BODY, SENT.plusSeconds(301), Duration.ofMinutes(5))).isFalse();
        assertThat(WebhookSignature.verify(SECRET, header, BODY, SENT.minusSeconds(301), Duration.ofMinutes(5))).isFalse();
    }

    @Test
    void verify_refusesTheSignatureUnderAnotherTime() {
        String header = WebhookSignature.sign(List.of(SECRET), SENT, BODY);
        String replayed = header.replace("t=1764583200", "t=1764583260");

        assertThat(WebhookSignature.verify(SECRET, replayed, BODY, SENT.plusSeconds(60), Duration.ofMinutes(5))).isFalse();
    }

    @Test
    void sign_withTwoSecrets_isAcceptedByAReceiverOfEither() {
        String header = WebhookSignature.sign(List.of("old-secret-0123456", SECRET), SENT, BODY);

        assertThat(header.split(",")).hasSize(3);
        assertThat(WebhookSignature.verify("old-secret-0123456", header, BODY, SENT, Duration.ofMinutes(5))).isTrue();
        assertThat(WebhookSignature.verify(SECRET, header, BODY, SENT, Duration.ofMinutes(5))).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "t=", "v1=00", "t=1764583200", "t=abc,v1=00", "t=99999999999999999999999,v1=00",
            "t=1764583200,v1=", ",,,", "t=-1,v1=00", "t=999999999999999999,v1=00"})
    void verify_malformedHeader_isFalse(String header) {
        assertThat(WebhookSignature.verify(SECRET, header, BODY, SENT, Duration.ofMinutes(5))).isFalse();
    }

    @Test
    void verify_noHeaderOrNoSecret_isFalse() {
        String header = WebhookSignature.sign(List.of(SECRET), SENT, BODY);

        assertThat(WebhookSignature.verify(SECRET, null, BODY, SENT, Duration.ofMinutes(5))).isFalse();
        assertThat(WebhookSignature.verify("", header, BODY, SENT, Duration.ofMinutes(5))).isFalse();
    }

    @Test
    void sign_withoutASecret_isRefused() {
        assertThatThrownBy(() -> WebhookSignature.sign(List.of(), SENT, BODY))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least one secret");
        assertThatThrownBy(() -> WebhookSignature.sign(List.of(""), SENT, BODY))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("empty");
    }
}
