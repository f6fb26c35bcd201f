package io.shardbank.sim;

/**
 * Known bugs the simulator plants (never in production code) to show that it catches them: the
 * Paxos ones in the simulated Paxos host, the two-phase-commit ones in the shard state machine that
 * the simulated bank node hosts.
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
     * Bank shard ({@link PlantedBugShard}): a participant releases its locks and keeps its tentative
     * values as soon as its prepare is applied, as if the transaction had committed (the undo
     * record is dropped before the decision).
     */
    RELEASE_LOCKS_AT_PREPARE,
    /**
     * Bank shard: the coordinator's cluster commits as soon as its own prepare is applied, without
     * waiting for the participants' votes.
     */
    COMMIT_AFTER_OWN_VOTE,
    /**
     * Bank shard: the node cannot see the records and outcomes of the transactions its cluster
     * coordinates, so a retry of one that is under way or already ran is coordinated again.
     */
    NO_TXN_DEDUP,
    /**
     * Bank shard: the coordinator's client hears the outcome as soon as the coordinator applies the
     * decision, while participants may still hold the transaction's locks.
     */
    ANSWER_AT_DECISION,
    /**
     * Bank shard: a migration's source gives its items up as soon as its prepare is applied, before
     * the decision (a target that then refuses leaves the items with no owner).
     */
    SOURCE_FORGETS_AT_PREPARE,
    /**
     * Bank shard: a migration's target takes the items over as soon as its prepare is applied, before
     * the decision (a source that then aborts leaves them with two owners).
     */
    TARGET_ACTIVATES_AT_PREPARE,
    /** Bank shard: a cluster keeps serving the items of its initial range after they moved away. */
    SERVES_MOVED_ITEM
}
