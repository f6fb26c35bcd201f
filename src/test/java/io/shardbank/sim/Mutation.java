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
    NO_DEDUP
}
