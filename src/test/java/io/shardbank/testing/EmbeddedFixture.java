package io.shardbank.testing;

import io.shardbank.client.ShardbankClient;
import io.shardbank.cluster.EmbeddedCluster;
import io.shardbank.config.Settings;
import io.shardbank.harness.ClusterControl;
import io.shardbank.harness.FailureMode;
import io.shardbank.harness.Harness;
import io.shardbank.model.NodeId;
import io.shardbank.model.Topology;
import io.shardbank.node.NodeProtocol;
import io.shardbank.shard.Outcome;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * The embedded cluster of a test: every node in this JVM on free loopback ports, its data in the
 * test's directory, and either a flushed client (the first node of each cluster leading) or a CSV
 * harness on top. Between tests, {@link #recoverAndFlush} and {@link #awaitLeader} give every test
 * the documented start; {@link #close} stops what was started, harness and client first.
 */
public final class EmbeddedFixture implements AutoCloseable {

    /** How long one operation of a test may take: the client's deadline and then some. */
    public static final Duration OPERATION_PATIENCE = Duration.ofSeconds(30);

    private final EmbeddedCluster cluster;
    private ShardbankClient client;
    private Harness harness;

    private EmbeddedFixture(EmbeddedCluster cluster) {
        this.cluster = cluster;
    }

    /** Starts every node of {@code settings} and connects a client, which flushes the cluster. */
    public static EmbeddedFixture withClient(Settings settings) {
        EmbeddedFixture fixture = new EmbeddedFixture(EmbeddedCluster.start(settings));
        try {
            fixture.client = ShardbankClient.connectFlushed(fixture.cluster);
        } catch (RuntimeException e) {
            fixture.close();
            throw e;
        }
        return fixture;
    }

    /**
     * Starts every node of {@code topology} (default settings otherwise, data in {@code dataDirectory})
     * under a harness whose failures act as {@code mode} says. Each set flushes first.
     */
    public static EmbeddedFixture withHarness(Path dataDirectory, Topology topology, FailureMode mode) {
        EmbeddedFixture fixture = new EmbeddedFixture(EmbeddedCluster.start(harnessSettings(dataDirectory, topology)));
        try {
            fixture.harness = Harness.start(ClusterControl.embedded(fixture.cluster, mode));
        } catch (RuntimeException e) {
            fixture.close();
            throw e;
        }
        return fixture;
    }

    /** The default settings with {@code topology}, free ports and a private data directory. */
    public static Settings harnessSettings(Path dataDirectory, Topology topology) {
        Settings defaults = Settings.defaults();
        Settings.Storage storage = defaults.storage();
        return defaults.withTopology(topology)
                .withStorage(new Settings.Storage(dataDirectory, storage.synchronous(),
                        storage.checkpointIntervalSlots(), storage.logRetainSlots()))
                .withNetwork(new Settings.Network("127.0.0.1", 0, Map.of()));
    }

    public EmbeddedCluster cluster() {
        return cluster;
    }

    public Settings settings() {
        return cluster.settings();
    }

    public ShardbankClient client() {
        if (client == null) {
            throw new IllegalStateException("this fixture runs a harness, not a client of its own");
        }
        return client;
    }

    public Harness harness() {
        if (harness == null) {
            throw new IllegalStateException("this fixture runs a client, not a harness");
        }
        return harness;
    }

    /** Every node recovered from a failure a test left, then flushed: initial balances, empty logs. */
    public void recoverAndFlush() {
        cluster.nodes().forEach(node -> client().setFailed(node, false));
        client().flushAll();
    }

    /** Waits until {@code node} leads its cluster. */
    public void awaitLeader(NodeId node, Duration patience) {
        Eventually.await(patience, node + " leads", () -> client().status(node).role().equals("LEADER"));
    }

    /** Waits until {@code node} leads its cluster and has heard from all {@code members} of it. */
    public void awaitLeaderInContact(NodeId node, int members, Duration patience) {
        Eventually.await(patience, node + " leads in touch with its cluster", () -> {
            NodeProtocol.Status status = client().status(node);
            return status.role().equals("LEADER") && status.inContact().size() == members;
        });
    }

    /** The outcome of an operation, waiting at most {@link #OPERATION_PATIENCE}. */
    public static Outcome await(CompletionStage<Outcome> outcome) throws Exception {
        return outcome.toCompletableFuture().get(OPERATION_PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        try {
            if (harness != null) {
                harness.close();
            }
            if (client != null) {
                client.close();
            }
        } finally {
            cluster.close();
        }
    }
}
