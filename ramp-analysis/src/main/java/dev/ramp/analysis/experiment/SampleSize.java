package dev.ramp.analysis.experiment;

/**
 * How many units per arm a two-arm experiment with equal arms needs, and the power it has at a given size.
 *
 * <p><b>Method.</b> Both use the normal approximation to a two-sided test at level {@code alpha}, counting both
 * rejection tails, with {@code z = Phi^-1(1 - alpha/2)}.
 *
 * <p>Means, with standard deviation {@code sigma} on both arms and effect {@code delta}: the standardised effect is
 * {@code e = |delta| / (sigma sqrt(2/n))} and the power {@code Phi(e - z) + Phi(-e - z)}. This is statsmodels'
 * {@code NormalIndPower}. It ignores that the variance is estimated (R's {@code power.t.test} uses the noncentral t and
 * asks for one or two more units per arm below about 30).
 *
 * <p>Proportions, with baseline rate {@code p1} and an <em>absolute</em> minimum detectable effect {@code delta}, so
 * {@code p2 = p1 + delta} (for a relative effect {@code r}, pass {@code delta = p1 r}): with {@code pbar = (p1 + p2)/2}
 * the null variance {@code 2 pbar (1 - pbar)} (the pooled z test) and the alternative variance
 * {@code p1 (1 - p1) + p2 (1 - p2)}, the power is {@code Phi((sqrt(n)|delta| - z sqrt(2 pbar(1 - pbar))) / sqrt(p1 q1 +
 * p2 q2))} plus the same with {@code +z} for the far tail. This is R's {@code power.prop.test(strict = TRUE)} and the
 * formula of Fleiss, Levin and Paik without continuity correction.
 *
 * <p>The sample size is the smallest whole {@code n} whose power reaches the target.
 *
 * <p><b>References.</b> J. Cohen (1988), Statistical Power Analysis for the Behavioral Sciences, 2nd ed.;
 * J. L. Fleiss, B. Levin, M. C. Paik (2003), Statistical Methods for Rates and Proportions, 3rd ed., §4.2.
 */
public final class SampleSize {

    private SampleSize() {}

    /**
     * Units per arm for a two-sided test of means to detect {@code minimumDetectableEffect} with the given power.
     *
     * @throws IllegalArgumentException if {@code standardDeviation} is not positive and finite,
     *     {@code minimumDetectableEffect} is 0 or not finite, or {@code alpha} or {@code power} is not in (0, 1)
     */
    public static long perArmForMeans(
            double standardDeviation, double minimumDetectableEffect, double alpha, double power) {
        Check.positive("standardDeviation", standardDeviation);
        requireEffect(minimumDetectableEffect);
        Check.alpha(alpha);
        Check.probability("power", power);
        double z = Gaussian.critical(alpha) + Gaussian.STANDARD.inverseCumulativeProbability(power);
        double guess = 2 * z * z * standardDeviation * standardDeviation
                / (minimumDetectableEffect * minimumDetectableEffect);
        return smallest(guess, power, n -> powerForMeans(standardDeviation, minimumDetectableEffect, n, alpha));
    }

    /**
     * The power of a two-sided test of means with {@code perArm} units on each arm.
     *
     * @throws IllegalArgumentException if {@code perArm} is below 1, or another argument as for
     *     {@link #perArmForMeans}
     */
    public static double powerForMeans(
            double standardDeviation, double minimumDetectableEffect, long perArm, double alpha) {
        Check.positive("standardDeviation", standardDeviation);
        requireEffect(minimumDetectableEffect);
        Check.atLeast("perArm", perArm, 1);
        Check.alpha(alpha);
        double z = Gaussian.critical(alpha);
        double e = Math.abs(minimumDetectableEffect) / (standardDeviation * Math.sqrt(2.0 / perArm));
        return Math.min(1, Gaussian.STANDARD.cumulativeProbability(e - z)
                + Gaussian.STANDARD.cumulativeProbability(-e - z));
    }

    /**
     * Units per arm for a two-sided two-proportion z test to detect an absolute change of
     * {@code minimumDetectableEffect} from {@code baselineRate} with the given power.
     *
     * @throws IllegalArgumentException if {@code baselineRate} or {@code baselineRate + minimumDetectableEffect} is not
     *     in (0, 1), {@code minimumDetectableEffect} is 0, or {@code alpha} or {@code power} is not in (0, 1)
     */
    public static long perArmForProportions(
            double baselineRate, double minimumDetectableEffect, double alpha, double power) {
        requireRates(baselineRate, minimumDetectableEffect);
        Check.alpha(alpha);
        Check.probability("power", power);
        double p1 = baselineRate;
        double p2 = baselineRate + minimumDetectableEffect;
        double pbar = (p1 + p2) / 2;
        double root = Gaussian.critical(alpha) * Math.sqrt(2 * pbar * (1 - pbar))
                + Gaussian.STANDARD.inverseCumulativeProbability(power) * Math.sqrt(p1 * (1 - p1) + p2 * (1 - p2));
        double guess = root * root / (minimumDetectableEffect * minimumDetectableEffect);
        return smallest(guess, power, n -> powerForProportions(baselineRate, minimumDetectableEffect, n, alpha));
    }

    /**
     * The power of a two-sided two-proportion z test with {@code perArm} units on each arm.
     *
     * @throws IllegalArgumentException if {@code perArm} is below 1, or another argument as for
     *     {@link #perArmForProportions}
     */
    public static double powerForProportions(
            double baselineRate, double minimumDetectableEffect, long perArm, double alpha) {
        requireRates(baselineRate, minimumDetectableEffect);
        Check.atLeast("perArm", perArm, 1);
        Check.alpha(alpha);
        double p1 = baselineRate;
        double p2 = baselineRate + minimumDetectableEffect;
        double pbar = (p1 + p2) / 2;
        double z = Gaussian.critical(alpha);
        double nullSd = Math.sqrt(2 * pbar * (1 - pbar));
        double alternativeSd = Math.sqrt(p1 * (1 - p1) + p2 * (1 - p2));
        double shift = Math.sqrt(perArm) * Math.abs(minimumDetectableEffect);
        return Math.min(1, Gaussian.STANDARD.cumulativeProbability((shift - z * nullSd) / alternativeSd)
                + Gaussian.STANDARD.survivalProbability((shift + z * nullSd) / alternativeSd));
    }

    /** The smallest {@code n >= 1} with {@code power(n) >= target}, searching from a close guess. */
    private static long smallest(double guess, double target, java.util.function.LongToDoubleFunction power) {
        long n = Math.max(1, (long) Math.ceil(guess));
        while (n > 1 && power.applyAsDouble(n - 1) >= target) {
            n--;
        }
        while (power.applyAsDouble(n) < target) {
            n++;
        }
        return n;
    }

    private static void requireEffect(double minimumDetectableEffect) {
        Check.finite("minimumDetectableEffect", minimumDetectableEffect);
        if (minimumDetectableEffect == 0) {
            throw new IllegalArgumentException("minimumDetectableEffect must not be 0, got 0.0");
        }
    }

    private static void requireRates(double baselineRate, double minimumDetectableEffect) {
        Check.probability("baselineRate", baselineRate);
        requireEffect(minimumDetectableEffect);
        double other = baselineRate + minimumDetectableEffect;
        if (!(other > 0 && other < 1)) {
            throw new IllegalArgumentException("baselineRate + minimumDetectableEffect must lie in (0, 1), got "
                    + baselineRate + " + " + minimumDetectableEffect + " = " + other);
        }
    }
}
