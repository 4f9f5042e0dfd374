package dev.ramp.server.state;

import dev.ramp.core.codec.ClientFeatures;
import dev.ramp.core.codec.UnleashCodec;
import dev.ramp.core.eval.Evaluator;
import dev.ramp.core.flag.FlagSnapshot;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * What SDKs of one environment see: the snapshot, its {@code /api/client/features} document encoded once, the
 * document's ETag (a hash of its bytes, so it is the same on every replica and across restarts) and an evaluator for
 * OFREP. Built once per catalog state and environment, on first use.
 */
public final class EnvironmentView {
    /** The version of Unleash's client features format this server speaks. */
    public static final int FEATURES_FORMAT = 2;

    private final String environment;
    private final FlagSnapshot snapshot;
    private final byte[] features;
    private final String etag;
    private final Evaluator evaluator;
    private final long lastChangeId;

    EnvironmentView(String environment, FlagSnapshot snapshot, Evaluator evaluator, long lastChangeId) {
        this.environment = environment;
        this.snapshot = snapshot;
        this.evaluator = evaluator;
        this.lastChangeId = lastChangeId;
        this.features = UnleashCodec.encodeFeatures(new ClientFeatures(FEATURES_FORMAT, snapshot)).getBytes(StandardCharsets.UTF_8);
        this.etag = "\"" + digest(features) + "\"";
    }

    public String environment() {
        return environment;
    }

    public FlagSnapshot snapshot() {
        return snapshot;
    }

    /** The {@code /api/client/features} body, UTF-8 JSON. Callers must not modify it. */
    public byte[] features() {
        return features;
    }

    /** The quoted strong ETag of {@link #features()}. */
    public String etag() {
        return etag;
    }

    public Evaluator evaluator() {
        return evaluator;
    }

    /** The id of the last change the view includes; stream events carry ids above it. */
    public long lastChangeId() {
        return lastChangeId;
    }

    static String digest(byte[] bytes) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(bytes);
            return HexFormat.of().formatHex(hash, 0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
