package io.shardbank.reshard;

import java.util.Arrays;
import java.util.random.RandomGenerator;

/**
 * One coarsening step of the multilevel partitioner: vertices that share heavy transactions are
 * clustered, and each cluster becomes one vertex of the next level.
 *
 * <p>Visiting the vertices in a seeded random order, each vertex not yet clustered joins the
 * neighbouring cluster it is most strongly tied to: the heavy-edge rating, the sum over shared
 * edges of weight / (pins - 1), divided by the product of the two weights so that clusters stay
 * of similar size. A neighbour whose items mostly live in the same cluster of the current map as
 * the vertex's rates {@link #SAME_HOME_BONUS} higher: a weak preference that keeps coarse vertices
 * whole in one current cluster, so that placing them moves few items. When a partition to respect
 * is given (a V-cycle), only vertices of the same part may join, so that partition stays valid
 * on the coarse level.
 */
final class Coarsener {

    /** How much more a neighbour from the same current cluster rates: a preference, not a rule. */
    static final double SAME_HOME_BONUS = 1.5;
    /** Edges over more pins than this carry little affinity per pin and cost much to scan. */
    static final int RATED_EDGE_PINS_MAX = 200;

    /** The next level and where each vertex of this level went in it. */
    record Step(LevelGraph coarse, int[] coarseOf) {
    }

    private Coarsener() {
    }

    /**
     * Clusters {@code graph}'s vertices; no cluster outweighs {@code vertexWeightMax}, and none
     * spans two parts of {@code respect} when it is not null. Stops clustering once the vertex
     * count falls to {@code vertexCountTarget}.
     */
    static Step coarsen(LevelGraph graph, int vertexWeightMax, int vertexCountTarget, int[] respect,
            RandomGenerator random) {
        int n = graph.vertexCount;
        int parts = graph.parts;
        int[] clusterOf = new int[n];
        Arrays.fill(clusterOf, -1);
        int[] clusterWeight = new int[n];
        int[] clusterHome = new int[n * parts];
        double[] rating = new double[n];
        int[] touched = new int[n];
        int clusters = graph.linkedVertexCount();
        int[] dominant = new int[n];
        for (int v = 0; v < n; v++) {
            dominant[v] = dominantHome(graph.homeWeight, v, parts);
        }
        for (int u : permutation(n, random)) {
            if (clusterOf[u] >= 0) {
                continue;
            }
            int best = -1;
            if (clusters > vertexCountTarget && graph.degree(u) > 0) {
                best = bestNeighbour(graph, u, clusterOf, clusterWeight, dominant, respect, vertexWeightMax,
                        rating, touched);
            }
            int target = best < 0 ? u : (clusterOf[best] >= 0 ? clusterOf[best] : best);
            if (best >= 0 && clusterOf[best] < 0) {
                clusterOf[best] = best;
                clusterWeight[best] = graph.vertexWeight[best];
                addHome(graph, best, clusterHome, best);
            }
            clusterOf[u] = target;
            clusterWeight[target] += graph.vertexWeight[u];
            addHome(graph, u, clusterHome, target);
            if (best >= 0) {
                dominant[target] = dominantHome(clusterHome, target, parts);
                clusters--;
            }
        }
        return contract(graph, clusterOf);
    }

    private static void addHome(LevelGraph graph, int vertex, int[] clusterHome, int cluster) {
        for (int p = 0; p < graph.parts; p++) {
            clusterHome[cluster * graph.parts + p] += graph.homeWeight[vertex * graph.parts + p];
        }
    }

    /** The neighbour (a vertex; its cluster if it has one) {@code u} is best joined with, or -1. */
    private static int bestNeighbour(LevelGraph graph, int u, int[] clusterOf, int[] clusterWeight,
            int[] dominant, int[] respect, int vertexWeightMax, double[] rating, int[] touched) {
        int touchedCount = 0;
        for (int i = graph.incidenceStart[u]; i < graph.incidenceStart[u + 1]; i++) {
            int edge = graph.incidence[i];
            int size = graph.pinCount(edge);
            if (size > RATED_EDGE_PINS_MAX) {
                continue;
            }
            double score = (double) graph.edgeWeight[edge] / (size - 1);
            for (int p = graph.edgeStart[edge]; p < graph.edgeStart[edge + 1]; p++) {
                int v = graph.pins[p];
                int key = clusterOf[v] >= 0 ? clusterOf[v] : v;
                if (v == u || key == u || (respect != null && respect[v] != respect[u])) {
                    continue;
                }
                if (rating[key] == 0) {
                    touched[touchedCount++] = key;
                }
                rating[key] += score;
            }
        }
        int uHome = dominant[u];
        int best = -1;
        double bestRating = 0;
        for (int t = 0; t < touchedCount; t++) {
            int key = touched[t];
            boolean clustered = clusterOf[key] >= 0;
            int weight = clustered ? clusterWeight[key] : graph.vertexWeight[key];
            if (weight + graph.vertexWeight[u] <= vertexWeightMax) {
                int home = dominant[key];
                double r = rating[key] / ((double) weight * graph.vertexWeight[u]) * (home == uHome ? SAME_HOME_BONUS
                        : 1.0);
                if (r > bestRating || (r == bestRating && best >= 0 && key < best)) {
                    bestRating = r;
                    best = key;
                }
            }
            rating[key] = 0;
        }
        return best;
    }

    private static int dominantHome(int[] homeWeight, int vertex, int parts) {
        int best = 0;
        for (int p = 1; p < parts; p++) {
            if (homeWeight[vertex * parts + p] > homeWeight[vertex * parts + best]) {
                best = p;
            }
        }
        return best;
    }

    static int[] permutation(int n, RandomGenerator random) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int swap = order[i];
            order[i] = order[j];
            order[j] = swap;
        }
        return order;
    }

    /** The coarse level: clusters numbered in order of their representative, edges mapped and merged. */
    static Step contract(LevelGraph graph, int[] clusterOf) {
        int n = graph.vertexCount;
        int parts = graph.parts;
        int[] coarseId = new int[n];
        Arrays.fill(coarseId, -1);
        int count = 0;
        for (int v = 0; v < n; v++) {
            int rep = clusterOf[v];
            if (coarseId[rep] < 0) {
                coarseId[rep] = count++;
            }
        }
        int[] coarseOf = new int[n];
        int[] weight = new int[count];
        int[] home = new int[count * parts];
        for (int v = 0; v < n; v++) {
            int c = coarseId[clusterOf[v]];
            coarseOf[v] = c;
            weight[c] += graph.vertexWeight[v];
            for (int p = 0; p < parts; p++) {
                home[c * parts + p] += graph.homeWeight[v * parts + p];
            }
        }
        return new Step(contractEdges(graph, coarseOf, parts, weight, home), coarseOf);
    }

    private static LevelGraph contractEdges(LevelGraph graph, int[] coarseOf, int parts, int[] weight, int[] home) {
        int edges = graph.edgeCount();
        int[] start = new int[edges + 1];
        int[] pins = new int[graph.pins.length];
        int[] edgeWeight = new int[edges];
        int[] mark = new int[weight.length];
        Arrays.fill(mark, -1);
        EdgeTable table = new EdgeTable(edges);
        int kept = 0;
        int next = 0;
        for (int edge = 0; edge < edges; edge++) {
            int first = next;
            for (int p = graph.edgeStart[edge]; p < graph.edgeStart[edge + 1]; p++) {
                int c = coarseOf[graph.pins[p]];
                if (mark[c] != edge) {
                    mark[c] = edge;
                    pins[next++] = c;
                }
            }
            if (next - first < 2) {
                next = first;
                continue;
            }
            Arrays.sort(pins, first, next);
            start[kept] = first;
            int same = table.findOrAdd(pins, start, first, next, kept);
            if (same >= 0) {
                edgeWeight[same] += graph.edgeWeight[edge];
                next = first;
            } else {
                edgeWeight[kept] = graph.edgeWeight[edge];
                kept++;
            }
        }
        start[kept] = next;
        return new LevelGraph(parts, weight, home, Arrays.copyOf(start, kept + 1), Arrays.copyOf(pins, next),
                Arrays.copyOf(edgeWeight, kept));
    }

    /** Open addressing over edge ids, keyed by their sorted pins, to merge edges over the same vertices. */
    private static final class EdgeTable {
        private final int[] slots;
        private final long[] hashes;
        private final int mask;

        EdgeTable(int edges) {
            int size = Integer.highestOneBit(Math.max(4, edges * 2)) << 1;
            slots = new int[size];
            hashes = new long[size];
            Arrays.fill(slots, -1);
            mask = size - 1;
        }

        /**
         * The edge already stored with pins[from..to), or -1 after storing {@code edge} as new; the
         * stored edge e spans pins[start[e]..start[e + 1]), with start[edge] = from.
         */
        int findOrAdd(int[] pins, int[] start, int from, int to, int edge) {
            long hash = 0x9E3779B97F4A7C15L;
            for (int i = from; i < to; i++) {
                hash = (hash ^ pins[i]) * 0xBF58476D1CE4E5B9L;
                hash ^= hash >>> 29;
            }
            int slot = (int) (hash ^ (hash >>> 32)) & mask;
            while (slots[slot] >= 0) {
                int other = slots[slot];
                if (hashes[slot] == hash && samePins(pins, start[other], start[other + 1], from, to)) {
                    return other;
                }
                slot = (slot + 1) & mask;
            }
            slots[slot] = edge;
            hashes[slot] = hash;
            return -1;
        }

        private static boolean samePins(int[] pins, int otherFrom, int otherTo, int from, int to) {
            if (otherTo - otherFrom != to - from) {
                return false;
            }
            for (int i = 0; i < to - from; i++) {
                if (pins[otherFrom + i] != pins[from + i]) {
                    return false;
                }
            }
            return true;
        }
    }
}
