package io.shardbank.node;

/**
 * Named places in a node's two-phase-commit paths where a test may make the node die: the
 * deterministic simulation kills its simulated node there, and process tests may end the JVM there.
 * A node reaches them only while it leads its cluster.
 */
public enum FailPoint {
    /** The coordinator's leader, right after its own TxnPrepared is applied (before it acts on it). */
    COORDINATOR_PREPARED,
    /** The coordinator's leader, right after its TxnDecided is applied (before the decision goes out). */
    COORDINATOR_DECIDED,
    /** The coordinator's leader, after sending the decision to some participants only. */
    DECISION_FAN_OUT,
    /** A participant's leader, after its TxnPrepared is applied and its vote sent. */
    PARTICIPANT_PREPARED
}
