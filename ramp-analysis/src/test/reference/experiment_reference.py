"""Reference values for dev.ramp.analysis.experiment, computed independently of the Java code.

Run from the repository root with Debian's Python (scipy 1.10.1, statsmodels 0.13.5, numpy 1.24):

    /usr/bin/python3 ramp-analysis/src/test/reference/experiment_reference.py [section ...]

Sections: welch, proportions, ratio, cuped, bayes, confseq. Without arguments, all of them. Each case prints the
inputs the Java test feeds in (per-arm sums, printed with repr so Java parses the same doubles) and the expected
values. Simulated data come from numpy's PCG64 with fixed seeds, so the output never changes.

Library functions are used wherever one exists (statsmodels CompareMeans for Welch, proportions_ztest and
confint_proportions_2indep, scipy.stats.norm.expect, scipy.special.lambertw, statsmodels OLS for the CUPED slope).
Where none exists (delta-method relative lifts, ratio metrics, the confidence-sequence radius) the value is computed
from the raw simulated data in a form that differs from the Java code: a gradient times a covariance matrix
(numpy.cov), per-unit adjusted values, numerical integration.
"""
import math
import sys

import numpy as np
import scipy.integrate as integrate
import scipy.special as special
import scipy.stats as st
import statsmodels.api as sm
from statsmodels.stats.proportion import confint_proportions_2indep, proportions_ztest
from statsmodels.stats.weightstats import CompareMeans, DescrStatsW


def sums(values):
    v = np.asarray(values, dtype=float)
    return len(v), math.fsum(v), math.fsum(v * v)


def show(name, **values):
    print(name + ": " + ", ".join(f"{k}={v!r}" for k, v in values.items()))


def delta_relative(mt, vt, mc, vc):
    """Var(mt/mc - 1) by the delta method, as gradient' Sigma gradient for independent mt, mc."""
    grad = np.array([1 / mc, -mt / mc ** 2])
    cov = np.diag([vt, vc])
    return float(grad @ cov @ grad)


def welch():
    rng = np.random.default_rng(20260101)
    cases = [
        ("unequalVariances", rng.normal(10.0, 2.0, 40), rng.normal(11.0, 5.0, 25), 0.05),
        ("unequalSizes", rng.normal(3.0, 1.0, 500), rng.normal(3.05, 1.2, 80), 0.05),
        ("smallSamples", rng.normal(100.0, 15.0, 5), rng.normal(90.0, 30.0, 4), 0.10),
        ("noEffect", rng.normal(-2.0, 0.5, 1000), rng.normal(-2.0, 0.5, 1000), 0.01),
    ]
    for name, c, t, alpha in cases:
        cm = CompareMeans(DescrStatsW(t), DescrStatsW(c))
        tstat, p, df = cm.ttest_ind(usevar="unequal")
        lo, hi = cm.tconfint_diff(alpha=alpha, usevar="unequal")
        scipy_p = st.ttest_ind(t, c, equal_var=False).pvalue
        assert abs(scipy_p - p) <= 1e-12 * max(p, 1e-300)
        mc, mt = c.mean(), t.mean()
        vc, vt = c.var(ddof=1) / len(c), t.var(ddof=1) / len(t)
        rel = mt / mc - 1
        rel_se = math.sqrt(delta_relative(mt, vt, mc, vc))
        z = st.norm.isf(alpha / 2)
        show("welch." + name, control=sums(c), treatment=sums(t), alpha=alpha)
        show("  absolute", estimate=mt - mc, se=math.sqrt(vc + vt), lower=lo, upper=hi, p=p, df=df)
        show("  relative", estimate=rel, se=rel_se, lower=rel - z * rel_se, upper=rel + z * rel_se,
             p=2 * st.norm.sf(abs(rel / rel_se)))
    # From summary statistics only: scipy's ttest_ind_from_stats.
    r = st.ttest_ind_from_stats(mean1=5.3, std1=1.7, nobs1=30, mean2=4.1, std2=0.9, nobs2=45, equal_var=False)
    show("welch.fromStats", statistic=r.statistic, p=r.pvalue)


def proportions():
    cases = [
        ("typicalConversion", 120, 1000, 150, 1000, 0.05),
        ("unequalTrials", 48, 2400, 35, 1100, 0.05),
        ("rareEvents", 3, 10000, 12, 10000, 0.01),
        ("tinyArms", 2, 7, 5, 9, 0.10),
    ]
    for name, ec, nc, et, nt, alpha in cases:
        z, p = proportions_ztest([et, ec], [nt, nc])  # pooled variance under H0 by default
        lo, hi = confint_proportions_2indep(et, nt, ec, nc, method="wald", compare="diff", alpha=alpha)
        pc, pt = ec / nc, et / nt
        rel = pt / pc - 1
        rel_se = math.sqrt(delta_relative(pt, pt * (1 - pt) / nt, pc, pc * (1 - pc) / nc))
        zc = st.norm.isf(alpha / 2)
        show("proportions." + name, control=(ec, nc), treatment=(et, nt), alpha=alpha)
        show("  absolute", estimate=pt - pc, se=math.sqrt(pc * (1 - pc) / nc + pt * (1 - pt) / nt),
             lower=lo, upper=hi, p=p, z=z)
        show("  relative", estimate=rel, se=rel_se, lower=rel - zc * rel_se, upper=rel + zc * rel_se,
             p=2 * st.norm.sf(abs(rel / rel_se)))


def ratio_arm(rng, users, sessions_mean, revenue_per_session):
    sessions = rng.poisson(sessions_mean, users) + 1.0
    revenue = np.round(rng.gamma(2.0, revenue_per_session / 2.0, users) * sessions, 2)
    return revenue, sessions


def ratio_stats(a, b):
    n = len(a)
    r = a.sum() / b.sum()
    cov = np.cov(np.vstack([a, b]), ddof=1)  # 2x2 sample covariance of (numerator, denominator) per unit
    grad = np.array([1 / b.mean(), -a.mean() / b.mean() ** 2])
    return r, float(grad @ cov @ grad) / n


def ratio():
    rng = np.random.default_rng(777)
    cases = [
        ("revenuePerSession", ratio_arm(rng, 300, 2.0, 4.0), ratio_arm(rng, 320, 2.0, 4.4), 0.05),
        ("clicksPerPageView", ratio_arm(rng, 60, 5.0, 0.3), ratio_arm(rng, 50, 4.0, 0.3), 0.10),
    ]
    for name, (ac, bc), (at, bt), alpha in cases:
        rc, vc = ratio_stats(ac, bc)
        rt, vt = ratio_stats(at, bt)
        z = st.norm.isf(alpha / 2)
        d, dse = rt - rc, math.sqrt(vc + vt)
        rel, rse = rt / rc - 1, math.sqrt(delta_relative(rt, vt, rc, vc))
        show("ratio." + name, control=ratio_sums(ac, bc), treatment=ratio_sums(at, bt), alpha=alpha)
        show("  ratios", control=rc, controlVariance=vc, treatment=rt, treatmentVariance=vt)
        show("  absolute", estimate=d, se=dse, lower=d - z * dse, upper=d + z * dse, p=2 * st.norm.sf(abs(d / dse)))
        show("  relative", estimate=rel, se=rse, lower=rel - z * rse, upper=rel + z * rse,
             p=2 * st.norm.sf(abs(rel / rse)))


def ratio_sums(a, b):
    return (len(a), math.fsum(a), math.fsum(b), math.fsum(a * a), math.fsum(b * b), math.fsum(a * b))


def cuped_arm(rng, n, effect):
    x = np.round(rng.gamma(3.0, 2.0, n), 3)
    y = np.round(2.0 + 0.8 * x + rng.normal(0, 2.0, n) + effect, 3)
    return y, x


def cuped():
    rng = np.random.default_rng(4242)
    cases = [
        ("strongCovariate", cuped_arm(rng, 400, 0.0), cuped_arm(rng, 380, 0.5), 0.05),
        ("smallArms", cuped_arm(rng, 30, 0.0), cuped_arm(rng, 25, 1.0), 0.10),
    ]
    for name, (yc, xc), (yt, xt), alpha in cases:
        y = np.concatenate([yc, yt])
        x = np.concatenate([xc, xt])
        arm = np.concatenate([np.zeros(len(yc)), np.ones(len(yt))])
        ols = sm.OLS(y, sm.add_constant(np.column_stack([arm, x]))).fit()
        theta = ols.params[2]
        m = x.mean()
        yc_adj = yc - theta * (xc - m)
        yt_adj = yt - theta * (xt - m)
        cm = CompareMeans(DescrStatsW(yt_adj), DescrStatsW(yc_adj))
        tstat, p, df = cm.ttest_ind(usevar="unequal")
        lo, hi = cm.tconfint_diff(alpha=alpha, usevar="unequal")
        before = yc.var(ddof=1) / len(yc) + yt.var(ddof=1) / len(yt)
        after = yc_adj.var(ddof=1) / len(yc) + yt_adj.var(ddof=1) / len(yt)
        mc, mt = yc_adj.mean(), yt_adj.mean()
        rel = mt / mc - 1
        rse = math.sqrt(delta_relative(mt, yt_adj.var(ddof=1) / len(yt), mc, yc_adj.var(ddof=1) / len(yc)))
        z = st.norm.isf(alpha / 2)
        show("cuped." + name, control=cov_sums(yc, xc), treatment=cov_sums(yt, xt), alpha=alpha)
        show("  adjustment", theta=theta, olsTreatmentCoefficient=ols.params[1], varianceReduction=1 - after / before)
        show("  absolute", estimate=mt - mc, lower=lo, upper=hi, p=p)
        show("  relative", estimate=rel, se=rse, lower=rel - z * rse, upper=rel + z * rse,
             p=2 * st.norm.sf(abs(rel / rse)))


def cov_sums(y, x):
    return (len(y), math.fsum(y), math.fsum(y * y), math.fsum(x), math.fsum(x * x), math.fsum(x * y))


def bayes():
    for est, se in [(0.8, 0.5), (-0.02, 0.01), (0.0, 1.0), (3.0, 0.4)]:
        post = st.norm(est, se)
        show("bayes.flat", estimate=est, se=se, chanceToWin=post.sf(0),
             lossShipping=post.expect(lambda v: max(0.0, -v), ub=0, epsabs=0, epsrel=1e-13),
             lossKeeping=post.expect(lambda v: max(0.0, v), lb=0, epsabs=0, epsrel=1e-13))
    for est, se, tau2 in [(0.8, 0.5, 0.25), (-0.02, 0.01, 0.0004)]:
        # Posterior by brute-force integration of likelihood times prior, not the conjugate formula.
        def dens(l):
            return st.norm.pdf(est, l, se) * st.norm.pdf(l, 0, math.sqrt(tau2))
        width = 40 * se
        norm = integrate.quad(dens, -width, width, points=[0], limit=400, epsabs=0, epsrel=1e-13)[0]
        mean = integrate.quad(lambda l: l * dens(l), -width, width, points=[0], limit=400,
                              epsabs=0, epsrel=1e-13)[0] / norm
        win = integrate.quad(dens, 0, width, limit=400, epsabs=0, epsrel=1e-13)[0] / norm
        ship = integrate.quad(lambda l: -l * dens(l), -width, 0, limit=400, epsabs=0, epsrel=1e-13)[0] / norm
        keep = integrate.quad(lambda l: l * dens(l), 0, width, limit=400, epsabs=0, epsrel=1e-13)[0] / norm
        show("bayes.prior", estimate=est, se=se, priorVariance=tau2, mean=mean, chanceToWin=win,
             lossShipping=ship, lossKeeping=keep)


def confseq():
    for v, tau2, alpha in [(0.01, 0.01, 0.05), (1e-4, 0.05, 0.05), (2.5, 0.1, 0.1), (0.04, 0.04, 0.001)]:
        r = np.sqrt(2 * v * (v + tau2) / tau2 * np.log(np.sqrt((v + tau2) / v) / alpha))
        show("confseq.radius", variance=v, mixingVariance=tau2, alpha=alpha, radius=float(r),
             fixed=float(st.norm.isf(alpha / 2) * np.sqrt(v)))
    for planned, alpha in [(0.01, 0.05), (2.0, 0.1), (1e-6, 0.001)]:
        x = -special.lambertw(-alpha ** 2 / math.e, -1).real - 1
        show("confseq.mixingVariance", plannedVariance=planned, alpha=alpha, mixingVariance=planned * x)
    for est, se, tau2, alpha in [(0.3, 0.1, 0.01, 0.05), (0.05, 0.1, 0.01, 0.05), (-1.2, 0.3, 0.5, 0.1)]:
        v = se * se
        lam = np.sqrt(v / (v + tau2)) * np.exp(tau2 * est ** 2 / (2 * v * (v + tau2)))
        show("confseq.pValue", estimate=est, se=se, mixingVariance=tau2, alpha=alpha, p=float(min(1.0, 1 / lam)))


SECTIONS = {"welch": welch, "proportions": proportions, "ratio": ratio, "cuped": cuped, "bayes": bayes,
            "confseq": confseq}

if __name__ == "__main__":
    for section in sys.argv[1:] or SECTIONS:
        SECTIONS[section]()
