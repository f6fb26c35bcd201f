package io.shardbank.shard;

import io.shardbank.model.Invariants;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A cluster's part in migrating items: the source ({@code fromCluster}) hands {@code items} over,
 * the target ({@code toCluster}) takes them over. A migration is a cross-cluster transaction whose
 * parts change ownership instead of balances, so it commits, recovers and aborts exactly as a
 * transfer across clusters does: the source coordinates, its prepare freezes the items and records
 * their balances ({@code values} empty), the target's prepare carries those balances and holds them
 * inactive, and one decision in the source's log settles both.
 *
 * @param items the items that move, ascending
 * @param mapVersion the shard map version the plan this batch belongs to makes
 * @param values the items' balances as the source froze them; empty in the source's own prepare
 */
public record Handover(List<Integer> items, int fromCluster, int toCluster, long mapVersion,
        Map<Integer, Long> values) {

    public Handover {
        items = List.copyOf(items);
        values = Map.copyOf(values);
        Invariants.check(!items.isEmpty(), "a handover moves at least one item");
        Invariants.check(fromCluster != toCluster, "a handover from c%d to itself", fromCluster);
        Invariants.check(values.isEmpty() || values.keySet().equals(Set.copyOf(items)),
                "a handover of %s carries values of %s", items, values.keySet());
    }

    /** The target's part: the same items with the balances the source froze. */
    public Handover withValues(Map<Integer, Long> frozen) {
        return new Handover(items, fromCluster, toCluster, mapVersion, frozen);
    }

    /** Whether {@code cluster} gives the items up (else it takes them). */
    public boolean isSource(int cluster) {
        return fromCluster == cluster;
    }
}
