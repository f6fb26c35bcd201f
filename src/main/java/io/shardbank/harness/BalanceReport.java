package io.shardbank.harness;

import io.shardbank.model.NodeId;
import java.util.List;
import java.util.OptionalLong;
import java.util.stream.Collectors;

/**
 * Every node's own stored balance of one item (the nodes of the item's cluster), as
 * {@code PrintBalance} shows it.
 */
public record BalanceReport(int item, List<NodeBalance> nodes) {

    /** One node's balance; empty when the node did not answer in time. */
    public record NodeBalance(NodeId node, OptionalLong balance) {
        String describe() {
            return node + " : " + (balance.isPresent() ? Long.toString(balance.getAsLong()) : "unreachable");
        }
    }

    public BalanceReport {
        nodes = List.copyOf(nodes);
    }

    /** For example {@code Input: PrintBalance(4005); Output: n4 : 8, n5 : 8, n6 : 10}. */
    public String describe() {
        return "Input: PrintBalance(" + item + "); Output: "
                + nodes.stream().map(NodeBalance::describe).collect(Collectors.joining(", "));
    }
}
