package io.shardbank.shard;

import static org.assertj.core.api.Assertions.assertThat;

import io.shardbank.model.ClusterId;
import io.shardbank.model.RequestId;
import io.shardbank.model.ShardMap;
import io.shardbank.shard.ShardStateMachine.Applied;
import io.shardbank.shard.ShardStateMachine.ClientOutcome;
import io.shardbank.shard.ShardStateMachine.VoteLogged;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The shard's part in migrating items: the source freezes the items and records their balances,
 * the target holds the values inactive, the decision moves ownership (and the map version) in
 * both, an abort leaves everything as it was, operations on items elsewhere or on the move are
 * answered MOVED (and remembered), and snapshots keep the map. Cluster c1 owns items 1..10, c2
 * items 11..20; every balance starts at 10.
 */
class ShardMigrationTest {

    private static final ShardMap MAP = ShardMap.evenRanges(2, 20);
    private static final RequestId MOVE = new RequestId(99, 1);
    private static final long CLIENT = 5;

    private final ShardStateMachine source = new ShardStateMachine(new ClusterId(1), MAP, 10, 16);
    private final ShardStateMachine target = new ShardStateMachine(new ClusterId(2), MAP, 10, 16);

    private static List<Applied> apply(ShardStateMachine shard, LogCommand... commands) {
        return shard.apply(shard.appliedSlot() + 1, BatchCodec.encode(List.of(commands)));
    }

    private static Handover handover(Map<Integer, Long> values, int... items) {
        return new Handover(java.util.Arrays.stream(items).boxed().toList(), 1, 2, 7, values);
    }

    private static LogCommand.TxnPrepared sourcePrepare(int... items) {
        return new LogCommand.TxnPrepared(MOVE, 1, List.of(2), List.of(), handover(Map.of(), items));
    }

    private static LogCommand.TxnPrepared targetPrepare(Map<Integer, Long> values, int... items) {
        return new LogCommand.TxnPrepared(MOVE, 1, List.of(2), List.of(), handover(values, items));
    }

    private static LogCommand.TxnDecided decide(Outcome.Status status) {
        return new LogCommand.TxnDecided(MOVE, status, status == Outcome.Status.COMMITTED ? "" : "because");
    }

    private static Outcome outcomeOf(List<Applied> effects) {
        return ((ClientOutcome) effects.get(0)).outcome();
    }

    private static LoggedOperation transfer(long sequence, int from, int to, long amount) {
        return new LoggedOperation(CLIENT, new Operation.Transfer(sequence, from, to, amount));
    }

    @Test
    void sourceFreezesItemsAndRecordsTheirBalances() {
        apply(source, transfer(1, 1, 2, 3));

        List<Applied> effects = apply(source, sourcePrepare(1, 2));

        assertThat(effects).singleElement().isInstanceOfSatisfying(VoteLogged.class, voted -> {
            assertThat(voted.yes()).isTrue();
            assertThat(voted.record().undo()).isEqualTo(Map.of(1, 7L, 2, 13L));
        });
        assertThat(source.owns(1)).isTrue();
        assertThat(source.inMigration(1)).isTrue();
        Outcome write = outcomeOf(apply(source, transfer(2, 1, 3, 1)));
        assertThat(write.status()).isEqualTo(Outcome.Status.MOVED);
        assertThat(write.reason()).contains("being migrated");
        assertThat(write.redirect()).isEqualTo(new Redirect(1, 1, 1));
        Outcome read = outcomeOf(apply(source, new LoggedOperation(CLIENT, new Operation.BalanceRead(3, 2))));
        assertThat(read).isEqualTo(Outcome.balance(3, 13));
    }

    @Test
    void commitMovesOwnershipValuesAndVersionToTheTarget() {
        apply(source, sourcePrepare(1, 2));
        apply(target, targetPrepare(Map.of(1, 10L, 2, 10L), 1, 2));
        assertThat(target.owns(1)).isFalse();
        assertThat(target.inMigration(1)).isTrue();

        apply(source, decide(Outcome.Status.COMMITTED));
        apply(target, decide(Outcome.Status.COMMITTED));

        assertThat(source.owns(1)).isFalse();
        assertThat(source.redirect(1)).isEqualTo(new Redirect(1, 2, 7));
        assertThat(source.shardMap().version()).isEqualTo(7);
        assertThat(source.allBalances()).doesNotContainKeys(1, 2).hasSize(8);
        assertThat(target.owns(1)).isTrue();
        assertThat(target.balance(1)).isEqualTo(10);
        assertThat(target.shardMap().version()).isEqualTo(7);
        assertThat(target.allBalances()).hasSize(12);
        assertThat(source.lockCount() + target.lockCount()).isZero();
    }

    @Test
    void abortLeavesBothClustersAsTheyWere() {
        apply(source, sourcePrepare(1));
        apply(target, targetPrepare(Map.of(1, 10L), 1));

        apply(source, decide(Outcome.Status.ABORTED));
        apply(target, decide(Outcome.Status.ABORTED));

        assertThat(source.owns(1)).isTrue();
        assertThat(source.balance(1)).isEqualTo(10);
        assertThat(target.owns(1)).isFalse();
        assertThat(source.shardMap()).isEqualTo(MAP);
        assertThat(target.shardMap()).isEqualTo(MAP);
        assertThat(outcomeOf(apply(source, transfer(1, 1, 2, 4))).status()).isEqualTo(Outcome.Status.COMMITTED);
    }

    @Test
    void sourceRefusesItemsItDoesNotOwnOrThatAreLocked() {
        apply(source, new LogCommand.TxnPrepared(new RequestId(7, 1), 2, List.of(1), List.of(new ItemDelta(3, -1))));

        VoteLogged notOwned = (VoteLogged) apply(source, new LogCommand.TxnPrepared(MOVE, 1, List.of(2), List.of(),
                handover(Map.of(), 11))).get(0);
        VoteLogged locked = (VoteLogged) apply(source, new LogCommand.TxnPrepared(new RequestId(99, 2), 1,
                List.of(2), List.of(), handover(Map.of(), 3))).get(0);

        assertThat(notOwned.yes()).isFalse();
        assertThat(notOwned.record().vote()).isEqualTo(Vote.MOVED);
        assertThat(notOwned.record().redirect()).isEqualTo(new Redirect(11, 2, 1));
        assertThat(locked.yes()).isFalse();
        assertThat(locked.record().reason()).contains("locked");
        assertThat(source.lockCount()).isEqualTo(1);
    }

    @Test
    void operationsOnMovedItemsAreAnsweredMovedOnceAndRemembered() {
        apply(source, sourcePrepare(2));
        apply(source, decide(Outcome.Status.COMMITTED));

        Outcome first = outcomeOf(apply(source, transfer(1, 1, 2, 1)));
        Outcome retry = outcomeOf(apply(source, transfer(1, 1, 2, 1)));

        assertThat(first.status()).isEqualTo(Outcome.Status.MOVED);
        assertThat(first.redirect()).isEqualTo(new Redirect(2, 2, 7));
        assertThat(retry).isEqualTo(first);
        assertThat(source.balance(1)).isEqualTo(10);
    }

    @Test
    void participantRefusesAPrepareOfAnItemThatMovedAndSaysWhere() {
        apply(source, sourcePrepare(4));
        apply(source, decide(Outcome.Status.COMMITTED));

        VoteLogged vote = (VoteLogged) apply(source, new LogCommand.TxnPrepared(new RequestId(8, 1), 2, List.of(1),
                List.of(new ItemDelta(4, 1)))).get(0);

        assertThat(vote.yes()).isFalse();
        assertThat(vote.record().vote()).isEqualTo(Vote.MOVED);
        assertThat(vote.record().redirect()).isEqualTo(new Redirect(4, 2, 7));
    }

    @Test
    void snapshotsKeepTheMapFrozenItemsAndMovedBalances() {
        apply(source, sourcePrepare(1));
        apply(source, decide(Outcome.Status.COMMITTED));
        apply(source, new LogCommand.TxnPrepared(new RequestId(99, 2), 1, List.of(2), List.of(),
                handover(Map.of(), 5)));

        ShardStateMachine restored = new ShardStateMachine(new ClusterId(1), MAP, 10, 16);
        restored.restore(source.appliedSlot(), source.allBalances(), source.encodeSessions());

        assertThat(restored.shardMap()).isEqualTo(source.shardMap());
        assertThat(restored.owns(1)).isFalse();
        assertThat(restored.inMigration(5)).isTrue();
        assertThat(restored.allBalances()).isEqualTo(source.allBalances());
        assertThat(restored.encodeSessions()).isEqualTo(source.encodeSessions());
    }
}
