package io.shardbank.process;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.shardbank.client.ShardbankClient;
import io.shardbank.model.ClusterId;
import io.shardbank.model.NodeId;
import io.shardbank.model.Topology;
import io.shardbank.shard.Outcome;
import io.shardbank.testing.Eventually;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
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
 * Garbage, oversized frames and idle connections sent to the cluster (Artery) port of a node that
 * runs as its own JVM with a small heap (192 MiB), the leader of c1. After each attack that node's
 * process is still running and answering, it closed the offending connection, and the cluster
 * commits intra- and cross-cluster transfers whose balances every read and the attacked replica
 * show: no money appears or disappears.
 *
 * <p>Against Pekko 1.7.0's Artery alone (the guard switched off) a declared length of 1 GiB followed
 * by about 64 MiB of bytes kills such a node with an OutOfMemoryError, a declared length of 2^31-1
 * or -4 keeps it spinning with the connection open, and idle connections are held for good; see
 * README, Robustness.
 */
@Tag("process")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterPortGarbageTest {

    private static final Duration PATIENCE = Duration.ofSeconds(30);
    private static final int CLUSTERS = 2;
    private static final ClusterId C1 = new ClusterId(1);
    private static final ClusterId C2 = new ClusterId(2);
    /** The attacked node: the leader of c1 after a flush. */
    private static final NodeId TARGET = new NodeId(1);
    /** The guard's frame timeout for these nodes, shorter than the default so that idle connections end soon. */
    private static final Duration FRAME_TIMEOUT = Duration.ofSeconds(2);
    /** How soon the node must close a connection that broke the framing: at once, on a busy machine. */
    private static final Duration PROMPTLY = Duration.ofSeconds(10);
    private static final long MIB = 1024 * 1024;
    private static final long SEED = 20240611L;

    /** Kept when a test fails: it holds every node's log. */
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    static Path runDirectory;

    private ProcessCluster cluster;
    private ShardbankClient client;
    private Topology topology;
    private String host;
    private int targetPort;
    private int frameSizeMax;
    private int largeFrameSizeMax;
    /** The balance every item touched so far must have. */
    private final Map<Integer, Long> expected = new LinkedHashMap<>();
    private int rounds;

    @BeforeAll
    void startCluster() throws Exception {
        Config artery = ConfigFactory.load().getConfig("pekko.remote.artery.advanced");
        frameSizeMax = (int) artery.getBytes("maximum-frame-size").longValue();
        largeFrameSizeMax = (int) artery.getBytes("maximum-large-frame-size").longValue();
        cluster = ProcessCluster.start(runDirectory, CLUSTERS, null,
                List.of("-Dshardbank.remoting.inbound-guard.frame-timeout=" + FRAME_TIMEOUT.toMillis() + "ms"));
        client = cluster.client();
        topology = cluster.topology();
        host = ProcessCluster.HOST;
        targetPort = cluster.portOf(TARGET);
        cluster.flushUntilLeading(PATIENCE, List.of(TARGET));
        assertClusterServes("the start");
    }

    @AfterAll
    void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    @Order(1)
    void randomGarbageIsRefused() throws Exception {
        SplittableRandom random = new SplittableRandom(SEED);
        byte[] garbage = new byte[256 * 1024];
        random.nextBytes(garbage);
        garbage[0] = 0; // not a magic
        try (RawConnection connection = open()) {
            connection.write(garbage);
            assertThat(connection.awaitClosedByNode(PROMPTLY)).as("garbage connection closed").isTrue();
        }
        // A valid header followed by garbage: the first length is random.
        byte[] lengthGarbage = new byte[64 * 1024];
        random.nextBytes(lengthGarbage);
        lengthGarbage[3] = (byte) 0x80; // a negative length
        try (RawConnection connection = open()) {
            connection.write(concat(RawConnection.connectionHeader(RawConnection.ORDINARY_STREAM), lengthGarbage));
            assertThat(connection.awaitClosedByNode(PROMPTLY)).as("header-then-garbage connection closed").isTrue();
        }
        assertClusterServes("random garbage");
    }

    @Test
    @Order(2)
    void aDeclaredLengthOfTwoGibibytesThenATrickleIsRefused() throws Exception {
        for (int streamId : new int[] {RawConnection.CONTROL_STREAM, RawConnection.ORDINARY_STREAM,
                RawConnection.LARGE_STREAM}) {
            try (RawConnection connection = open()) {
                connection.write(concat(RawConnection.connectionHeader(streamId),
                        RawConnection.frameLength(Integer.MAX_VALUE)));
                assertThat(trickleUntilClosed(connection, PROMPTLY))
                        .as("a frame of 2^31-1 bytes on stream %d is refused", streamId).isTrue();
            }
        }
        assertClusterServes("declared lengths of 2 GiB - 1 and a trickle");
    }

    @Test
    @Order(3)
    void negativeDeclaredLengthsAreRefused() throws Exception {
        for (int length : new int[] {-1, -4, Integer.MIN_VALUE}) {
            try (RawConnection connection = open()) {
                connection.write(concat(RawConnection.connectionHeader(RawConnection.ORDINARY_STREAM),
                        RawConnection.frameLength(length)));
                assertThat(trickleUntilClosed(connection, PROMPTLY))
                        .as("a frame of %d bytes is refused", length).isTrue();
            }
        }
        assertClusterServes("negative declared lengths");
    }

    @Test
    @Order(4)
    void aDeclaredGibibyteStreamedInFullDoesNotExhaustTheHeap() throws Exception {
        long offered = 512 * MIB;
        long accepted;
        try (RawConnection connection = open()) {
            connection.write(concat(RawConnection.connectionHeader(RawConnection.ORDINARY_STREAM),
                    RawConnection.frameLength(1 << 30)));
            accepted = connection.writeFiller(offered);
            assertThat(connection.awaitClosedByNode(PROMPTLY)).as("connection closed").isTrue();
        }
        log("a declared 1 GiB frame: the node took " + accepted / MIB + " MiB of " + offered / MIB + " MiB offered");
        assertThat(accepted).as("bytes the node took of a declared 1 GiB frame").isLessThan(offered);
        assertClusterServes("a declared 1 GiB frame streamed");
    }

    @Test
    @Order(5)
    void framesJustOverTheMaximumWithRealBytesAreRefused() throws Exception {
        List<RawConnection> connections = new ArrayList<>();
        try {
            List<CompletableFuture<Boolean>> refused = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                boolean large = i == 0;
                int length = (large ? largeFrameSizeMax : frameSizeMax) + 1;
                RawConnection connection = open();
                connections.add(connection);
                byte[] header = concat(RawConnection.connectionHeader(
                        large ? RawConnection.LARGE_STREAM : RawConnection.ORDINARY_STREAM),
                        RawConnection.frameLength(length));
                refused.add(CompletableFuture.supplyAsync(() -> {
                    connection.write(header);
                    connection.writeFiller(length);
                    return connection.awaitClosedByNode(PROMPTLY);
                }));
            }
            for (CompletableFuture<Boolean> closed : refused) {
                assertThat(closed.get(PROMPTLY.toSeconds() * 3, TimeUnit.SECONDS))
                        .as("an oversized frame's connection closed").isTrue();
            }
        } finally {
            connections.forEach(RawConnection::close);
        }
        assertClusterServes("frames over the maximum frame size");
    }

    @Test
    @Order(6)
    void connectionsHeldOpenWithoutSendingEndAfterTheFrameTimeout() throws Exception {
        try (RawConnection silent = open();
                RawConnection headerOnly = open();
                RawConnection halfFrame = open()) {
            headerOnly.write(RawConnection.connectionHeader(RawConnection.ORDINARY_STREAM));
            halfFrame.write(concat(RawConnection.connectionHeader(RawConnection.ORDINARY_STREAM),
                    RawConnection.frameLength(1000), new byte[400]));
            assertClusterServes("three connections held open");
            Duration limit = FRAME_TIMEOUT.plus(PROMPTLY);
            assertThat(silent.awaitClosedByNode(limit)).as("silent connection closed").isTrue();
            assertThat(headerOnly.awaitClosedByNode(limit)).as("header-only connection closed").isTrue();
            assertThat(halfFrame.awaitClosedByNode(limit)).as("half-frame connection closed").isTrue();
        }
        assertClusterServes("connections held open");
    }

    @Test
    @Order(7)
    void manyConnectionsAtOnceDoNotStopTheNode() throws Exception {
        int count = 600;
        List<RawConnection> connections = new ArrayList<>();
        try {
            for (int i = 0; i < count; i++) {
                RawConnection connection;
                try {
                    connection = open();
                } catch (IOException e) {
                    break; // the node's backlog is full for now: enough connections
                }
                connections.add(connection);
                if (i % 2 == 1) {
                    connection.write(concat(RawConnection.connectionHeader(RawConnection.ORDINARY_STREAM),
                            RawConnection.frameLength(frameSizeMax), new byte[1024]));
                }
            }
            log("opened " + connections.size() + " connections to " + TARGET);
            assertThat(connections.size()).as("connections opened").isGreaterThan(count / 2);
            assertClusterServes(connections.size() + " connections open");
            Duration limit = FRAME_TIMEOUT.plus(PROMPTLY);
            Eventually.await(limit.plus(PROMPTLY), "the node closed every one of them",
                    () -> connections.stream().allMatch(c -> c.awaitClosedByNode(Duration.ofMillis(1))));
        } finally {
            connections.forEach(RawConnection::close);
        }
        assertClusterServes("many connections");
    }

    @Test
    @Order(8)
    void aHalfWrittenFrameThenCloseLosesNothing() throws Exception {
        for (int streamId : new int[] {RawConnection.CONTROL_STREAM, RawConnection.ORDINARY_STREAM}) {
            try (RawConnection connection = open()) {
                connection.write(concat(RawConnection.connectionHeader(streamId), RawConnection.frameLength(2000),
                        new byte[1000]));
            }
        }
        try (RawConnection connection = open()) {
            connection.write(new byte[] {'A', 'K'}); // half a header
        }
        assertClusterServes("half-written frames");
    }

    // ------------------------------------------------------------------------------------------

    private RawConnection open() throws IOException {
        return RawConnection.open(host, targetPort);
    }

    /** Sends one byte at a time while the connection lasts; returns whether the node closed it in time. */
    private static boolean trickleUntilClosed(RawConnection connection, Duration limit) {
        long deadline = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < deadline) {
            if (!connection.write(new byte[] {0x7f})) {
                return true;
            }
            if (connection.awaitClosedByNode(Duration.ofMillis(100))) {
                return true;
            }
        }
        return false;
    }

    /**
     * The attacked node runs and answers, and the cluster commits transfers (within c1, within c2
     * and from c1 to c2) whose effect every read and the attacked replica show; the money over every
     * item touched so far is what it was.
     */
    private void assertClusterServes(String after) throws Exception {
        assertThat(cluster.isRunning(TARGET)).as("%s is running after %s", TARGET, after).isTrue();
        Eventually.await(PATIENCE, TARGET + " answers after " + after, () -> client.status(TARGET) != null);
        // Reads may be retried at will: they show that both clusters decide again before any
        // transfer, whose outcome must then be known, is sent.
        Eventually.await(PATIENCE, "c1 and c2 serve reads after " + after,
                () -> readsOk(firstItemOf(C1)) && readsOk(firstItemOf(C2)));
        int round = rounds++;
        int c1 = firstItemOf(C1) + 10 * round;
        int c2 = firstItemOf(C2) + 10 * round;
        List<int[]> transfers = List.of(new int[] {c1, c1 + 1, 3}, new int[] {c1 + 2, c1 + 3, 2},
                new int[] {c1 + 4, c2, 4}, new int[] {c2 + 1, c2 + 2, 1});
        List<CompletableFuture<Outcome>> outcomes = new ArrayList<>();
        for (int[] transfer : transfers) {
            outcomes.add(client.transfer(transfer[0], transfer[1], transfer[2]).toCompletableFuture());
        }
        for (int i = 0; i < transfers.size(); i++) {
            int[] transfer = transfers.get(i);
            Outcome outcome = outcomes.get(i).get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
            assertThat(outcome.status()).as("transfer %d -> %d after %s: %s", transfer[0], transfer[1], after, outcome)
                    .isEqualTo(Outcome.Status.COMMITTED);
            expected.merge(transfer[0], topology.initialBalance() - transfer[2], (old, x) -> old - transfer[2]);
            expected.merge(transfer[1], topology.initialBalance() + transfer[2], (old, x) -> old + transfer[2]);
        }
        long total = 0;
        for (Map.Entry<Integer, Long> item : expected.entrySet()) {
            Outcome read = client.read(item.getKey()).toCompletableFuture().get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
            assertThat(read.status()).as("read of %d after %s: %s", item.getKey(), after, read)
                    .isEqualTo(Outcome.Status.OK);
            assertThat(read.balance()).as("balance of %d after %s", item.getKey(), after).isEqualTo(item.getValue());
            total += read.balance();
        }
        assertThat(total).as("money over the items touched, after %s", after)
                .isEqualTo(topology.initialBalance() * expected.size());
        List<Integer> c1Items = expected.keySet().stream().filter(item -> topology.initialShardMap().owns(C1, item))
                .toList();
        Eventually.await(PATIENCE, TARGET + " applied every transfer of c1 after " + after,
                () -> client.balances(TARGET, c1Items).balances().entrySet().stream()
                        .allMatch(e -> e.getValue().equals(expected.get(e.getKey()))));
    }

    private boolean readsOk(int item) {
        return client.read(item).toCompletableFuture().join().status() == Outcome.Status.OK;
    }

    private int firstItemOf(ClusterId clusterId) {
        return (clusterId.index() - 1) * (topology.itemCount() / topology.clusterCount()) + 1;
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    private static void log(String event) {
        System.out.printf("%tT.%<tL %s%n", System.currentTimeMillis(), event);
    }
}
