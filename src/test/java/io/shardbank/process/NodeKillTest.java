package io.shardbank.process;

import static org.assertj.core.api.Assertions.assertThat;

import io.shardbank.client.ShardbankClient;
import io.shardbank.model.ClusterId;
import io.shardbank.model.NodeId;
import io.shardbank.model.Topology;
import io.shardbank.node.NodeProtocol;
import io.shardbank.shard.Outcome;
import io.shardbank.testing.Eventually;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * One JVM per node, started with the scripts. Under a stream of transfers, one node of c1 is
 * killed with SIGKILL and started again from its SQLite file: first a follower, then the leader.
 * Afterwards every replica of c1 (and of c2, which ran transfers alongside) holds the same
 * balances, money is conserved, and every transfer the client saw committed is applied.
 */
@Tag("process")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class NodeKillTest {

    private static final Duration PATIENCE = Duration.ofSeconds(30);
    /** c1, where nodes are killed, and c2, which runs transfers alongside; a third would only add load. */
    private static final int CLUSTERS = 2;
    private static final ClusterId C1 = new ClusterId(1);
    private static final ClusterId C2 = new ClusterId(2);
    /** Transfers that must commit in each stretch: before the kill, while the node is down, after its restart. */
    private static final int COMMITS_PER_STRETCH = 30;

    /** Kept when a test fails: it holds every node's log. */
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    static Path runDirectory;

    private ProcessCluster cluster;
    private ShardbankClient client;
    private Topology topology;

    @BeforeAll
    void startCluster() {
        log("starting the node processes of " + CLUSTERS + " clusters");
        cluster = ProcessCluster.start(runDirectory, CLUSTERS, null, List.of());
        client = cluster.client();
        topology = cluster.topology();
        log("all listen at base port " + cluster.settings().network().basePort() + "; the client is connected");
    }

    @AfterAll
    void stopCluster() {
        log("stopping the node processes");
        if (cluster != null) {
            cluster.close();
            log("stopped");
        }
    }

    @Test
    @Order(1)
    void aFollowerKilledUnderLoadCatchesUpAndLosesNothing() throws Exception {
        killAndRestartUnderLoad(node -> node.index() == 3);
    }

    @Test
    @Order(2)
    void theLeaderKilledUnderLoadLosesNoAcknowledgedTransfer() throws Exception {
        killAndRestartUnderLoad(this::leads);
    }

    private void killAndRestartUnderLoad(Predicate<NodeId> victimChoice) throws Exception {
        cluster.flushUntilLeading(PATIENCE, List.of(new NodeId(1)));
        NodeId victim = topology.nodesOf(C1).stream().filter(victimChoice).findFirst().orElseThrow();
        int[] c1Items = itemRange(C1);
        int[] c2Items = itemRange(C2);
        TransferStream c1 = TransferStream.start(client, c1Items[0], c1Items[1], 8);
        TransferStream c2 = TransferStream.start(client, c2Items[0], c2Items[0] + 399, 1);

        awaitCommits(c1, COMMITS_PER_STRETCH, "before the kill", null);
        log("killing " + victim);
        cluster.kill(victim);
        log("killed " + victim);
        awaitCommits(c1, COMMITS_PER_STRETCH, "while " + victim + " is down", victim);
        cluster.restart(victim);
        log("restarted " + victim);
        awaitCommits(c1, COMMITS_PER_STRETCH, "after " + victim + " restarted", null);
        c1.stop();
        c2.stop();

        log("stopped the transfers: c1 " + c1 + ", c2 " + c2);
        checkReplicas(C1, c1);
        checkReplicas(C2, c2);
        log("checked every replica of c1 and c2");
    }

    private void awaitCommits(TransferStream stream, int count, String when, NodeId down) {
        int target = stream.committed() + count;
        Eventually.await(PATIENCE, count + " transfers commit in c1 " + when,
                () -> stream.committed() >= target || stream.exhausted());
        assertThat(stream.committed()).as("transfers committed in c1 %s (the stream ran out)", when)
                .isGreaterThanOrEqualTo(target);
        log(count + " more transfers committed in c1 " + when + " (" + stream + "); " + rolesInC1(down));
    }

    private String rolesInC1(NodeId down) {
        List<String> roles = new ArrayList<>();
        for (NodeId node : topology.nodesOf(C1)) {
            if (node.equals(down)) {
                roles.add(node + " down");
                continue;
            }
            try {
                NodeProtocol.Status status = client.status(node);
                roles.add(node + " " + status.role() + " " + status.ballot() + " applied " + status.appliedSlot());
            } catch (IllegalStateException e) {
                roles.add(node + " silent");
            }
        }
        return String.join(", ", roles);
    }

    private void log(String event) {
        System.out.printf("%tT.%<tL %s%n", System.currentTimeMillis(), event);
    }

    /** Waits until every replica of the cluster applied the same slots, then checks their balances. */
    private void checkReplicas(ClusterId cluster, TransferStream stream) {
        List<Integer> items = new ArrayList<>();
        stream.pairs().forEach(pair -> {
            items.add(pair.first);
            items.add(pair.second);
        });
        List<NodeId> replicas = topology.nodesOf(cluster);
        Eventually.await(PATIENCE, "every replica of " + cluster + " applied the same slots and holds the same balances",
                () -> {
                    long applied = client.status(replicas.get(0)).appliedSlot();
                    Map<Integer, Long> first = client.balances(replicas.get(0), items).balances();
                    return replicas.stream().allMatch(node -> client.status(node).appliedSlot() == applied
                            && client.balances(node, items).balances().equals(first));
                });
        Map<Integer, Long> balances = client.balances(replicas.get(0), items).balances();
        assertThat(balances.values().stream().mapToLong(Long::longValue).sum()).as("money in %s", cluster)
                .isEqualTo(topology.initialBalance() * items.size());
        stream.pairs().forEach(pair -> pair.check(balances, topology.initialBalance()));
        // Funds always suffice and no two transfers in flight share an item: nothing can abort.
        assertThat(stream.count(Outcome.Status.ABORTED) + stream.count(Outcome.Status.REJECTED))
                .as("transfers aborted or rejected in %s: %s", cluster, stream).isZero();
    }

    private boolean leads(NodeId node) {
        return client.status(node).role().equals("LEADER");
    }

    /** The first and last item of the cluster's initial shard. */
    private int[] itemRange(ClusterId cluster) {
        int perCluster = topology.itemCount() / topology.clusterCount();
        int first = (cluster.index() - 1) * perCluster + 1;
        return new int[] {first, first + perCluster - 1};
    }
}
