package io.shardbank.cluster;

import static io.shardbank.testing.EmbeddedFixture.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.shardbank.client.ShardbankClient;
import io.shardbank.model.NodeId;
import io.shardbank.node.NodeProtocol;
import io.shardbank.shard.ItemDelta;
import io.shardbank.shard.Outcome;
import io.shardbank.shard.ReadConsistency;
import io.shardbank.testing.EmbeddedFixture;
import io.shardbank.testing.Eventually;
import io.shardbank.testing.TestSettings;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The replicated shard end to end: every node its own ActorSystem, real Artery remoting on
 * loopback, real SQLite files. One cluster serves all tests; each test starts from a flush.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReplicatedShardTest {

    private static final NodeId N1 = new NodeId(1);
    private static final NodeId N2 = new NodeId(2);
    private static final NodeId N3 = new NodeId(3);
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
        awaitLeader(N1);
    }

    private void awaitLeader(NodeId node) {
        FIXTURE.awaitLeader(node, PATIENCE);
    }

    private long balanceAt(NodeId node, int item) {
        return client().balances(node, List.of(item)).balances().get(item);
    }

    @Test
    void transfersAndReadsCommitInEveryCluster() throws Exception {
        for (int first : new int[] {1, 3001, 6001}) {
            assertThat(await(client().transfer(first, first + 1, 4)).status()).isEqualTo(Outcome.Status.COMMITTED);
            Outcome read = await(client().read(first + 1));
            assertThat(read.status()).isEqualTo(Outcome.Status.OK);
            assertThat(read.balance()).isEqualTo(14);
        }
    }

    @Test
    void leaseAndAnyReadsSeeCommittedTransfers() throws Exception {
        assertThat(await(client().transfer(60, 61, 7)).status()).isEqualTo(Outcome.Status.COMMITTED);
        Outcome lease = await(client().read(61, ReadConsistency.LEASE));
        assertThat(lease.status()).isEqualTo(Outcome.Status.OK);
        assertThat(lease.balance()).isEqualTo(17);
        // Any replica answers from its own state: it may lag, but it catches up.
        Eventually.await(PATIENCE, "stale reads catch up", () -> {
            for (int i = 0; i < 3; i++) {
                if (client().read(61, ReadConsistency.ANY).toCompletableFuture().join().balance() != 17) {
                    return false;
                }
            }
            return true;
        });
        assertThat(await(client().read(9001, ReadConsistency.ANY)).reason()).contains("unknown item 9001");
        // A new leader serves lease reads once it has a lease; until then they go through its log.
        client().setFailed(N1, true);
        Outcome afterFailover = await(client().read(60, ReadConsistency.LEASE));
        assertThat(afterFailover.status()).isEqualTo(Outcome.Status.OK);
        assertThat(afterFailover.balance()).isEqualTo(3);
    }

    @Test
    void invalidOperationsAreRejectedWithAReasonAndChangeNothing() throws Exception {
        assertThat(await(client().transfer(1, 2, 0))).satisfies(o -> {
            assertThat(o.status()).isEqualTo(Outcome.Status.REJECTED);
            assertThat(o.reason()).contains("amount must be positive");
        });
        assertThat(await(client().transfer(1, 2, -5)).reason()).contains("amount must be positive");
        assertThat(await(client().transfer(7, 7, 1)).reason()).contains("same item");
        assertThat(await(client().transfer(1, 9001, 1)).reason()).contains("unknown item 9001");
        assertThat(await(client().read(0)).reason()).contains("unknown item 0");
        assertThat(await(client().transfer(5, 6, 11))).satisfies(o -> {
            assertThat(o.status()).isEqualTo(Outcome.Status.ABORTED);
            assertThat(o.reason()).contains("insufficient funds");
        });
        assertThat(await(client().read(5)).balance()).isEqualTo(10);
        assertThat(await(client().read(6)).balance()).isEqualTo(10);
    }

    @Test
    void invalidTransactionsAreRejectedWithAReason() throws Exception {
        assertThat(await(client().transaction(List.of(new ItemDelta(1, -1), new ItemDelta(9001, 1)))).reason())
                .contains("unknown item 9001");
        assertThat(await(client().transaction(List.of(new ItemDelta(1, 0)))).reason()).contains("delta of item 1 is zero");
        assertThat(await(client().transaction(List.of(new ItemDelta(1, -1), new ItemDelta(1, 1)))).reason())
                .contains("item 1 appears twice");
        assertThat(await(client().transaction(List.of())).reason()).contains("at least one");
        assertThat(await(client().read(1)).balance()).isEqualTo(10);
    }

    /**
     * A node outside the topology is refused by the client at once, with the reason, instead of
     * waiting out a timeout on an address where nothing listens; the cluster keeps serving.
     */
    @Test
    void anUnknownNodeIsRefusedAtOnceAndTheClusterKeepsServing() throws Exception {
        NodeId unknown = new NodeId(99);
        long started = System.nanoTime();
        assertThatThrownBy(() -> client().status(unknown)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown node n99: this topology has n1..n9");
        assertThatThrownBy(() -> client().setFailed(unknown, true)).hasMessageContaining("unknown node n99");
        assertThatThrownBy(() -> client().balances(unknown, List.of(1))).hasMessageContaining("unknown node n99");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(1));
        assertThat(await(client().transfer(30, 31, 1)).status()).isEqualTo(Outcome.Status.COMMITTED);
        assertThat(await(client().read(31)).balance()).isEqualTo(11);
    }

    @Test
    void aClusterWithOneNodeDownKeepsCommitting() throws Exception {
        client().setFailed(N3, true);
        assertThat(await(client().transfer(10, 11, 2)).status()).isEqualTo(Outcome.Status.COMMITTED);
        assertThat(await(client().read(11)).balance()).isEqualTo(12);
    }

    @Test
    void aClusterWithoutAMajorityAnswersUnavailableInTimeAndCommitsNothing() throws Exception {
        client().setFailed(N2, true);
        client().setFailed(N3, true);
        Eventually.await(PATIENCE, "n1 notices it lost n2 and n3",
                () -> client().status(N1).inContact().equals(List.of(1)) || !client().status(N1).role().equals("LEADER"));
        long started = System.nanoTime();
        Outcome outcome = await(client().transfer(20, 21, 5));
        long elapsedMs = (System.nanoTime() - started) / 1_000_000;
        assertThat(outcome.status()).isEqualTo(Outcome.Status.UNAVAILABLE);
        assertThat(elapsedMs).isLessThanOrEqualTo(cluster().settings().client().deadlineMs() + 1000);
        // Another cluster is unaffected.
        assertThat(await(client().transfer(3020, 3021, 5)).status()).isEqualTo(Outcome.Status.COMMITTED);

        client().setFailed(N2, false);
        client().setFailed(N3, false);
        // A leader that knows it lacks a majority answers "unavailable" at once (it fails fast);
        // it takes requests again as soon as it hears from a majority.
        Eventually.await(PATIENCE, "c1 has a leader in touch with a majority", () -> cluster().nodes().stream()
                .limit(3).map(client()::status).anyMatch(s -> s.role().equals("LEADER") && s.inContact().size() >= 2));
        Outcome read = await(client().read(21));
        assertThat(read.status()).isEqualTo(Outcome.Status.OK);
        assertThat(read.balance()).isEqualTo(10);
        assertThat(await(client().read(20)).balance()).isEqualTo(10);
    }

    @Test
    void aFailedLeaderIsReplacedAndTheNewLeaderSendsANewView() throws Exception {
        assertThat(await(client().transfer(30, 31, 1)).status()).isEqualTo(Outcome.Status.COMMITTED);
        client().setFailed(N1, true);
        Outcome during = await(client().transfer(31, 32, 3));
        assertThat(during.status()).isEqualTo(Outcome.Status.COMMITTED);
        NodeId newLeader = client().status(N2).role().equals("LEADER") ? N2 : N3;
        assertThat(client().status(newLeader).role()).isEqualTo("LEADER");
        NodeProtocol.Views views = client().views(newLeader);
        assertThat(views.views()).isNotEmpty();
        NodeProtocol.ViewRecord view = views.views().get(views.views().size() - 1);
        assertThat(view.leader()).isEqualTo(newLeader.index());
        assertThat(view.ballot().node()).isEqualTo(newLeader.index());
        assertThat(await(client().read(32)).balance()).isEqualTo(13);

        // The old leader comes back as a follower and catches up.
        client().setFailed(N1, false);
        Eventually.await(PATIENCE, "n1 catches up", () -> balanceAt(N1, 32) == 13 && balanceAt(N1, 30) == 9);
        assertThat(client().status(N1).role()).isEqualTo("FOLLOWER");
    }

    @Test
    void aRecoveredNodeCatchesUpToItsPeers() throws Exception {
        client().setFailed(N3, true);
        for (int i = 0; i < 20; i++) {
            assertThat(await(client().transfer(100 + i, 200 + i, 1 + i % 5)).status())
                    .isEqualTo(Outcome.Status.COMMITTED);
        }
        assertThat(balanceAt(N3, 200)).isEqualTo(10);
        client().setFailed(N3, false);
        long leaderApplied = client().status(N1).appliedSlot();
        Eventually.await(PATIENCE, "n3 applies what it missed", () -> client().status(N3).appliedSlot() >= leaderApplied);
        for (int i = 0; i < 20; i++) {
            List<Integer> items = List.of(100 + i, 200 + i);
            Map<Integer, Long> atLeader = client().balances(N1, items).balances();
            assertThat(client().balances(N3, items).balances()).isEqualTo(atLeader);
            assertThat(client().balances(N2, items).balances()).isEqualTo(atLeader);
        }
    }
}
