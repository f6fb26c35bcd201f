package io.shardbank.process;

import static io.shardbank.process.FaultScenarios.COMMITS_PER_STRETCH;
import static io.shardbank.process.FaultScenarios.PATIENCE;
import static io.shardbank.process.FaultScenarios.history;
import static io.shardbank.process.FaultScenarios.log;
import static org.assertj.core.api.Assertions.assertThat;

import io.shardbank.client.ShardbankClient;
import io.shardbank.config.Settings;
import io.shardbank.model.ClusterId;
import io.shardbank.model.NodeId;
import io.shardbank.node.FailPoint;
import io.shardbank.node.Failpoints;
import io.shardbank.node.NodeProtocol;
import io.shardbank.paxos.Ballot;
import io.shardbank.paxos.SlotValue;
import io.shardbank.process.FaultScenarios.Fired;
import io.shardbank.process.ReplicaFile.Step;
import io.shardbank.process.ReplicaFile.TxnStep;
import io.shardbank.shard.Outcome;
import io.shardbank.testing.Eventually;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
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

    private static final int CLUSTERS = 2;
    private static final ClusterId C1 = new ClusterId(1);
    private static final ClusterId C2 = new ClusterId(2);
    /** Item pairs per stream; a one-way pair moves its first item's whole balance, one unit at a time. */
    private static final int PAIRS = 200;
    /**
     * n1 dies as the coordinator's leader (the first scenario only sends from c1 to c2, so c1 is never
     * a participant there); then whichever node leads c1 dies as a participant (the second sends from
     * c2 to c1). A point fires once per data directory, so the restarted victims live on.
     */
    private static final String FAILPOINTS = "n1=coordinator-before-decision,"
            + "n1=participant-prepared,n2=participant-prepared,n3=participant-prepared";

    /** Kept when a test fails: it holds every node's log and SQLite file. */
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    static Path runDirectory;

    private ProcessCluster cluster;
    private ShardbankClient client;
    private Settings settings;
    private FaultScenarios faults;

    @BeforeAll
    void startCluster() throws IOException {
        faults = FaultScenarios.start(runDirectory, CLUSTERS, FAILPOINTS);
        cluster = faults.cluster;
        client = faults.client;
        settings = faults.settings;
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
        NodeId coordinator = faults.awaitLeader(C1);
        assertThat(coordinator).as("the node armed to die as coordinator leads c1").isEqualTo(new NodeId(1));
        TransferStream stream = faults.startStream(oneWayPairs(C1, C2, 0), 8);

        Fired fired = faults.awaitFailpoint(FailPoint.COORDINATOR_BEFORE_DECISION);
        assertThat(fired.node()).isEqualTo(coordinator);
        assertThat(fired.what()).as("every participant voted yes").contains("about to log COMMITTED");
        ReplicaFile died = cluster.replicaFile(fired.node());
        log("as it died, " + died + "; it logged the prepare of " + fired.txn() + ": " + died.logsPrepareOf(fired.txn()));
        assertThat(died.logsDecisionOf(fired.txn())).as("%s logged a decision of %s", fired.node(), fired.txn())
                .isFalse();

        faults.rideOutAndRestart(fired.node(), C1, stream);
        Map<ClusterId, List<ReplicaFile>> files = faults.quiesceAndCheck();

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
        log(faults.awaitLeader(C1) + " leads c1, whose every node is armed to die as a participant");
        TransferStream stream = faults.startStream(oneWayPairs(C2, C1, PAIRS), 8);

        Fired fired = faults.awaitFailpoint(FailPoint.PARTICIPANT_PREPARED);
        assertThat(settings.topology().clusterOf(fired.node())).isEqualTo(C1);
        ReplicaFile died = cluster.replicaFile(fired.node());
        log("as it died, " + died + "; it logged the prepare of " + fired.txn() + ": " + died.logsPrepareOf(fired.txn()));
        assertThat(died.logsDecisionOf(fired.txn())).as("%s logged a decision of %s", fired.node(), fired.txn())
                .isFalse();

        faults.rideOutAndRestart(fired.node(), C1, stream);
        Map<ClusterId, List<ReplicaFile>> files = faults.quiesceAndCheck();

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
        TransferStream local = faults.startStream(alternatingPairs(C2, 2 * PAIRS), 6);
        TransferStream cross = faults.startStream(crossPairs(3 * PAIRS, 2 * PAIRS), 4);
        faults.awaitCommits(local, COMMITS_PER_STRETCH, "in c2 before the pause");
        faults.awaitCommits(cross, COMMITS_PER_STRETCH, "across before the pause");
        NodeId paused = faults.awaitLeader(C2);
        NodeProtocol.Status before = client.status(paused);
        assertThat(before.role()).as("%s still leads c2", paused).isEqualTo("LEADER");
        Ballot stale = before.ballot();
        long stepDownsBefore = stepDowns(paused);

        log("pausing " + paused + " (ballot " + stale + ")");
        cluster.pause(paused);
        faults.unreachable(paused);
        try {
            NodeId successor = faults.awaitLeader(C2);
            log(successor + " leads c2 at " + client.status(successor).ballot());
            faults.awaitCommits(local, COMMITS_PER_STRETCH, "in c2 while " + paused + " is paused");
            faults.awaitCommits(cross, COMMITS_PER_STRETCH, "across while " + paused + " is paused");
        } finally {
            cluster.resume(paused);
            faults.reachableAgain(paused);
        }
        log("resumed " + paused);
        Eventually.await(PATIENCE, paused + " follows at a ballot above " + stale, () -> {
            NodeProtocol.Status status = client.status(paused);
            return status.role().equals("FOLLOWER") && status.ballot().isAbove(stale);
        });
        faults.awaitCommits(local, COMMITS_PER_STRETCH, "in c2 after " + paused + " resumed");
        faults.awaitCommits(cross, COMMITS_PER_STRETCH, "across after " + paused + " resumed");
        Map<ClusterId, List<ReplicaFile>> files = faults.quiesceAndCheck();

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
        faults.awaitQuiet();
        log("stopping every node");
        cluster.stopNodes();
        faults.checkFiles(faults.readAllFiles());
        log("checked the files of every node after the stop");
    }

    // ---------------------------------------------------------------- scenario steps

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
            pairs.add(TransferStream.Pair.oneWay(faults.firstItem(from) + offset + i, faults.firstItem(to) + offset + i, 1,
                    settings.topology().initialBalance()));
        }
        return pairs;
    }

    /** Alternating pairs of neighbouring items of one cluster, from the offset into its shard on. */
    private List<TransferStream.Pair> alternatingPairs(ClusterId clusterId, int offset) {
        List<TransferStream.Pair> pairs = new ArrayList<>();
        for (int i = 0; i < PAIRS / 2; i++) {
            int item = faults.firstItem(clusterId) + offset + 2 * i;
            pairs.add(TransferStream.Pair.alternating(item, item + 1, 1 + i % 4));
        }
        return pairs;
    }

    /** Alternating pairs of an item of c2 and one of c1, so that each cluster coordinates every other transfer. */
    private List<TransferStream.Pair> crossPairs(int offsetInC2, int offsetInC1) {
        List<TransferStream.Pair> pairs = new ArrayList<>();
        for (int i = 0; i < PAIRS / 2; i++) {
            pairs.add(TransferStream.Pair.alternating(faults.firstItem(C2) + offsetInC2 + i, faults.firstItem(C1) + offsetInC1 + i,
                    1 + i % 4));
        }
        return pairs;
    }
}
