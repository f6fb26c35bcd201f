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
import io.shardbank.paxos.SlotValue;
import io.shardbank.process.ReplicaFile.TxnStep;
import io.shardbank.shard.ShardStateMachine;
import io.shardbank.testing.Eventually;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The steps and checks of the process tests that kill or pause nodes at precise points: streams of
 * transfers, the wait for a fail point to fire and its victim to be gone, riding out the victim's
 * absence and restarting it, and the check of every node's SQLite file once the nodes are quiet.
 */
final class FaultScenarios {

    /** How long a condition may take on a busy machine; a wait ends as soon as it holds. */
    static final Duration PATIENCE = Duration.ofSeconds(60);
    static final int COMMITS_PER_STRETCH = 20;
    /** More slots than a test chooses: nothing is compacted. */
    private static final int LOG_RETAIN_SLOTS = 1_000_000;
    private static final Pattern MARKER = Pattern.compile("(n\\d+) at [a-z-]+: (.*transaction (\\d+):(\\d+).*)");

    /** A fail point fired: the node that died there, what it was doing, and the transaction. */
    record Fired(NodeId node, String what, RequestId txn) {
    }

    final ProcessCluster cluster;
    final ShardbankClient client;
    final Settings settings;
    private final int clusters;
    private final List<TransferStream> streams = new ArrayList<>();
    /** Nodes killed or paused: asking them would only time out. */
    private final Set<NodeId> unreachable = ConcurrentHashMap.newKeySet();

    private FaultScenarios(ProcessCluster cluster) {
        this.cluster = cluster;
        this.client = cluster.client();
        this.settings = cluster.settings();
        this.clusters = settings.topology().clusterCount();
    }

    /**
     * Starts the node processes of {@code clusters} clusters with the fail points {@code failpoints}
     * armed (a {@link Failpoints#PROPERTY} list: {@code node=point,...}), and flushes until the first
     * node of every cluster leads. The nodes checkpoint as usual but keep every chosen slot, so that a
     * test can replay each cluster's whole log: to tell what happened to a transaction, and to check
     * the checkpoints. The caller closes {@link #cluster}.
     */
    static FaultScenarios start(Path runDirectory, int clusters, String failpoints) throws IOException {
        Path config = Files.createDirectories(runDirectory).resolve("shardbank.conf");
        Files.writeString(config, "shardbank.storage.log-retain-slots = " + LOG_RETAIN_SLOTS + "\n");
        log("starting the node processes of " + clusters + " clusters, fail points " + failpoints);
        ProcessCluster cluster = ProcessCluster.start(runDirectory, clusters, config,
                List.of("-D" + Failpoints.PROPERTY + "=" + failpoints));
        try {
            cluster.flushUntilLeading(PATIENCE.dividedBy(3), cluster.topology().allClusters().stream()
                    .map(clusterId -> cluster.topology().nodesOf(clusterId).get(0)).toList());
        } catch (RuntimeException | AssertionError e) {
            cluster.close();
            throw e;
        }
        log("all listen at base port " + cluster.settings().network().basePort() + " and are flushed");
        return new FaultScenarios(cluster);
    }

    // ---------------------------------------------------------------- scenario steps

    TransferStream startStream(List<TransferStream.Pair> pairs, int inFlight) {
        TransferStream stream = TransferStream.start(client, pairs, inFlight);
        streams.add(stream);
        log("started " + pairs.size() + " pairs from item " + pairs.get(0).first + " to item " + pairs.get(0).second
                + " on, " + inFlight + " transfers in flight");
        return stream;
    }

    /** Waits until the fail point fired and its node's process is gone. */
    Fired awaitFailpoint(FailPoint point) {
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
    void rideOutAndRestart(NodeId victim, ClusterId victimCluster, TransferStream stream) {
        NodeId successor = awaitLeader(victimCluster);
        log(successor + " leads " + victimCluster + " at " + client.status(successor).ballot());
        awaitCommits(stream, COMMITS_PER_STRETCH, "while " + victim + " is down");
        cluster.restart(victim);
        unreachable.remove(victim);
        log("restarted " + victim);
        awaitCommits(stream, COMMITS_PER_STRETCH, "after " + victim + " restarted");
    }

    void awaitCommits(TransferStream stream, int count, String when) {
        int target = stream.committed() + count;
        Eventually.await(PATIENCE, count + " transfers commit " + when,
                () -> stream.committed() >= target || stream.exhausted());
        assertThat(stream.committed()).as("transfers committed %s (the stream ran out: %s)", when, stream)
                .isGreaterThanOrEqualTo(target);
        log(count + " more transfers committed " + when + " (" + stream + ")");
    }

    /** The node that leads the cluster, among those reachable, once one does. */
    NodeId awaitLeader(ClusterId clusterId) {
        NodeId[] leader = new NodeId[1];
        Eventually.await(PATIENCE, "a reachable node leads " + clusterId, () -> {
            leader[0] = null;
            for (NodeId node : reachable(clusterId)) {
                if (client.status(node).role().equals("LEADER")) {
                    leader[0] = node;
                }
            }
            return leader[0] != null;
        });
        return leader[0];
    }

    /** The node is paused (or otherwise gone) until {@link #reachableAgain}: it is not asked. */
    void unreachable(NodeId node) {
        unreachable.add(node);
    }

    void reachableAgain(NodeId node) {
        unreachable.remove(node);
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

    /** The first item of the cluster's initial range. */
    int firstItem(ClusterId clusterId) {
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
    Map<ClusterId, List<ReplicaFile>> quiesceAndCheck() throws InterruptedException {
        awaitQuiet();
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

    /**
     * Stops every stream and waits until every node applied everything its cluster chose and holds
     * no lock and no transaction: a node stopped before that holds a file behind its cluster's.
     */
    void awaitQuiet() throws InterruptedException {
        stopStreams();
        Eventually.await(PATIENCE, "every node applied all its cluster chose and holds no lock and no transaction",
                this::quiet);
    }

    /** Stops every stream, should a failed scenario have left one running; each waits for its outcomes. */
    void stopStreams() throws InterruptedException {
        for (TransferStream stream : streams) {
            stream.stop();
        }
    }

    private boolean quiet() {
        for (int index = 1; index <= clusters; index++) {
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

    Map<ClusterId, List<ReplicaFile>> readAllFiles() {
        Map<ClusterId, List<ReplicaFile>> files = new LinkedHashMap<>();
        for (int index = 1; index <= clusters; index++) {
            ClusterId clusterId = new ClusterId(index);
            files.put(clusterId, settings.topology().nodesOf(clusterId).stream()
                    .map(cluster::replicaFile).toList());
        }
        return files;
    }

    /**
     * The replicas of each cluster hold the same chosen values and reach the same state (the same
     * from their checkpoint as from the whole log: balances, shard map version and the items owned),
     * with no lock and no transaction; every item is owned by exactly one cluster; money is
     * conserved; every stream's account holds.
     */
    void checkFiles(Map<ClusterId, List<ReplicaFile>> files) {
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
                assertThat(replica.shard.shardMap().version()).as("shard map version of %s and %s", replica.node,
                        first.node).isEqualTo(first.shard.shardMap().version());
                assertThat(replica.shard.lockCount()).as("locks in the file of %s", replica.node).isZero();
                assertThat(replica.shard.txns()).as("transactions in the file of %s", replica.node).isEmpty();
                assertThat(replica.holdsWholeLog()).as("%s keeps its whole log", replica.node).isTrue();
                ShardStateMachine fromStart = replica.replayFromStart();
                assertThat(differences(fromStart.allBalances(), replica.shard.allBalances()))
                        .as("items whose balance differs in %s from its checkpoint and from its whole log",
                                replica.node).isEmpty();
                assertThat(fromStart.shardMap().version()).as("shard map version of %s from its checkpoint and its whole log",
                        replica.node).isEqualTo(replica.shard.shardMap().version());
            }
            balances.putAll(first.shard.allBalances());
            log(clusterId + ": shard map v" + first.shard.shardMap().version() + ", "
                    + first.shard.allBalances().size() + " items owned; " + replicas);
        });
        checkSingleOwners(files);
        assertThat(balances).hasSize(settings.topology().itemCount());
        assertThat(balances.values().stream().mapToLong(Long::longValue).sum()).as("money in all clusters")
                .isEqualTo(settings.topology().initialBalance() * settings.topology().itemCount());
        for (TransferStream stream : streams) {
            stream.pairs().forEach(pair -> pair.check(balances, settings.topology().initialBalance()));
        }
    }

    /** Every item is owned by exactly one cluster, by every replica of it (and by no replica of the others). */
    private void checkSingleOwners(Map<ClusterId, List<ReplicaFile>> files) {
        List<String> wrong = new ArrayList<>();
        for (int item = 1; item <= settings.topology().itemCount(); item++) {
            List<NodeId> owners = new ArrayList<>();
            for (List<ReplicaFile> replicas : files.values()) {
                for (ReplicaFile replica : replicas) {
                    if (replica.shard.owns(item)) {
                        owners.add(replica.node);
                    }
                }
            }
            if (owners.size() != settings.topology().nodesPerCluster()
                    || owners.stream().map(settings.topology()::clusterOf).distinct().count() != 1) {
                wrong.add(item + " owned by " + owners);
            }
        }
        assertThat(wrong).as("items not owned by exactly one cluster (all its replicas)").isEmpty();
    }

    /** The cluster that owns {@code item} in the files (checked to be one by {@link #checkFiles}). */
    static ClusterId ownerOf(Map<ClusterId, List<ReplicaFile>> files, int item) {
        return files.entrySet().stream().filter(entry -> entry.getValue().get(0).shard.owns(item))
                .map(Map.Entry::getKey).findFirst()
                .orElseThrow(() -> new AssertionError("no cluster owns item " + item));
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

    /** What the chosen log of the cluster did to the transaction (every replica's log is the same). */
    static List<TxnStep> history(Map<ClusterId, List<ReplicaFile>> files, ClusterId clusterId, RequestId txn) {
        return files.get(clusterId).get(0).history(txn);
    }

    static void log(String event) {
        System.out.printf("%tT.%<tL %s%n", System.currentTimeMillis(), event);
    }
}
