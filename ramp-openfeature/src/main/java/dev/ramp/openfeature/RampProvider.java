package dev.ramp.openfeature;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.openfeature.sdk.ErrorCode;
import dev.openfeature.sdk.EvaluationContext;
import dev.openfeature.sdk.EventProvider;
import dev.openfeature.sdk.ImmutableMetadata;
import dev.openfeature.sdk.ImmutableStructure;
import dev.openfeature.sdk.Metadata;
import dev.openfeature.sdk.ProviderEvaluation;
import dev.openfeature.sdk.ProviderEventDetails;
import dev.openfeature.sdk.Reason;
import dev.openfeature.sdk.TrackingEventDetails;
import dev.openfeature.sdk.Value;
import dev.openfeature.sdk.exceptions.ProviderNotReadyError;
import dev.ramp.core.eval.Context;
import dev.ramp.core.eval.Evaluation;
import dev.ramp.core.eval.VariantResult;
import dev.ramp.core.flag.Flag;
import dev.ramp.core.flag.Payload;
import dev.ramp.sdk.ClientState;
import dev.ramp.sdk.RampClient;
import dev.ramp.sdk.RampListener;
import dev.ramp.sdk.SnapshotVersion;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * An OpenFeature provider over a {@link RampClient}: every evaluation runs locally on the client's snapshot.
 *
 * <pre>{@code
 * RampClient ramp = RampClient.builder().url(url).token(token).appName("shop").build();
 * OpenFeatureAPI.getInstance().setProviderAndWait(new RampProvider(ramp));
 * boolean on = OpenFeatureAPI.getInstance().getClient().getBooleanValue("checkout.v2", false,
 *         new ImmutableContext(userId));
 * }</pre>
 *
 * <ul>
 *   <li>Boolean evaluation is the flag's state: {@code true} when it is on for the context, with variant
 *       {@code on} or {@code off}. String, integer, double and object evaluation read the served variant's
 *       payload (a variant without payload gives its name as a string); on a flag without variants they fail
 *       with {@code TYPE_MISMATCH}.
 *   <li>Reasons are Ramp's, which are OpenFeature's: {@code STATIC}, {@code TARGETING_MATCH}, {@code SPLIT},
 *       {@code DEFAULT}, {@code DISABLED}, {@code ERROR}. When the flag is off or serves no variant, a typed
 *       evaluation returns the caller's default with {@code DISABLED} or {@code DEFAULT}.
 *   <li>The context's {@code targetingKey} is the user id; {@code userId}, {@code sessionId}, {@code remoteAddress},
 *       {@code appName}, {@code environment} and {@code currentTime} are Ramp's fields; any other string, number or
 *       boolean attribute is a property; structures and lists are ignored.
 *   <li>Events: {@code PROVIDER_READY} when the client (re)gains its server, {@code PROVIDER_CONFIGURATION_CHANGED}
 *       with the changed flags, {@code PROVIDER_STALE} when the server is lost, {@code PROVIDER_ERROR} when there is
 *       no snapshot at all.
 *   <li>{@code track(name, context, details)} is {@link RampClient#track} with the details' value (default 1).
 * </ul>
 *
 * <p>The provider owns the client: {@link #shutdown()} closes it.
 */
public final class RampProvider extends EventProvider {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Metadata METADATA = () -> "ramp";

    private final RampClient client;
    private final Duration readyTimeout;
    private final Object stateLock = new Object();
    /** Whether the last state reported to OpenFeature was ready; only a change of it is emitted. */
    private boolean reportedReady;

    /** A provider that waits up to 10 seconds for the client's first snapshot when OpenFeature initializes it. */
    public RampProvider(RampClient client) {
        this(client, Duration.ofSeconds(10));
    }

    /** A provider that waits up to {@code readyTimeout} for the client's first snapshot when OpenFeature initializes it. */
    public RampProvider(RampClient client, Duration readyTimeout) {
        this.client = Objects.requireNonNull(client, "client");
        this.readyTimeout = Objects.requireNonNull(readyTimeout, "readyTimeout");
    }

    /** The client this provider evaluates with. */
    public RampClient client() {
        return client;
    }

    @Override
    public Metadata getMetadata() {
        return METADATA;
    }

    /**
     * Waits for the client's first snapshot; fails (OpenFeature then reports {@code PROVIDER_ERROR}) when it does
     * not come in time. The client keeps trying, and the provider emits {@code PROVIDER_READY} when it succeeds.
     */
    @Override
    public void initialize(EvaluationContext evaluationContext) throws Exception {
        boolean ready = client.awaitReady(readyTimeout);
        synchronized (stateLock) {
            reportedReady = ready;
        }
        client.addListener(new Forwarder());
        if (!ready) {
            throw new ProviderNotReadyError("Ramp has no flags after " + readyTimeout.toMillis() + " ms: the server at the"
                    + " configured url cannot be reached and there is no backup or bootstrap (state " + client.state() + ")");
        }
    }

    @Override
    public void shutdown() {
        client.close();
        super.shutdown();
    }

    @Override
    public ProviderEvaluation<Boolean> getBooleanEvaluation(String key, Boolean defaultValue, EvaluationContext evaluationContext) {
        return whenUsable(defaultValue, evaluationContext, context -> {
            boolean fallback = defaultValue != null && defaultValue;
            Evaluation<Boolean> result = client.evaluateBoolean(key, context, fallback);
            if (result.reason() == dev.ramp.core.eval.Reason.ERROR) {
                return error(defaultValue, errorCode(result.errorCode()), result.errorMessage());
            }
            return ProviderEvaluation.<Boolean>builder()
                    .value(result.value())
                    .variant(result.value() ? "on" : "off")
                    .reason(result.reason().name())
                    .flagMetadata(metadata(key))
                    .build();
        });
    }

    @Override
    public ProviderEvaluation<String> getStringEvaluation(String key, String defaultValue, EvaluationContext evaluationContext) {
        return typed(key, defaultValue, evaluationContext, (served) -> {
            Payload payload = served.payload();
            if (!payload.isPresent()) {
                return served.name();
            }
            if (payload.type().equals("number")) {
                throw new Mismatch("variant '" + served.name() + "' has a number payload, not a string");
            }
            return payload.value();
        });
    }

    @Override
    public ProviderEvaluation<Integer> getIntegerEvaluation(String key, Integer defaultValue, EvaluationContext evaluationContext) {
        return typed(key, defaultValue, evaluationContext, (served) -> {
            double number = number(served);
            if (number != Math.rint(number) || number < Integer.MIN_VALUE || number > Integer.MAX_VALUE) {
                throw new Mismatch("variant '" + served.name() + "' has payload " + served.payload().value() + ", not an integer");
            }
            return (int) number;
        });
    }

    @Override
    public ProviderEvaluation<Double> getDoubleEvaluation(String key, Double defaultValue, EvaluationContext evaluationContext) {
        return typed(key, defaultValue, evaluationContext, RampProvider::number);
    }

    @Override
    public ProviderEvaluation<Value> getObjectEvaluation(String key, Value defaultValue, EvaluationContext evaluationContext) {
        return typed(key, defaultValue, evaluationContext, (served) -> {
            Payload payload = served.payload();
            if (!payload.isPresent()) {
                return new Value(served.name());
            }
            switch (payload.type()) {
                case "json" -> {
                    try {
                        return value(MAPPER.readTree(payload.value()));
                    } catch (IOException e) {
                        throw new Unreadable("variant '" + served.name() + "' has a json payload that is not JSON: " + e.getMessage());
                    }
                }
                case "number" -> {
                    return new Value(number(served));
                }
                default -> {
                    return new Value(payload.value());
                }
            }
        });
    }

    @Override
    public void track(String eventName, EvaluationContext evaluationContext, TrackingEventDetails details) {
        double value = 1.0;
        if (details != null && details.getValue().isPresent()) {
            value = details.getValue().get().doubleValue();
        }
        try {
            client.track(eventName, context(evaluationContext), value);
        } catch (IllegalArgumentException e) {
            client.track(eventName, Context.empty(), value);
        }
    }

    // ---- evaluation ----

    /** Reads the served variant's value; throws {@link Mismatch} or {@link Unreadable} when it is not of the type. */
    private interface Reader<T> {
        T read(VariantResult served);
    }

    private static final class Mismatch extends RuntimeException {
        Mismatch(String message) {
            super(message, null, false, false);
        }
    }

    private static final class Unreadable extends RuntimeException {
        Unreadable(String message) {
            super(message, null, false, false);
        }
    }

    private <T> ProviderEvaluation<T> typed(String key, T defaultValue, EvaluationContext evaluationContext, Reader<T> reader) {
        return whenUsable(defaultValue, evaluationContext, context -> typed(key, defaultValue, context, reader));
    }

    private <T> ProviderEvaluation<T> typed(String key, T defaultValue, Context context, Reader<T> reader) {
        Optional<Flag> flag = client.flag(key);
        if (flag.isPresent() && !flag.get().hasVariants()) {
            return error(defaultValue, ErrorCode.TYPE_MISMATCH,
                    "flag '" + key + "' has no variants: evaluate it as a boolean");
        }
        Evaluation<VariantResult> result = client.evaluateVariant(key, context);
        if (result.reason() == dev.ramp.core.eval.Reason.ERROR) {
            return error(defaultValue, errorCode(result.errorCode()), result.errorMessage());
        }
        VariantResult served = result.value();
        if (!served.enabled()) {
            return ProviderEvaluation.<T>builder()
                    .value(defaultValue)
                    .reason(result.reason().name())
                    .flagMetadata(metadata(key))
                    .build();
        }
        try {
            return ProviderEvaluation.<T>builder()
                    .value(reader.read(served))
                    .variant(served.name())
                    .reason(result.reason().name())
                    .flagMetadata(metadata(key))
                    .build();
        } catch (Mismatch e) {
            return error(defaultValue, ErrorCode.TYPE_MISMATCH, e.getMessage());
        } catch (Unreadable e) {
            return error(defaultValue, ErrorCode.PARSE_ERROR, e.getMessage());
        } catch (RuntimeException e) {
            return error(defaultValue, ErrorCode.GENERAL, "evaluation failed: " + e);
        }
    }

    /**
     * {@code evaluation} of Ramp's context, or an error result: {@code PROVIDER_NOT_READY} when the client has no
     * snapshot, {@code INVALID_CONTEXT} when the context cannot be read.
     */
    private <T> ProviderEvaluation<T> whenUsable(T defaultValue, EvaluationContext evaluationContext,
                                                 Function<Context, ProviderEvaluation<T>> evaluation) {
        ClientState state = client.state();
        if (state == ClientState.NOT_READY || state == ClientState.ERROR) {
            return error(defaultValue, ErrorCode.PROVIDER_NOT_READY, "Ramp has no flags yet (state " + state + ")");
        }
        Context context;
        try {
            context = context(evaluationContext);
        } catch (IllegalArgumentException e) {
            return error(defaultValue, ErrorCode.INVALID_CONTEXT, e.getMessage());
        }
        return evaluation.apply(context);
    }

    private static double number(VariantResult served) {
        Payload payload = served.payload();
        if (!payload.type().equals("number")) {
            throw new Mismatch("variant '" + served.name() + "' has " + (payload.isPresent() ? "a " + payload.type() + " payload" : "no payload")
                    + ", not a number");
        }
        try {
            return Double.parseDouble(payload.value().trim());
        } catch (NumberFormatException e) {
            throw new Unreadable("variant '" + served.name() + "' has number payload '" + payload.value() + "' that is not a number");
        }
    }

    private ImmutableMetadata metadata(String key) {
        Optional<Flag> flag = client.flag(key);
        if (flag.isEmpty()) {
            return ImmutableMetadata.builder().build();
        }
        return ImmutableMetadata.builder()
                .addString("project", flag.get().project())
                .addString("type", flag.get().type())
                .build();
    }

    private static <T> ProviderEvaluation<T> error(T defaultValue, ErrorCode code, String message) {
        return ProviderEvaluation.<T>builder()
                .value(defaultValue)
                .reason(Reason.ERROR.name())
                .errorCode(code)
                .errorMessage(message)
                .build();
    }

    private static ErrorCode errorCode(dev.ramp.core.eval.ErrorCode code) {
        return switch (code) {
            case FLAG_NOT_FOUND -> ErrorCode.FLAG_NOT_FOUND;
            case TYPE_MISMATCH -> ErrorCode.TYPE_MISMATCH;
            case PARSE_ERROR -> ErrorCode.PARSE_ERROR;
            case NONE, GENERAL -> ErrorCode.GENERAL;
        };
    }

    /**
     * Ramp's context of an OpenFeature one.
     *
     * @throws IllegalArgumentException when a well-known field has a value Ramp cannot use (say, an unparsable
     *                                  {@code currentTime})
     */
    static Context context(EvaluationContext evaluationContext) {
        if (evaluationContext == null || evaluationContext.isEmpty()) {
            return Context.empty();
        }
        Context.Builder builder = Context.builder();
        for (Map.Entry<String, Value> attribute : evaluationContext.asMap().entrySet()) {
            String name = attribute.getKey();
            Value value = attribute.getValue();
            if (name.equals(EvaluationContext.TARGETING_KEY) || value == null || value.isNull()
                    || value.isStructure() || value.isList()) {
                continue;
            }
            String text = value.isInstant() ? value.asInstant().toString()
                    : value.isString() ? value.asString()
                    : value.isBoolean() ? value.asBoolean().toString()
                    : value.isNumber() ? value.asObject().toString()
                    : null;
            if (text != null) {
                builder.set(name, text);
            }
        }
        String targetingKey = evaluationContext.getTargetingKey();
        if (targetingKey != null && !targetingKey.isEmpty()) {
            builder.userId(targetingKey);
        }
        return builder.build();
    }

    private static Value value(JsonNode json) {
        if (json == null || json.isNull()) {
            return new Value();
        }
        if (json.isObject()) {
            Map<String, Value> fields = new HashMap<>();
            json.properties().forEach(field -> fields.put(field.getKey(), value(field.getValue())));
            return new Value(new ImmutableStructure(fields));
        }
        if (json.isArray()) {
            List<Value> items = new ArrayList<>();
            json.forEach(item -> items.add(value(item)));
            return new Value(items);
        }
        if (json.isBoolean()) {
            return new Value(json.booleanValue());
        }
        if (json.isInt()) {
            return new Value(json.intValue());
        }
        if (json.isNumber()) {
            return new Value(json.doubleValue());
        }
        return new Value(json.asText());
    }

    /** Turns the client's state and flag changes into provider events. */
    private final class Forwarder implements RampListener {
        @Override
        public void onReady(SnapshotVersion version) {
            if (changeReady(true)) {
                emitProviderReady(ProviderEventDetails.builder().message("Ramp is in sync (" + version.origin() + ")").build());
            }
        }

        @Override
        public void onChanged(SnapshotVersion version, Set<String> flags) {
            emitProviderConfigurationChanged(ProviderEventDetails.builder()
                    .flagsChanged(List.copyOf(flags))
                    .message("Ramp flags changed (change " + version.changeId() + ")")
                    .build());
        }

        @Override
        public void onStale(String reason) {
            if (changeReady(false)) {
                emitProviderStale(ProviderEventDetails.builder().message(reason).build());
            }
        }

        @Override
        public void onError(String reason) {
            if (changeReady(false)) {
                emitProviderError(ProviderEventDetails.builder().message(reason).errorCode(ErrorCode.PROVIDER_NOT_READY).build());
            }
        }

        private boolean changeReady(boolean ready) {
            synchronized (stateLock) {
                if (reportedReady == ready) {
                    return false;
                }
                reportedReady = ready;
                return true;
            }
        }
    }
}
