package io.shardbank.reshard;

import java.util.Arrays;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntUnaryOperator;

/**
 * The workload as the partitioner sees it. Every item 1..itemCount is a vertex of weight 1 (an
 * item never touched still occupies its cluster, so it counts for balance); every distinct item set
 * of the {@link AccessLog} is a hyperedge weighted by how often it occurred. A hyperedge whose items
 * lie in more than one cluster is a transaction that needs two-phase commit; the sum of their
 * weights is the cut the planner lowers.
 *
 * <p>Stored in compressed arrays (pins of each edge, edges of each item), ordered by item set, so
 * building it twice from the same log gives the same graph.
 */
public final class Hypergraph {

    private final int itemCount;
    private final int[] edgeStart;
    private final int[] pins;
    private final int[] edgeWeight;
    private final int[] incidenceStart;
    private final int[] incidence;

    private Hypergraph(int itemCount, int[] edgeStart, int[] pins, int[] edgeWeight) {
        this.itemCount = itemCount;
        this.edgeStart = edgeStart;
        this.pins = pins;
        this.edgeWeight = edgeWeight;
        this.incidenceStart = new int[itemCount + 2];
        this.incidence = new int[pins.length];
        indexIncidence();
    }

    /**
     * The hypergraph of {@code log} over items 1..itemCount.
     *
     * @throws IllegalArgumentException if the log names an item above {@code itemCount}
     */
    public static Hypergraph of(AccessLog log, int itemCount) {
        List<List<Integer>> logged = log.itemSets();
        int[][] sets = new int[logged.size()][];
        for (int i = 0; i < sets.length; i++) {
            sets[i] = logged.get(i).stream().mapToInt(Integer::intValue).toArray();
        }
        return ofItemSets(itemCount, sets);
    }

    /**
     * The hypergraph of transactions given as item sets, each ascending without repeats and of at
     * least two items, over items 1..itemCount. Equal sets become one edge weighted by their count.
     *
     * @throws IllegalArgumentException if a set names an item above {@code itemCount}
     */
    public static Hypergraph ofItemSets(int itemCount, int[][] sets) {
        if (itemCount < 1) {
            throw new IllegalArgumentException("a hypergraph needs at least 1 item, got " + itemCount);
        }
        for (int[] set : sets) {
            int highest = set[set.length - 1];
            if (highest > itemCount) {
                throw new IllegalArgumentException("the access log names item " + highest + ", but items are 1.."
                        + itemCount);
            }
        }
        int[][] sorted = sets.clone();
        Arrays.sort(sorted, Arrays::compare);
        List<WeightedSet> distinct = new ArrayList<>();
        for (int i = 0; i < sorted.length; ) {
            int j = i + 1;
            while (j < sorted.length && Arrays.equals(sorted[i], sorted[j])) {
                j++;
            }
            distinct.add(new WeightedSet(sorted[i], j - i));
            i = j;
        }
        return fromSets(itemCount, distinct);
    }

    /** A distinct item set and how often it occurred. */
    private record WeightedSet(int[] items, int weight) {
    }

    private static Hypergraph fromSets(int itemCount, List<WeightedSet> sets) {
        int[] edgeStart = new int[sets.size() + 1];
        int[] edgeWeight = new int[sets.size()];
        int[] pins = new int[sets.stream().mapToInt(set -> set.items().length).sum()];
        int next = 0;
        for (int edge = 0; edge < sets.size(); edge++) {
            int[] items = sets.get(edge).items();
            edgeStart[edge] = next;
            edgeWeight[edge] = sets.get(edge).weight();
            System.arraycopy(items, 0, pins, next, items.length);
            next += items.length;
        }
        edgeStart[sets.size()] = next;
        return new Hypergraph(itemCount, edgeStart, pins, edgeWeight);
    }

    /** Counting sort of the pins by item, so each item's edges are at hand. */
    private void indexIncidence() {
        for (int pin : pins) {
            incidenceStart[pin + 1]++;
        }
        for (int item = 1; item <= itemCount + 1; item++) {
            incidenceStart[item] += incidenceStart[item - 1];
        }
        int[] fill = Arrays.copyOf(incidenceStart, incidenceStart.length);
        for (int edge = 0; edge < edgeCount(); edge++) {
            for (int i = edgeStart[edge]; i < edgeStart[edge + 1]; i++) {
                incidence[fill[pins[i]]++] = edge;
            }
        }
    }

    public int itemCount() {
        return itemCount;
    }

    public int edgeCount() {
        return edgeWeight.length;
    }

    /** How many recorded transactions touched exactly this edge's items. */
    public int weight(int edge) {
        return edgeWeight[edge];
    }

    /** The edge's items, ascending. */
    public List<Integer> itemsOf(int edge) {
        return Arrays.stream(pins, edgeStart[edge], edgeStart[edge + 1]).boxed().toList();
    }

    /** The sum of all edge weights: the multi-item transactions the graph was built from. */
    public long totalWeight() {
        return Arrays.stream(edgeWeight).asLongStream().sum();
    }

    /** The number of edges {@code item} is a pin of; 0 for an item no transaction touched. */
    public int degree(int item) {
        return incidenceStart[item + 1] - incidenceStart[item];
    }

    /**
     * The weight of the edges whose items lie in more than one part: the recorded transactions that
     * would cross clusters under {@code partOf}.
     */
    public long cut(IntUnaryOperator partOf) {
        long cut = 0;
        for (int edge = 0; edge < edgeCount(); edge++) {
            int first = partOf.applyAsInt(pins[edgeStart[edge]]);
            for (int i = edgeStart[edge] + 1; i < edgeStart[edge + 1]; i++) {
                if (partOf.applyAsInt(pins[i]) != first) {
                    cut += edgeWeight[edge];
                    break;
                }
            }
        }
        return cut;
    }

    // Raw access for the partitioner's inner loops, which must not allocate.

    int edgeOf(int item, int index) {
        return incidence[incidenceStart[item] + index];
    }

    int pinCount(int edge) {
        return edgeStart[edge + 1] - edgeStart[edge];
    }

    int pin(int edge, int index) {
        return pins[edgeStart[edge] + index];
    }
}
