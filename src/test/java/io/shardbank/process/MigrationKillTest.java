package io.shardbank.process;

import static io.shardbank.process.FaultScenarios.PATIENCE;
import static io.shardbank.process.FaultScenarios.history;
import static io.shardbank.process.FaultScenarios.log;
import static io.shardbank.process.FaultScenarios.ownerOf;
import static org.assertj.core.api.Assertions.assertThat;

import io.shardbank.client.ShardbankClient;
import io.shardbank.model.ClusterId;
import io.shardbank.model.NodeId;
import io.shardbank.model.ShardMap;
import io.shardbank.node.FailPoint;
import io.shardbank.process.FaultScenarios.Fired;
import io.shardbank.process.ReplicaFile.Step;
import io.shardbank.process.ReplicaFile.TxnStep;
import io.shardbank.shard.Operation;
import io.shardbank.shard.Outcome;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
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
 * One JVM per node, and a migration's leaders killed by SIGKILL in the middle of it: the source's
 * leader right after it logged its prepare (items frozen, balances recorded), before it asked the
 * target; then the target's leader right after it logged its prepare (balances held inactive) and
 * sent its vote. Each victim is restarted from its file while transfers go on, some of them on the
 * items being migrated, whose clients meet MOVED answers and follow the items to their new owner.
 *
 * <p>After each scenario the test waits until the nodes are quiet and reads every node's SQLite
 * file itself (see {@link FaultScenarios#checkFiles}): per cluster the same chosen log, commit
 * index, balances and shard map version, no lock and no transaction left, every item owned by
 * exactly one cluster, money conserved, every transfer the client saw committed applied; and here
 * also: every item owned where the migrations' decisions put it, and each caught migration decided
 * the same way in both clusters and as its client was told.
 */
@Tag("process")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MigrationKillTest {

    private static final int CLUSTERS = 2;
    private static final ClusterId C1 = new ClusterId(1);
    private static final ClusterId C2 = new ClusterId(2);
    /** Items per migration. */
    private static final int BATCH = 40;
    /**
     * Pairs of the load stream, which keeps both clusters busy across them. Each pair alternates, so
     * the stream never runs out however long a victim takes to restart on a loaded machine.
     */
    private static final int LOAD_PAIRS = 100;
    /** Pairs of neighbouring items inside a migration's batch, moving with it. */
    private static final int MOVING_PAIRS = 8;
    /** The migration's request id is over once answered; a new one is sent this often at most. */
    private static final int ATTEMPTS_MAX = 5;
    /**
     * n1 dies as the source's leader of the first migration (from c1 to c2; its restart leaves that
     * point disarmed), then whichever node leads c1 dies as the target of the second (from c2 to c1,
     * so that the first migration's retry, with c2 as its target, passes no armed point).
     */
    private static final String FAILPOINTS = "n1=migration-source-prepared,"
            + "n1=migration-target-prepared,n2=migration-target-prepared,n3=migration-target-prepared";

    /** Kept when a test fails: it holds every node's log and SQLite file. */
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    static Path runDirectory;

    private ProcessCluster cluster;
    private ShardbankClient client;
    private FaultScenarios faults;
    /** Where every item belongs after the migrations decided so far (index 0 unused). */
    private ClusterId[] expectedOwner;

    @BeforeAll
    void startCluster() throws IOException {
        faults = FaultScenarios.start(runDirectory, CLUSTERS, FAILPOINTS);
        cluster = faults.cluster;
        client = faults.client;
        ShardMap initial = cluster.topology().initialShardMap();
        expectedOwner = new ClusterId[cluster.topology().itemCount() + 1];
        for (int item = 1; item < expectedOwner.length; item++) {
            expectedOwner[item] = initial.clusterOf(item);
        }
    }

    @AfterAll
    void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    @Order(1)
    void aSourceLeaderKilledAfterItsPrepareAbortsTheMigrationAndANewOneMovesTheItems() throws Exception {
        assertThat(faults.awaitLeader(C1)).as("the node armed to die as the source leads c1")
                .isEqualTo(new NodeId(1));
        List<Integer> items = batch(C1);
        TransferStream load = faults.startStream(crossPairs(C1, C2, 100), 6);
        TransferStream moving = faults.startStream(neighbourPairs(items), 2);
        faults.awaitCommits(load, 10, "before the migration");

        Operation.Migrate migrate = new Operation.Migrate(0, items, C1.index(), C2.index(), 2);
        CompletionStage<Outcome> first = client.submit(migrate);
        Fired fired = faults.awaitFailpoint(FailPoint.MIGRATION_SOURCE_PREPARED);
        assertThat(fired.node()).isEqualTo(new NodeId(1));
        checkCaughtBetweenPrepareAndDecision(fired);

        Outcome firstOutcome = restartAndAwait(fired, load, first);
        Outcome retried = migrateUntilDecided(migrate);
        assertThat(retried.status()).as("a new migration of the same items").isEqualTo(Outcome.Status.COMMITTED);
        faults.awaitCommits(moving, 5, "on the moved items at their new owner");
        Map<ClusterId, List<ReplicaFile>> files = faults.quiesceAndCheck();

        List<TxnStep> atSource = history(files, C1, fired.txn());
        List<TxnStep> atTarget = history(files, C2, fired.txn());
        log("migration " + fired.txn() + " in c1: " + atSource + "; in c2: " + atTarget);
        assertThat(atSource).extracting(TxnStep::step).containsExactly(Step.PREPARED, Step.DECIDED, Step.ENDED);
        // Only a successor decides this way: it found the migration prepared and undecided.
        assertThat(atSource.get(1).status()).isEqualTo(Outcome.Status.ABORTED);
        assertThat(atSource.get(1).reason()).contains("leader changed before the decision");
        // The target never prepared it; the successor's abort may still reach it (presumed abort).
        assertThat(atTarget).as("the target was never asked to prepare").extracting(TxnStep::step)
                .doesNotContain(Step.PREPARED);
        assertThat(atTarget).extracting(TxnStep::status).containsOnly(Outcome.Status.ABORTED);
        assertThat(firstOutcome.status()).as("what the client was told of the migration caught by the kill")
                .isIn(Outcome.Status.ABORTED, Outcome.Status.UNAVAILABLE);
        moved(items, C2);
        checkOwners(files);
        checkRedirected(files, C1, items);
    }

    @Test
    @Order(2)
    void aTargetLeaderKilledAfterItsVoteLeavesOneDecisionAndOneOwner() throws Exception {
        log(faults.awaitLeader(C1) + " leads c1, whose every node is armed to die as a migration's target");
        List<Integer> items = batch(C2);
        TransferStream load = faults.startStream(crossPairs(C2, C1, 300), 6);
        TransferStream moving = faults.startStream(neighbourPairs(items), 2);
        faults.awaitCommits(load, 10, "before the migration");

        CompletionStage<Outcome> answer = client.submit(new Operation.Migrate(0, items, C2.index(), C1.index(), 3));
        Fired fired = faults.awaitFailpoint(FailPoint.MIGRATION_TARGET_PREPARED);
        assertThat(cluster.topology().clusterOf(fired.node())).isEqualTo(C1);
        checkCaughtBetweenPrepareAndDecision(fired);

        Outcome outcome = restartAndAwait(fired, load, answer);
        if (outcome.status() == Outcome.Status.COMMITTED) {
            faults.awaitCommits(moving, 5, "on the moved items at their new owner");
        }
        Map<ClusterId, List<ReplicaFile>> files = faults.quiesceAndCheck();

        List<TxnStep> atSource = history(files, C2, fired.txn());
        List<TxnStep> atTarget = history(files, C1, fired.txn());
        log("migration " + fired.txn() + " in c2: " + atSource + "; in c1: " + atTarget);
        assertThat(atSource).extracting(TxnStep::step).containsExactly(Step.PREPARED, Step.DECIDED, Step.ENDED);
        assertThat(atTarget).extracting(TxnStep::step).containsExactly(Step.PREPARED, Step.DECIDED);
        Outcome.Status decided = atSource.get(1).status();
        assertThat(atTarget.get(1).status()).as("the decision in c1 and c2").isEqualTo(decided);
        if (outcome.status() != Outcome.Status.UNAVAILABLE) {
            assertThat(outcome.status()).as("what the client was told and what the logs decided").isEqualTo(decided);
        }
        if (decided == Outcome.Status.COMMITTED) {
            moved(items, C1);
            checkRedirected(files, C2, items);
        }
        checkOwners(files);
    }

    @Test
    @Order(3)
    void everyReplicaFileAgreesAfterEveryNodeStopped() throws InterruptedException {
        faults.awaitQuiet();
        log("stopping every node");
        cluster.stopNodes();
        Map<ClusterId, List<ReplicaFile>> files = faults.readAllFiles();
        faults.checkFiles(files);
        checkOwners(files);
        log("checked the files of every node after the stop");
    }

    // ---------------------------------------------------------------- scenario steps

    /** The victim's file holds the migration's prepare and no decision of it. */
    private void checkCaughtBetweenPrepareAndDecision(Fired fired) {
        ReplicaFile died = cluster.replicaFile(fired.node());
        log("as it died, " + died + "; it logged the prepare of " + fired.txn());
        assertThat(died.logsPrepareOf(fired.txn())).as("%s logged the prepare of %s", fired.node(), fired.txn())
                .isTrue();
        assertThat(died.logsDecisionOf(fired.txn())).as("%s logged a decision of %s", fired.node(), fired.txn())
                .isFalse();
    }

    /** Rides out the victim's absence, restarts it, and waits for the caught migration's answer. */
    private Outcome restartAndAwait(Fired fired, TransferStream load, CompletionStage<Outcome> answer)
            throws Exception {
        faults.rideOutAndRestart(fired.node(), cluster.topology().clusterOf(fired.node()), load);
        Outcome outcome = answer.toCompletableFuture().get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
        log("the migration caught by the kill answered " + outcome);
        return outcome;
    }

    /**
     * Sends the migration under new request ids until one is decided: an attempt that meets an item
     * locked by a transfer aborts and is sent again, as the reshard coordinator does.
     */
    private Outcome migrateUntilDecided(Operation.Migrate migrate) throws Exception {
        Outcome outcome = null;
        for (int attempt = 1; attempt <= ATTEMPTS_MAX; attempt++) {
            outcome = client.submit(migrate).toCompletableFuture().get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
            log("migration attempt " + attempt + " answered " + outcome);
            if (outcome.status() != Outcome.Status.ABORTED || !outcome.reason().contains("locked")) {
                return outcome;
            }
        }
        return outcome;
    }

    private void moved(List<Integer> items, ClusterId to) {
        items.forEach(item -> expectedOwner[item] = to);
    }

    /** Every item is owned where the decided migrations put it, and nowhere else. */
    private void checkOwners(Map<ClusterId, List<ReplicaFile>> files) {
        List<String> misplaced = new ArrayList<>();
        Map<ClusterId, Integer> owned = new HashMap<>();
        for (int item = 1; item < expectedOwner.length; item++) {
            ClusterId owner = ownerOf(files, item);
            owned.merge(owner, 1, Integer::sum);
            if (!owner.equals(expectedOwner[item])) {
                misplaced.add(item + " at " + owner + " instead of " + expectedOwner[item]);
            }
        }
        log("items owned: " + owned);
        assertThat(misplaced).as("items not owned where the migrations put them").isEmpty();
    }

    /** Clients met MOVED: the source's log answered so for transfers on the items it had handed over. */
    private static void checkRedirected(Map<ClusterId, List<ReplicaFile>> files, ClusterId source,
            List<Integer> items) {
        List<Integer> redirected = files.get(source).get(0).redirectedItems().stream().filter(items::contains)
                .toList();
        log(source + " answered MOVED for items of the batch " + redirected.size() + " times: " + redirected);
        assertThat(redirected).as("MOVED answers of %s for the migrated items", source).isNotEmpty();
    }

    // ---------------------------------------------------------------- items

    /** The items a scenario migrates away from the cluster: the next {@link #BATCH} of its initial range. */
    private List<Integer> batch(ClusterId from) {
        int first = faults.firstItem(from) + (from.equals(C1) ? 0 : BATCH);
        return IntStream.range(first, first + BATCH).boxed().toList();
    }

    /**
     * Alternating pairs of an item of {@code from} and one of {@code to}, from the offset into each
     * shard on: each transfer crosses the clusters, first from {@code from}, then back.
     */
    private List<TransferStream.Pair> crossPairs(ClusterId from, ClusterId to, int offset) {
        List<TransferStream.Pair> pairs = new ArrayList<>();
        for (int i = 0; i < LOAD_PAIRS; i++) {
            pairs.add(TransferStream.Pair.alternating(faults.firstItem(from) + offset + i,
                    faults.firstItem(to) + offset + i, 1));
        }
        return pairs;
    }

    /** Alternating pairs of neighbouring items at the end of the batch: one cluster's before, the other's after. */
    private List<TransferStream.Pair> neighbourPairs(List<Integer> items) {
        List<TransferStream.Pair> pairs = new ArrayList<>();
        for (int i = 0; i < MOVING_PAIRS; i++) {
            int item = items.get(items.size() - 2 * MOVING_PAIRS + 2 * i);
            pairs.add(TransferStream.Pair.alternating(item, item + 1, 1 + i % 4));
        }
        return pairs;
    }
}
