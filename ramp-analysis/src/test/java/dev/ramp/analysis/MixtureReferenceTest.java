package dev.ramp.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/**
 * The guardrail's two e-values against independent computations with Debian's python3-scipy 1.10.1: the mean test's
 * closed form against numerical integration of the likelihood ratio over its prior, and the proportion test's grid
 * against scipy's binomial probabilities.
 */
class MixtureReferenceTest {

    /*
     * /usr/bin/python3 -c "
     * from scipy import integrate, stats
     * import math
     * for d,V,t2 in [(0.05,0.001,0.01),(0.0,0.002,0.04),(-0.03,0.0005,0.01),(0.2,0.0004,0.0625)]:
     *     t=math.sqrt(t2)
     *     f=lambda x: 2*stats.norm.pdf(x,0,t)*math.exp((x*d-x*x/2)/V)
     *     v,err=integrate.quad(f,0,math.inf,limit=500,epsabs=0,epsrel=1e-12)
     *     print(d,V,t2,repr(math.log(v)))"
     */
    @Test
    void meanShift_closedForm_matchesScipyIntegrationOverTheHalfNormalPrior() {
        assertThat(MeanShiftMixture.logEValue(0.05, 0.001, 0.01)).isCloseTo(0.5624620455956826, within(1e-9));
        assertThat(MeanShiftMixture.logEValue(0.0, 0.002, 0.04)).isCloseTo(-1.5222612188617115, within(1e-9));
        assertThat(MeanShiftMixture.logEValue(-0.03, 0.0005, 0.01)).isCloseTo(-2.3235875823112595, within(1e-9));
        assertThat(MeanShiftMixture.logEValue(0.2, 0.0004, 0.0625)).isCloseTo(47.846263708922294, within(1e-8));
    }

    @Test
    void meanShift_farOnTheHarmlessSide_staysFiniteAndTiny() {
        assertThat(MeanShiftMixture.logEValue(-5, 0.0001, 0.01)).isFinite().isLessThan(-5);
    }

    /*
     * /usr/bin/python3 -c "
     * from scipy import stats
     * import numpy as np
     * K=32
     * z=stats.norm.ppf(0.5+0.5*(np.arange(K)+0.5)/K)
     * def ev(intervals, scale, up=True):
     *     L=np.zeros(K); s=scale*z*(1 if up else -1)
     *     for p,h,n in intervals:
     *         q=p*np.exp(s)/(p*np.exp(s)+1-p)
     *         L+=stats.binom.logpmf(h,n,q)-stats.binom.logpmf(h,n,p)
     *     return np.log(np.mean(np.exp(L)))
     * print(repr(ev([(0.5,14,20)],1.0)))
     * print(repr(ev([(0.1,3,12),(0.5,30,40),(0.25,9,20)],1.0)))
     * print(repr(ev([(0.5,2,20)],1.0,False)))
     * print(repr(ev([(0.5,6,10)],1.0)))"
     */
    @Test
    void oddsShift_oneSided_matchesScipyBinomialLikelihoodRatios() {
        OddsShiftMixture up = OddsShiftMixture.oneSided(1.0, true);
        assertThat(logEValue(up, new double[][] {{0.5, 14, 20}})).isCloseTo(1.1602208820324307, within(1e-9));
        assertThat(logEValue(up, new double[][] {{0.1, 3, 12}, {0.5, 30, 40}, {0.25, 9, 20}}))
                .isCloseTo(6.961128794658637, within(1e-9));
        assertThat(logEValue(up, new double[][] {{0.5, 6, 10}})).isCloseTo(-0.11617008339628755, within(1e-9));
        OddsShiftMixture down = OddsShiftMixture.oneSided(1.0, false);
        assertThat(logEValue(down, new double[][] {{0.5, 2, 20}})).isCloseTo(5.743504483951782, within(1e-9));
    }

    /*
     * /usr/bin/python3 -c "
     * from scipy import stats
     * import numpy as np
     * K=32
     * z=stats.norm.ppf(0.5+0.5*(np.arange(K)+0.5)/K)
     * s=np.concatenate([0.1*z,-0.1*z])
     * p,h,n=0.5,5150,10000
     * q=p*np.exp(s)/(p*np.exp(s)+1-p)
     * L=stats.binom.logpmf(h,n,q)-stats.binom.logpmf(h,n,p)
     * print(repr(np.log(np.mean(np.exp(L)))))"
     */
    @Test
    void oddsShift_twoSided_matchesScipyBinomialLikelihoodRatios() {
        OddsShiftMixture split = OddsShiftMixture.twoSided(0.1);
        assertThat(logEValue(split, new double[][] {{0.5, 5150, 10000}})).isCloseTo(2.6988753159933028, within(1e-8));
    }

    private static double logEValue(OddsShiftMixture mixture, double[][] intervals) {
        double[] logRatios = mixture.start();
        for (double[] interval : intervals) {
            logRatios = mixture.update(logRatios, interval[0], (long) interval[1], (long) interval[2]);
        }
        return OddsShiftMixture.logEValue(logRatios);
    }
}
