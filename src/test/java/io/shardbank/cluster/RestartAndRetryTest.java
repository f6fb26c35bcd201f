package io.shardbank.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.shardbank.client.ShardbankClient;
import io.shardbank.model.NodeId;
import io.shardbank.node.NodeActor;
import io.shardbank.node.NodeProtocol.ClientReply;
import io.shardbank.node.NodeProtocol;
import io.shardbank.shard.Operation;
import io.shardbank.shard.Outcome;
import io.shardbank.testing.EmbeddedFixture;
import io.shardbank.testing.Eventually;
import io.shardbank.testing.TestSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorRefResolver;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Durability across a restart of every node, and exactly-once application of retried requests. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RestartAndRetryTest {

    private static final Duration PATIENCE = Duration.ofSeconds(30);

    @RegisterExtension
    static final EmbeddedFixture FIXTURE = EmbeddedFixture.perClassWithClient(TestSettings::embedded);

    private ActorTestKit testKit;

    @BeforeAll
    void start() {
        testKit = ActorTestKit.create("shardbank", NodeSystem.remotingConfig("127.0.0.1", 0));
    }

    @AfterAll
    void stop() {
        testKit.shutdownTestKit();
    }

    private EmbeddedCluster cluster() {
        return FIXTURE.cluster();
    }

    private ShardbankClient client() {
        return FIXTURE.client();
    }

    private ActorRef<NodeActor.Command> node(NodeId node) {
        return ActorRefResolver.get(testKit.system())
                .resolveActorRef(NodeSystem.pathOf(cluster().settings(), node));
    }

    @Test
    void everyNodeRestartedFromSqliteHasTheSameBalancesAndAppliedSlot() throws Exception {
        client().flushAll();
        for (int i = 0; i < 30; i++) {
            int base = 1 + (i % 3) * 3000;
            Outcome outcome = client().transfer(base + i, base + 100 + i, 1 + i % 4).toCompletableFuture()
                    .get(30, TimeUnit.SECONDS);
            assertThat(outcome.status()).as("%s", outcome).isEqualTo(Outcome.Status.COMMITTED);
        }
        List<Integer> items = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            int base = 1 + (i % 3) * 3000;
            items.add(base + i);
            items.add(base + 100 + i);
        }
        Map<NodeId, Long> appliedBefore = new HashMap<>();
        Map<NodeId, Map<Integer, Long>> balancesBefore = new HashMap<>();
        for (NodeId node : cluster().nodes()) {
            long leaderApplied = client().status(cluster().settings().topology().initialLeader(
                    cluster().settings().topology().clusterOf(node))).appliedSlot();
            Eventually.await(PATIENCE, node + " applies everything", () -> client().status(node).appliedSlot() >= leaderApplied);
            appliedBefore.put(node, client().status(node).appliedSlot());
            balancesBefore.put(node, client().balances(node, items).balances());
        }

        for (NodeId node : cluster().nodes()) {
            cluster().stop(node);
        }
        for (NodeId node : List.copyOf(appliedBefore.keySet())) {
            cluster().restart(node);
        }

        long restartedAt = System.nanoTime();
        for (NodeId node : appliedBefore.keySet()) {
            Eventually.await(PATIENCE, node + " answers after restart",
                    () -> !client().status(node).role().equals("LOADING"));
            System.out.println(node + " answered " + (System.nanoTime() - restartedAt) / 1_000_000 + " ms after restart");
            assertThat(client().status(node).appliedSlot()).as("applied slot of %s", node)
                    .isGreaterThanOrEqualTo(appliedBefore.get(node));
            assertThat(client().balances(node, items).balances()).as("balances of %s", node)
                    .isEqualTo(balancesBefore.get(node));
        }
        // And the restarted clusters keep working.
        assertThat(client().transfer(1, 2, 1).toCompletableFuture().get(30, TimeUnit.SECONDS).status())
                .isEqualTo(Outcome.Status.COMMITTED);
    }

    @Test
    void aRetriedRequestAppliesOnceEvenAtANewLeader() throws Exception {
        client().flushAll();
        Eventually.await(PATIENCE, "n1 leads", () -> client().status(new NodeId(1)).role().equals("LEADER"));
        TestProbe<ClientReply> probe = testKit.createTestProbe(ClientReply.class);
        long clientId = 4242;
        NodeProtocol.ClientRequest request = new NodeProtocol.ClientRequest(clientId,
                List.of(new Operation.Transfer(1, 40, 41, 3)), probe.getRef());

        node(new NodeId(1)).tell(request);
        assertThat(probe.expectMessageClass(ClientReply.class, PATIENCE).outcomes())
                .extracting(Outcome::status).containsExactly(Outcome.Status.COMMITTED);
        node(new NodeId(1)).tell(request);
        assertThat(probe.expectMessageClass(ClientReply.class, PATIENCE).outcomes())
                .extracting(Outcome::status).containsExactly(Outcome.Status.COMMITTED);

        client().setFailed(new NodeId(1), true);
        Eventually.await(PATIENCE, "a new leader in c1", () -> client().status(new NodeId(2)).role().equals("LEADER")
                || client().status(new NodeId(3)).role().equals("LEADER"));
        NodeId newLeader = client().status(new NodeId(2)).role().equals("LEADER") ? new NodeId(2) : new NodeId(3);
        node(newLeader).tell(request);
        assertThat(probe.expectMessageClass(ClientReply.class, PATIENCE).outcomes())
                .extracting(Outcome::status).containsExactly(Outcome.Status.COMMITTED);

        Outcome read = client().read(40).toCompletableFuture().get(30, TimeUnit.SECONDS);
        assertThat(read.balance()).isEqualTo(7);
        assertThat(client().read(41).toCompletableFuture().get(30, TimeUnit.SECONDS).balance()).isEqualTo(13);
        client().setFailed(new NodeId(1), false);
    }
}
