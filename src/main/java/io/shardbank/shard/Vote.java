package io.shardbank.shard;

/** A participant's answer to a prepare, and the decision a no vote asks for. */
public enum Vote {
    /** Prepared: the part is locked and applied tentatively, ready to commit. */
    YES(Outcome.Status.COMMITTED),
    /** Refused: an item is locked or a balance would go below zero; the transaction aborts. */
    NO(Outcome.Status.ABORTED),
    /** The cluster cannot reach a majority: the transaction ends unavailable. */
    NO_MAJORITY(Outcome.Status.UNAVAILABLE),
    /** An item is owned by another cluster, or is on the move: the client sends again elsewhere. */
    MOVED(Outcome.Status.MOVED);

    private final Outcome.Status decision;

    Vote(Outcome.Status decision) {
        this.decision = decision;
    }

    /** The decision this vote leads to when it is the deciding one. */
    public Outcome.Status decision() {
        return decision;
    }
}
