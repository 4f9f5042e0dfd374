package dev.ramp.bench;

import dev.ramp.core.codec.UnleashCodec;
import dev.ramp.core.eval.Context;
import dev.ramp.core.eval.Evaluator;
import dev.ramp.core.eval.VariantResult;
import io.getunleash.DefaultUnleash;
import io.getunleash.Unleash;
import io.getunleash.UnleashContext;
import io.getunleash.util.UnleashConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * Evaluates the same three flags ({@code flags.json}) with Ramp's evaluator and with the Unleash Java SDK 11
 * (Yggdrasil engine), both bootstrapped from the same JSON, polling and metrics off:
 * (a) {@code bench.plain}, an on/off flag; (b) {@code bench.rollout}, a 50% flexibleRollout behind two
 * constraints; (c) {@code bench.variants}, four weighted variants behind a segment. Setup checks that both
 * engines give the same answers, so the comparison is of equal work.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class EvaluationBenchmark {
    static final String PLAIN = "bench.plain";
    static final String ROLLOUT = "bench.rollout";
    static final String VARIANTS = "bench.variants";
    private static final String USER = "user-4711";

    private Evaluator ramp;
    private Context rampContext;
    private Unleash unleash;
    private UnleashContext unleashContext;

    @Setup(Level.Trial)
    public void setUp() {
        String json = flagsJson();
        ramp = Evaluator.of(UnleashCodec.decodeFeatures(json).snapshot(), Clock.systemUTC(), ThreadLocalRandom.current());
        rampContext = Context.builder().userId(USER).environment("production")
                .property("plan", "pro").property("country", "NO").build();

        UnleashConfig config = UnleashConfig.builder()
                .appName("ramp-bench")
                .unleashAPI("http://127.0.0.1:9/api/")
                .toggleBootstrapProvider(() -> Optional.of(json))
                .disablePolling()
                .disableMetrics()
                .synchronousFetchOnInitialisation(false)
                .build();
        unleash = new DefaultUnleash(config);
        unleashContext = UnleashContext.builder().userId(USER).environment("production")
                .addProperty("plan", "pro").addProperty("country", "NO").build();

        for (String flag : new String[] {PLAIN, ROLLOUT, VARIANTS}) {
            boolean rampAnswer = ramp.isEnabled(flag, rampContext);
            boolean unleashAnswer = unleash.isEnabled(flag, unleashContext);
            if (rampAnswer != unleashAnswer) {
                throw new IllegalStateException(flag + ": Ramp says " + rampAnswer + ", Unleash says " + unleashAnswer);
            }
        }
        String rampVariant = ramp.variant(VARIANTS, rampContext).name();
        String unleashVariant = unleash.getVariant(VARIANTS, unleashContext).getName();
        if (!rampVariant.equals(unleashVariant)) {
            throw new IllegalStateException("variant: Ramp says " + rampVariant + ", Unleash says " + unleashVariant);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        unleash.shutdown();
    }

    @Benchmark
    public boolean a_plain_ramp() {
        return ramp.isEnabled(PLAIN, rampContext);
    }

    @Benchmark
    public boolean a_plain_unleash() {
        return unleash.isEnabled(PLAIN, unleashContext);
    }

    @Benchmark
    public boolean b_rollout_ramp() {
        return ramp.isEnabled(ROLLOUT, rampContext);
    }

    @Benchmark
    public boolean b_rollout_unleash() {
        return unleash.isEnabled(ROLLOUT, unleashContext);
    }

    @Benchmark
    public VariantResult c_variants_ramp() {
        return ramp.variant(VARIANTS, rampContext);
    }

    @Benchmark
    public io.getunleash.variant.Variant c_variants_unleash() {
        return unleash.getVariant(VARIANTS, unleashContext);
    }

    static String flagsJson() {
        try (InputStream in = EvaluationBenchmark.class.getResourceAsStream("flags.json")) {
            if (in == null) {
                throw new IllegalStateException("flags.json is missing from the benchmark jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
