package io.shardbank.harness;

import io.shardbank.model.ClusterId;
import io.shardbank.model.NodeId;
import io.shardbank.model.Topology;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.stream.IntStream;

/**
 * Reads every replica's balances once the replicas have applied everything chosen (see {@link
 * ReplicaProgress}), and checks that each cluster's replicas hold the same balances. The benchmark
 * runs it after its load has ended, to check that no money appeared or vanished.
 */
public final class ReplicaAudit {

    /**
     * What the replicas hold.
     *
     * @param total the sum of every item's balance, each cluster's items counted once (from its
     *     first replica that answered)
     * @param itemsSeen how many items some replica reported
     * @param replicasIdentical every node answered after catching up, and each cluster's replicas
     *     hold the same balances
     * @param problems what made {@code replicasIdentical} false, one line each
     */
    public record Snapshot(long total, int itemsSeen, boolean replicasIdentical, List<String> problems) {
        public Snapshot {
            problems = List.copyOf(problems);
        }
    }

    private ReplicaAudit() {
    }

    /** Waits up to {@code limit} for the replicas to catch up, then reads them all. */
    public static Snapshot read(ClusterControl control, Duration limit) {
        Topology topology = control.settings().topology();
        List<String> problems = new ArrayList<>();
        try (ClusterQueries queries = new ClusterQueries(control)) {
            if (!queries.awaitCaughtUp(topology.allNodes(), limit).join()) {
                problems.add("replicas had not applied every chosen slot within " + limit.toMillis() + " ms");
            }
            List<Integer> items = IntStream.rangeClosed(1, topology.itemCount()).boxed().toList();
            DbSnapshot db = queries.db(items, limit).join();
            db.unreachable().forEach(node -> problems.add(node + " did not answer"));
            SortedMap<NodeId, SortedMap<Integer, Long>> balances = db.reachableBalances();
            long total = 0;
            int itemsSeen = 0;
            for (ClusterId cluster : topology.allClusters()) {
                SortedMap<Integer, Long> reference = null;
                NodeId referenceNode = null;
                for (NodeId node : topology.nodesOf(cluster)) {
                    SortedMap<Integer, Long> own = balances.get(node);
                    if (own == null) {
                        continue;
                    }
                    if (reference == null) {
                        reference = own;
                        referenceNode = node;
                    } else if (!own.equals(reference)) {
                        problems.add(node + " differs from " + referenceNode + " at " + differences(reference, own)
                                + " items");
                    }
                }
                if (reference != null) {
                    total += reference.values().stream().mapToLong(Long::longValue).sum();
                    itemsSeen += reference.size();
                }
            }
            return new Snapshot(total, itemsSeen, problems.isEmpty(), problems);
        }
    }

    private static long differences(Map<Integer, Long> a, Map<Integer, Long> b) {
        long count = a.entrySet().stream().filter(e -> !e.getValue().equals(b.get(e.getKey()))).count();
        return count + b.keySet().stream().filter(item -> !a.containsKey(item)).count();
    }
}
