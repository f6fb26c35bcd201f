package io.shardbank.sim;

/**
 * Known bugs the simulator plants in its hosts (never in production code) to show that it catches
 * them. Each one alters what a host does with the replica's inputs or outputs.
 */
enum Mutation {
    /** The real thing. */
    NONE,
    /** An acceptor sends its promise before the promise is durable (sendNow instead of sendAfterPersist). */
    PROMISE_BEFORE_DURABLE,
    /** A new leader re-proposes a no-op for every slot instead of the highest-ballot accepted value. */
    SKIP_REPROPOSAL,
    /** The state machine has no dedup table, so a retried command that was chosen twice applies twice. */
    NO_DEDUP,
    /**
     * Bank host: a participant releases its locks and keeps its tentative values as soon as its
     * prepare is applied, as if the transaction had committed (the undo record is dropped before
     * the decision).
     */
    RELEASE_LOCKS_AT_PREPARE,
    /** Bank host: the coordinator leader logs commit as soon as its own prepare is applied, without waiting for the votes. */
    COMMIT_AFTER_OWN_VOTE,
    /**
     * Bank host: a cross-cluster retry is not checked against the transaction records and the dedup
     * table, so a transaction that already ran is coordinated again.
     */
    NO_TXN_DEDUP
}
