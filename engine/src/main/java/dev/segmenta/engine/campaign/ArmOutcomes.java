package dev.segmenta.engine.campaign;

/** The outcomes of one group (test or control) of one segment: customers, conversions, revenue. */
public final class ArmOutcomes {

    private long customers;
    private long conversions;
    private final Moments revenue = new Moments();

    /** One customer's outcome; a metric not measured is passed as {@code false} or 0 and not read. */
    public void add(boolean converted, double revenue) {
        customers++;
        conversions += converted ? 1 : 0;
        this.revenue.add(revenue);
    }

    /** {@code count} customers who did not convert and spent nothing (no outcome row, {@code --missing-outcome zero}). */
    public void addNothing(long count) {
        customers += count;
        revenue.addRepeated(0, count);
    }

    public void merge(ArmOutcomes other) {
        customers += other.customers;
        conversions += other.conversions;
        revenue.merge(other.revenue);
    }

    public long customers() {
        return customers;
    }

    public long conversions() {
        return conversions;
    }

    public Moments revenue() {
        return revenue;
    }
}
