package dev.ramp.analysis;

import org.apache.commons.numbers.gamma.Erfcx;
import org.apache.commons.statistics.distribution.NormalDistribution;

/**
 * A one-sided mixture sequential probability ratio test on the difference of two means, such as the mean
 * log-latency of canary and stable.
 *
 * <p>With d the observed difference (in the harmful direction, less the tolerance) and V its variance
 * (s²<sub>canary</sub>/n<sub>canary</sub> + s²<sub>stable</sub>/n<sub>stable</sub>), d/V is, under the null, a Brownian
 * motion in information time 1/V whatever the allocation path (the difference of running means has Cov(d<sub>s</sub>,
 * d<sub>t</sub>) = V<sub>t</sub> for s < t), so the likelihood ratio mixed over a half-normal prior with scale τ on the
 * harmful side is a test martingale:
 *
 * <pre>  Λ = 2 · sqrt(V / (V + τ²)) · exp(a² / 2) · Φ(a),   a = τ d / sqrt(V (V + τ²))</pre>
 *
 * <p>The variances are the running sample variances (a plug-in, valid as the samples grow; the guardrail's minimum
 * sample size keeps early looks out), and τ is a fixed multiple of the pooled standard deviation, which makes the
 * test independent of the metric's unit.
 *
 * <p>References: Robbins (1970), "Statistical methods related to the law of the iterated logarithm"; Johari, Pekelis
 * and Walsh (2017), "Peeking at A/B tests" (the mSPRT); Howard et al. (2021), "Time-uniform, nonparametric,
 * nonasymptotic confidence sequences"; Waudby-Smith et al. (2024), "Time-uniform central limit theory".
 */
final class MeanShiftMixture {

    private static final double LOG_TWO = Math.log(2);

    private MeanShiftMixture() {}

    /**
     * The log e-value that the harmful difference exceeds zero.
     *
     * @param difference the observed difference of means in the harmful direction, less the tolerance
     * @param variance the variance of that difference
     * @param priorVariance τ², the prior's scale squared
     */
    static double logEValue(double difference, double variance, double priorVariance) {
        if (variance == 0) {
            return difference > 0 ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
        }
        double total = variance + priorVariance;
        double a = Math.sqrt(priorVariance) * difference / Math.sqrt(variance * total);
        return LOG_TWO + 0.5 * Math.log(variance / total) + logHalfSquarePlusLogPhi(a);
    }

    /** a²/2 + log Φ(a), without overflow for large a nor underflow for very negative a. */
    private static double logHalfSquarePlusLogPhi(double a) {
        if (a > 0) {
            return a * a / 2 + Math.log(NormalDistribution.of(0, 1).cumulativeProbability(a));
        }
        // Φ(a) = erfc(-a/√2)/2 and erfcx(x) = exp(x²) erfc(x)
        return Math.log(0.5 * Erfcx.value(-a / Math.sqrt(2)));
    }
}
