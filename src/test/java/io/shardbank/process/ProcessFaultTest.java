package io.shardbank.process;

import static org.assertj.core.api.Assertions.assertThat;

import io.shardbank.client.ShardbankClient;
import io.shardbank.config.Settings;
import io.shardbank.model.ClusterId;
import io.shardbank.model.NodeId;
import io.shardbank.model.RequestId;
import io.shardbank.model.ShardMap;
import io.shardbank.node.FailPoint;
import io.shardbank.node.Failpoints;
import io.shardbank.node.NodeProtocol;
import io.shardbank.paxos.Ballot;
import io.shardbank.paxos.SlotValue;
import io.shardbank.process.ReplicaFile.Step;
import io.shardbank.process.ReplicaFile.TxnStep;
import io.shardbank.shard.Outcome;
import io.shardbank.testing.Eventually;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
 * One JVM per node, started with the scripts, and faults at precise steps of two-phase commit and
 * Paxos: the coordinator's leader dies by SIGKILL between the prepares and its decision; a
 * participant's leader dies by SIGKILL while it holds a transaction prepared; a leader is stopped
 * with SIGSTOP under load until the others elected another, then let go on. The kills come from fail
 * points ({@link Failpoints}), so each test knows the transaction caught in the window.
 *
 * <p>The scenarios share one cluster of two clusters and move money on disjoint items, so that every
 * scenario's account still holds at the end. After each, the test waits until the nodes are quiet
 * and reads every node's SQLite file itself: per cluster, the same commit index, the same chosen
 * values and balances (from the checkpoint and the log after it, as the node starts, and from the
 * whole log, which the nodes are configured to keep), no lock and no transaction record left; money
 * conserved over both clusters; and every transfer the client saw committed applied. The last test
 * stops every node and checks the files once more.
 */
@Tag("process")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ProcessFaultTest {

    /** How long a condition may take on a busy machine; a wait ends as soon as it holds. */
    private static final Duration PATIENCE = Duration.ofSeconds(60);
    private static final int CLUSTERS = 2;
    private static final ClusterId C1 = new ClusterId(1);
    private static final ClusterId C2 = new ClusterId(2);
    private static final int COMMITS_PER_STRETCH = 20;
    /** Item pairs per stream; a one-way pair moves its first item's whole balance, one unit at a time. */
    private static final int PAIRS = 200;
    /**
     * n1 dies as the coordinator's leader (the first scenario only sends from c1 to c2, so c1 is never
     * a participant there); then whichever node leads c1 dies as a participant (the second sends from
     * c2 to c1). A point fires once per data directory, so the restarted victims live on.
     */
    private static final String FAILPOINTS = "-D" + Failpoints.PROPERTY + "=n1=coordinator-before-decision,"
            + "n1=participant-prepared,n2=participant-prepared,n3=participant-prepared";
    /** More slots than the scenarios choose: nothing is compacted. */
    private static final int LOG_RETAIN_SLOTS = 1_000_000;
    private static final Pattern MARKER = Pattern.compile("(n\\d+) at [a-z-]+: (.*transaction (\\d+):(\\d+).*)");

    /** Kept when a test fails: it holds every node's log and SQLite file. */
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    static Path runDirectory;

    private ProcessCluster cluster;
    private ShardbankClient client;
    private Settings settings;
    private final List<TransferStream> streams = new ArrayList<>();
    /** Nodes killed or paused: asking them would only time out. */
    private final Set<NodeId> unreachable = ConcurrentHashMap.newKeySet();

    /** A fail point fired: the node that died there, what it was doing, and the transaction. */
    private record Fired(NodeId node, String what, RequestId txn) {
    }

    @BeforeAll
    void startCluster() throws IOException {
        // The nodes checkpoint as usual but keep every chosen slot, so that the test can replay each
        // cluster's whole log: to tell what happened to a transaction, and to check the checkpoints.
        Path config = Files.createDirectories(runDirectory).resolve("shardbank.conf");
        Files.writeString(config, "shardbank.storage.log-retain-slots = " + LOG_RETAIN_SLOTS + "\n");
        log("starting the node processes of " + CLUSTERS + " clusters, fail points " + FAILPOINTS);
        cluster = ProcessCluster.start(runDirectory, CLUSTERS, config, List.of(FAILPOINTS));
        client = cluster.client();
        settings = cluster.settings();
        cluster.flushUntilLeading(PATIENCE.dividedBy(3), List.of(new NodeId(1), new NodeId(4)));
        log("all listen at base port " + settings.network().basePort() + " and are flushed");
    }

    @AfterAll
    void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    @Order(1)
    void aCoordinatorLeaderKilledBetweenPrepareAndDecisionLeavesItsTransactionAbortedEverywhere() throws Exception {
        NodeId coordinator = awaitLeader(C1);
        assertThat(coordinator).as("the node armed to die as coordinator leads c1").isEqualTo(new NodeId(1));
        TransferStream stream = startStream(oneWayPairs(C1, C2, 0), 8);

        Fired fired = awaitFailpoint(FailPoint.COORDINATOR_BEFORE_DECISION);
        assertThat(fired.node()).isEqualTo(coordinator);
        assertThat(fired.what()).as("every participant voted yes").contains("about to log COMMITTED");
        ReplicaFile died = cluster.replicaFile(fired.node());
        log("as it died, " + died + "; it logged the prepare of " + fired.txn() + ": " + died.logsPrepareOf(fired.txn()));
        assertThat(died.logsDecisionOf(fired.txn())).as("%s logged a decision of %s", fired.node(), fired.txn())
                .isFalse();

        rideOutAndRestart(fired.node(), C1, stream);
        Map<ClusterId, List<ReplicaFile>> files = quiesceAndCheck();

        List<TxnStep> atCoordinator = history(files, C1, fired.txn());
        List<TxnStep> atParticipant = history(files, C2, fired.txn());
        log("transaction " + fired.txn() + " in c1: " + atCoordinator + "; in c2: " + atParticipant);
        assertThat(atCoordinator).extracting(TxnStep::step).containsExactly(Step.PREPARED, Step.DECIDED, Step.ENDED);
        assertThat(atParticipant).extracting(TxnStep::step).containsExactly(Step.PREPARED, Step.DECIDED);
        // Only a successor decides this way: it found the transaction prepared and undecided.
        assertThat(atCoordinator.get(1).status()).isEqualTo(Outcome.Status.ABORTED);
        assertThat(atCoordinator.get(1).reason()).contains("leader changed before the decision");
        assertThat(atParticipant.get(1).status()).isEqualTo(Outcome.Status.ABORTED);
    }

    @Test
    @Order(2)
    void aParticipantLeaderKilledWhilePreparedLeavesOneDecisionAndNoLock() throws Exception {
        log(awaitLeader(C1) + " leads c1, whose every node is armed to die as a participant");
        TransferStream stream = startStream(oneWayPairs(C2, C1, PAIRS), 8);

        Fired fired = awaitFailpoint(FailPoint.PARTICIPANT_PREPARED);
        assertThat(settings.topology().clusterOf(fired.node())).isEqualTo(C1);
        ReplicaFile died = cluster.replicaFile(fired.node());
        log("as it died, " + died + "; it logged the prepare of " + fired.txn() + ": " + died.logsPrepareOf(fired.txn()));
        assertThat(died.logsDecisionOf(fired.txn())).as("%s logged a decision of %s", fired.node(), fired.txn())
                .isFalse();

        rideOutAndRestart(fired.node(), C1, stream);
        Map<ClusterId, List<ReplicaFile>> files = quiesceAndCheck();

        List<TxnStep> atParticipant = history(files, C1, fired.txn());
        List<TxnStep> atCoordinator = history(files, C2, fired.txn());
        log("transaction " + fired.txn() + " in c1: " + atParticipant + "; in c2: " + atCoordinator);
        assertThat(atParticipant).extracting(TxnStep::step).containsExactly(Step.PREPARED, Step.DECIDED);
        assertThat(atCoordinator).extracting(TxnStep::step).containsExactly(Step.PREPARED, Step.DECIDED, Step.ENDED);
        assertThat(atParticipant.get(1).status()).as("the decision in c1 and c2")
                .isEqualTo(atCoordinator.get(1).status());
    }

    @Test
    @Order(3)
    void aLeaderPausedUnderLoadGetsNothingChosenAfterItsSuccessorTookOver() throws Exception {
        TransferStream local = startStream(alternatingPairs(C2, 2 * PAIRS), 6);
        TransferStream cross = startStream(crossPairs(3 * PAIRS, 2 * PAIRS), 4);
        awaitCommits(local, COMMITS_PER_STRETCH, "in c2 before the pause");
        awaitCommits(cross, COMMITS_PER_STRETCH, "across before the pause");
        NodeId paused = awaitLeader(C2);
        NodeProtocol.Status before = client.status(paused);
        assertThat(before.role()).as("%s still leads c2", paused).isEqualTo("LEADER");
        Ballot stale = before.ballot();
        long stepDownsBefore = stepDowns(paused);

        log("pausing " + paused + " (ballot " + stale + ")");
        cluster.pause(paused);
        unreachable.add(paused);
        try {
            NodeId successor = awaitLeader(C2);
            log(successor + " leads c2 at " + client.status(successor).ballot());
            awaitCommits(local, COMMITS_PER_STRETCH, "in c2 while " + paused + " is paused");
            awaitCommits(cross, COMMITS_PER_STRETCH, "across while " + paused + " is paused");
        } finally {
            cluster.resume(paused);
            unreachable.remove(paused);
        }
        log("resumed " + paused);
        Eventually.await(PATIENCE, paused + " follows at a ballot above " + stale, () -> {
            NodeProtocol.Status status = client.status(paused);
            return status.role().equals("FOLLOWER") && status.ballot().isAbove(stale);
        });
        awaitCommits(local, COMMITS_PER_STRETCH, "in c2 after " + paused + " resumed");
        awaitCommits(cross, COMMITS_PER_STRETCH, "across after " + paused + " resumed");
        Map<ClusterId, List<ReplicaFile>> files = quiesceAndCheck();

        assertThat(stepDowns(paused)).as("%s resumed as the leader and stepped down", paused)
                .isGreaterThan(stepDownsBefore);
        // The successor re-proposed every slot a majority might have accepted at the stale ballot. A
        // slot chosen at that ballot beyond those would be one the paused leader got chosen after the
        // takeover: its followers had promised not to accept it.
        NodeProtocol.ViewRecord takeover = firstViewAbove(C2, stale);
        long reproposedThrough = takeover.commitIndex() + takeover.entries().size();
        log("the first view above " + stale + ": " + takeover.ballot() + " by n" + takeover.leader()
                + ", re-proposing slots " + (takeover.commitIndex() + 1) + " to " + reproposedThrough);
        for (ReplicaFile replica : files.get(C2)) {
            List<Long> atStaleBallot = replica.chosen().tailMap(takeover.commitIndex(), false).values().stream()
                    .filter(entry -> entry.ballot().equals(stale)).map(SlotValue::slot).toList();
            log(replica.node + " holds slots " + atStaleBallot + " at the stale ballot above the takeover's commit index");
            assertThat(atStaleBallot).as("slots %s holds chosen at the paused leader's ballot %s beyond the takeover",
                    replica.node, stale).allMatch(slot -> slot <= reproposedThrough);
        }
    }

    @Test
    @Order(4)
    void everyReplicaFileAgreesAfterEveryNodeStopped() throws InterruptedException {
        stopStreams();
        log("stopping every node");
        cluster.stopNodes();
        checkFiles(readAllFiles());
        log("checked the files of every node after the stop");
    }

    // ---------------------------------------------------------------- scenario steps

    private TransferStream startStream(List<TransferStream.Pair> pairs, int inFlight) {
        TransferStream stream = TransferStream.start(client, pairs, inFlight);
        streams.add(stream);
        log("started " + pairs.size() + " pairs from item " + pairs.get(0).first + " to item " + pairs.get(0).second
                + " on, " + inFlight + " transfers in flight");
        return stream;
    }

    /** Waits until the fail point fired and its node's process is gone. */
    private Fired awaitFailpoint(FailPoint point) {
        Path marker = Failpoints.marker(cluster.dataDirectory(), point);
        Matcher[] match = new Matcher[1];
        // The marker may be seen between its creation and the write of its line.
        Eventually.await(PATIENCE, "a node reaches " + point.label() + " and names itself and the transaction in "
                + marker, () -> Files.exists(marker)
                        && (match[0] = MARKER.matcher(read(marker))).matches());
        log("fail point: " + match[0].group());
        NodeId node = NodeId.parse(match[0].group(1));
        unreachable.add(node);
        Eventually.await(PATIENCE, node + " is gone after " + point.label(), () -> !isRunning(node));
        log(node + " is gone");
        return new Fired(node, match[0].group(2),
                new RequestId(Long.parseLong(match[0].group(3)), Long.parseLong(match[0].group(4))));
    }

    private static String read(Path file) {
        try {
            return Files.readString(file).strip();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The cluster goes on without the victim, and with it once it is restarted from its file. */
    private void rideOutAndRestart(NodeId victim, ClusterId victimCluster, TransferStream stream) {
        NodeId successor = awaitLeader(victimCluster);
        log(successor + " leads " + victimCluster + " at " + client.status(successor).ballot());
        awaitCommits(stream, COMMITS_PER_STRETCH, "while " + victim + " is down");
        cluster.restart(victim);
        unreachable.remove(victim);
        log("restarted " + victim);
        awaitCommits(stream, COMMITS_PER_STRETCH, "after " + victim + " restarted");
    }

    private void awaitCommits(TransferStream stream, int count, String when) {
        int target = stream.committed() + count;
        Eventually.await(PATIENCE, count + " transfers commit " + when,
                () -> stream.committed() >= target || stream.exhausted());
        assertThat(stream.committed()).as("transfers committed %s (the stream ran out: %s)", when, stream)
                .isGreaterThanOrEqualTo(target);
        log(count + " more transfers committed " + when + " (" + stream + ")");
    }

    /** The node that leads the cluster, among those reachable, once one does. */
    private NodeId awaitLeader(ClusterId clusterId) {
        NodeId[] leader = new NodeId[1];
        Eventually.await(PATIENCE, "a reachable node leads " + clusterId, () -> {
            leader[0] = null;
            for (NodeId node : reachable(clusterId)) {
                if (leads(node)) {
                    leader[0] = node;
                }
            }
            return leader[0] != null;
        });
        return leader[0];
    }

    private boolean leads(NodeId node) {
        return client.status(node).role().equals("LEADER");
    }

    private List<NodeId> reachable(ClusterId clusterId) {
        return settings.topology().nodesOf(clusterId).stream().filter(node -> !unreachable.contains(node)).toList();
    }

    private boolean isRunning(NodeId node) {
        try {
            return cluster.isRunning(node);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** How often the node's log says it stepped down, over all its incarnations. */
    private long stepDowns(NodeId node) throws IOException {
        try (var lines = Files.lines(cluster.logOf(node))) {
            return lines.filter(line -> line.contains(node + " stepped down")).count();
        }
    }

    /** The first NEW-VIEW any node of the cluster sent at a ballot above {@code ballot}. */
    private NodeProtocol.ViewRecord firstViewAbove(ClusterId clusterId, Ballot ballot) {
        return settings.topology().nodesOf(clusterId).stream()
                .flatMap(node -> client.views(node).views().stream())
                .filter(view -> view.ballot().isAbove(ballot))
                .min(Comparator.comparing(NodeProtocol.ViewRecord::ballot))
                .orElseThrow(() -> new AssertionError("no node of " + clusterId + " took over above " + ballot));
    }

    // ---------------------------------------------------------------- item pairs

    /** One-way pairs from items of {@code from} to items of {@code to}, from the offset into each shard on. */
    private List<TransferStream.Pair> oneWayPairs(ClusterId from, ClusterId to, int offset) {
        List<TransferStream.Pair> pairs = new ArrayList<>();
        for (int i = 0; i < PAIRS; i++) {
            pairs.add(TransferStream.Pair.oneWay(firstItem(from) + offset + i, firstItem(to) + offset + i, 1,
                    settings.topology().initialBalance()));
        }
        return pairs;
    }

    /** Alternating pairs of neighbouring items of one cluster, from the offset into its shard on. */
    private List<TransferStream.Pair> alternatingPairs(ClusterId clusterId, int offset) {
        List<TransferStream.Pair> pairs = new ArrayList<>();
        for (int i = 0; i < PAIRS / 2; i++) {
            int item = firstItem(clusterId) + offset + 2 * i;
            pairs.add(TransferStream.Pair.alternating(item, item + 1, 1 + i % 4));
        }
        return pairs;
    }

    /** Alternating pairs of an item of c2 and one of c1, so that each cluster coordinates every other transfer. */
    private List<TransferStream.Pair> crossPairs(int offsetInC2, int offsetInC1) {
        List<TransferStream.Pair> pairs = new ArrayList<>();
        for (int i = 0; i < PAIRS / 2; i++) {
            pairs.add(TransferStream.Pair.alternating(firstItem(C2) + offsetInC2 + i, firstItem(C1) + offsetInC1 + i,
                    1 + i % 4));
        }
        return pairs;
    }

    private int firstItem(ClusterId clusterId) {
        ShardMap shardMap = settings.topology().initialShardMap();
        int item = 1;
        while (!shardMap.owns(clusterId, item)) {
            item++;
        }
        return item;
    }

    // ---------------------------------------------------------------- checks

    /**
     * Waits until every node applied everything its cluster chose and holds no lock and no
     * transaction, and until the files agree on the commit index; then checks the files.
     */
    private Map<ClusterId, List<ReplicaFile>> quiesceAndCheck() throws InterruptedException {
        stopStreams();
        Eventually.await(PATIENCE, "every node applied all its cluster chose and holds no lock and no transaction",
                this::quiet);
        Map<ClusterId, List<ReplicaFile>> files = new LinkedHashMap<>();
        Eventually.await(PATIENCE, "the files of each cluster's nodes hold the same commit index", () -> {
            files.clear();
            files.putAll(readAllFiles());
            return files.values().stream().allMatch(replicas ->
                    replicas.stream().map(replica -> replica.commitIndex).distinct().count() == 1);
        });
        checkFiles(files);
        return files;
    }

    /** Stops every stream, should a failed scenario have left one running; each waits for its outcomes. */
    private void stopStreams() throws InterruptedException {
        for (TransferStream stream : streams) {
            stream.stop();
        }
    }

    private boolean quiet() {
        for (int index = 1; index <= CLUSTERS; index++) {
            List<NodeProtocol.Status> statuses = settings.topology().nodesOf(new ClusterId(index)).stream()
                    .map(client::status).toList();
            long applied = statuses.get(0).appliedSlot();
            boolean settled = statuses.stream().allMatch(status -> status.appliedSlot() == applied
                    && status.commitIndex() == applied && status.locks() == 0 && status.transactions() == 0);
            if (!settled || statuses.stream().noneMatch(status -> status.role().equals("LEADER"))) {
                return false;
            }
        }
        return true;
    }

    private Map<ClusterId, List<ReplicaFile>> readAllFiles() {
        Map<ClusterId, List<ReplicaFile>> files = new LinkedHashMap<>();
        for (int index = 1; index <= CLUSTERS; index++) {
            ClusterId clusterId = new ClusterId(index);
            files.put(clusterId, settings.topology().nodesOf(clusterId).stream()
                    .map(cluster::replicaFile).toList());
        }
        return files;
    }

    /**
     * The replicas of each cluster hold the same chosen values and reach the same state (the same
     * from their checkpoint as from the whole log), with no lock and no transaction; money is
     * conserved; every stream's account holds.
     */
    private void checkFiles(Map<ClusterId, List<ReplicaFile>> files) {
        Map<Integer, Long> balances = new LinkedHashMap<>();
        files.forEach((clusterId, replicas) -> {
            ReplicaFile first = replicas.get(0);
            for (ReplicaFile replica : replicas) {
                assertThat(replica.commitIndex).as("commit index of %s and %s", replica.node, first.node)
                        .isEqualTo(first.commitIndex);
                assertThat(replica.shard.appliedSlot()).as("applied slot of %s", replica.node)
                        .isEqualTo(replica.commitIndex);
                assertThat(differentValues(first, replica)).as("chosen slots %s and %s disagree on", first.node,
                        replica.node).isEmpty();
                assertThat(differences(first.shard.allBalances(), replica.shard.allBalances()))
                        .as("items whose balance %s and %s disagree on", first.node, replica.node).isEmpty();
                assertThat(replica.shard.lockCount()).as("locks in the file of %s", replica.node).isZero();
                assertThat(replica.shard.txns()).as("transactions in the file of %s", replica.node).isEmpty();
                assertThat(replica.holdsWholeLog()).as("%s keeps its whole log", replica.node).isTrue();
                assertThat(differences(replica.replayFromStart().allBalances(), replica.shard.allBalances()))
                        .as("items whose balance differs in %s from its checkpoint and from its whole log",
                                replica.node).isEmpty();
            }
            balances.putAll(first.shard.allBalances());
            log(clusterId + ": " + replicas);
        });
        assertThat(balances).hasSize(settings.topology().itemCount());
        assertThat(balances.values().stream().mapToLong(Long::longValue).sum()).as("money in all clusters")
                .isEqualTo(settings.topology().initialBalance() * settings.topology().itemCount());
        for (TransferStream stream : streams) {
            stream.pairs().forEach(pair -> checkPair(pair, balances));
        }
    }

    private static List<Long> differentValues(ReplicaFile one, ReplicaFile other) {
        List<Long> slots = new ArrayList<>();
        one.chosen().forEach((slot, entry) -> {
            SlotValue theirs = other.chosen().get(slot);
            if (theirs != null && !Arrays.equals(entry.value(), theirs.value())) {
                slots.add(slot);
            }
        });
        return slots;
    }

    private static List<String> differences(Map<Integer, Long> one, Map<Integer, Long> other) {
        List<String> differ = new ArrayList<>();
        one.forEach((item, balance) -> {
            if (!balance.equals(other.get(item))) {
                differ.add(item + ": " + balance + " vs " + other.get(item));
            }
        });
        if (one.size() != other.size()) {
            differ.add(one.size() + " items vs " + other.size());
        }
        return differ.subList(0, Math.min(differ.size(), 10));
    }

    /** The pair's balances show every committed transfer, and its last one only if that is in doubt. */
    private void checkPair(TransferStream.Pair pair, Map<Integer, Long> balances) {
        long initial = settings.topology().initialBalance();
        long first = balances.get(pair.first);
        long second = balances.get(pair.second);
        boolean asCommitted = first == initial - pair.moved() && second == initial + pair.moved();
        long withDoubt = pair.moved() + pair.inDoubt();
        boolean withLastInDoubt = pair.inDoubt() != 0 && first == initial - withDoubt && second == initial + withDoubt;
        assertThat(asCommitted || withLastInDoubt).as("%s: balances %d and %d", pair, first, second).isTrue();
    }

    /** What the chosen log of the cluster did to the transaction (every replica's log is the same). */
    private static List<TxnStep> history(Map<ClusterId, List<ReplicaFile>> files, ClusterId clusterId, RequestId txn) {
        return files.get(clusterId).get(0).history(txn);
    }

    private static void log(String event) {
        System.out.printf("%tT.%<tL %s%n", System.currentTimeMillis(), event);
    }
}
