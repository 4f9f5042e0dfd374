package dev.ramp.sdk.testing;

import dev.ramp.core.codec.UnleashCodec;
import dev.ramp.core.eval.Context;
import dev.ramp.core.eval.Evaluation;
import dev.ramp.core.eval.Evaluator;
import dev.ramp.core.eval.VariantResult;
import dev.ramp.core.flag.Flag;
import dev.ramp.core.flag.FlagSnapshot;
import dev.ramp.core.flag.Strategy;
import dev.ramp.core.flag.Variant;
import dev.ramp.sdk.ClientState;
import dev.ramp.sdk.RampClient;
import dev.ramp.sdk.RampListener;
import dev.ramp.sdk.SnapshotOrigin;
import dev.ramp.sdk.SnapshotVersion;
import dev.ramp.sdk.UsageStats;
import dev.ramp.sdk.internal.SnapshotDiff;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.random.RandomGenerator;

/**
 * A {@link RampClient} for unit tests: no server, no thread, flags set by the test. It evaluates with the same
 * evaluator as the real client, so a rollout, a constraint or a variant behaves exactly as in production, and
 * it records what the code under test {@link #track tracked}.
 *
 * <pre>{@code
 * TestRampClient ramp = TestRampClient.create()
 *         .enable("checkout.v2")
 *         .rollout("new-search", 25)
 *         .variants("button-color", Variant.of("blue", 50), Variant.of("green", 50));
 * Shop shop = new Shop(ramp);                       // the code under test takes a RampClient
 * ramp.disable("checkout.v2");                      // change a flag mid-test
 * assertThat(ramp.tracked()).contains(new TestRampClient.Tracked("purchase", "user-1", 12.5));
 * }</pre>
 *
 * <p>Thread-safe; listeners are called on the thread that changes the flags.
 */
public final class TestRampClient implements RampClient {
    /** One {@link #track} call: the event, the unit (user id, else session id, else {@code ""}) and the value. */
    public record Tracked(String event, String unit, double value) {}

    private final InstantSource clock;
    private final RandomGenerator random;
    private final List<RampListener> listeners = new CopyOnWriteArrayList<>();
    private final List<Tracked> tracked = new CopyOnWriteArrayList<>();
    private volatile Evaluator evaluator;
    private volatile SnapshotVersion version;

    private TestRampClient(InstantSource clock, RandomGenerator random) {
        this.clock = clock;
        this.random = random;
        this.evaluator = Evaluator.of(FlagSnapshot.empty(), clock, random);
        this.version = new SnapshotVersion(SnapshotOrigin.TEST, 0, "", clock.instant());
    }

    /** A client with no flags, the system clock and a seeded random source (so random stickiness repeats). */
    public static TestRampClient create() {
        return create(InstantSource.system(), new SplittableRandom(1));
    }

    /** A client with no flags, evaluating {@code DATE_*} constraints against {@code clock}. */
    public static TestRampClient create(InstantSource clock, RandomGenerator random) {
        return new TestRampClient(Objects.requireNonNull(clock, "clock"), Objects.requireNonNull(random, "random"));
    }

    // ---- setting flags ----

    /** Replaces every flag with those of {@code snapshot}. */
    public TestRampClient load(FlagSnapshot snapshot) {
        install(Objects.requireNonNull(snapshot, "snapshot"));
        return this;
    }

    /** Replaces every flag with those of an Unleash client features document (what {@code /api/client/features} returns). */
    public TestRampClient load(String featuresJson) {
        return load(UnleashCodec.decodeFeatures(featuresJson).snapshot());
    }

    /** Adds {@code flag}, or replaces the flag of its name. */
    public synchronized TestRampClient set(Flag flag) {
        Objects.requireNonNull(flag, "flag");
        FlagSnapshot now = evaluator.snapshot();
        List<Flag> flags = new ArrayList<>(now.flags());
        flags.removeIf(existing -> existing.name().equals(flag.name()));
        flags.add(flag);
        install(new FlagSnapshot(flags, now.segments()));
        return this;
    }

    /** {@code name} on for everyone. */
    public TestRampClient enable(String name) {
        return set(Flag.of(name, true, List.of()));
    }

    /** {@code name} off for everyone (the kill switch). */
    public TestRampClient disable(String name) {
        return set(Flag.of(name, false, List.of()));
    }

    /** {@code name} on for {@code percent}% of users, sticky on the user id, as a Ramp rollout would be. */
    public TestRampClient rollout(String name, int percent) {
        return set(Flag.of(name, true, List.of(Strategy.rollout(percent, "default", name))));
    }

    /** {@code name} on for everyone, serving {@code variants} by their weights. */
    public TestRampClient variants(String name, Variant... variants) {
        Flag on = Flag.of(name, true, List.of());
        return set(new Flag(name, "", "", "", true, false, false, on.strategies(), List.of(variants), List.of(), List.of()));
    }

    /** Removes {@code name}: it evaluates as an unknown flag. */
    public synchronized TestRampClient remove(String name) {
        FlagSnapshot now = evaluator.snapshot();
        List<Flag> flags = new ArrayList<>(now.flags());
        flags.removeIf(existing -> existing.name().equals(name));
        install(new FlagSnapshot(flags, now.segments()));
        return this;
    }

    /** What the code under test tracked, in order. */
    public List<Tracked> tracked() {
        return List.copyOf(tracked);
    }

    private synchronized void install(FlagSnapshot snapshot) {
        Set<String> changed = SnapshotDiff.changedFlags(evaluator.snapshot(), snapshot);
        evaluator = Evaluator.of(snapshot, clock, random);
        version = new SnapshotVersion(SnapshotOrigin.TEST, version.changeId() + 1, "", clock.instant());
        if (!changed.isEmpty()) {
            SnapshotVersion now = version;
            Set<String> flags = Set.copyOf(changed);
            listeners.forEach(listener -> listener.onChanged(now, flags));
        }
    }

    // ---- RampClient ----

    @Override
    public boolean isEnabled(String flag, Context context) {
        return evaluator.isEnabled(flag, context);
    }

    @Override
    public VariantResult variant(String flag, Context context) {
        return evaluator.variant(flag, context);
    }

    @Override
    public Evaluation<Boolean> evaluateBoolean(String flag, Context context, boolean fallback) {
        return evaluator.evaluateBoolean(flag, context, fallback);
    }

    @Override
    public Evaluation<VariantResult> evaluateVariant(String flag, Context context) {
        return evaluator.evaluateVariant(flag, context);
    }

    @Override
    public Evaluation<String> evaluateString(String flag, Context context, String fallback) {
        return evaluator.evaluateString(flag, context, fallback);
    }

    @Override
    public Evaluation<Double> evaluateNumber(String flag, Context context, double fallback) {
        return evaluator.evaluateNumber(flag, context, fallback);
    }

    @Override
    public void track(String event, Context context, double value) {
        String unit = context == null ? "" : context.userId().or(context::sessionId).orElse("");
        tracked.add(new Tracked(event, unit, value));
    }

    @Override
    public boolean awaitReady(Duration timeout) {
        return true;
    }

    @Override
    public ClientState state() {
        return ClientState.READY;
    }

    @Override
    public SnapshotVersion version() {
        return version;
    }

    @Override
    public FlagSnapshot snapshot() {
        return evaluator.snapshot();
    }

    @Override
    public Optional<Flag> flag(String flag) {
        return evaluator.snapshot().flag(flag);
    }

    @Override
    public UsageStats usage() {
        return new UsageStats(0, 0, tracked.size(), 0, 0, 0);
    }

    @Override
    public void addListener(RampListener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
        listener.onReady(version);
    }

    @Override
    public void close() {
        // Nothing runs in the background.
    }
}
