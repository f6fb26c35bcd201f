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
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The embedded cluster of a test: every node in this JVM on free loopback ports, its data in a
 * directory of the test's, and either a flushed client (the first node of each cluster leading) or
 * a CSV harness on top. A test class shares one through {@code @RegisterExtension} ({@link
 * #perClassWithClient}, {@link #perClassWithHarness}: started before the class's first test, in a
 * temporary directory, stopped and deleted after its last); a single test starts one with {@link
 * #withClient} or {@link #withHarness} in a try-with-resources. Between tests, {@link
 * #recoverAndFlush} and {@link #awaitLeader} give every test the documented start; {@link #close}
 * stops what was started, harness and client first.
 */
public final class EmbeddedFixture implements AutoCloseable, BeforeAllCallback, AfterAllCallback {

    /** How long one operation of a test may take: the client's deadline and then some. */
    public static final Duration OPERATION_PATIENCE = Duration.ofSeconds(30);

    /** The settings of the cluster, given the directory for its data. */
    private final Function<Path, Settings> settingsOf;
    /** How the harness fails nodes; null for a fixture with a client instead. */
    private final FailureMode harnessMode;
    /** The temporary data directory of a per-class fixture; null otherwise. */
    private Path ownDirectory;
    private EmbeddedCluster cluster;
    private ShardbankClient client;
    private Harness harness;

    private EmbeddedFixture(Function<Path, Settings> settingsOf, FailureMode harnessMode) {
        this.settingsOf = settingsOf;
        this.harnessMode = harnessMode;
    }

    /** A fixture for {@code @RegisterExtension}: a cluster of {@code settingsOf} with a flushed client. */
    public static EmbeddedFixture perClassWithClient(Function<Path, Settings> settingsOf) {
        return new EmbeddedFixture(settingsOf, null);
    }

    /** A fixture for {@code @RegisterExtension}: a cluster of {@code topology} under a harness. */
    public static EmbeddedFixture perClassWithHarness(Topology topology, FailureMode mode) {
        return new EmbeddedFixture(directory -> harnessSettings(directory, topology), mode);
    }

    /** Starts every node of {@code settings} and connects a client, which flushes the cluster. */
    public static EmbeddedFixture withClient(Settings settings) {
        EmbeddedFixture fixture = new EmbeddedFixture(directory -> settings, null);
        fixture.start(settings.storage().dataDirectory());
        return fixture;
    }

    /**
     * Starts every node of {@code topology} (default settings otherwise, data in {@code dataDirectory})
     * under a harness whose failures act as {@code mode} says. Each set flushes first.
     */
    public static EmbeddedFixture withHarness(Path dataDirectory, Topology topology, FailureMode mode) {
        EmbeddedFixture fixture = perClassWithHarness(topology, mode);
        fixture.start(dataDirectory);
        return fixture;
    }

    private void start(Path dataDirectory) {
        cluster = EmbeddedCluster.start(settingsOf.apply(dataDirectory));
        try {
            if (harnessMode == null) {
                client = ShardbankClient.connectFlushed(cluster);
            } else {
                harness = Harness.start(ClusterControl.embedded(cluster, harnessMode));
            }
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        ownDirectory = Files.createTempDirectory("shardbank-" + context.getRequiredTestClass().getSimpleName() + "-");
        start(ownDirectory);
    }

    @Override
    public void afterAll(ExtensionContext context) throws IOException {
        try {
            close();
        } finally {
            deleteTree(ownDirectory);
        }
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> {
                try {
                    Files.delete(path);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
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
            harness = null;
            client = null;
            if (cluster != null) {
                cluster.close();
                cluster = null;
            }
        }
    }
}
