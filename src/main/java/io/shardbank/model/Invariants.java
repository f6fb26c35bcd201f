package io.shardbank.model;

/**
 * Production assertions. Java's {@code assert} is off by default; these are always on. A broken
 * invariant is a bug, never an operating condition: it throws {@link InvariantViolation}, which the
 * actors let escalate so that the node stops loudly instead of serving wrong data.
 */
public final class Invariants {

    private Invariants() {
    }

    public static void check(boolean condition, String what) {
        if (!condition) {
            throw new InvariantViolation(what);
        }
    }

    public static void check(boolean condition, String format, Object... args) {
        if (!condition) {
            throw new InvariantViolation(String.format(format, args));
        }
    }

    /** Thrown when an invariant does not hold. */
    public static final class InvariantViolation extends IllegalStateException {
        public InvariantViolation(String message) {
            super("invariant violated: " + message);
        }
    }
}
