package dev.ramp.core.eval;

import dev.ramp.core.flag.Flag;
import dev.ramp.core.flag.FlagSnapshot;
import dev.ramp.core.flag.Payload;
import dev.ramp.core.flag.Segment;
import java.time.InstantSource;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * Evaluates the flags of one {@link FlagSnapshot} with the semantics of the Unleash client specification
 * v6.1.0. Building an evaluator compiles the snapshot once (constraint sets, patterns, parsed operands); after
 * that every evaluation is a hash lookup and a few comparisons, safe from any number of threads.
 * {@link #isEnabled} and {@link #variant} allocate nothing for rollouts, variants and the {@code IN},
 * {@code NOT_IN}, {@code STR_*} and {@code currentTime} {@code DATE_*} constraints; the other operators parse
 * the context's value and allocate a few hundred bytes.
 *
 * <p>Evaluation never throws. An unknown flag is off; typed evaluations return the caller's fallback with
 * {@link Reason#ERROR} and an {@link ErrorCode}. Time (for {@code DATE_*} constraints without a
 * {@code currentTime}) and randomness (for {@code random} stickiness) come from the injected sources, so tests
 * can fix both.
 */
public final class Evaluator {
    private final FlagSnapshot snapshot;
    private final Map<String, CompiledFlag> flags;
    private final Sources sources;

    private Evaluator(FlagSnapshot snapshot, InstantSource clock, RandomGenerator random) {
        this.snapshot = snapshot;
        this.sources = new Sources(clock, random);
        Map<Integer, List<CompiledConstraint>> segments = new HashMap<>();
        for (Segment segment : snapshot.segments()) {
            segments.put(segment.id(), segment.constraints().stream().map(ConstraintCompiler::compile).toList());
        }
        Map<String, CompiledFlag> compiled = new HashMap<>();
        for (Flag flag : snapshot.flags()) {
            compiled.put(flag.name(), new CompiledFlag(flag, segments));
        }
        compiled.values().forEach(flag -> flag.link(compiled));
        // A HashMap, never changed after this line: its lookup checks the cached hash before equals.
        this.flags = compiled;
    }

    /**
     * An evaluator of {@code snapshot}.
     *
     * @param clock  the time {@code DATE_*} constraints compare with when the context has no {@code currentTime}
     * @param random draws for {@code random} stickiness and {@code gradualRolloutRandom}; must be thread-safe
     *               if the evaluator is shared (for example {@code ThreadLocalRandom.current()})
     */
    public static Evaluator of(FlagSnapshot snapshot, InstantSource clock, RandomGenerator random) {
        Objects.requireNonNull(snapshot, "snapshot");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(random, "random");
        return new Evaluator(snapshot, clock, random);
    }

    public FlagSnapshot snapshot() {
        return snapshot;
    }

    /** A handle on {@code flag} that evaluates it without the lookup by name; empty when there is no such flag. */
    public Optional<FlagHandle> handle(String flag) {
        CompiledFlag compiled = flag == null ? null : flags.get(flag);
        return compiled == null ? Optional.empty() : Optional.of(new FlagHandle(compiled, sources));
    }

    /** Whether {@code flag} is on for {@code context}; {@code false} for an unknown flag. */
    public boolean isEnabled(String flag, Context context) {
        try {
            CompiledFlag compiled = flag == null ? null : flags.get(flag);
            return compiled != null && compiled.isEnabled(orEmpty(context), sources);
        } catch (RuntimeException e) {
            return false;
        }
    }

    /**
     * The variant {@code flag} serves {@code context}: the first matching strategy's variants when it has
     * any, else the flag's. {@code disabled} (with {@code featureEnabled} telling whether the flag is on) when
     * there is nothing to serve.
     */
    public VariantResult variant(String flag, Context context) {
        try {
            CompiledFlag compiled = flag == null ? null : flags.get(flag);
            return compiled == null ? VariantResult.DISABLED : compiled.variant(orEmpty(context), sources);
        } catch (RuntimeException e) {
            return VariantResult.DISABLED;
        }
    }

    /** Whether {@code flag} is on, with the reason; {@code fallback} only when it cannot be evaluated. */
    public Evaluation<Boolean> evaluateBoolean(String flag, Context context, boolean fallback) {
        try {
            CompiledFlag compiled = flag == null ? null : flags.get(flag);
            if (compiled == null) {
                return notFound(flag, fallback);
            }
            int match = compiled.match(orEmpty(context), sources);
            if (match < 0) {
                return Evaluation.of(false, "", offReason(match));
            }
            return Evaluation.of(true, "", match == CompiledFlag.EVERYONE ? Reason.STATIC : Reason.TARGETING_MATCH);
        } catch (RuntimeException e) {
            return Evaluation.error(fallback, ErrorCode.GENERAL, describe(e));
        }
    }

    /**
     * The variant {@code flag} serves {@code context} and why, from one evaluation: {@code value().featureEnabled()}
     * is the flag's state, and the reason is that of the variant when one is served ({@link Reason#SPLIT}, or
     * {@link Reason#TARGETING_MATCH} for an override), else that of the state. Use it where the state and the
     * variant must agree even under random stickiness.
     */
    public Evaluation<VariantResult> evaluateVariant(String flag, Context context) {
        try {
            CompiledFlag compiled = flag == null ? null : flags.get(flag);
            if (compiled == null) {
                return notFound(flag, VariantResult.DISABLED);
            }
            Context given = orEmpty(context);
            int match = compiled.match(given, sources);
            if (match < 0) {
                return Evaluation.of(VariantResult.DISABLED, "", offReason(match));
            }
            Reason onReason = match == CompiledFlag.EVERYONE ? Reason.STATIC : Reason.TARGETING_MATCH;
            VariantPicker picker = compiled.variantsFor(match);
            int forced = picker == null ? -1 : picker.overridden(given);
            int index = picker == null ? -1 : forced >= 0 ? forced : picker.weighted(given, sources);
            if (index < 0) {
                return Evaluation.of(VariantResult.NO_VARIANT, "", onReason);
            }
            VariantResult served = picker.result(index);
            return Evaluation.of(served, served.name(), forced >= 0 ? Reason.TARGETING_MATCH : Reason.SPLIT);
        } catch (RuntimeException e) {
            return Evaluation.error(VariantResult.DISABLED, ErrorCode.GENERAL, describe(e));
        }
    }

    /**
     * The served variant's payload as text (a {@code string}, {@code json} or {@code csv} payload), or the
     * variant's name when it has no payload. The fallback ({@code ""} when null) when the flag is off, serves no
     * variant, or the payload is a number.
     */
    public Evaluation<String> evaluateString(String flag, Context context, String requestedFallback) {
        // Never throw, not even for a null fallback: it reads as "".
        String fallback = requestedFallback == null ? "" : requestedFallback;
        return evaluatePayload(flag, context, fallback, (variant, payload) -> {
            if (!payload.isPresent()) {
                return Evaluation.of(variant, variant, Reason.SPLIT);
            }
            if (payload.type().equals("number")) {
                return typeMismatch(fallback, variant, payload, "a string");
            }
            return Evaluation.of(payload.value(), variant, Reason.SPLIT);
        });
    }

    /**
     * The served variant's {@code number} payload. {@code fallback} when the flag is off, serves no variant or a
     * variant without payload ({@link Reason#DEFAULT}), or the payload is of another type or unreadable
     * ({@link Reason#ERROR}).
     */
    public Evaluation<Double> evaluateNumber(String flag, Context context, double fallback) {
        return evaluatePayload(flag, context, fallback, (variant, payload) -> {
            if (!payload.isPresent()) {
                return new Evaluation<>(fallback, variant, Reason.DEFAULT, ErrorCode.NONE, "");
            }
            if (!payload.type().equals("number")) {
                return typeMismatch(fallback, variant, payload, "a number");
            }
            String text = payload.value().trim();
            if (!Numbers.isNumber(text)) {
                return new Evaluation<>(fallback, variant, Reason.ERROR, ErrorCode.PARSE_ERROR,
                        "variant '" + variant + "' has number payload '" + payload.value() + "' that is not a number");
            }
            return Evaluation.of(Numbers.parse(text), variant, Reason.SPLIT);
        });
    }

    private interface PayloadReader<T> {
        Evaluation<T> read(String variant, Payload payload);
    }

    /** Reads the variant {@link #evaluateVariant} serves through {@code reader}; the fallback when there is none. */
    private <T> Evaluation<T> evaluatePayload(String flag, Context context, T fallback, PayloadReader<T> reader) {
        Evaluation<VariantResult> served = evaluateVariant(flag, context);
        VariantResult variant = served.value();
        if (served.reason() == Reason.ERROR) {
            return Evaluation.error(fallback, served.errorCode(), served.errorMessage());
        }
        if (!variant.featureEnabled()) {
            return Evaluation.of(fallback, "", served.reason());
        }
        if (!variant.enabled()) {
            return Evaluation.of(fallback, "", Reason.DEFAULT);
        }
        try {
            Evaluation<T> result = reader.read(variant.name(), variant.payload());
            return served.reason() == Reason.TARGETING_MATCH && result.reason() == Reason.SPLIT
                    ? Evaluation.of(result.value(), result.variant(), Reason.TARGETING_MATCH)
                    : result;
        } catch (RuntimeException e) {
            return Evaluation.error(fallback, ErrorCode.GENERAL, describe(e));
        }
    }

    private static <T> Evaluation<T> typeMismatch(T fallback, String variant, Payload payload, String wanted) {
        return new Evaluation<>(fallback, variant, Reason.ERROR, ErrorCode.TYPE_MISMATCH,
                "variant '" + variant + "' has a " + payload.type() + " payload, not " + wanted);
    }

    private static <T> Evaluation<T> notFound(String flag, T fallback) {
        return Evaluation.error(fallback, ErrorCode.FLAG_NOT_FOUND, "flag '" + flag + "' not found");
    }

    /** Off by the kill switch or a failing dependency is DISABLED; on, but not for this context, is DEFAULT. */
    private static Reason offReason(int match) {
        return match == CompiledFlag.OFF ? Reason.DISABLED : Reason.DEFAULT;
    }

    private static String describe(RuntimeException e) {
        return "evaluation failed: " + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }

    private static Context orEmpty(Context context) {
        return context == null ? Context.empty() : context;
    }
}
