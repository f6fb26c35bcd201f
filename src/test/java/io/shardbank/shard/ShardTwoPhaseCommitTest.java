package io.shardbank.shard;

import static org.assertj.core.api.Assertions.assertThat;

import io.shardbank.model.ClusterId;
import io.shardbank.model.RequestId;
import io.shardbank.model.ShardMap;
import io.shardbank.shard.ShardStateMachine.Applied;
import io.shardbank.shard.ShardStateMachine.ClientOutcome;
import io.shardbank.shard.ShardStateMachine.DecisionApplied;
import io.shardbank.shard.ShardStateMachine.VoteLogged;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The shard's part in two-phase commit: prepare locks and applies tentatively, a conflicting or
 * unaffordable prepare is refused, abort restores the undo values, commit keeps them, decisions are
 * remembered so that late prepares are refused, and snapshots keep locks and records. Cluster c1
 * owns items 1..10, c2 items 11..20; every balance starts at 10.
 */
class ShardTwoPhaseCommitTest {

    private static final ShardMap MAP = ShardMap.evenRanges(2, 20);
    private static final RequestId T1 = new RequestId(7, 1);
    private static final RequestId T2 = new RequestId(8, 1);

    private ShardStateMachine shard = participant(16);
    private long slot;

    private static ShardStateMachine participant(int window) {
        return new ShardStateMachine(new ClusterId(1), MAP, 10, window);
    }

    private List<Applied> apply(LogCommand... commands) {
        return shard.apply(++slot, BatchCodec.encode(List.of(commands)));
    }

    /** A prepare of c1's part of a transaction coordinated by c2. */
    private static LogCommand.TxnPrepared prepare(RequestId txn, ItemDelta... deltas) {
        return new LogCommand.TxnPrepared(txn, 2, List.of(1), List.of(deltas));
    }

    private static LogCommand.TxnDecided decide(RequestId txn, Outcome.Status status) {
        return new LogCommand.TxnDecided(txn, status, status == Outcome.Status.COMMITTED ? "" : "because");
    }

    @Test
    void prepareLocksAndAppliesTentatively() {
        List<Applied> effects = apply(prepare(T1, new ItemDelta(1, -3), new ItemDelta(2, 3)));

        assertThat(effects).singleElement().isInstanceOfSatisfying(VoteLogged.class, voted -> {
            assertThat(voted.record().state()).isEqualTo(TxnRecord.State.PREPARED);
            assertThat(voted.record().undo()).containsEntry(1, 10L).containsEntry(2, 10L);
        });
        assertThat(shard.balance(1)).isEqualTo(7);
        assertThat(shard.balance(2)).isEqualTo(13);
        assertThat(shard.lockHolder(1)).isEqualTo(T1);
        assertThat(shard.lockHolder(2)).isEqualTo(T1);
        assertThat(shard.lockCount()).isEqualTo(2);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "second prepare on a locked item | 1 | -1 | locked",
        "prepare that overdraws          | 3 | -11 | insufficient funds",
    })
    void prepareIsRefused(String what, int item, long delta, String reason) {
        apply(prepare(T1, new ItemDelta(1, -3)));

        List<Applied> effects = apply(prepare(T2, new ItemDelta(item, delta)));

        assertThat(effects).singleElement().isInstanceOfSatisfying(VoteLogged.class, voted -> {
            assertThat(voted.record().state()).isEqualTo(TxnRecord.State.REFUSED);
            assertThat(voted.record().reason()).contains(reason);
            assertThat(voted.record().votedYes()).isFalse();
        });
        assertThat(shard.balance(item)).isEqualTo(item == 1 ? 7 : 10);
        assertThat(shard.lockCount()).isEqualTo(1);
    }

    @Test
    void localTransferOnALockedItemAbortsAndReadsSeeTheCommittedValue() {
        apply(prepare(T1, new ItemDelta(1, -3)));

        List<Applied> effects = apply(new LoggedOperation(9, new Operation.Transfer(1, 1, 2, 1)),
                new LoggedOperation(9, new Operation.BalanceRead(2, 1)));

        assertThat(effects).extracting(e -> ((ClientOutcome) e).outcome().status())
                .containsExactly(Outcome.Status.ABORTED, Outcome.Status.OK);
        assertThat(((ClientOutcome) effects.get(0)).outcome().reason()).contains("locked");
        assertThat(((ClientOutcome) effects.get(1)).outcome().balance()).isEqualTo(10);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"COMMITTED, 7, 13", "ABORTED, 10, 10", "UNAVAILABLE, 10, 10"})
    void decisionReleasesLocksAndKeepsOrRestores(Outcome.Status status, long item1, long item2) {
        apply(prepare(T1, new ItemDelta(1, -3), new ItemDelta(2, 3)));

        List<Applied> effects = apply(decide(T1, status));

        assertThat(effects).singleElement().isInstanceOfSatisfying(DecisionApplied.class,
                decided -> assertThat(decided.status()).isEqualTo(status));
        assertThat(shard.balance(1)).isEqualTo(item1);
        assertThat(shard.balance(2)).isEqualTo(item2);
        assertThat(shard.lockCount()).isZero();
        assertThat(shard.txns()).isEmpty(); // a participant forgets the record at once
        assertThat(shard.forgottenDecision(T1)).isEqualTo(status);
    }

    @Test
    void decisionForAnUnknownTransactionIsRememberedAndALatePrepareRefused() {
        List<Applied> decided = apply(decide(T1, Outcome.Status.ABORTED));
        assertThat(decided).singleElement().isInstanceOfSatisfying(DecisionApplied.class,
                d -> assertThat(d.record()).isNull());

        List<Applied> late = apply(prepare(T1, new ItemDelta(1, -3)));

        assertThat(late).isEmpty();
        assertThat(shard.balance(1)).isEqualTo(10);
        assertThat(shard.lockCount()).isZero();
        assertThat(shard.txn(T1)).isNull();
    }

    @Test
    void snapshotKeepsLocksRecordsAndDecisions() {
        apply(prepare(T1, new ItemDelta(1, -3)));
        apply(decide(T2, Outcome.Status.ABORTED));

        ShardStateMachine restored = participant(16);
        restored.restore(shard.appliedSlot(), shard.allBalances(), shard.encodeSessions());

        assertThat(restored.lockHolder(1)).isEqualTo(T1);
        assertThat(restored.txn(T1).state()).isEqualTo(TxnRecord.State.PREPARED);
        assertThat(restored.txn(T1).undo()).containsEntry(1, 10L);
        assertThat(restored.forgottenDecision(T2)).isEqualTo(Outcome.Status.ABORTED);
        restored.apply(slot + 1, BatchCodec.encode(List.of(decide(T1, Outcome.Status.ABORTED))));
        assertThat(restored.balance(1)).isEqualTo(10);
        assertThat(restored.lockCount()).isZero();
    }

    /**
     * Simulation seed 615: a participant whose bounded memory had dropped a decision prepared the
     * same transaction again when a stale prepare arrived, applying its deltas a second time.
     */
    @Test
    void stalePrepareAfterTheDecisionWasForgottenIsRefused() {
        shard = participant(2);
        apply(prepare(T1, new ItemDelta(1, 3)));
        apply(decide(T1, Outcome.Status.COMMITTED));
        for (long sequence = 2; sequence <= 4; sequence++) {
            apply(decide(new RequestId(7, sequence), Outcome.Status.ABORTED)); // pushes T1 out of memory
        }
        assertThat(shard.forgottenDecision(T1)).isNull();
        assertThat(shard.mayHaveForgotten(T1)).isTrue();

        List<Applied> stale = apply(prepare(T1, new ItemDelta(1, 3)));

        assertThat(stale).isEmpty();
        assertThat(shard.balance(1)).isEqualTo(13);
        assertThat(shard.lockCount()).isZero();
        ShardStateMachine restored = participant(2);
        restored.restore(shard.appliedSlot(), shard.allBalances(), shard.encodeSessions());
        assertThat(restored.mayHaveForgotten(T1)).isTrue();
        assertThat(restored.mayHaveForgotten(new RequestId(7, 5))).isFalse();
    }

    /**
     * Simulation seeds 247 and 2589: the coordinator's own prepare after a presumed abort of the
     * same transaction was ignored, and its coordination waited for that vote forever.
     */
    @Test
    void coordinatorsOwnPrepareAfterAPresumedAbortIsDecidedAtOnce() {
        RequestId txn = new RequestId(3, 2);
        apply(decide(txn, Outcome.Status.ABORTED)); // presumed abort: the coordinator had no record

        List<Applied> effects = apply(new LogCommand.TxnPrepared(txn, 1, List.of(2), List.of(new ItemDelta(1, -2))));

        assertThat(effects).singleElement().isInstanceOfSatisfying(DecisionApplied.class, decided -> {
            assertThat(decided.status()).isEqualTo(Outcome.Status.ABORTED);
            assertThat(decided.record().state()).isEqualTo(TxnRecord.State.ABORTED);
            assertThat(decided.record().coordinatedBy(1)).isTrue();
        });
        assertThat(shard.balance(1)).isEqualTo(10);
        assertThat(shard.lockCount()).isZero();
        assertThat(shard.outcomeOf(txn).status()).isEqualTo(Outcome.Status.ABORTED);
        List<Applied> ended = apply(new LogCommand.TxnEnded(txn));
        assertThat(ended).hasSize(2).last().isInstanceOfSatisfying(ClientOutcome.class,
                outcome -> assertThat(outcome.outcome().status()).isEqualTo(Outcome.Status.ABORTED));
        assertThat(shard.txns()).isEmpty();
    }

    /**
     * Simulation seed 36443: the same after the presumed abort had been dropped from the bounded
     * memory of decisions: the prepare was ignored, and the client never heard back.
     */
    @Test
    void coordinatorsOwnPrepareAfterAForgottenPresumedAbortIsDecidedAtOnce() {
        shard = participant(2);
        RequestId txn = new RequestId(3, 2);
        apply(decide(txn, Outcome.Status.ABORTED));
        apply(decide(new RequestId(4, 1), Outcome.Status.ABORTED), decide(new RequestId(5, 1), Outcome.Status.ABORTED));
        assertThat(shard.forgottenDecision(txn)).isNull();

        List<Applied> effects = apply(new LogCommand.TxnPrepared(txn, 1, List.of(2), List.of(new ItemDelta(1, -2))));

        assertThat(effects).singleElement().isInstanceOfSatisfying(DecisionApplied.class,
                decided -> assertThat(decided.record().state()).isEqualTo(TxnRecord.State.ABORTED));
        assertThat(shard.outcomeOf(txn).status()).isEqualTo(Outcome.Status.ABORTED);
        assertThat(shard.lockCount()).isZero();
    }

    /**
     * Simulation seed 50891: a recovering coordinator leader logged an abort while its
     * predecessor's commit, accepted by a minority only, was re-proposed into a later slot by the
     * leader after it. Both were chosen; every replica stopped on "decided both ways".
     */
    @ParameterizedTest(name = "{0} then {1}")
    @CsvSource({"ABORTED, COMMITTED, 10", "COMMITTED, ABORTED, 8", "UNAVAILABLE, COMMITTED, 10"})
    void theFirstDecisionInTheLogWins(Outcome.Status first, Outcome.Status second, long balance) {
        RequestId txn = new RequestId(3, 1);
        apply(new LogCommand.TxnPrepared(txn, 1, List.of(2), List.of(new ItemDelta(1, -2))));
        apply(decide(txn, first));

        List<Applied> later = apply(decide(txn, second));

        assertThat(later).isEmpty();
        assertThat(shard.balance(1)).isEqualTo(balance);
        assertThat(shard.txn(txn).decidedStatus()).isEqualTo(first);
        assertThat(shard.outcomeOf(txn).status()).isEqualTo(first);
        apply(new LogCommand.TxnEnded(txn));
        assertThat(apply(decide(txn, second))).isEmpty(); // and after the end, from the remembered decision
        assertThat(shard.forgottenDecision(txn)).isEqualTo(first);
    }
}
