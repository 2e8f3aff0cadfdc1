package dev.segmenta.engine.campaign;

/** The two groups of a campaign: who gets it, and the holdout it is measured against. */
public enum Arm {
    TEST("test"),
    CONTROL("control");

    private final String label;

    Arm(String label) {
        this.label = label;
    }

    /** The value of the {@code group} column. */
    public String label() {
        return label;
    }

    /** The arm a {@code group} value names, or {@code null}. */
    public static Arm of(String label) {
        for (Arm arm : values()) {
            if (arm.label.equals(label)) {
                return arm;
            }
        }
        return null;
    }
}
