package io.shardbank.cluster;

import static io.shardbank.testing.EmbeddedFixture.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.shardbank.client.ShardbankClient;
import io.shardbank.model.NodeId;
import io.shardbank.node.NodeProtocol;
import io.shardbank.shard.ItemDelta;
import io.shardbank.shard.Outcome;
import io.shardbank.testing.EmbeddedFixture;
import io.shardbank.testing.Eventually;
import io.shardbank.testing.TestSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Two-phase commit over Paxos, end to end on the embedded cluster(). */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CrossClusterTransactionTest {

    private static final Duration PATIENCE = Duration.ofSeconds(20);

    @RegisterExtension
    static final EmbeddedFixture FIXTURE = EmbeddedFixture.perClassWithClient(TestSettings::embedded);

    private EmbeddedCluster cluster() {
        return FIXTURE.cluster();
    }

    private ShardbankClient client() {
        return FIXTURE.client();
    }

    @BeforeEach
    void flush() {
        FIXTURE.recoverAndFlush();
        for (int leader : new int[] {1, 4, 7}) {
            FIXTURE.awaitLeaderInContact(new NodeId(leader), 3, PATIENCE);
        }
    }

    private long balance(int item) throws Exception {
        Outcome read = await(client().read(item));
        assertThat(read.status()).as("read of %d: %s", item, read).isEqualTo(Outcome.Status.OK);
        return read.balance();
    }

    /** Every node agrees on the items' balances, and no lock or transaction is left anywhere. */
    private void assertSettled(List<Integer> items) {
        Eventually.await(PATIENCE, "every node settled", () -> cluster().nodes().stream().allMatch(node -> {
            NodeProtocol.Status status = client().status(node);
            return status.locks() == 0 && status.transactions() == 0;
        }));
        for (NodeId node : cluster().nodes()) {
            Map<Integer, Long> mine = client().balances(node, items).balances();
            NodeId leader = cluster().settings().topology().initialLeader(cluster().settings().topology().clusterOf(node));
            Eventually.await(PATIENCE, node + " agrees with its leader",
                    () -> client().balances(node, items).balances().equals(client().balances(leader, items).balances()));
            assertThat(mine.keySet()).allMatch(item -> cluster().settings().topology().initialShardMap()
                    .owns(cluster().settings().topology().clusterOf(node), item));
        }
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({"1, 3001", "3002, 6001", "6002, 2", "3, 6003", "6004, 3003", "3004, 4"})
    void aCrossClusterTransferCommitsInBothClusters(int from, int to) throws Exception {
        Outcome outcome = await(client().transfer(from, to, 4));
        assertThat(outcome.status()).as("%s", outcome).isEqualTo(Outcome.Status.COMMITTED);
        assertThat(balance(from)).isEqualTo(6);
        assertThat(balance(to)).isEqualTo(14);
        assertSettled(List.of(from, to));
    }

    @Test
    void insufficientFundsAbortsAndLeavesBothClustersUnchangedAndUnlocked() throws Exception {
        Outcome outcome = await(client().transfer(10, 3010, 11));
        assertThat(outcome.status()).isEqualTo(Outcome.Status.ABORTED);
        assertThat(outcome.reason()).contains("insufficient funds");
        assertThat(balance(10)).isEqualTo(10);
        assertThat(balance(3010)).isEqualTo(10);
        assertSettled(List.of(10, 3010));
    }

    @Test
    void aParticipantClusterWithOneLiveNodeMakesTheTransactionFailWithNothingChanged() throws Exception {
        client().setFailed(new NodeId(5), true);
        client().setFailed(new NodeId(6), true);
        Outcome outcome = await(client().transfer(20, 3020, 3));
        assertThat(outcome.status()).as("%s", outcome).isEqualTo(Outcome.Status.UNAVAILABLE);
        assertThat(balance(20)).isEqualTo(10);
        client().setFailed(new NodeId(5), false);
        client().setFailed(new NodeId(6), false);
        Eventually.await(PATIENCE, "n4 leads in touch with a majority", () -> {
            NodeProtocol.Status status = client().status(new NodeId(4));
            return status.role().equals("LEADER") && status.inContact().size() >= 2;
        });
        assertThat(balance(3020)).isEqualTo(10);
        assertSettled(List.of(20, 3020));
    }

    @Test
    void aCoordinatorLeaderLostBeforeTheDecisionAbortsEverywhere() throws Exception {
        // The participant cluster is entirely cut off, so the coordinator waits for its vote...
        for (int node : new int[] {4, 5, 6}) {
            client().setFailed(new NodeId(node), true);
        }
        CompletableFuture<Outcome> pending = client().transfer(30, 3030, 2).toCompletableFuture();
        Eventually.await(PATIENCE, "n1 holds the prepared transaction", () -> client().status(new NodeId(1)).transactions() == 1);
        // ...and its leader fails before any decision: the next leader aborts it.
        client().setFailed(new NodeId(1), true);
        for (int node : new int[] {4, 5, 6}) {
            client().setFailed(new NodeId(node), false);
        }
        Outcome outcome = pending.get(30, TimeUnit.SECONDS);
        assertThat(outcome.status()).as("%s", outcome).isIn(Outcome.Status.ABORTED, Outcome.Status.UNAVAILABLE);
        client().setFailed(new NodeId(1), false);
        assertThat(balance(30)).isEqualTo(10);
        assertThat(balance(3030)).isEqualTo(10);
        assertSettled(List.of(30, 3030));
    }

    @Test
    void aCoordinatorLeaderLostAfterTheDecisionStillCommitsEverywhere() throws Exception {
        Outcome outcome = await(client().transfer(40, 6040, 5));
        assertThat(outcome.status()).isEqualTo(Outcome.Status.COMMITTED);
        client().setFailed(new NodeId(1), true);
        assertThat(balance(40)).isEqualTo(5);
        assertThat(balance(6040)).isEqualTo(15);
        client().setFailed(new NodeId(1), false);
        assertSettled(List.of(40, 6040));
    }

    @Test
    void aTransactionOverThreeClustersCommitsOrAbortsAtomically() throws Exception {
        List<ItemDelta> commit = List.of(new ItemDelta(50, -6), new ItemDelta(3050, 2), new ItemDelta(6050, 4));
        assertThat(await(client().transaction(commit)).status()).isEqualTo(Outcome.Status.COMMITTED);
        assertThat(List.of(balance(50), balance(3050), balance(6050))).containsExactly(4L, 12L, 14L);

        List<ItemDelta> abort = List.of(new ItemDelta(51, -1), new ItemDelta(3051, 2), new ItemDelta(6051, -11));
        Outcome aborted = await(client().transaction(abort));
        assertThat(aborted.status()).isEqualTo(Outcome.Status.ABORTED);
        assertThat(aborted.reason()).contains("insufficient funds");
        assertThat(List.of(balance(51), balance(3051), balance(6051))).containsExactly(10L, 10L, 10L);
        assertSettled(List.of(50, 3050, 6050, 51, 3051, 6051));
    }

    @Test
    void concurrentTransfersOverHotItemsConserveMoneyAndLeaveNoLock() throws Exception {
        int[] hot = {100, 101, 3100, 3101, 6100, 6101};
        List<CompletableFuture<Outcome>> outcomes = new ArrayList<>();
        for (int i = 0; i < 120; i++) {
            int from = hot[i % hot.length];
            int to = hot[(i * 7 + 3) % hot.length];
            if (from != to) {
                outcomes.add(client().transfer(from, to, 1 + i % 3).toCompletableFuture());
            }
        }
        CompletableFuture.allOf(outcomes.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        // Conflicting prepares refuse at once (no waiting, so no deadlock): a burst may abort all of
        // its transactions, each for a lock held by another, but never wrongly.
        assertThat(outcomes).allSatisfy(f -> {
            Outcome outcome = f.join();
            assertThat(outcome.status()).isIn(Outcome.Status.COMMITTED, Outcome.Status.ABORTED);
            if (outcome.status() == Outcome.Status.ABORTED) {
                assertThat(outcome.reason()).containsAnyOf("is locked by", "insufficient funds");
            }
        });
        assertSettled(List.of(100, 101, 3100, 3101, 6100, 6101));
        // Nothing stays locked: once the burst is over, hot items take cross-cluster transfers again.
        int richest = 100;
        for (int item : hot) {
            richest = balance(item) > balance(richest) ? item : richest;
        }
        int receiver = richest < 3001 ? 6101 : 101;
        Outcome after = await(client().transfer(richest, receiver, 1));
        assertThat(after.status()).as("%s", after).isEqualTo(Outcome.Status.COMMITTED);
        long total = 0;
        List<Integer> items = new ArrayList<>();
        for (int item : hot) {
            long balance = balance(item);
            assertThat(balance).isNotNegative();
            total += balance;
            items.add(item);
        }
        assertThat(total).isEqualTo(10L * hot.length);
        assertSettled(items);
    }
}
