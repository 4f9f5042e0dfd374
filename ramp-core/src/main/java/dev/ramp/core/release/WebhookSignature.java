package dev.ramp.core.release;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The signature on every webhook call a Ramp server makes, and its check for the receiver:
 * {@code Ramp-Signature: t=<unix seconds>,v1=<hex>}, where the hex is HMAC-SHA256, keyed with a webhook secret of
 * the server, of {@code <t>.<body>}: the decimal time, a dot, and the body's exact bytes. Signing the time with the
 * body lets a receiver refuse a call replayed later. A server with several secrets (while one is being rotated)
 * sends one {@code v1} per secret, and a receiver accepts any that matches its own.
 *
 * <pre>{@code
 * boolean genuine = WebhookSignature.verify(secret, request.header("Ramp-Signature"), bodyBytes, Instant.now(),
 *         WebhookSignature.DEFAULT_TOLERANCE);
 * }</pre>
 */
public final class WebhookSignature {
    /** The header the signature travels in. */
    public static final String HEADER = "Ramp-Signature";
    /** How far from the receiver's clock a signature's time may be: five minutes, either way. */
    public static final Duration DEFAULT_TOLERANCE = Duration.ofMinutes(5);

    private static final String ALGORITHM = "HmacSHA256";

    private WebhookSignature() {}

    /** The header's value for {@code body} sent at {@code at}: one {@code v1} per secret, in their order. */
    public static String sign(List<String> secrets, Instant at, byte[] body) {
        if (secrets.isEmpty()) {
            throw new IllegalArgumentException("signing needs at least one secret");
        }
        if (secrets.contains("")) {
            throw new IllegalArgumentException("a webhook secret cannot be empty");
        }
        long seconds = at.getEpochSecond();
        StringBuilder header = new StringBuilder("t=").append(seconds);
        for (String secret : secrets) {
            header.append(",v1=").append(HexFormat.of().formatHex(mac(secret, seconds, body)));
        }
        return header.toString();
    }

    /**
     * Whether {@code header} (null when the request had none) signs {@code body} with {@code secret} at a time within
     * {@code tolerance} of {@code now}. A malformed header is false, never an exception; the comparison takes the
     * same time wherever the signatures differ.
     */
    public static boolean verify(String secret, String header, byte[] body, Instant now, Duration tolerance) {
        if (header == null || secret.isEmpty()) {
            return false;
        }
        Long seconds = null;
        List<byte[]> signatures = new ArrayList<>();
        for (String part : header.split(",")) {
            String item = part.trim();
            // At most 12 digits: any second before the year 33658, and nothing an Instant cannot hold.
            if (item.startsWith("t=") && item.length() > 2 && item.length() <= 14
                    && item.substring(2).chars().allMatch(Character::isDigit)) {
                seconds = Long.parseLong(item.substring(2));
            } else if (item.startsWith("v1=")) {
                signatures.add(item.substring(3).getBytes(StandardCharsets.US_ASCII));
            }
        }
        if (seconds == null || signatures.isEmpty()
                || Duration.between(Instant.ofEpochSecond(seconds), now).abs().compareTo(tolerance) > 0) {
            return false;
        }
        byte[] expected = HexFormat.of().formatHex(mac(secret, seconds, body)).getBytes(StandardCharsets.US_ASCII);
        boolean matched = false;
        for (byte[] signature : signatures) {
            matched |= MessageDigest.isEqual(expected, signature);
        }
        return matched;
    }

    private static byte[] mac(String secret, long seconds, byte[] body) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), ALGORITHM));
            mac.update((seconds + ".").getBytes(StandardCharsets.US_ASCII));
            return mac.doFinal(body);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("the JDK has no " + ALGORITHM, e);
        }
    }
}
