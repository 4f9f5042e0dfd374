package dev.ramp.analysis.experiment;

import java.util.Arrays;
import java.util.Comparator;

/**
 * Adjusted p-values for testing many metrics or arms at once, the same as R's {@code p.adjust}.
 *
 * <p><b>Method.</b> With {@code m} p-values sorted ascending, {@code p_(1) <= ... <= p_(m)}: Holm's step-down
 * adjustment is {@code min(1, max_{j <= i} (m - j + 1) p_(j))}, and controls the family-wise error rate (the chance of
 * any false positive) under any dependence. The Benjamini–Hochberg step-up adjustment is
 * {@code min(1, min_{j >= i} m p_(j) / j)}, and controls the false discovery rate (the expected share of false positives
 * among the positives) for independent or positively dependent tests. Rejecting where the adjusted p-value is at most
 * alpha is the same as running the procedure at alpha. Holm's adjusted values are never below BH's, and both are never
 * below the raw ones.
 *
 * <p><b>References.</b> S. Holm (1979), "A simple sequentially rejective multiple test procedure", Scandinavian Journal
 * of Statistics 6; Y. Benjamini, Y. Hochberg (1995), "Controlling the false discovery rate", JRSS B 57.
 */
public final class PValues {

    private PValues() {}

    /**
     * Holm's adjusted p-values, in the order of the input.
     *
     * @throws IllegalArgumentException if a p-value is NaN or outside [0, 1]
     */
    public static double[] holm(double... pValues) {
        Integer[] order = ascending(pValues);
        int m = pValues.length;
        double[] adjusted = new double[m];
        double running = 0;
        for (int i = 0; i < m; i++) {
            running = Math.max(running, (m - i) * pValues[order[i]]);
            adjusted[order[i]] = Math.min(1, running);
        }
        return adjusted;
    }

    /**
     * Benjamini–Hochberg adjusted p-values, in the order of the input.
     *
     * @throws IllegalArgumentException if a p-value is NaN or outside [0, 1]
     */
    public static double[] benjaminiHochberg(double... pValues) {
        Integer[] order = ascending(pValues);
        int m = pValues.length;
        double[] adjusted = new double[m];
        double running = 1;
        for (int i = m - 1; i >= 0; i--) {
            running = Math.min(running, (double) m / (i + 1) * pValues[order[i]]);
            adjusted[order[i]] = running;
        }
        return adjusted;
    }

    private static Integer[] ascending(double[] pValues) {
        Integer[] order = new Integer[pValues.length];
        for (int i = 0; i < pValues.length; i++) {
            if (!(pValues[i] >= 0 && pValues[i] <= 1)) {
                throw new IllegalArgumentException("pValues[" + i + "] must lie in [0, 1], got " + pValues[i]);
            }
            order[i] = i;
        }
        Arrays.sort(order, Comparator.comparingDouble(i -> pValues[i]));
        return order;
    }
}
