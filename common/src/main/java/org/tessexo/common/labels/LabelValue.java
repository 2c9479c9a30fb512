package org.tessexo.common.labels;

import java.io.Serializable;
import java.math.BigDecimal;

/**
 * One label as a labels table writes it, read without changing it: an integer class ({@code 1}, and {@code 1.0},
 * which is the same number), or a problem that keeps the file out of training and is reported. {@code 0.9} and
 * {@code 1.5} are not truncated to 0 and 1, and {@code yes} is not "no label".
 *
 * @param label   the class, or -1 with a problem
 * @param problem null, or one of {@link #NOT_INTEGER}, {@link #OUT_OF_RANGE}, {@link #EMPTY}
 * @param text    the value as written
 */
public final class LabelValue implements Serializable {
    private static final long serialVersionUID = 1L;
    public static final String NOT_INTEGER = "label not an integer";
    public static final String OUT_OF_RANGE = "label out of range";
    public static final String EMPTY = "label empty";
    public static final String CONFLICT = "conflicting labels";

    // A class, not a record: it travels through a Spark shuffle, and Spark's Kryo 4 cannot serialize records.
    private final int label;
    private final String problem;
    private final String text;

    public LabelValue(int label, String problem, String text) {
        this.label = label;
        this.problem = problem;
        this.text = text;
    }

    public int label() {
        return label;
    }

    public String problem() {
        return problem;
    }

    public String text() {
        return text;
    }

    public boolean ok() {
        return problem == null;
    }

    public static LabelValue parse(String raw, int classes) {
        String t = raw == null ? "" : raw.trim();
        if (t.isEmpty()) {
            return new LabelValue(-1, EMPTY, t);
        }
        BigDecimal d;
        try {
            d = new BigDecimal(t);
        } catch (NumberFormatException e) {
            return new LabelValue(-1, NOT_INTEGER, t);
        }
        BigDecimal integral;
        try {
            integral = new BigDecimal(d.toBigIntegerExact());
        } catch (ArithmeticException e) {
            return new LabelValue(-1, NOT_INTEGER, t);
        }
        if (integral.compareTo(BigDecimal.ZERO) < 0 || integral.compareTo(BigDecimal.valueOf(classes)) >= 0) {
            return new LabelValue(-1, OUT_OF_RANGE, t);
        }
        return new LabelValue(integral.intValue(), null, t);
    }

    /** What a problem's detail says: the value and the rule. */
    public String detail(int classes) {
        return switch (problem == null ? "" : problem) {
            case NOT_INTEGER -> "'" + text + "' is not an integer class (0.." + (classes - 1) + ")";
            case OUT_OF_RANGE -> "'" + text + "' is outside the classes 0.." + (classes - 1);
            case EMPTY -> "the label cell is empty";
            default -> "";
        };
    }
}
