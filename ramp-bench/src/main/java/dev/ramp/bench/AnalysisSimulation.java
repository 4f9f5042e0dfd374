package dev.ramp.bench;

import dev.ramp.analysis.Direction;
import dev.ramp.analysis.Judge;
import dev.ramp.analysis.MannWhitneyJudge;
import dev.ramp.analysis.SequentialGuardrail;
import dev.ramp.analysis.ThresholdJudge;
import dev.ramp.analysis.simulation.CanarySimulator;
import dev.ramp.analysis.simulation.Scenario;
import dev.ramp.analysis.simulation.Watch;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.apache.commons.statistics.distribution.BinomialDistribution;
import org.apache.commons.statistics.distribution.NormalDistribution;

/**
 * Simulates thousands of canaries and judges each with Ramp's sequential guardrail and with the judges users would
 * choose instead, all on the same simulated seconds, then rewrites the results section of docs/analysis.md and its
 * plot. Seeded and deterministic: the same options give the same report, on any number of cores.
 *
 * <p>Run with {@code ramp-bench/run.sh analysis [--canaries 2000 --power-canaries 500 --seconds 600 --seed 20261201]}.
 */
public final class AnalysisSimulation {

    private static final String BEGIN = "<!-- simulation:begin -->";
    private static final String END = "<!-- simulation:end -->";
    private static final double ALPHA = 0.01;
    /** Each fixed limit's false-alarm chance per check, per metric: about 5% per check over the two metrics. */
    private static final double PER_CHECK = 0.025;
    /** The same, split so that 10 looks on 2 metrics stay within α: what fixed limits need to be as safe as Ramp. */
    private static final double PER_CHECK_WITHIN_ALPHA = ALPHA / 20;
    /** A release's setWeight steps: 5%, 25%, then 50%, three minutes each (steps end on every watch's interval). */
    private static final Scenario.Weights STEPS = Scenario.Weights.steps(180, 0.05, 0.25, 0.5);
    /** A shared dependency fails 5% of requests on both arms for the sixth minute. */
    private static final Scenario.Incident INCIDENT = new Scenario.Incident(301, 360, 0.05);

    private AnalysisSimulation() {}

    public static void main(String[] args) throws IOException {
        Options options = Options.parseOrExit("analysis", args, Map.of(
                "canaries", "2000", "power-canaries", "500", "seconds", "600", "seed", "20261201",
                "report", "docs/analysis.md", "plot", "docs/analysis-false-rollbacks.png"));
        int canaries = options.number("canaries", 1);
        int powerCanaries = options.number("power-canaries", 1);
        int seconds = options.number("seconds", 60);
        long seed = Long.parseLong(options.text("seed"));
        long started = System.nanoTime();

        Scenario healthy = Scenario.healthy(100);
        List<Watch> watches = watches(healthy);
        List<Watch> aaWatches = new ArrayList<>(watches);
        aaWatches.addAll(perMetricGuardrails());
        System.out.printf(Locale.ROOT, "A/A: %d healthy canaries at %d req/s for %d s%n", canaries,
                healthy.requestsPerSecond(), seconds);
        int[][] aa = simulate(healthy, aaWatches, canaries, seconds, seed);
        System.out.printf(Locale.ROOT, "A/A through weight steps and through an incident: %d canaries each%n", canaries);
        int[][] stepped = simulate(healthy.withWeights(STEPS), aaWatches, canaries, seconds, seed + 1);
        int[][] incident = simulate(healthy.withIncident(INCIDENT), aaWatches, canaries, seconds, seed + 2);

        List<PowerRow> power = new ArrayList<>();
        int scenarioIndex = 1;
        for (int rate : new int[] {10, 100, 1000}) {
            Scenario base = Scenario.healthy(rate);
            List<Watch> rateWatches = watches(base);
            for (Effect effect : Effect.values()) {
                Scenario scenario = effect.apply(base);
                System.out.printf(Locale.ROOT, "power: %s at %d req/s, %d canaries%n", effect.label, rate, powerCanaries);
                int[][] runs = simulate(scenario, rateWatches, powerCanaries, seconds, seed + 1_000_003L * scenarioIndex++);
                power.add(new PowerRow(effect, rate, runs));
            }
        }
        double minutes = (System.nanoTime() - started) / 60e9;

        Path plot = Path.of(options.text("plot"));
        FalseRollbackPlot.write(plot, names(watches), aa, seconds, ALPHA);
        String section = section(aaWatches, watches, aa, stepped, incident, canaries, powerCanaries, seconds, seed, power, plot.getFileName(), minutes);
        Path report = Path.of(options.text("report"));
        replaceSection(report, section);
        System.out.printf(Locale.ROOT, "wrote %s and %s in %.1f min%n", report, plot, minutes);
    }

    /** The judges compared, each tuned to the healthy scenario the way its users would tune it. */
    static List<Watch> watches(Scenario healthy) {
        Judge guardrail = SequentialGuardrail.builder().alpha(ALPHA)
                .proportion(CanarySimulator.ERRORS).mean(CanarySimulator.LATENCY).build();
        return List.of(
                new Watch("Ramp sequential guardrail, every 1 s", guardrail, 1, 1),
                new Watch("fixed limits, every 60 s (Argo, Flagger)", limits(healthy, 60, PER_CHECK), 60, 60),
                new Watch("fixed limits, every 10 s", limits(healthy, 10, PER_CHECK), 10, 10),
                new Watch("fixed limits within α, every 60 s", limits(healthy, 60, PER_CHECK_WITHIN_ALPHA), 60, 60),
                new Watch("Mann-Whitney on 10-s points, every 60 s (Kayenta)", MannWhitneyJudge.builder()
                        .metric(CanarySimulator.ERRORS, Direction.HIGHER_IS_WORSE)
                        .metric(CanarySimulator.LATENCY, Direction.HIGHER_IS_WORSE)
                        .build(), 10, 60));
    }

    /**
     * The guardrail's two tests on their own, each with its share α/2 of the budget: the guardrail fails when either
     * does, so these rows show where its false rollbacks come from.
     */
    private static List<Watch> perMetricGuardrails() {
        return List.of(
                new Watch("Ramp guardrail, its errors test alone (α/2)", SequentialGuardrail.builder().alpha(ALPHA / 2)
                        .proportion(CanarySimulator.ERRORS).build(), 1, 1),
                new Watch("Ramp guardrail, its latency test alone (α/2)", SequentialGuardrail.builder().alpha(ALPHA / 2)
                        .mean(CanarySimulator.LATENCY).build(), 1, 1));
    }

    /**
     * Limits on the canary's error rate and mean log-latency over the last {@code seconds}, each crossed by a healthy
     * canary in {@code perCheck} of checks: the limits a team would pick from its baseline with some headroom.
     */
    private static Judge limits(Scenario healthy, int seconds, double perCheck) {
        int canaryRequests = (int) Math.round(healthy.requestsPerSecond() * healthy.weightAt(1) * seconds);
        int errors = BinomialDistribution.of(canaryRequests, healthy.stableErrorRate())
                .inverseCumulativeProbability(1 - perCheck);
        double z = NormalDistribution.of(0, 1).inverseCumulativeProbability(1 - perCheck);
        double latency = healthy.logLatencyMean() + z * healthy.logLatencySd() / Math.sqrt(canaryRequests);
        return ThresholdJudge.builder()
                .failAbove(CanarySimulator.ERRORS, (double) errors / canaryRequests)
                .failAbove(CanarySimulator.LATENCY, latency)
                .build();
    }

    /**
     * Per canary, per watch: the second of the first failure, or -1. Canary i of a seed always gets the same
     * generator, and no two (seed, canary) pairs of a report share one: the canary's index is spread over all 64 bits
     * before it meets the seed, so scenarios with nearby seeds do not replay each other's canaries.
     */
    private static int[][] simulate(Scenario scenario, List<Watch> watches, int canaries, int seconds, long seed) {
        return IntStream.range(0, canaries).parallel()
                .mapToObj(canary -> CanarySimulator.firstFailures(
                        scenario, watches, seconds, new SplittableRandom(seed ^ (canary * 0xBF58476D1CE4E5B9L))))
                .toArray(int[][]::new);
    }

    private static List<String> names(List<Watch> watches) {
        return watches.stream().map(Watch::name).toList();
    }

    private static String section(List<Watch> aaWatches, List<Watch> watches, int[][] aa, int[][] stepped,
            int[][] incident, int canaries, int powerCanaries, int seconds,
            long seed, List<PowerRow> power, Path plot, double minutes) {
        StringBuilder out = new StringBuilder();
        out.append(BEGIN).append('\n');
        out.append(String.format(Locale.ROOT,
                "Written by `ramp-bench/run.sh analysis --canaries %d --power-canaries %d --seconds %d --seed %d` "
                        + "in %.1f minutes on %d cores. Do not edit by hand.%n%n",
                canaries, powerCanaries, seconds, seed, minutes, Runtime.getRuntime().availableProcessors()));
        out.append(String.format(Locale.ROOT,
                "### False rollbacks of healthy canaries%n%n%d canaries, 100 req/s split 50/50, 1%% errors and the same "
                        + "latency on both arms, watched for %d s on 2 metrics (error rate, mean log-latency). "
                        + "Ramp's α is %.0f%%; each fixed limit is crossed by a healthy canary in %.1f%% of checks, or %.2f%% for the "
                        + "limits set to stay within α over 10 looks and 2 metrics (Bonferroni). The 95%% interval is "
                        + "the simulation's own sampling error.%n%n",
                canaries, seconds, 100 * ALPHA, 100 * PER_CHECK, 100 * PER_CHECK_WITHIN_ALPHA));
        out.append("| judge | looks | false rollbacks | rate | 95% interval |\n|---|---|---|---|---|\n");
        for (int w = 0; w < aaWatches.size(); w++) {
            int failed = countFailed(aa, w);
            double[] interval = wilson(failed, canaries);
            out.append(String.format(Locale.ROOT, "| %s | %d | %d of %d | **%.2f%%** | %.2f%% – %.2f%% |%n",
                    aaWatches.get(w).name(), seconds / aaWatches.get(w).decisionSeconds(), failed, canaries,
                    100.0 * failed / canaries, 100 * interval[0], 100 * interval[1]));
        }
        out.append(String.format(Locale.ROOT, "%n![Share of healthy canaries rolled back over time](%s)%n%n", plot));
        out.append(String.format(Locale.ROOT,
                "The same healthy canaries (%d each) through a release whose weight steps from 5%% to 25%% to 50%% "
                        + "every 180 s, and through an incident in which a shared dependency fails 5%% of requests on "
                        + "both arms from second 301 to 360. The limits are the ones above.%n%n", canaries));
        out.append("| judge | weight steps 5% → 25% → 50% | incident on both arms |\n|---|---|---|\n");
        for (int w = 0; w < aaWatches.size(); w++) {
            out.append(String.format(Locale.ROOT, "| %s | %s | %s |%n", aaWatches.get(w).name(),
                    share(stepped, w, canaries), share(incident, w, canaries)));
        }
        out.append('\n');
        out.append(String.format(Locale.ROOT,
                "### Time to detect a regression%n%n%d canaries per row, 50/50 split, stable at 1%% errors. A canary "
                        + "counts as detected when the judge fails it within %d s; times are seconds from the start "
                        + "(median and 90th percentile of all canaries, \"–\" when fewer were detected). The fixed "
                        + "limits are set for each traffic level as above; the \"none\" rows are their false "
                        + "rollbacks at that level.%n%n",
                powerCanaries, seconds));
        out.append("| regression | req/s |");
        for (Watch watch : watches) {
            out.append(' ').append(watch.name()).append(" |");
        }
        out.append("\n|---|---|").append("---|".repeat(watches.size())).append('\n');
        for (PowerRow row : power) {
            out.append("| ").append(row.effect.label).append(" | ").append(row.rate).append(" |");
            for (int w = 0; w < watches.size(); w++) {
                out.append(' ').append(detection(row.runs, w, seconds)).append(" |");
            }
            out.append('\n');
        }
        out.append('\n').append(END);
        return out.toString();
    }

    private static String detection(int[][] runs, int watch, int seconds) {
        int[] times = Arrays.stream(runs).mapToInt(run -> run[watch] < 0 ? Integer.MAX_VALUE : run[watch]).sorted()
                .toArray();
        int detected = (int) Arrays.stream(times).filter(time -> time != Integer.MAX_VALUE).count();
        return String.format(Locale.ROOT, "%.1f%%, %s / %s", 100.0 * detected / runs.length,
                quantile(times, 0.5), quantile(times, 0.9));
    }

    private static String quantile(int[] sorted, double share) {
        int value = sorted[(int) Math.ceil(share * sorted.length) - 1];
        return value == Integer.MAX_VALUE ? "–" : value + " s";
    }

    private static String share(int[][] runs, int watch, int canaries) {
        int failed = countFailed(runs, watch);
        double[] interval = wilson(failed, canaries);
        return String.format(Locale.ROOT, "**%.2f%%** (%.2f%% – %.2f%%)", 100.0 * failed / canaries,
                100 * interval[0], 100 * interval[1]);
    }

    private static int countFailed(int[][] runs, int watch) {
        return (int) Arrays.stream(runs).filter(run -> run[watch] >= 0).count();
    }

    /** The Wilson score interval at 95% for a binomial share. */
    private static double[] wilson(int successes, int trials) {
        double z = 1.959963984540054;
        double share = (double) successes / trials;
        double centre = (share + z * z / (2 * trials)) / (1 + z * z / trials);
        double half = z * Math.sqrt(share * (1 - share) / trials + z * z / (4.0 * trials * trials)) / (1 + z * z / trials);
        return new double[] {Math.max(0, centre - half), Math.min(1, centre + half)};
    }

    private static void replaceSection(Path report, String section) throws IOException {
        String text = Files.readString(report, StandardCharsets.UTF_8);
        int begin = text.indexOf(BEGIN);
        int end = text.indexOf(END);
        if (begin < 0 || end < begin) {
            throw new IllegalStateException(report + " has no " + BEGIN + " ... " + END + " section to replace");
        }
        Files.writeString(report, text.substring(0, begin) + section + text.substring(end + END.length()),
                StandardCharsets.UTF_8);
    }

    private enum Effect {
        NONE("none (healthy canary)") {
            @Override
            Scenario apply(Scenario base) {
                return base;
            }
        },
        ERRORS_DOUBLED("errors 1% → 2%") {
            @Override
            Scenario apply(Scenario base) {
                return base.withCanaryErrorRate(0.02);
            }
        },
        ERRORS_FIVEFOLD("errors 1% → 5%") {
            @Override
            Scenario apply(Scenario base) {
                return base.withCanaryErrorRate(0.05);
            }
        },
        LATENCY_SLOWER("latency +20%") {
            @Override
            Scenario apply(Scenario base) {
                return base.withCanaryLatencyFactor(1.2);
            }
        };

        final String label;

        Effect(String label) {
            this.label = label;
        }

        abstract Scenario apply(Scenario base);
    }

    private record PowerRow(Effect effect, int rate, int[][] runs) {}
}
