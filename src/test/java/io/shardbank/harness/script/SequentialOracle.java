package io.shardbank.harness.script;

import io.shardbank.model.ClusterId;
import io.shardbank.model.NodeId;
import io.shardbank.model.ShardMap;
import io.shardbank.model.Topology;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The expected outcome of a test set when its commands run one at a time in file order, from a
 * flushed start: every item at the topology's initial balance, the set's live list live, and
 * {@code F}/{@code R} changing the live set in order.
 *
 * <p>Rules, in the order they are checked for a transfer: {@link Outcome#REJECTED} when the amount
 * is not positive, sender equals receiver, or an item is outside the topology;
 * {@link Outcome#UNAVAILABLE} when the sender's or receiver's cluster (per the initial shard map)
 * has fewer than a majority of its nodes live; {@link Outcome#ABORTED} when the sender's balance
 * is below the amount; otherwise {@link Outcome#COMMITTED}. A balance read is unavailable without a
 * majority in the item's cluster, else {@link Outcome#OK} with the balance.
 *
 * <p>Expected PrintDB: a node live at the end of the set holds its cluster's committed values,
 * because a recovered node catches up from its cluster. A node failed at the end holds the values
 * as of the moment it last failed (for a node absent from the live list: the initial balances),
 * because it misses every commit after that. This assumes a recovered node has a live, current
 * peer to catch up from, which holds for the course files.
 */
final class SequentialOracle {

    /** What the system should answer for one command. */
    enum Outcome { COMMITTED, ABORTED, REJECTED, UNAVAILABLE, OK, NODE_FAILED, NODE_RECOVERED }

    /** The expected answer to one command; {@code balance} is present for an {@code OK} read. */
    record Expected(ScriptCommand command, Outcome outcome, String reason, OptionalLong balance) {}

    private final Topology topology;
    private final ShardMap shardMap;
    private final Map<Integer, Long> balances = new HashMap<>();
    private final Set<NodeId> live = new TreeSet<>();
    /** Balances each failed node last saw; a node failed from the start saw none changed. */
    private final Map<NodeId, Map<Integer, Long>> seenAtFailure = new HashMap<>();
    private final Set<Integer> modifiedItems = new TreeSet<>();
    private final List<Expected> expectations = new ArrayList<>();

    private SequentialOracle(Topology topology) {
        this.topology = topology;
        this.shardMap = topology.initialShardMap();
    }

    /** Runs the set through the rules above. */
    static SequentialOracle run(Topology topology, TestSet set) {
        SequentialOracle oracle = new SequentialOracle(topology);
        oracle.start(set.liveNodes());
        for (ScriptCommand command : set.commands()) {
            oracle.expectations.add(oracle.execute(command));
        }
        return oracle;
    }

    /** One expectation per command, in file order. */
    List<Expected> expectations() {
        return List.copyOf(expectations);
    }

    /** The expectation for the command on the given file line. */
    Expected at(int line) {
        return expectations.stream().filter(e -> e.command().line() == line).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no command on line " + line));
    }

    /** Final balance of every item a committed transfer touched, by item. */
    SortedMap<Integer, Long> finalBalances() {
        SortedMap<Integer, Long> result = new TreeMap<>();
        modifiedItems.forEach(item -> result.put(item, balance(item)));
        return result;
    }

    /** For each node, the value it holds of each modified item of its cluster (see class doc). */
    SortedMap<NodeId, SortedMap<Integer, Long>> expectedPrintDb() {
        SortedMap<NodeId, SortedMap<Integer, Long>> result = new TreeMap<>();
        for (NodeId node : topology.allNodes()) {
            result.put(node, valuesHeldBy(node));
        }
        return result;
    }

    private SortedMap<Integer, Long> valuesHeldBy(NodeId node) {
        ClusterId cluster = topology.clusterOf(node);
        Map<Integer, Long> source = live.contains(node) ? balances : seenAtFailure.get(node);
        SortedMap<Integer, Long> values = new TreeMap<>();
        for (int item : modifiedItems) {
            if (shardMap.owns(cluster, item)) {
                values.put(item, source.getOrDefault(item, topology.initialBalance()));
            }
        }
        return values;
    }

    private void start(List<NodeId> liveNodes) {
        for (NodeId node : liveNodes) {
            requireNode(node);
            live.add(node);
        }
        for (NodeId node : topology.allNodes()) {
            if (!live.contains(node)) {
                seenAtFailure.put(node, Map.of());
            }
        }
    }

    private Expected execute(ScriptCommand command) {
        if (command instanceof ScriptCommand.Transfer t) {
            return transfer(t);
        }
        if (command instanceof ScriptCommand.BalanceRead r) {
            return read(r);
        }
        if (command instanceof ScriptCommand.Fail f) {
            return fail(f);
        }
        return recover((ScriptCommand.Recover) command);
    }

    private Expected transfer(ScriptCommand.Transfer t) {
        String rejection = rejection(t);
        if (rejection != null) {
            return expected(t, Outcome.REJECTED, rejection);
        }
        for (ClusterId cluster : new LinkedHashSet<>(List.of(clusterOf(t.from()), clusterOf(t.to())))) {
            if (!hasMajority(cluster)) {
                return expected(t, Outcome.UNAVAILABLE, "cluster " + cluster + " has no live majority");
            }
        }
        if (balance(t.from()) < t.amount()) {
            return expected(t, Outcome.ABORTED, "insufficient funds: item " + t.from() + " has "
                    + balance(t.from()) + ", needs " + t.amount());
        }
        apply(t);
        return expected(t, Outcome.COMMITTED, "");
    }

    private String rejection(ScriptCommand.Transfer t) {
        if (t.amount() <= 0) {
            return "amount must be positive, got " + t.amount();
        }
        if (t.from() == t.to()) {
            return "sender and receiver are the same item " + t.from();
        }
        if (!topology.hasItem(t.from()) || !topology.hasItem(t.to())) {
            return "item outside 1.." + topology.itemCount();
        }
        return null;
    }

    private void apply(ScriptCommand.Transfer t) {
        balances.put(t.from(), balance(t.from()) - t.amount());
        balances.put(t.to(), balance(t.to()) + t.amount());
        modifiedItems.add(t.from());
        modifiedItems.add(t.to());
    }

    private Expected read(ScriptCommand.BalanceRead r) {
        if (!topology.hasItem(r.item())) {
            return expected(r, Outcome.REJECTED, "item outside 1.." + topology.itemCount());
        }
        if (!hasMajority(clusterOf(r.item()))) {
            return expected(r, Outcome.UNAVAILABLE, "cluster " + clusterOf(r.item()) + " has no live majority");
        }
        return new Expected(r, Outcome.OK, "", OptionalLong.of(balance(r.item())));
    }

    private Expected fail(ScriptCommand.Fail f) {
        requireNode(f.node());
        if (live.remove(f.node())) {
            seenAtFailure.put(f.node(), Map.copyOf(balances));
        }
        return expected(f, Outcome.NODE_FAILED, "");
    }

    private Expected recover(ScriptCommand.Recover r) {
        requireNode(r.node());
        live.add(r.node());
        seenAtFailure.remove(r.node());
        return expected(r, Outcome.NODE_RECOVERED, "");
    }

    private boolean hasMajority(ClusterId cluster) {
        long liveCount = topology.nodesOf(cluster).stream().filter(live::contains).count();
        return liveCount >= topology.majority();
    }

    private ClusterId clusterOf(int item) {
        return shardMap.clusterOf(item);
    }

    private long balance(int item) {
        return balances.getOrDefault(item, topology.initialBalance());
    }

    private void requireNode(NodeId node) {
        if (!topology.hasNode(node)) {
            throw new IllegalArgumentException("node " + node + " is not in " + topology + "; validate the set first");
        }
    }

    private static Expected expected(ScriptCommand command, Outcome outcome, String reason) {
        return new Expected(command, outcome, reason, OptionalLong.empty());
    }
}
