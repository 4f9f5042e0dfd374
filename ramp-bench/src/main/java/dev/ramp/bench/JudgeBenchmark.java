package dev.ramp.bench;

import dev.ramp.analysis.Arms;
import dev.ramp.analysis.Counts;
import dev.ramp.analysis.Direction;
import dev.ramp.analysis.Interval;
import dev.ramp.analysis.Judge;
import dev.ramp.analysis.JudgeState;
import dev.ramp.analysis.Look;
import dev.ramp.analysis.MannWhitneyJudge;
import dev.ramp.analysis.Moments;
import dev.ramp.analysis.SequentialGuardrail;
import dev.ramp.analysis.Split;
import dev.ramp.analysis.ThresholdJudge;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One look of each judge on two metrics (errors, log-latency), from a state that has already seen {@code seen}
 * intervals of a healthy canary at 100 req/s: what the release controller pays per release and tick. The state is
 * not carried between invocations, so every look costs the same.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class JudgeBenchmark {

    @Param({"60", "600"})
    int seen;

    private final Judge guardrail = SequentialGuardrail.builder().proportion("errors").mean("latency").build();
    private final Judge threshold = ThresholdJudge.builder().failAbove("errors", 0.02).failAbove("latency", 4.8).build();
    private final Judge kayenta = MannWhitneyJudge.builder()
            .metric("errors", Direction.HIGHER_IS_WORSE).metric("latency", Direction.HIGHER_IS_WORSE).build();

    private JudgeState guardrailState;
    private JudgeState thresholdState;
    private JudgeState kayentaState;
    private Interval next;

    @Setup(Level.Trial)
    public void setUp() {
        SplittableRandom random = new SplittableRandom(42);
        guardrailState = guardrail.start();
        thresholdState = threshold.start();
        kayentaState = kayenta.start();
        for (int i = 0; i < seen; i++) {
            Interval interval = healthySecond(random);
            guardrailState = guardrail.look(guardrailState, interval).state();
            thresholdState = threshold.look(thresholdState, interval).state();
            kayentaState = kayenta.look(kayentaState, interval).state();
        }
        next = healthySecond(random);
    }

    @Benchmark
    public Look sequentialGuardrail() {
        return guardrail.look(guardrailState, next);
    }

    @Benchmark
    public Look thresholdJudge() {
        return threshold.look(thresholdState, next);
    }

    @Benchmark
    public Look mannWhitneyJudge() {
        return kayenta.look(kayentaState, next);
    }

    /** One second of a healthy canary: 100 requests split 50/50, 1% errors, log-latency N(4.6, 0.5²) on both arms. */
    private static Interval healthySecond(SplittableRandom random) {
        long canary = 0;
        for (int request = 0; request < 100; request++) {
            canary += random.nextDouble() < 0.5 ? 1 : 0;
        }
        long stable = 100 - canary;
        return Interval.of(Map.of(
                        "errors", Arms.of(Counts.of(errors(random, stable), stable), Counts.of(errors(random, canary), canary)),
                        "latency", Arms.of(latency(random, stable), latency(random, canary))),
                Split.of(0.5, stable, canary));
    }

    private static long errors(SplittableRandom random, long requests) {
        long errors = 0;
        for (long i = 0; i < requests; i++) {
            errors += random.nextDouble() < 0.01 ? 1 : 0;
        }
        return errors;
    }

    private static Moments latency(SplittableRandom random, long requests) {
        double[] logs = new double[(int) requests];
        for (int i = 0; i < logs.length; i++) {
            logs[i] = 4.6 + 0.5 * random.nextGaussian();
        }
        return Moments.of(logs);
    }
}
