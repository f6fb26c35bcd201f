package io.shardbank.harness;

import io.shardbank.model.NodeId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * What {@code PrintDB} shows: for every node, its own balances of the items the set modified (those
 * its cluster owns), or that it did not answer.
 */
public record DbSnapshot(List<NodeDb> nodes) {

    /** One node's balances by item; empty when the node did not answer in time. */
    public record NodeDb(NodeId node, Optional<SortedMap<Integer, Long>> balances) {

        public NodeDb {
            balances = balances.map(b -> Collections.unmodifiableSortedMap(new TreeMap<>(b)));
        }

        String describe() {
            if (balances.isEmpty()) {
                return node + " : unreachable";
            }
            if (balances.get().isEmpty()) {
                return node + " : (no modified items)";
            }
            return node + " : " + balances.get().entrySet().stream()
                    .map(e -> e.getKey() + " = " + e.getValue()).collect(Collectors.joining(", "));
        }
    }

    public DbSnapshot {
        nodes = List.copyOf(nodes);
    }

    /** The nodes that did not answer. */
    public List<NodeId> unreachable() {
        return nodes.stream().filter(n -> n.balances().isEmpty()).map(NodeDb::node).toList();
    }

    /** Node to item to balance, for the nodes that answered. */
    public SortedMap<NodeId, SortedMap<Integer, Long>> reachableBalances() {
        SortedMap<NodeId, SortedMap<Integer, Long>> result = new TreeMap<>();
        nodes.forEach(n -> n.balances().ifPresent(b -> result.put(n.node(), b)));
        return result;
    }

    /** The header line and one line per node. */
    public List<String> describe() {
        List<String> lines = new ArrayList<>();
        lines.add("Input: PrintDB; Output:");
        nodes.forEach(n -> lines.add(n.describe()));
        return lines;
    }
}
