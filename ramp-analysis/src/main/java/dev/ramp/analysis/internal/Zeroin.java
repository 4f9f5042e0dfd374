package dev.ramp.analysis.internal;

import java.util.function.DoubleUnaryOperator;

/**
 * Brent's root finder in the form of R's {@code zeroin} (behind {@code uniroot}): it starts from the bracket's two
 * ends, tries inverse quadratic or linear interpolation and falls back to bisection, and stops when the bracket's
 * half-width is within {@code 2·ε·|b| + tol/2} or the function is exactly zero.
 *
 * <p>Commons Numbers' {@code BrentSolver} runs the same method but first splits the bracket at its midpoint. On the
 * step functions of rank tests, which are zero over whole intervals, that lands on another point of the flat part
 * than R does, so the Hodges–Lehmann estimate would differ from R's by more than the tolerance. Following R's steps
 * reproduces its roots.
 *
 * <p>Reference: R. P. Brent, "Algorithms for Minimization without Derivatives" (1973), chapter 4; R's
 * {@code src/library/stats/src/zeroin.c}.
 */
final class Zeroin {

    private static final int MAX_ITERATIONS = 1000;

    private Zeroin() {
    }

    /**
     * A root of {@code f} in {@code [a, b]}, given {@code f(a)} and {@code f(b)} of opposite signs (or one zero).
     *
     * @throws IllegalArgumentException if {@code f(a)} and {@code f(b)} have the same sign
     */
    static double root(DoubleUnaryOperator f, double a, double b, double fa, double fb, double tolerance) {
        if (fa == 0) {
            return a;
        }
        if (fb == 0) {
            return b;
        }
        if (Math.signum(fa) == Math.signum(fb)) {
            throw new IllegalArgumentException(
                    "f(" + a + ") = " + fa + " and f(" + b + ") = " + fb + " do not bracket a root");
        }
        double c = a;
        double fc = fa;
        for (int iteration = 0; iteration <= MAX_ITERATIONS; iteration++) {
            double previousStep = b - a;
            if (Math.abs(fc) < Math.abs(fb)) {
                a = b;
                b = c;
                c = a;
                fa = fb;
                fb = fc;
                fc = fa;
            }
            double stepTolerance = 2 * Math.ulp(1.0) * Math.abs(b) + tolerance / 2;
            double step = (c - b) / 2;
            if (Math.abs(step) <= stepTolerance || fb == 0) {
                return b;
            }
            if (Math.abs(previousStep) >= stepTolerance && Math.abs(fa) > Math.abs(fb)) {
                double toC = c - b;
                double p;
                double q;
                if (a == c) {
                    double ratio = fb / fa;
                    p = toC * ratio;
                    q = 1 - ratio;
                } else {
                    double qa = fa / fc;
                    double qb = fb / fc;
                    double ba = fb / fa;
                    p = ba * (toC * qa * (qa - qb) - (b - a) * (qb - 1));
                    q = (qa - 1) * (qb - 1) * (ba - 1);
                }
                if (p > 0) {
                    q = -q;
                } else {
                    p = -p;
                }
                if (p < 0.75 * toC * q - Math.abs(stepTolerance * q) / 2 && p < Math.abs(previousStep * q / 2)) {
                    step = p / q;
                }
            }
            if (Math.abs(step) < stepTolerance) {
                step = step > 0 ? stepTolerance : -stepTolerance;
            }
            a = b;
            fa = fb;
            b += step;
            fb = f.applyAsDouble(b);
            if ((fb > 0 && fc > 0) || (fb < 0 && fc < 0)) {
                c = a;
                fc = fa;
            }
        }
        return b;
    }
}
