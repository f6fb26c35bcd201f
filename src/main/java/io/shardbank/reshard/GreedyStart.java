package io.shardbank.reshard;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * The greedy start of refinement: items that transactions connect are gathered in one cluster
 * before refinement begins. Each connected group of items (a connected component of the
 * hypergraph) goes whole to the cluster holding most of it, if that cluster has room; a group too
 * big for that has its transactions gathered one by one instead, heaviest first, each whose items
 * no earlier gathering took. Heavier groups and transactions go first, as they save the most.
 *
 * <p>Why: moving one item at a time, refinement sees no gain in the first moves of a wide
 * transaction (ten items over three clusters stay cut until the last of them arrives, and stay as
 * connected while two of them share a cluster), so it stalls on such plateaus; gathering a whole
 * group or transaction is one step over the plateau. This is one level of hyperedge coarsening,
 * with refinement then working on single items again.
 */
final class GreedyStart {

    private GreedyStart() {
    }

    /** A start assignment (0-based parts by item) with what fits gathered; {@code home} is not changed. */
    static int[] gather(Hypergraph graph, int[] home, int parts, int capacity) {
        Gathering gathering = new Gathering(home, parts, capacity);
        for (Component component : components(graph)) {
            if (!gathering.tryGather(component.items())) {
                gatherTransactions(graph, component, gathering);
            }
        }
        return gathering.assignment;
    }

    /** The items of one connected component, its edges and their total weight. */
    private record Component(List<Integer> items, List<Integer> edges, long weight) {
    }

    private static void gatherTransactions(Hypergraph graph, Component component, Gathering gathering) {
        List<Integer> edges = new ArrayList<>(component.edges());
        edges.sort(Comparator.<Integer>comparingInt(graph::weight).reversed()
                .thenComparing(Comparator.<Integer>comparingInt(graph::pinCount).reversed())
                .thenComparingInt(edge -> edge));
        for (int edge : edges) {
            gathering.tryGather(graph.itemsOf(edge));
        }
    }

    /** The assignment being built, the parts' loads, and which items a gathering already took. */
    private static final class Gathering {
        private final int[] assignment;
        private final int[] load;
        private final boolean[] taken;
        private final int capacity;

        Gathering(int[] home, int parts, int capacity) {
            this.assignment = Arrays.copyOf(home, home.length);
            this.load = new int[parts];
            this.taken = new boolean[home.length];
            this.capacity = capacity;
            for (int item = 1; item < home.length; item++) {
                load[home[item]]++;
            }
        }

        /**
         * Moves {@code items} to the part holding most of them (the lowest such part on a tie) if
         * none is taken and that part has room; returns whether they are together now.
         */
        boolean tryGather(List<Integer> items) {
            int[] count = new int[load.length];
            for (int item : items) {
                if (taken[item]) {
                    return false;
                }
                count[assignment[item]]++;
            }
            int target = 0;
            for (int part = 1; part < count.length; part++) {
                target = count[part] > count[target] ? part : target;
            }
            if (load[target] + items.size() - count[target] > capacity && count[target] < items.size()) {
                return false;
            }
            for (int item : items) {
                load[assignment[item]]--;
                assignment[item] = target;
                load[target]++;
                taken[item] = true;
            }
            return true;
        }
    }

    /** The components with at least one edge, heaviest first, then by their smallest item. */
    private static List<Component> components(Hypergraph graph) {
        int[] root = new int[graph.itemCount() + 1];
        for (int item = 1; item <= graph.itemCount(); item++) {
            root[item] = item;
        }
        for (int edge = 0; edge < graph.edgeCount(); edge++) {
            for (int p = 1; p < graph.pinCount(edge); p++) {
                union(root, graph.pin(edge, 0), graph.pin(edge, p));
            }
        }
        return collect(graph, root);
    }

    private static List<Component> collect(Hypergraph graph, int[] root) {
        List<List<Integer>> itemsByRoot = new ArrayList<>();
        List<List<Integer>> edgesByRoot = new ArrayList<>();
        long[] weightByRoot = new long[graph.itemCount() + 1];
        for (int item = 0; item <= graph.itemCount(); item++) {
            itemsByRoot.add(new ArrayList<>());
            edgesByRoot.add(new ArrayList<>());
        }
        for (int item = 1; item <= graph.itemCount(); item++) {
            if (graph.degree(item) > 0) {
                itemsByRoot.get(find(root, item)).add(item);
            }
        }
        for (int edge = 0; edge < graph.edgeCount(); edge++) {
            int r = find(root, graph.pin(edge, 0));
            edgesByRoot.get(r).add(edge);
            weightByRoot[r] += graph.weight(edge);
        }
        List<Component> components = new ArrayList<>();
        for (int r = 1; r <= graph.itemCount(); r++) {
            if (!edgesByRoot.get(r).isEmpty()) {
                components.add(new Component(itemsByRoot.get(r), edgesByRoot.get(r), weightByRoot[r]));
            }
        }
        components.sort(Comparator.comparingLong(Component::weight).reversed()
                .thenComparingInt(c -> c.items().get(0)));
        return components;
    }

    private static int find(int[] root, int item) {
        while (root[item] != item) {
            root[item] = root[root[item]];
            item = root[item];
        }
        return item;
    }

    private static void union(int[] root, int a, int b) {
        int ra = find(root, a);
        int rb = find(root, b);
        if (ra != rb) {
            root[Math.max(ra, rb)] = Math.min(ra, rb);
        }
    }
}
