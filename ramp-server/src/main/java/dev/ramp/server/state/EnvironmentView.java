package dev.ramp.server.state;

import dev.ramp.core.codec.ClientFeatures;
import dev.ramp.core.codec.UnleashCodec;
import dev.ramp.core.eval.Context;
import dev.ramp.core.eval.Evaluator;
import dev.ramp.core.flag.Constraint;
import dev.ramp.core.flag.Flag;
import dev.ramp.core.flag.StandardOperator;
import dev.ramp.core.flag.Strategy;
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
    private static final String RANDOM = "random";

    private final String environment;
    private final FlagSnapshot snapshot;
    private final byte[] features;
    private final String etag;
    private final Evaluator evaluator;
    private final long lastChangeId;
    private final boolean deterministic;
    private volatile byte[] gzipped;

    EnvironmentView(String environment, FlagSnapshot snapshot, Evaluator evaluator, long lastChangeId) {
        this.environment = environment;
        this.snapshot = snapshot;
        this.evaluator = evaluator;
        this.lastChangeId = lastChangeId;
        this.features = UnleashCodec.encodeFeatures(new ClientFeatures(FEATURES_FORMAT, snapshot)).getBytes(StandardCharsets.UTF_8);
        this.etag = "\"" + digest(features) + "\"";
        this.deterministic = deterministic(snapshot);
    }

    /**
     * Whether every flag's answer depends on the context alone: no {@code random} stickiness, no
     * {@code gradualRolloutRandom}, no date constraint on {@code currentTime} (the server's clock). Only then may
     * an evaluation result be cached under an ETag.
     */
    public boolean deterministic() {
        return deterministic;
    }

    private static boolean deterministic(FlagSnapshot snapshot) {
        for (Flag flag : snapshot.flags()) {
            if (flag.variants().stream().anyMatch(v -> RANDOM.equals(v.stickiness()))) {
                return false;
            }
            for (Strategy strategy : flag.strategies()) {
                if (strategy.name().equals("gradualRolloutRandom")
                        || RANDOM.equals(strategy.parameters().get("stickiness"))
                        || strategy.variants().stream().anyMatch(v -> RANDOM.equals(v.stickiness()))
                        || strategy.constraints().stream().anyMatch(EnvironmentView::readsTheClock)) {
                    return false;
                }
            }
        }
        return snapshot.segments().stream().flatMap(segment -> segment.constraints().stream())
                .noneMatch(EnvironmentView::readsTheClock);
    }

    private static boolean readsTheClock(Constraint constraint) {
        return Context.CURRENT_TIME.equals(constraint.contextName())
                && (constraint.operator() == StandardOperator.DATE_AFTER || constraint.operator() == StandardOperator.DATE_BEFORE);
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

    /**
     * {@link #features()} compressed with gzip, computed once on first use: the view is immutable, so no request
     * compresses it again. Callers must not modify it.
     */
    public byte[] featuresGzipped() {
        byte[] compressed = gzipped;
        if (compressed == null) {
            var buffer = new java.io.ByteArrayOutputStream(features.length / 8 + 64);
            try (var gzip = new java.util.zip.GZIPOutputStream(buffer)) {
                gzip.write(features);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException("gzip into memory failed", e);
            }
            compressed = buffer.toByteArray();
            gzipped = compressed;
        }
        return compressed;
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

    /** The short hash ETags are made of: the first 12 bytes of SHA-256, in hex. */
    public static String digest(byte[] bytes) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(bytes);
            return HexFormat.of().formatHex(hash, 0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
