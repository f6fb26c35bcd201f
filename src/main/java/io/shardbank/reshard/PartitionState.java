package io.shardbank.reshard;

import io.shardbank.model.Invariants;
import java.util.Arrays;

/**
 * One assignment of items to parts (0-based; part p is cluster p+1) with what refinement needs at
 * hand: each part's load, each edge's pins per part and the number of parts it spans, the cut, and
 * how many items are away from the part they started in ("home", the current shard map). Every
 * move keeps these up to date in time proportional to the item's edges.
 */
final class PartitionState {

    private final Hypergraph graph;
    private final int parts;
    private final int capacity;
    private final int[] home;
    private final int[] partOf;
    private final int[] load;
    private final int[] pinsInPart;
    private final int[] partsSpanned;
    private long cut;
    private int awayFromHome;

    /**
     * {@code home[item]} is the item's part in the current shard map, {@code start[item]} where
     * refinement starts (index 0 unused in both); every part must be in 0..parts-1.
     */
    PartitionState(Hypergraph graph, int parts, int capacity, int[] home, int[] start) {
        Invariants.check(home.length == graph.itemCount() + 1 && start.length == home.length, "one part per item");
        this.graph = graph;
        this.parts = parts;
        this.capacity = capacity;
        this.home = Arrays.copyOf(home, home.length);
        this.partOf = Arrays.copyOf(start, start.length);
        this.load = new int[parts];
        this.pinsInPart = new int[graph.edgeCount() * parts];
        this.partsSpanned = new int[graph.edgeCount()];
        for (int item = 1; item <= graph.itemCount(); item++) {
            Invariants.check(start[item] >= 0 && start[item] < parts && home[item] >= 0 && home[item] < parts,
                    "item %d: part %d, home %d, of %d parts", item, start[item], home[item], parts);
            load[start[item]]++;
            awayFromHome += start[item] == home[item] ? 0 : 1;
        }
        countPins();
    }

    private void countPins() {
        for (int edge = 0; edge < graph.edgeCount(); edge++) {
            for (int i = 0; i < graph.pinCount(edge); i++) {
                if (pinsInPart[edge * parts + partOf[graph.pin(edge, i)]]++ == 0) {
                    partsSpanned[edge]++;
                }
            }
            if (partsSpanned[edge] > 1) {
                cut += graph.weight(edge);
            }
        }
    }

    Hypergraph graph() {
        return graph;
    }

    int parts() {
        return parts;
    }

    int partOf(int item) {
        return partOf[item];
    }

    int home(int item) {
        return home[item];
    }

    /** A copy of the assignment, indexed by item. */
    int[] assignment() {
        return Arrays.copyOf(partOf, partOf.length);
    }

    long cut() {
        return cut;
    }

    int awayFromHome() {
        return awayFromHome;
    }

    int load(int part) {
        return load[part];
    }

    int capacity() {
        return capacity;
    }

    boolean isOverloaded(int part) {
        return load[part] > capacity;
    }

    boolean isBalanced() {
        return Arrays.stream(load).allMatch(l -> l <= capacity);
    }

    /** Moves {@code item} to part {@code to}, updating loads, pin counts and the cut. */
    void move(int item, int to) {
        int from = partOf[item];
        Invariants.check(from != to, "item %d is already in part %d", item, to);
        for (int i = 0; i < graph.degree(item); i++) {
            moveEdgePin(graph.edgeOf(item, i), from, to);
        }
        partOf[item] = to;
        load[from]--;
        load[to]++;
        awayFromHome += (from == home[item] ? 1 : 0) - (to == home[item] ? 1 : 0);
    }

    private void moveEdgePin(int edge, int from, int to) {
        boolean wasCut = partsSpanned[edge] > 1;
        if (--pinsInPart[edge * parts + from] == 0) {
            partsSpanned[edge]--;
        }
        if (pinsInPart[edge * parts + to]++ == 0) {
            partsSpanned[edge]++;
        }
        boolean isCut = partsSpanned[edge] > 1;
        cut += (isCut ? graph.weight(edge) : 0) - (wasCut ? graph.weight(edge) : 0);
    }

    /** The gain of moving {@code item} to each part; the entry of its own part is null. */
    Gain[] gains(int item) {
        int from = partOf[item];
        long[] cutGain = new long[parts];
        long[] connectivityGain = new long[parts];
        for (int i = 0; i < graph.degree(item); i++) {
            int edge = graph.edgeOf(item, i);
            addEdgeGains(edge, from, cutGain, connectivityGain);
        }
        Gain[] gains = new Gain[parts];
        for (int to = 0; to < parts; to++) {
            if (to != from) {
                int homeward = (to == home[item] ? 1 : 0) - (from == home[item] ? 1 : 0);
                gains[to] = new Gain(cutGain[to], connectivityGain[to], homeward);
            }
        }
        return gains;
    }

    /** One edge's share of the gains of moving one of its pins out of {@code from}. */
    private void addEdgeGains(int edge, int from, long[] cutGain, long[] connectivityGain) {
        int weight = graph.weight(edge);
        int size = graph.pinCount(edge);
        int inFrom = pinsInPart[edge * parts + from];
        boolean wasCut = inFrom != size;
        for (int to = 0; to < parts; to++) {
            if (to == from) {
                continue;
            }
            int inTo = pinsInPart[edge * parts + to];
            boolean isCut = inTo + 1 != size;
            cutGain[to] += (wasCut ? weight : 0) - (isCut ? weight : 0);
            connectivityGain[to] += (inFrom == 1 ? weight : 0) - (inTo == 0 ? weight : 0);
        }
    }
}
