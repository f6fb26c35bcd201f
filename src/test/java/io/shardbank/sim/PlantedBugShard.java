package io.shardbank.sim;

import io.shardbank.model.ClusterId;
import io.shardbank.model.RequestId;
import io.shardbank.model.ShardMap;
import io.shardbank.shard.BatchCodec;
import io.shardbank.shard.LogCommand;
import io.shardbank.shard.Outcome;
import io.shardbank.shard.Redirect;
import io.shardbank.shard.ShardStateMachine;
import io.shardbank.shard.TxnRecord;
import java.util.ArrayList;
import java.util.List;

/**
 * A shard state machine with one of the two-phase-commit or migration bugs of {@link Mutation}
 * planted, for the simulated node to host in place of the real one (never in production code).
 */
final class PlantedBugShard extends ShardStateMachine {

    private final Mutation mutation;
    private final ShardMap shardMap;
    private final long initialBalance;
    private final int dedupWindowPerClient;

    PlantedBugShard(Mutation mutation, ClusterId cluster, ShardMap shardMap, long initialBalance,
            int dedupWindowPerClient) {
        super(cluster, shardMap, initialBalance, dedupWindowPerClient);
        this.mutation = mutation;
        this.shardMap = shardMap;
        this.initialBalance = initialBalance;
        this.dedupWindowPerClient = dedupWindowPerClient;
    }

    /** Whether this machine plants {@code mutation}. */
    static boolean plants(Mutation mutation) {
        return mutation == Mutation.RELEASE_LOCKS_AT_PREPARE || mutation == Mutation.COMMIT_AFTER_OWN_VOTE
                || mutation == Mutation.NO_TXN_DEDUP || mutation == Mutation.ANSWER_AT_DECISION
                || plantsMigrationBug(mutation);
    }

    /** Whether {@code mutation} is a migration bug (the run then migrates often). */
    static boolean plantsMigrationBug(Mutation mutation) {
        return mutation == Mutation.SOURCE_FORGETS_AT_PREPARE || mutation == Mutation.TARGET_ACTIVATES_AT_PREPARE
                || mutation == Mutation.SERVES_MOVED_ITEM;
    }

    /** SERVES_MOVED_ITEM: items of the initial range look as if they were still here. */
    @Override
    public Redirect redirect(int item) {
        if (mutation == Mutation.SERVES_MOVED_ITEM && shardMap.owns(cluster(), item)) {
            return null;
        }
        return super.redirect(item);
    }

    /**
     * RELEASE_LOCKS_AT_PREPARE and COMMIT_AFTER_OWN_VOTE: every prepare this cluster votes yes on
     * (as a participant, or as the coordinator) is followed at once by a commit of the machine's own
     * making, on every replica alike.
     */
    @Override
    public List<Applied> apply(long slot, byte[] value) {
        boolean early = mutation == Mutation.RELEASE_LOCKS_AT_PREPARE || mutation == Mutation.COMMIT_AFTER_OWN_VOTE
                || mutation == Mutation.SOURCE_FORGETS_AT_PREPARE || mutation == Mutation.TARGET_ACTIVATES_AT_PREPARE;
        List<Applied> effects = super.apply(slot, early && value.length > 0 ? committedEarly(slot, value) : value);
        return mutation == Mutation.ANSWER_AT_DECISION ? withEarlyAnswers(effects) : effects;
    }

    /**
     * ANSWER_AT_DECISION: the coordinator's shard reports the client's outcome as soon as it applies
     * the decision, before any participant acknowledged it.
     */
    private List<Applied> withEarlyAnswers(List<Applied> effects) {
        List<Applied> altered = new ArrayList<>(effects);
        for (Applied applied : effects) {
            if (applied instanceof DecisionApplied decided && decided.record() != null
                    && decided.record().coordinatedBy(cluster().index())) {
                altered.add(new ClientOutcome(decided.txn().clientId(), super.outcomeOf(decided.txn())));
            }
        }
        return altered;
    }

    /** NO_TXN_DEDUP: the node cannot tell that a transaction it coordinates is under way. */
    @Override
    public TxnRecord txn(RequestId txn) {
        TxnRecord record = super.txn(txn);
        boolean hidden = mutation == Mutation.NO_TXN_DEDUP && record != null && record.coordinatedBy(cluster().index());
        return hidden ? null : record;
    }

    /** NO_TXN_DEDUP: nor that one it coordinated has finished. */
    @Override
    public Outcome outcomeOf(RequestId request) {
        boolean transaction = super.txn(request) != null || forgottenDecision(request) != null;
        return mutation == Mutation.NO_TXN_DEDUP && transaction ? null : super.outcomeOf(request);
    }

    /**
     * The chosen value with a commit after each prepare that votes yes here in the role the bug is
     * about; a scratch copy of the shard tells which prepares lock something.
     */
    private byte[] committedEarly(long slot, byte[] chosen) {
        ShardStateMachine scratch = new ShardStateMachine(cluster(), shardMap, initialBalance, dedupWindowPerClient);
        scratch.restore(appliedSlot(), allBalances(), encodeSessions());
        List<RequestId> prepared = new ArrayList<>();
        for (Applied applied : scratch.apply(slot, chosen)) {
            if (applied instanceof VoteLogged voted && voted.yes() && commitsEarly(voted.record())) {
                prepared.add(voted.record().txn());
            }
        }
        if (prepared.isEmpty()) {
            return chosen;
        }
        List<LogCommand> altered = new ArrayList<>();
        for (LogCommand command : BatchCodec.decode(chosen)) {
            altered.add(command);
            if (command instanceof LogCommand.TxnPrepared prepare && prepared.remove(prepare.txn())) {
                altered.add(new LogCommand.TxnDecided(prepare.txn(), Outcome.Status.COMMITTED, ""));
            }
        }
        return BatchCodec.encode(altered);
    }

    /** Whether the planted bug commits this prepared record at once. */
    private boolean commitsEarly(TxnRecord record) {
        boolean coordinator = record.coordinatedBy(cluster().index());
        return switch (mutation) {
            case RELEASE_LOCKS_AT_PREPARE -> record.handover() == null && !coordinator;
            case COMMIT_AFTER_OWN_VOTE -> record.handover() == null && coordinator;
            case SOURCE_FORGETS_AT_PREPARE -> record.handover() != null && coordinator;
            case TARGET_ACTIVATES_AT_PREPARE -> record.handover() != null && !coordinator;
            default -> false;
        };
    }
}
