package io.shardbank.reshard;

import io.shardbank.model.Invariants;
import java.util.Arrays;

/**
 * One level of the multilevel partitioner: a hypergraph whose vertices are groups of items. A
 * vertex weighs the items it holds and remembers how many of them each part owns now ({@code
 * homeWeight}), so the cost of moving it is known at every level. The finest level has one vertex
 * per item (vertex {@code item - 1}); each coarser level merges vertices of the one below.
 *
 * <p>Edges with fewer than two pins are dropped (they can never be cut) and edges over the same
 * vertices are merged into one whose weight is the sum, so coarse levels shrink in edges as well.
 */
final class LevelGraph {

    final int vertexCount;
    final int parts;
    final int[] vertexWeight;
    /** {@code homeWeight[v * parts + p]}: items of vertex v that part p owns in the current map. */
    final int[] homeWeight;
    final int[] edgeStart;
    final int[] pins;
    final int[] edgeWeight;
    final int[] incidenceStart;
    final int[] incidence;

    LevelGraph(int parts, int[] vertexWeight, int[] homeWeight, int[] edgeStart, int[] pins, int[] edgeWeight) {
        Invariants.check(homeWeight.length == vertexWeight.length * parts, "one home weight per vertex and part");
        this.vertexCount = vertexWeight.length;
        this.parts = parts;
        this.vertexWeight = vertexWeight;
        this.homeWeight = homeWeight;
        this.edgeStart = edgeStart;
        this.pins = pins;
        this.edgeWeight = edgeWeight;
        this.incidenceStart = new int[vertexCount + 1];
        this.incidence = new int[pins.length];
        indexIncidence();
    }

    /** The finest level: one vertex per item of {@code graph}; {@code home[item]} is its current part. */
    static LevelGraph ofItems(Hypergraph graph, int[] home, int parts) {
        int n = graph.itemCount();
        int[] vertexWeight = new int[n];
        int[] homeWeight = new int[n * parts];
        for (int item = 1; item <= n; item++) {
            vertexWeight[item - 1] = 1;
            homeWeight[(item - 1) * parts + home[item]] = 1;
        }
        int edges = graph.edgeCount();
        int[] edgeStart = new int[edges + 1];
        int[] edgeWeight = new int[edges];
        int total = 0;
        for (int edge = 0; edge < edges; edge++) {
            total += graph.pinCount(edge);
        }
        int[] pins = new int[total];
        int next = 0;
        for (int edge = 0; edge < edges; edge++) {
            edgeStart[edge] = next;
            edgeWeight[edge] = graph.weight(edge);
            for (int i = 0; i < graph.pinCount(edge); i++) {
                pins[next++] = graph.pin(edge, i) - 1;
            }
        }
        edgeStart[edges] = next;
        return new LevelGraph(parts, vertexWeight, homeWeight, edgeStart, pins, edgeWeight);
    }

    /** Counting sort of the pins by vertex, so each vertex's edges are at hand. */
    private void indexIncidence() {
        for (int pin : pins) {
            incidenceStart[pin]++;
        }
        int sum = 0;
        for (int v = 0; v < vertexCount; v++) {
            int count = incidenceStart[v];
            incidenceStart[v] = sum;
            sum += count;
        }
        incidenceStart[vertexCount] = sum;
        int[] fill = Arrays.copyOf(incidenceStart, vertexCount);
        for (int edge = 0; edge < edgeCount(); edge++) {
            for (int i = edgeStart[edge]; i < edgeStart[edge + 1]; i++) {
                incidence[fill[pins[i]]++] = edge;
            }
        }
    }

    int edgeCount() {
        return edgeWeight.length;
    }

    int pinCount(int edge) {
        return edgeStart[edge + 1] - edgeStart[edge];
    }

    int degree(int vertex) {
        return incidenceStart[vertex + 1] - incidenceStart[vertex];
    }

    /** Vertices with at least one edge: the others need no coarsening, as no transaction ties them anywhere. */
    int linkedVertexCount() {
        int linked = 0;
        for (int v = 0; v < vertexCount; v++) {
            linked += degree(v) > 0 ? 1 : 0;
        }
        return linked;
    }

    long totalVertexWeight() {
        long total = 0;
        for (int w : vertexWeight) {
            total += w;
        }
        return total;
    }

    long totalEdgeWeight() {
        long total = 0;
        for (int w : edgeWeight) {
            total += w;
        }
        return total;
    }
}
