package io.shardbank.shard;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.IntUnaryOperator;

/**
 * Where an operation runs, computed once at admission: the cluster that coordinates it, the other
 * clusters it touches, each cluster's deltas, and for a migration the handover the source prepares.
 * An operation with no participants runs in one slot of the coordinator's log.
 *
 * @param participants the clusters other than the coordinator, ascending
 * @param deltas every involved cluster's deltas (the coordinator's included, possibly empty)
 * @param handover the source's part of a migration (without values), or null
 */
public record Route(int coordinator, List<Integer> participants, Map<Integer, List<ItemDelta>> deltas,
        Handover handover) {

    public Route {
        participants = List.copyOf(participants);
        deltas = Map.copyOf(deltas);
    }

    /**
     * Routes an operation from cluster {@code self}.
     *
     * @param ownerOf the cluster believed to own an item: the shard's own map for its items, the
     *     best hint for the others (a participant that does not own its part refuses, and says where
     *     the item went)
     */
    public static Route of(Operation operation, int self, IntUnaryOperator ownerOf) {
        if (operation instanceof Operation.Migrate migrate) {
            Handover handover = new Handover(migrate.items(), migrate.fromCluster(), migrate.toCluster(),
                    migrate.mapVersion(), Map.of());
            return new Route(migrate.fromCluster(), List.of(migrate.toCluster()),
                    Map.of(migrate.fromCluster(), List.of(), migrate.toCluster(), List.of()), handover);
        }
        Map<Integer, List<ItemDelta>> deltas = new LinkedHashMap<>();
        deltas.put(self, new ArrayList<>());
        TreeSet<Integer> participants = new TreeSet<>();
        for (ItemDelta delta : Operation.deltasOf(operation)) {
            int owner = ownerOf.applyAsInt(delta.item());
            deltas.computeIfAbsent(owner, c -> new ArrayList<>()).add(delta);
            if (owner != self) {
                participants.add(owner);
            }
        }
        return new Route(self, new ArrayList<>(participants), deltas, null);
    }

    /** Whether the operation runs in the coordinator's cluster alone. */
    public boolean isLocal() {
        return participants.isEmpty();
    }
}
