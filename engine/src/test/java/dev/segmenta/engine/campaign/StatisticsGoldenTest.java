package dev.segmenta.engine.campaign;

import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The statistics of {@code segmenta lift} against scipy 1.x and statsmodels 0.14, whose values were
 * computed once and pasted here (python3 -m venv /tmp/venvstat; pip install scipy statsmodels numpy):
 *
 * <pre>{@code
 * import numpy as np, scipy.stats as st
 * from statsmodels.stats.proportion import proportions_ztest, confint_proportions_2indep, proportion_effectsize
 * from statsmodels.stats.weightstats import CompareMeans, DescrStatsW
 * from statsmodels.stats.multitest import multipletests
 * from statsmodels.stats.power import NormalIndPower
 * st.norm.cdf(x); st.norm.ppf(p); st.t.cdf(t, df); 2 * st.t.sf(abs(t), df); st.t.ppf(0.975, df)
 * for xt, nt, xc, nc in [(130, 1000, 100, 1000), (45, 310, 52, 290)]:
 *     z, p = proportions_ztest([xt, xc], [nt, nc])
 *     d = confint_proportions_2indep(xt, nt, xc, nc, method='wald', compare='diff')
 *     q = confint_proportions_2indep(xt, nt, xc, nc, method='log', compare='ratio')   # minus 1
 * a = np.array(TEST_REVENUE); b = np.array(CONTROL_REVENUE)
 * st.ttest_ind(a, b, equal_var=False)
 * CompareMeans(DescrStatsW(a), DescrStatsW(b)).tconfint_diff(alpha=0.05, usevar='unequal')
 * vt = a.var(ddof=1) / len(a); vc = b.var(ddof=1) / len(b)      # relative lift by hand (no library has it):
 * l = np.log(a.mean() / b.mean()); se = np.sqrt(vt / a.mean()**2 + vc / b.mean()**2)
 * np.expm1(l - st.norm.ppf(0.975) * se), np.expm1(l + st.norm.ppf(0.975) * se)
 * multipletests([0.01, 0.04, 0.03, 0.2, 0.005], method='holm')[1]; multipletests(..., method='fdr_bh')[1]
 * h = proportion_effectsize(0.12, 0.10)
 * NormalIndPower().solve_power(effect_size=h, alpha=0.05, power=0.8, ratio=1, alternative='two-sided')
 * NormalIndPower().solve_power(effect_size=0.1 * 50 / 30, alpha=0.05, power=0.8, ratio=1, alternative='two-sided')
 * }</pre>
 *
 * The segment-weighted overall row has no library function; its values come from the formulas of
 * {@link Lift}'s Javadoc in numpy ({@link #overallConversionIsSegmentWeighted} shows the snippet).
 */
class StatisticsGoldenTest {

    private static void close(double expected, double actual, double relative, String what) {
        double tolerance = relative * Math.max(Math.abs(expected), Double.MIN_NORMAL);
        assertEquals(expected, actual, tolerance, what);
    }

    @Test
    void normalCdfMatchesScipy() {
        double[][] golden = {
                {-37.5, 4.605353009581954e-308}, {-8.0, 6.22096057427174e-16}, {-3.0, 0.0013498980316300933},
                {-1.96, 0.024997895148220435}, {-0.5, 0.3085375387259869}, {0.0, 0.5}, {0.3, 0.6179114221889526},
                {1.5, 0.9331927987311419}, {5.0, 0.9999997133484281}, {7.5, 0.9999999999999681}, {10.0, 1.0}};
        for (double[] g : golden) {
            assertEquals(g[1], Normal.cdf(g[0]), 2e-15, "cdf(" + g[0] + ")");
        }
        // The tails keep their relative precision (scipy's norm.sf), which the p-values of strong effects need.
        double[][] tails = {{-8.0, 6.22096057427174e-16}, {-7.5, 3.1908916729108844e-14}, {-10.0, 7.61985302416047e-24},
                {-5.0, 2.866515718791933e-07}};
        for (double[] g : tails) {
            close(g[1], Normal.cdf(g[0]), 1e-12, "tail cdf(" + g[0] + ")");
        }
    }

    @Test
    void normalQuantileMatchesScipy() {
        double[][] golden = {
                {1e-10, -6.361340902404056}, {0.001, -3.090232306167813}, {0.025, -1.9599639845400545},
                {0.2, -0.8416212335729142}, {0.5, 0.0}, {0.8, 0.8416212335729143}, {0.975, 1.959963984540054},
                {0.999999, 4.753424308817087}};
        for (double[] g : golden) {
            assertEquals(g[1], Normal.quantile(g[0]), 1e-13, "quantile(" + g[0] + ")");
        }
    }

    @Test
    void studentTMatchesScipy() {
        // {t, df, cdf, two-sided p}
        double[][] golden = {
                {2.1, 3.5, 0.9432370873896009, 0.11352582522079814},
                {-1.3, 1.0, 0.20871440016015272, 0.41742880032030544},
                {0.5, 2.7, 0.6725264690021193, 0.6549470619957614},
                {-4.2, 12.3, 0.000584363391438546, 0.001168726782877092},
                {3.0, 150.25, 0.9984192624295362, 0.0031614751409277677},
                {-2.0, 1e6, 0.02275026692565962, 0.04550053385131924},
                {-12.0, 40.0, 3.91208565212799e-15, 7.82417130425598e-15}};
        for (double[] g : golden) {
            close(g[2], StudentT.cdf(g[0], g[1]), 1e-11, "cdf(" + g[0] + ", " + g[1] + ")");
            close(g[3], StudentT.twoSided(g[0], g[1]), 1e-11, "two-sided(" + g[0] + ", " + g[1] + ")");
        }
        double[][] quantiles = {{1.0, 12.706204736174694}, {2.5, 3.5746548420036817}, {10.0, 2.228138851986274},
                {57.3, 2.002238268231336}, {1000.0, 1.9623390808264083}};
        for (double[] g : quantiles) {
            close(g[1], StudentT.quantile(0.975, g[0]), 1e-11, "t quantile at df " + g[0]);
        }
    }

    @Test
    void twoProportionTestMatchesStatsmodels() {
        // {x_t, n_t, x_c, n_c, z, p, diff low, diff high, relative low, relative high}
        double[][] golden = {
                {130, 1000, 100, 1000, 2.102740605622114, 0.03548845046647471, 0.0020679344393763587,
                        0.057932065560623636, 0.01698427097104549, 0.6617759470226023},
                {45, 310, 52, 290, -1.1354402755134523, 0.2561908926230543, -0.09319996098617317,
                        0.024901851976162077, -0.43830053456450546, 0.16677452378776447}};
        for (double[] g : golden) {
            Comparison c = TwoProportionZTest.compare((long) g[0], (long) g[1], (long) g[2], (long) g[3]);
            close(g[4], c.statistic(), 1e-12, "z");
            close(g[5], c.pValue(), 1e-11, "p");
            close(g[6], c.absolute().low(), 1e-11, "difference low");
            close(g[7], c.absolute().high(), 1e-11, "difference high");
            close(g[8], c.relative().low(), 1e-11, "relative low");
            close(g[9], c.relative().high(), 1e-11, "relative high");
            close(g[0] / g[1] / (g[2] / g[3]) - 1, c.relative().estimate(), 1e-13, "relative lift");
        }
    }

    static final double[] TEST_REVENUE = {12.5, 0.0, 31.2, 8.9, 0.0, 45.1, 22.3, 17.8, 0.0, 60.4, 11.1, 5.5};
    static final double[] CONTROL_REVENUE = {9.9, 0.0, 14.2, 0.0, 21.7, 3.3, 0.0, 12.0, 7.4};

    static Moments moments(double... values) {
        Moments m = new Moments();
        for (double v : values) {
            m.add(v);
        }
        return m;
    }

    @Test
    void welchTestMatchesScipyAndStatsmodels() {
        Comparison c = WelchTTest.compare(moments(TEST_REVENUE), moments(CONTROL_REVENUE));
        close(1.6965400727474944, c.statistic(), 1e-12, "t");
        close(15.177230446075864, c.df(), 1e-12, "Welch-Satterthwaite df");
        close(0.11019162484937703, c.pValue(), 1e-11, "p");
        close(-2.6244306621942926, c.absolute().low(), 1e-11, "difference low");
        close(23.202208439972075, c.absolute().high(), 1e-11, "difference high");
        close(-0.03151376213960878, c.relative().low(), 1e-11, "relative low");
        close(4.711056859738318, c.relative().high(), 1e-11, "relative high");
    }

    @Test
    void correctionsMatchStatsmodels() {
        double[] p = {0.01, 0.04, 0.03, 0.2, 0.005};
        assertArrayEquals(new double[] {0.04, 0.09, 0.09, 0.2, 0.025}, Correction.HOLM.adjust(p), 1e-15);
        assertArrayEquals(new double[] {0.025, 0.05, 0.05, 0.2, 0.025}, Correction.BH.adjust(p), 1e-15);
        double[] withUntested = {0.01, Double.NaN, 0.04};
        double[] holm = Correction.HOLM.adjust(withUntested);
        assertEquals(0.02, holm[0], 1e-15, "an untested segment is not one of the tests");
        assertTrue(Double.isNaN(holm[1]));
        assertEquals(0.04, holm[2], 1e-15);
    }

    @Test
    void sampleSizesMatchStatsmodelsPower() {
        // statsmodels solves for the power of both tails; the normal formula drops the far one: 0.01 customer here.
        close(3834.595739884031, SampleSize.conversion(0.10, 0.2, 0.05, 0.8), 1e-5, "conversion 10% -> 12%");
        close(565.1179561356237, SampleSize.mean(50, 30, 0.1, 0.05, 0.8), 1e-5, "mean 50 -> 55, sd 30");
        assertTrue(Double.isNaN(SampleSize.conversion(0, 0.2, 0.05, 0.8)), "no baseline conversions");
        assertTrue(Double.isNaN(SampleSize.conversion(0.9, 0.2, 0.05, 0.8)), "a lifted rate above 1");
    }

    private static ArmOutcomes conversions(long converted, long customers) {
        ArmOutcomes arm = new ArmOutcomes();
        for (long i = 0; i < customers; i++) {
            arm.add(i < converted, 0);
        }
        return arm;
    }

    private static ArmOutcomes revenue(double... values) {
        ArmOutcomes arm = new ArmOutcomes();
        for (double v : values) {
            arm.add(false, v);
        }
        return arm;
    }

    /**
     * <pre>{@code
     * segs = [(120, 1000, 20, 250), (30, 600, 40, 600)]; N = sum(nt + nc for _, nt, _, nc in segs)
     * for xt, nt, xc, nc in segs:
     *     w = (nt + nc) / N; pt = xt / nt; pc = xc / nc
     *     mt += w * pt; mc += w * pc; vt += w * w * pt * (1 - pt) / nt; vc += w * w * pc * (1 - pc) / nc
     * z = (mt - mc) / np.sqrt(vt + vc); p = 2 * st.norm.sf(abs(z)); q = st.norm.ppf(0.975)
     * l = np.log(mt / mc); se = np.sqrt(vt / mt**2 + vc / mc**2)
     * mt - mc -+ q * np.sqrt(vt + vc), np.expm1(l -+ q * se)
     * }</pre>
     */
    @Test
    void overallConversionIsSegmentWeighted() {
        SortedMap<Integer, ArmOutcomes[]> outcomes = new TreeMap<>(Map.of(
                0, new ArmOutcomes[] {conversions(120, 1000), conversions(20, 250)},
                1, new ArmOutcomes[] {conversions(30, 600), conversions(40, 600)}));
        Lift.Row overall = Lift.analyse(Lift.Metric.CONVERSION, outcomes, Correction.HOLM, 0.1).overall();
        Comparison c = overall.comparison();
        close(0.08571428571428572, c.testMean(), 1e-13, "weighted test rate");
        close(0.07346938775510203, c.controlMean(), 1e-13, "weighted control rate");
        close(1.0065451844081124, c.statistic(), 1e-12, "z");
        close(0.31415338765239254, c.pValue(), 1e-11, "p");
        close(-0.011598600937967864, c.absolute().low(), 1e-11, "difference low");
        close(0.03608839685633523, c.absolute().high(), 1e-11, "difference high");
        close(-0.14492900720696536, c.relative().low(), 1e-11, "relative low");
        close(0.5918106479850626, c.relative().high(), 1e-11, "relative high");
        // Pooled, the test group's 150/1600 against control's 60/850 would claim a lift the segments do not show.
        assertEquals(1600, overall.testCustomers());
        assertEquals(850, overall.controlCustomers());
    }

    /** As above, for revenue: {@code ut = w*w*a.var(ddof=1)/len(a)}, df = (vt + vc)² / Σ (u² / (n − 1)), t quantile. */
    @Test
    void overallRevenueIsSegmentWeightedWithSatterthwaiteDf() {
        SortedMap<Integer, ArmOutcomes[]> outcomes = new TreeMap<>(Map.of(
                0, new ArmOutcomes[] {revenue(16.62, 27.32, 72.11, 21.0, 40.88, 14.21, 38.85, 31.22),
                        revenue(14.69, 13.57, 23.8, 33.8, 4.77, 10.41)},
                1, new ArmOutcomes[] {revenue(2.47, 8.09, 3.23, 3.09, 9.87),
                        revenue(18.4, 0.95, 3.05, 8.62, 6.92, 16.21, 14.06)}));
        Comparison c = Lift.analyse(Lift.Metric.REVENUE, outcomes, Correction.HOLM, 0.1).overall().comparison();
        close(20.117980769230773, c.testMean(), 1e-13, "weighted test mean");
        close(13.565054945054943, c.controlMean(), 1e-13, "weighted control mean");
        close(1.479888475503769, c.statistic(), 1e-12, "t");
        close(13.5724910638343, c.df(), 1e-12, "df");
        close(0.161737853517428, c.pValue(), 1e-11, "p");
        close(-2.9723013155011717, c.absolute().low(), 1e-11, "difference low");
        close(16.07815296385283, c.absolute().high(), 1e-11, "difference high");
    }

    @Test
    void oneSegmentsOverallRevenueIsItsWelchTest() {
        SortedMap<Integer, ArmOutcomes[]> outcomes = new TreeMap<>(Map.of(
                4, new ArmOutcomes[] {revenue(TEST_REVENUE), revenue(CONTROL_REVENUE)}));
        Lift.Report report = Lift.analyse(Lift.Metric.REVENUE, outcomes, Correction.BH, 0.1);
        Comparison overall = report.overall().comparison();
        close(0.11019162484937703, overall.pValue(), 1e-11, "p");
        close(15.177230446075864, overall.df(), 1e-12, "df");
        close(0.11019162484937703, report.segments().getFirst().adjustedP(), 1e-11, "one test: nothing to adjust");
    }
}
