package io.shardbank.node;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * Named places in a node's two-phase-commit and migration paths where a test may make the node die: the
 * deterministic simulation kills its simulated node there, and process tests end the JVM there by
 * SIGKILL ({@link Failpoints}). A node reaches them only while it leads its cluster.
 */
public enum FailPoint {
    /** The coordinator's leader, right after its own TxnPrepared is applied (before it acts on it). */
    COORDINATOR_PREPARED("coordinator-prepared"),
    /**
     * The coordinator's leader is about to log the decision of a transaction its cluster holds
     * prepared (every vote is in, or one said no): nothing of the decision is in any log yet.
     */
    COORDINATOR_BEFORE_DECISION("coordinator-before-decision"),
    /** The coordinator's leader, right after its TxnDecided is applied (before the decision goes out). */
    COORDINATOR_DECIDED("coordinator-decided"),
    /** The coordinator's leader, after sending the decision to some participants only. */
    DECISION_FAN_OUT("decision-fan-out"),
    /** A participant's leader, after its yes TxnPrepared is applied and its vote handed to the transport. */
    PARTICIPANT_PREPARED("participant-prepared"),
    /**
     * A migration's source leader, right after its prepare is applied: the items are frozen and their
     * balances recorded, and the target has not been asked yet.
     */
    MIGRATION_SOURCE_PREPARED("migration-source-prepared"),
    /**
     * A migration's target leader, after its prepare is applied (the balances held, inactive) and its
     * vote handed to the transport.
     */
    MIGRATION_TARGET_PREPARED("migration-target-prepared");

    private final String label;

    FailPoint(String label) {
        this.label = label;
    }

    /** The name tests use for it, e.g. {@code coordinator-before-decision}. */
    public String label() {
        return label;
    }

    /** The point named {@code label}. */
    public static FailPoint parse(String label) {
        for (FailPoint point : values()) {
            if (point.label.equals(label)) {
                return point;
            }
        }
        throw new IllegalArgumentException("unknown fail point '" + label + "' (known: "
                + Arrays.stream(values()).map(FailPoint::label).collect(Collectors.joining(", ")) + ")");
    }
}
