package dev.segmenta.engine.campaign;

import dev.segmenta.io.IdColumn;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Which customers are held out of a campaign as its control group, stratified by segment: a customer
 * is in control when {@code u(seed, id) < share(segment)}, where {@code u} is the {@link SipHash} of the
 * id's text, keyed by the seed, mapped to [0, 1). The group depends on nothing but the seed, the id
 * and its segment's share, so re-running the split on a grown base next month keeps every customer's
 * group (and raising a share only moves customers from test to control). Numeric ids are hashed as
 * their decimal text, so the same base written as Parquet (integers) or CSV (text) splits alike.
 *
 * <p>Each segment's control share is then binomial around the asked share: within {@code ±2 sqrt(s(1−s)/n)}
 * about 95% of the time, e.g. ±0.6 points for 10% of 10,000 customers.
 */
public final class HoldoutSplit {

    /** The columns of a split's file besides the id: the customer's segment and {@link Arm#label()}. */
    public static final String SEGMENT_COLUMN = "segment";
    public static final String GROUP_COLUMN = "group";

    private final SipHash hash;
    private final double defaultShare;
    private final Map<Integer, Double> shares;

    /**
     * @param seed         keys the hash: another seed draws another, independent split
     * @param defaultShare the control share of segments not in {@code shares}, in [0, 1]
     * @param shares       control shares by segment
     */
    public HoldoutSplit(long seed, double defaultShare, Map<Integer, Double> shares) {
        for (double share : shares.values()) {
            checkShare(share);
        }
        checkShare(defaultShare);
        // The key's second word is a fixed mix of the seed, so that each seed gives a full 128-bit key.
        this.hash = new SipHash(seed, seed * 0x9E3779B97F4A7C15L ^ 0xD1B54A32D192ED03L);
        this.defaultShare = defaultShare;
        this.shares = Map.copyOf(shares);
    }

    private static void checkShare(double share) {
        if (!(share >= 0 && share <= 1)) {
            throw new IllegalArgumentException("a control share is between 0 and 1, got " + share);
        }
    }

    public double share(int segment) {
        return shares.getOrDefault(segment, defaultShare);
    }

    /** The arm of the customer in row {@code row} of {@code ids}, in {@code segment}. */
    public Arm arm(IdColumn ids, int row, int segment) {
        return uniform(ids, row) < share(segment) ? Arm.CONTROL : Arm.TEST;
    }

    /** The customer's point in [0, 1): the top 53 bits of its hash. */
    double uniform(IdColumn ids, int row) {
        long h = switch (ids) {
            case IdColumn.Longs l -> {
                byte[] text = Long.toString(l.values()[row]).getBytes(StandardCharsets.US_ASCII);
                yield hash.hash(text, 0, text.length);
            }
            case IdColumn.Utf8 u -> hash.hash(u.bytes(), u.offsets()[row], u.offsets()[row + 1] - u.offsets()[row]);
        };
        return (h >>> 11) * 0x1.0p-53;
    }
}
