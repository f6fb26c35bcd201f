package io.shardbank.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.shardbank.client.ShardbankClient;
import io.shardbank.model.ClusterId;
import io.shardbank.model.NodeId;
import io.shardbank.node.NodeProtocol;
import io.shardbank.reshard.Move;
import io.shardbank.client.ReshardCoordinator;
import io.shardbank.shard.Outcome;
import io.shardbank.testing.Eventually;
import io.shardbank.testing.TestSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Resharding end to end on the embedded cluster: pairs of items that are always transferred
 * between two clusters are brought together by a reshard round (migrations through both clusters'
 * logs), transfers keep committing while it runs and afterwards (the client follows MOVED answers),
 * every item ends with exactly one owner, replicas agree, and no money is made or lost.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OnlineReshardTest {

    private static final Duration PATIENCE = Duration.ofSeconds(30);
    private static final int PAIRS = 40;

    @TempDir
    static Path dataDirectory;

    private EmbeddedCluster cluster;
    private ShardbankClient client;

    @BeforeAll
    void start() {
        cluster = EmbeddedCluster.start(TestSettings.embedded(dataDirectory));
        client = ShardbankClient.connectFlushed(cluster);
        for (int leader : new int[] {1, 4, 7}) {
            Eventually.await(PATIENCE, "n" + leader + " leads", () ->
                    client.status(new NodeId(leader)).role().equals("LEADER"));
        }
    }

    @AfterAll
    void stop() {
        client.close();
        cluster.close();
    }

    /** Pair i: item 1 + i of c1 and item 3001 + i of c2; pair PAIRS + i: 6001 + i of c3 and 101 + i of c1. */
    private static int[] pair(int i) {
        return i < PAIRS ? new int[] {1 + i, 3001 + i} : new int[] {6001 + i - PAIRS, 101 + i - PAIRS};
    }

    /** Rounds of one transfer within every pair, all pairs at once and one round after the other. */
    private List<Outcome> transferWithinPairs(int rounds) throws Exception {
        List<Outcome> done = new ArrayList<>();
        for (int round = 0; round < rounds; round++) {
            List<CompletableFuture<Outcome>> outcomes = new ArrayList<>();
            for (int i = 0; i < 2 * PAIRS; i++) {
                int[] items = pair(i);
                int from = round % 2 == 0 ? items[0] : items[1];
                int to = round % 2 == 0 ? items[1] : items[0];
                outcomes.add(client.transfer(from, to, 1).toCompletableFuture());
            }
            for (CompletableFuture<Outcome> outcome : outcomes) {
                done.add(outcome.get(60, TimeUnit.SECONDS));
            }
        }
        return done;
    }

    /** The cluster whose leader holds the item now. */
    private Map<Integer, ClusterId> owners(List<Integer> items) {
        Map<Integer, ClusterId> owners = new HashMap<>();
        for (NodeId node : cluster.nodes()) {
            if (client.status(node).role().equals("LEADER")) {
                client.balances(node, items).balances().keySet()
                        .forEach(item -> owners.merge(item, cluster.settings().topology().clusterOf(node), (a, b) -> {
                            throw new AssertionError("item " + item + " owned by " + a + " and " + b);
                        }));
            }
        }
        return owners;
    }

    @Test
    void pairsTransferredAcrossClustersEndUpTogether() throws Exception {
        assertThat(transferWithinPairs(3)).allSatisfy(o -> assertThat(o.status()).isEqualTo(Outcome.Status.COMMITTED));

        CompletableFuture<ReshardCoordinator.Report> round = client.reshard().toCompletableFuture();
        List<Outcome> during = transferWithinPairs(2); // under way while the items move
        ReshardCoordinator.Report report = round.get(120, TimeUnit.SECONDS);

        assertThat(report.ok()).as(report.summary()).isTrue();
        assertThat(report.givenUp()).as(report.reasons().toString()).isEmpty();
        assertThat(report.moved()).hasSizeGreaterThanOrEqualTo(2 * PAIRS).hasSizeLessThanOrEqualTo(2 * PAIRS + 20);
        assertThat(report.plan().cutAfter()).isZero();
        assertThat(during).allSatisfy(o -> assertThat(o.status()).as(o.toString()).isEqualTo(Outcome.Status.COMMITTED));

        List<Integer> paired = IntStream.range(0, 2 * PAIRS).boxed().flatMap(i -> IntStream.of(pair(i)).boxed())
                .toList();
        Map<Integer, ClusterId> owners = owners(paired);
        assertThat(owners).hasSize(paired.size());
        for (int i = 0; i < 2 * PAIRS; i++) {
            int[] items = pair(i);
            assertThat(owners.get(items[0])).as("pair %s", List.of(items[0], items[1])).isEqualTo(owners.get(items[1]));
        }
        for (Move move : report.moved()) {
            assertThat(owners(List.of(move.item())).get(move.item())).isEqualTo(move.to());
        }

        assertThat(transferWithinPairs(2)).allSatisfy(o -> assertThat(o.status()).isEqualTo(Outcome.Status.COMMITTED));
        assertMoneyConservedAndReplicasAgree();
    }

    private void assertMoneyConservedAndReplicasAgree() {
        List<Integer> all = IntStream.rangeClosed(1, cluster.settings().topology().itemCount()).boxed().toList();
        Eventually.await(PATIENCE, "every replica holds the same balances and no lock", () -> {
            for (ClusterId c : cluster.settings().topology().allClusters()) {
                Map<Integer, Long> first = null;
                for (NodeId node : cluster.settings().topology().nodesOf(c)) {
                    NodeProtocol.Status status = client.status(node);
                    Map<Integer, Long> balances = client.balances(node, all).balances();
                    if (status.locks() != 0 || status.transactions() != 0 || first != null && !first.equals(balances)) {
                        return false;
                    }
                    first = balances;
                }
            }
            return true;
        });
        long total = 0;
        int owned = 0;
        for (ClusterId c : cluster.settings().topology().allClusters()) {
            Map<Integer, Long> balances = client.balances(cluster.settings().topology().nodesOf(c).get(0), all)
                    .balances();
            owned += balances.size();
            total += balances.values().stream().mapToLong(Long::longValue).sum();
        }
        assertThat(owned).as("items owned, over all clusters").isEqualTo(all.size());
        assertThat(total).isEqualTo(10L * all.size());
    }
}
