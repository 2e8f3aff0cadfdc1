package dev.segmenta.engine.campaign;

import org.junit.jupiter.api.Test;

import java.util.SortedMap;
import java.util.SplittableRandom;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The error rates that {@code lift} states, checked on many simulated campaigns with a known truth. */
class LiftTest {

    private static final int CAMPAIGNS = 400;
    private static final int PER_GROUP = 2_000;

    /** Four segments, none responding except {@code responding} (-1: none), which converts 15% instead of 10%. */
    private static SortedMap<Integer, ArmOutcomes[]> campaign(SplittableRandom random, int responding) {
        SortedMap<Integer, ArmOutcomes[]> outcomes = new TreeMap<>();
        for (int s = 0; s < 4; s++) {
            ArmOutcomes[] arms = {new ArmOutcomes(), new ArmOutcomes()};
            for (Arm arm : Arm.values()) {
                double rate = arm == Arm.TEST && s == responding ? 0.15 : 0.10;
                for (int i = 0; i < PER_GROUP; i++) {
                    boolean converted = random.nextDouble() < rate;
                    arms[arm.ordinal()].add(converted, converted ? 30 + 5 * random.nextGaussian() : 0);
                }
            }
            outcomes.put(s, arms);
        }
        return outcomes;
    }

    /**
     * Under no effect at all, Holm keeps the chance of any significant segment at or below 5%, and so does
     * Benjamini-Hochberg (under the global null its false discovery rate is that chance); the segments'
     * raw p-values are uniform, so without correction about 1 − 0.95⁴ = 19% of campaigns would show one.
     */
    @Test
    void withoutAnEffectAFalseFindingIsRare() {
        SplittableRandom random = new SplittableRandom(21);
        int[] anyFinding = new int[Correction.values().length];
        int uncorrected = 0;
        for (int c = 0; c < CAMPAIGNS; c++) {
            SortedMap<Integer, ArmOutcomes[]> outcomes = campaign(random, -1);
            for (Correction correction : Correction.values()) {
                Lift.Report report = Lift.analyse(Lift.Metric.CONVERSION, outcomes, correction, 0.1);
                anyFinding[correction.ordinal()] += report.segments().stream().anyMatch(Lift.Row::significant) ? 1 : 0;
            }
            uncorrected += Lift.analyse(Lift.Metric.CONVERSION, outcomes, Correction.HOLM, 0.1).segments().stream()
                    .anyMatch(r -> r.comparison().pValue() < Lift.ALPHA) ? 1 : 0;
        }
        // 5% of 400 campaigns is 20, with a binomial standard deviation of 4.4: three of them allowed.
        for (Correction correction : Correction.values()) {
            assertTrue(anyFinding[correction.ordinal()] <= 33, correction + ": " + anyFinding[correction.ordinal()]);
        }
        assertEquals(0.185, uncorrected / (double) CAMPAIGNS, 0.06, "the raw p-values are calibrated");
    }

    /** A segment converting 15% against 10% with 2,000 customers a group (z ≈ 4.8) is found nearly always, alone. */
    @Test
    void theRespondingSegmentIsFoundAndTheOthersAreNot() {
        SplittableRandom random = new SplittableRandom(22);
        int found = 0;
        int falseFindings = 0;
        for (int c = 0; c < CAMPAIGNS / 4; c++) {
            int responding = c % 4;
            Lift.Report report = Lift.analyse(Lift.Metric.CONVERSION, campaign(random, responding), Correction.HOLM, 0.1);
            for (Lift.Row row : report.segments()) {
                if (row.segment() == responding) {
                    found += row.significant() ? 1 : 0;
                } else {
                    falseFindings += row.significant() ? 1 : 0;
                }
            }
        }
        assertTrue(found >= 98, "found in " + found + " of 100 campaigns");
        assertTrue(falseFindings <= 10, falseFindings + " false findings among 300 null segments");
    }

    @Test
    void aSegmentWithoutControlIsReportedButNotTestedAndLeftOutOfOverall() {
        SortedMap<Integer, ArmOutcomes[]> outcomes = campaign(new SplittableRandom(5), 0);
        outcomes.put(9, new ArmOutcomes[] {outcomes.get(1)[0], new ArmOutcomes()});
        Lift.Report report = Lift.analyse(Lift.Metric.REVENUE, outcomes, Correction.HOLM, 0.1);
        Lift.Row nine = report.segments().getLast();
        assertEquals(9, nine.segment());
        assertFalse(nine.comparison().tested());
        assertEquals("no customers with outcomes in the control group", nine.comparison().undefinedBecause());
        assertTrue(Double.isNaN(nine.adjustedP()));
        assertTrue(Double.isNaN(nine.sampleSizePerArm()));
        assertEquals(java.util.List.of(9), report.leftOutOfOverall());
        // Holm over the four tested segments only: segment 1's adjusted p is at most 4 times its own.
        Lift.Row one = report.segments().get(1);
        assertTrue(one.adjustedP() <= Math.min(1, 4 * one.comparison().pValue()) + 1e-15);
    }

    @Test
    void nobodyConvertingAnywhereIsNoDifference() {
        ArmOutcomes test = new ArmOutcomes();
        test.addNothing(50);
        ArmOutcomes control = new ArmOutcomes();
        control.addNothing(40);
        SortedMap<Integer, ArmOutcomes[]> outcomes = new TreeMap<>(java.util.Map.of(0, new ArmOutcomes[] {test, control}));
        Lift.Row row = Lift.analyse(Lift.Metric.CONVERSION, outcomes, Correction.HOLM, 0.1).segments().getFirst();
        assertEquals(1.0, row.comparison().pValue());
        assertTrue(Double.isNaN(row.comparison().relative().estimate()), "no ratio to a rate of 0");
        assertTrue(Double.isNaN(row.sampleSizePerArm()), "no baseline to lift");
    }
}
