package dev.ramp.bench;

import dev.openfeature.sdk.Client;
import dev.openfeature.sdk.EvaluationContext;
import dev.openfeature.sdk.FlagEvaluationDetails;
import dev.openfeature.sdk.ImmutableContext;
import dev.openfeature.sdk.OpenFeatureAPI;
import dev.openfeature.sdk.Value;
import dev.ramp.core.codec.UnleashCodec;
import dev.ramp.core.eval.Context;
import dev.ramp.core.eval.Evaluator;
import dev.ramp.openfeature.RampProvider;
import dev.ramp.sdk.RampClient;
import io.getunleash.DefaultUnleash;
import io.getunleash.Unleash;
import io.getunleash.UnleashContext;
import io.getunleash.util.UnleashConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What an application pays per {@code isEnabled} on the way it calls Ramp, over two flags of {@code flags.json}:
 * (a) {@code bench.plain}, an on/off flag; (b) {@code bench.rollout}, a 50% flexibleRollout on the user id behind
 * two constraints. Four ways, each on one thread and on four sharing one instance:
 * <ul>
 *   <li>{@code raw}: ramp-core's {@link Evaluator}, the baseline;
 *   <li>{@code client}: a {@link RampClient} from the builder, bootstrapped with the same JSON, usage metrics on
 *       (the default, so counting is measured), no backup file, its url a loopback port where nothing listens;
 *   <li>{@code openfeature}: OpenFeature's {@link Client#getBooleanValue} through a {@link RampProvider} over a
 *       second such client;
 *   <li>{@code unleash}: the Unleash Java SDK 11, bootstrapped as in {@link EvaluationBenchmark}.
 * </ul>
 * Contexts are built once. Setup checks that all four give the same answer on each flag, and that OpenFeature's is
 * an evaluation, not its default after an error.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class SdkBenchmark {
    private static final String PLAIN = EvaluationBenchmark.PLAIN;
    private static final String ROLLOUT = EvaluationBenchmark.ROLLOUT;
    private static final String USER = "user-4711";

    private Evaluator raw;
    private Context rampContext;
    private RampClient client;
    private Client openFeature;
    private EvaluationContext openFeatureContext;
    private Unleash unleash;
    private UnleashContext unleashContext;

    @Setup(Level.Trial)
    public void setUp() {
        String json = EvaluationBenchmark.flagsJson();
        String nowhere = "http://127.0.0.1:" + closedPort();
        raw = Evaluator.of(UnleashCodec.decodeFeatures(json).snapshot(), Clock.systemUTC(), ThreadLocalRandom.current());
        rampContext = Context.builder().userId(USER).environment("production")
                .property("plan", "pro").property("country", "NO").build();

        client = rampClient(nowhere, json);
        OpenFeatureAPI.getInstance().setProviderAndWait(new RampProvider(rampClient(nowhere, json)));
        openFeature = OpenFeatureAPI.getInstance().getClient();
        openFeatureContext = new ImmutableContext(USER, Map.of("environment", new Value("production"),
                "plan", new Value("pro"), "country", new Value("NO")));

        UnleashConfig config = UnleashConfig.builder()
                .appName("ramp-bench")
                .unleashAPI(nowhere + "/api/")
                .toggleBootstrapProvider(() -> Optional.of(json))
                .disablePolling()
                .disableMetrics()
                .synchronousFetchOnInitialisation(false)
                .build();
        unleash = new DefaultUnleash(config);
        unleashContext = UnleashContext.builder().userId(USER).environment("production")
                .addProperty("plan", "pro").addProperty("country", "NO").build();

        for (String flag : new String[] {PLAIN, ROLLOUT}) {
            boolean expected = raw.isEnabled(flag, rampContext);
            FlagEvaluationDetails<Boolean> details = openFeature.getBooleanDetails(flag, !expected, openFeatureContext);
            if (details.getErrorCode() != null) {
                throw new IllegalStateException(flag + ": OpenFeature failed with " + details.getErrorCode() + ": " + details.getErrorMessage());
            }
            boolean[] answers = {client.isEnabled(flag, rampContext), details.getValue(), unleash.isEnabled(flag, unleashContext)};
            if (answers[0] != expected || answers[1] != expected || answers[2] != expected) {
                throw new IllegalStateException(flag + ": the evaluator says " + expected + ", the client " + answers[0]
                        + ", OpenFeature " + answers[1] + ", Unleash " + answers[2]);
            }
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        client.close();
        OpenFeatureAPI.getInstance().shutdown();
        unleash.shutdown();
    }

    @Benchmark
    public boolean a_plain_raw() {
        return raw.isEnabled(PLAIN, rampContext);
    }

    @Benchmark
    @Threads(4)
    public boolean a_plain_raw_4threads() {
        return raw.isEnabled(PLAIN, rampContext);
    }

    @Benchmark
    public boolean a_plain_client() {
        return client.isEnabled(PLAIN, rampContext);
    }

    @Benchmark
    @Threads(4)
    public boolean a_plain_client_4threads() {
        return client.isEnabled(PLAIN, rampContext);
    }

    @Benchmark
    public boolean a_plain_openfeature() {
        return openFeature.getBooleanValue(PLAIN, false, openFeatureContext);
    }

    @Benchmark
    @Threads(4)
    public boolean a_plain_openfeature_4threads() {
        return openFeature.getBooleanValue(PLAIN, false, openFeatureContext);
    }

    @Benchmark
    public boolean a_plain_unleash() {
        return unleash.isEnabled(PLAIN, unleashContext);
    }

    @Benchmark
    @Threads(4)
    public boolean a_plain_unleash_4threads() {
        return unleash.isEnabled(PLAIN, unleashContext);
    }

    @Benchmark
    public boolean b_rollout_raw() {
        return raw.isEnabled(ROLLOUT, rampContext);
    }

    @Benchmark
    @Threads(4)
    public boolean b_rollout_raw_4threads() {
        return raw.isEnabled(ROLLOUT, rampContext);
    }

    @Benchmark
    public boolean b_rollout_client() {
        return client.isEnabled(ROLLOUT, rampContext);
    }

    @Benchmark
    @Threads(4)
    public boolean b_rollout_client_4threads() {
        return client.isEnabled(ROLLOUT, rampContext);
    }

    @Benchmark
    public boolean b_rollout_openfeature() {
        return openFeature.getBooleanValue(ROLLOUT, false, openFeatureContext);
    }

    @Benchmark
    @Threads(4)
    public boolean b_rollout_openfeature_4threads() {
        return openFeature.getBooleanValue(ROLLOUT, false, openFeatureContext);
    }

    @Benchmark
    public boolean b_rollout_unleash() {
        return unleash.isEnabled(ROLLOUT, unleashContext);
    }

    @Benchmark
    @Threads(4)
    public boolean b_rollout_unleash_4threads() {
        return unleash.isEnabled(ROLLOUT, unleashContext);
    }

    /** A client as an application builds one, whose server never answers: evaluation must not need it. */
    private static RampClient rampClient(String url, String json) {
        return RampClient.builder().url(url).token("default:production.bench").appName("ramp-bench")
                .bootstrap(json).noBackupFile().build();
    }

    /** A loopback port that was free a moment ago and that nothing listens on now. */
    private static int closedPort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
