package dev.ramp.sdk;

import dev.ramp.core.eval.Context;
import dev.ramp.core.eval.Evaluation;
import dev.ramp.core.eval.VariantResult;
import dev.ramp.core.flag.Flag;
import dev.ramp.core.flag.FlagSnapshot;
import java.time.Duration;
import java.util.Optional;

/**
 * Ramp's flags in an application. Every evaluation runs in memory, on the snapshot the client holds at that
 * moment, through ramp-core's evaluator: no network call, no lock and no exception on the calling thread. A
 * client built with {@link #builder()} keeps the snapshot in sync with a Ramp server (or any server speaking
 * Unleash's client API) in the background, and reports usage and metric events ({@link #track}) back in batches.
 *
 * <p>Build one per application and share it: it is thread-safe. {@link #close()} stops its threads.
 *
 * <pre>{@code
 * RampClient ramp = RampClient.builder()
 *         .url("http://127.0.0.1:4242").token(System.getenv("RAMP_TOKEN")).appName("shop")
 *         .build();
 * ramp.awaitReady(Duration.ofSeconds(5));
 * if (ramp.isEnabled("checkout.v2", Context.ofUser(userId))) { ... }
 * }</pre>
 *
 * <p>For unit tests, {@link dev.ramp.sdk.testing.TestRampClient} implements this interface over flags the test
 * sets.
 */
public interface RampClient extends AutoCloseable {

    /** A builder of a client synced with a server; see {@link RampClientBuilder} for every setting. */
    static RampClientBuilder builder() {
        return new RampClientBuilder();
    }

    /** Whether {@code flag} is on for {@code context}; {@code false} for an unknown flag or before the first snapshot. */
    boolean isEnabled(String flag, Context context);

    /**
     * The variant {@code flag} serves {@code context}; {@link VariantResult#DISABLED} when it serves none, when
     * the flag is unknown, or before the first snapshot.
     */
    VariantResult variant(String flag, Context context);

    /** Whether {@code flag} is on, with the reason; {@code fallback} with an error code when it cannot be evaluated. */
    Evaluation<Boolean> evaluateBoolean(String flag, Context context, boolean fallback);

    /** The served variant and why; see {@link dev.ramp.core.eval.Evaluator#evaluateVariant}. */
    Evaluation<VariantResult> evaluateVariant(String flag, Context context);

    /** The served variant's payload as text, or its name when it has none; {@code fallback} otherwise, with the reason. */
    Evaluation<String> evaluateString(String flag, Context context, String fallback);

    /** The served variant's {@code number} payload; {@code fallback} otherwise, with the reason. */
    Evaluation<Double> evaluateNumber(String flag, Context context, double fallback);

    /**
     * Records that {@code event} happened to the unit of {@code context} (its user id, else its session id), with
     * {@code value} (a count, an amount, a duration), for experiment analysis. Never blocks: the event joins a
     * bounded queue that is sent in batches; when the queue is full, or the context has no unit, the event is
     * dropped and counted in {@link #usage()}.
     */
    void track(String event, Context context, double value);

    /** {@link #track(String, Context, double)} with the value {@code 1}: the event is a conversion or a count. */
    default void track(String event, Context context) {
        track(event, context, 1.0);
    }

    /**
     * Waits until the client holds a snapshot (from the server, a backup file or a bootstrap), at most
     * {@code timeout}.
     *
     * @return whether it does; evaluation works either way, with fallbacks until it does
     */
    boolean awaitReady(Duration timeout);

    /** The state of the client's sync with its source. */
    ClientState state();

    /** Which snapshot evaluations use now: where it came from and the server's change it reflects. */
    SnapshotVersion version();

    /** The flags evaluations use now. */
    FlagSnapshot snapshot();

    /** The definition of {@code flag} evaluations use now; empty when the snapshot has no such flag. */
    Optional<Flag> flag(String flag);

    /** What the client has counted and sent so far. */
    UsageStats usage();

    /**
     * Calls {@code listener} on every later state change and flag change. A synced client calls it on its event
     * thread, never on the thread that registered it; when the client is already ready, {@link RampListener#onReady}
     * follows at once. A {@link dev.ramp.sdk.testing.TestRampClient} calls it on the thread that changes its flags.
     */
    void addListener(RampListener listener);

    /**
     * Stops syncing, sends what usage and events are pending (for at most a few seconds) and stops every thread
     * the client started. Evaluation keeps working on the last snapshot. Idempotent.
     */
    @Override
    void close();
}
