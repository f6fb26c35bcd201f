package io.shardbank.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.shardbank.config.Settings;
import io.shardbank.model.NodeId;
import io.shardbank.node.NodeActor;
import io.shardbank.node.NodeProtocol;
import io.shardbank.testing.Eventually;
import io.shardbank.testing.TestSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorRefResolver;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.eventstream.EventStream;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.remote.artery.GracefulShutdownQuarantinedEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node that stops gracefully announces it, and every system associated with it quarantines its
 * incarnation; Artery then drops all messages to that address, also once a new incarnation listens
 * there. These tests pin that behaviour down and show that the {@link PeerReconnector} lifts it.
 */
class PeerReconnectorTest {

    private static final NodeId NODE = new NodeId(1);

    @TempDir
    Path dataDirectory;

    private final List<ActorSystem<?>> systems = new ArrayList<>();
    private NodeSystem node;

    @AfterEach
    void stopEverything() {
        systems.forEach(ActorSystem::terminate);
        if (node != null) {
            node.close();
        }
    }

    @Test
    void aLongLivedSystemReachesANodeRestartedAfterItQuarantinedTheOldIncarnation() throws Exception {
        Settings settings = settingsWithFreePorts();
        node = NodeSystem.start(NODE, settings);
        ActorSystem<Void> withReconnector = longLivedSystem();
        PeerReconnector.install(withReconnector, settings);
        ActorSystem<Void> withoutReconnector = longLivedSystem();
        for (ActorSystem<Void> system : List.of(withReconnector, withoutReconnector)) {
            assertThat(status(system, settings, Duration.ofSeconds(10)).node()).isEqualTo(1);
        }
        List<TestProbe<GracefulShutdownQuarantinedEvent>> quarantines = List.of(
                quarantineProbe(withReconnector), quarantineProbe(withoutReconnector));

        node.close();
        quarantines.forEach(probe -> probe.expectMessageClass(GracefulShutdownQuarantinedEvent.class,
                Duration.ofSeconds(10)));
        node = NodeSystem.start(NODE, settings);

        Eventually.await(Duration.ofSeconds(20), "the reconnecting system reaches the restarted node",
                () -> reaches(withReconnector, settings));
        // Without it, the quarantine of the old incarnation blocks the address for good.
        assertThatThrownBy(() -> status(withoutReconnector, settings, Duration.ofSeconds(2)))
                .hasRootCauseInstanceOf(TimeoutException.class);
    }

    private Settings settingsWithFreePorts() {
        Settings settings = TestSettings.embedded(dataDirectory);
        int base = EmbeddedCluster.freePortBlock("127.0.0.1", settings.topology().nodeCount());
        return settings.withNetwork(new Settings.Network("127.0.0.1", base, Map.of()));
    }

    /**
     * A system that stops its streams to a quarantined peer at once instead of after 3 s idle:
     * until they stop, their reconnection attempts can still pick up a quickly restarted node, and
     * this test must not depend on how fast the node restarts.
     */
    private ActorSystem<Void> longLivedSystem() {
        Config config = ConfigFactory.parseString("pekko.remote.artery.advanced.stop-quarantined-after-idle = 1 ms")
                .withFallback(NodeSystem.remotingConfig("127.0.0.1", 0));
        ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), NodeSystem.SYSTEM_NAME, config);
        systems.add(system);
        return system;
    }

    private static TestProbe<GracefulShutdownQuarantinedEvent> quarantineProbe(ActorSystem<Void> system) {
        TestProbe<GracefulShutdownQuarantinedEvent> probe = TestProbe.create(system);
        system.eventStream().tell(new EventStream.Subscribe<>(GracefulShutdownQuarantinedEvent.class, probe.getRef()));
        return probe;
    }

    private static boolean reaches(ActorSystem<Void> system, Settings settings) {
        try {
            return status(system, settings, Duration.ofSeconds(1)).node() == NODE.index();
        } catch (Exception e) {
            return false;
        }
    }

    private static NodeProtocol.Status status(ActorSystem<Void> system, Settings settings, Duration timeout)
            throws Exception {
        ActorRef<NodeActor.Command> ref = ActorRefResolver.get(system).resolveActorRef(NodeSystem.pathOf(settings, NODE));
        CompletableFuture<NodeProtocol.Status> status = AskPattern.<NodeActor.Command, NodeProtocol.Status>ask(ref,
                NodeProtocol.GetStatus::new, timeout, system.scheduler()).toCompletableFuture();
        return status.get(timeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
    }
}
