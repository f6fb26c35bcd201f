package io.shardbank.shard;

/**
 * The final (or, for NOT_LEADER, redirecting) answer to one operation.
 *
 * @param sequence the operation's sequence number within its client
 * @param status what happened
 * @param reason why, for every status but COMMITTED and OK; empty otherwise
 * @param balance the balance read, for OK
 * @param redirect for MOVED: the item that is elsewhere and where it went, when the answering
 *     cluster knows (null otherwise, and for every other status)
 */
public record Outcome(long sequence, Status status, String reason, long balance, Redirect redirect) {

    public Outcome(long sequence, Status status, String reason, long balance) {
        this(sequence, status, reason, balance, null);
    }

    /** What happened to an operation. */
    public enum Status {
        /** A transfer was applied. */
        COMMITTED,
        /** A transfer was decided and not applied (insufficient funds, a locked item). */
        ABORTED,
        /** The request was invalid and never entered the log (bad amount, unknown item, ...). */
        REJECTED,
        /** A read succeeded; {@code balance} holds the value. */
        OK,
        /** The cluster could not decide in time (no majority, no leader). Nothing is known to be applied. */
        UNAVAILABLE,
        /** The node that answered does not lead; retry at the leader hint. */
        NOT_LEADER,
        /**
         * The node that answered knows it cannot reach a majority of its cluster. Not final: another
         * node may (the other side of a partition); a client that hears this or nothing from every
         * node of the cluster ends the operation as UNAVAILABLE.
         */
        NO_MAJORITY,
        /**
         * Nothing was applied: an item the operation names is owned by another cluster (moved by
         * resharding), or is being moved right now. Final for this request id, which never applies
         * anywhere; the client updates its shard map from {@code redirect} (when given) and sends the
         * operation again under a new request id. Last in the list: statuses are
         * stored by their position.
         */
        MOVED;

        /** Whether the answer is final for the client. */
        public boolean isFinal() {
            return this != NOT_LEADER && this != NO_MAJORITY && this != MOVED;
        }
    }

    public static Outcome committed(long sequence) {
        return new Outcome(sequence, Status.COMMITTED, "", 0);
    }

    public static Outcome aborted(long sequence, String reason) {
        return new Outcome(sequence, Status.ABORTED, reason, 0);
    }

    public static Outcome rejected(long sequence, String reason) {
        return new Outcome(sequence, Status.REJECTED, reason, 0);
    }

    public static Outcome balance(long sequence, long balance) {
        return new Outcome(sequence, Status.OK, "", balance);
    }

    public static Outcome unavailable(long sequence, String reason) {
        return new Outcome(sequence, Status.UNAVAILABLE, reason, 0);
    }

    public static Outcome notLeader(long sequence) {
        return new Outcome(sequence, Status.NOT_LEADER, "not the leader", 0);
    }

    /** An item of the operation is elsewhere, or on the move: {@code redirect} says where (or is null). */
    public static Outcome moved(long sequence, String reason, Redirect redirect) {
        return new Outcome(sequence, Status.MOVED, reason, 0, redirect);
    }

    public static Outcome noMajority(long sequence, String reason) {
        return new Outcome(sequence, Status.NO_MAJORITY, reason, 0);
    }

    @Override
    public String toString() {
        return switch (status) {
            case COMMITTED -> "committed";
            case OK -> "balance " + balance;
            default -> status.name().toLowerCase() + " (" + reason + ")";
        };
    }
}
