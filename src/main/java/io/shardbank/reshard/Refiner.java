package io.shardbank.reshard;

import io.shardbank.model.Invariants;
import java.util.Arrays;

/**
 * A partition of one {@link LevelGraph} and its k-way Fiduccia-Mattheyses refinement. The
 * objective, lower is better, is {@code cut * CUT_SCALE + moveCost * movedWeight}: the weight of
 * the transactions that span parts, plus the price of every item away from its current owner
 * ({@code moveCost} is in thousandths of a transaction per item). A partition over capacity is
 * worse than any within: states compare by overload first, then by objective.
 *
 * <p>A pass moves unlocked vertices one at a time, always the best move the capacity allows (ties:
 * the connectivity saved, clusters each transaction spans less one, then a seeded rank), even a
 * bad one, then rolls back to its best prefix; a pass therefore never ends worse than it started.
 * It gives up after {@code stallMovesMax} moves without a better state.
 */
final class Refiner {

    /** Objective units per cross-cluster transaction, so a move's cost can be a fraction of one. */
    static final long CUT_SCALE = 1000;
    private static final long RANK_BITS = 1L << 24;

    private final LevelGraph graph;
    private final int parts;
    private final int capacity;
    private final long moveCost;
    private final int[] partOf;
    private final int[] load;
    private final int[] pinsInPart;
    private long cut;
    private long movedWeight;
    private long connectivity;
    private final long[] gain;
    private final long[] connectivityGain;
    /** The cut part of {@link #gain}, in transactions. */
    private final long[] edgeCutGain;
    private int[] version;
    private boolean[] locked;
    /** The move at which each vertex's gains were last refreshed, so a vertex is refreshed once per move. */
    private int[] refreshedAtMove;
    /** During a pass: each vertex's cut and connectivity gains per target part, kept up to date as its neighbours move. */
    private long[] cachedCut;
    private long[] cachedConnectivity;
    private int moveStamp;
    private int[] touched;
    private int touchedCount;

    Refiner(LevelGraph graph, int capacity, long moveCost, int[] start) {
        Invariants.check(start.length == graph.vertexCount, "one part per vertex");
        this.graph = graph;
        this.parts = graph.parts;
        this.capacity = capacity;
        this.moveCost = moveCost;
        this.partOf = Arrays.copyOf(start, start.length);
        this.load = new int[parts];
        this.pinsInPart = new int[graph.edgeCount() * parts];
        this.gain = new long[parts];
        this.connectivityGain = new long[parts];
        this.edgeCutGain = new long[parts];
        for (int v = 0; v < graph.vertexCount; v++) {
            int p = partOf[v];
            Invariants.check(p >= 0 && p < parts, "vertex %d in part %d of %d", v, p, parts);
            load[p] += graph.vertexWeight[v];
            movedWeight += graph.vertexWeight[v] - graph.homeWeight[v * parts + p];
        }
        for (int edge = 0; edge < graph.edgeCount(); edge++) {
            int spanned = 0;
            for (int i = graph.edgeStart[edge]; i < graph.edgeStart[edge + 1]; i++) {
                if (pinsInPart[edge * parts + partOf[graph.pins[i]]]++ == 0) {
                    spanned++;
                }
            }
            cut += spanned > 1 ? graph.edgeWeight[edge] : 0;
            connectivity += (long) (spanned - 1) * graph.edgeWeight[edge];
        }
    }

    int[] assignment() {
        return Arrays.copyOf(partOf, partOf.length);
    }

    long cut() {
        return cut;
    }

    long movedWeight() {
        return movedWeight;
    }

    long objective() {
        return cut * CUT_SCALE + moveCost * movedWeight;
    }

    long overload() {
        long over = 0;
        for (int l : load) {
            over += Math.max(0, l - capacity);
        }
        return over;
    }

    /** Whether this state is better than {@code other}: less overload, then a lower objective. */
    boolean isBetterThan(Refiner other) {
        return overload() < other.overload()
                || (overload() == other.overload() && objective() < other.objective());
    }

    void move(int v, int to) {
        int from = partOf[v];
        Invariants.check(from != to, "vertex %d is already in part %d", v, to);
        for (int i = graph.incidenceStart[v]; i < graph.incidenceStart[v + 1]; i++) {
            int edge = graph.incidence[i];
            boolean tracked = cachedCut != null && changesNeighbourGains(edge, from, to);
            if (tracked) {
                addContributions(edge, v, -1);
            }
            moveEdgePin(edge, from, to);
            if (tracked) {
                addContributions(edge, v, 1);
            }
        }
        partOf[v] = to;
        int w = graph.vertexWeight[v];
        load[from] -= w;
        load[to] += w;
        movedWeight += graph.homeWeight[v * parts + from] - graph.homeWeight[v * parts + to];
    }

    private void moveEdgePin(int edge, int from, int to) {
        int size = graph.pinCount(edge);
        int w = graph.edgeWeight[edge];
        int inFrom = --pinsInPart[edge * parts + from];
        int inTo = ++pinsInPart[edge * parts + to];
        boolean wasCut = inFrom + 1 != size;
        boolean isCut = inTo != size;
        cut += (isCut ? w : 0) - (wasCut ? w : 0);
        connectivity += (inTo == 1 ? w : 0) - (inFrom == 0 ? w : 0);
    }

    /**
     * Whether moving a pin from {@code from} to {@code to} of this edge (not yet made) changes its
     * other pins' gains: they depend only on whether a part holds none, one, all but one or all pins.
     */
    private boolean changesNeighbourGains(int edge, int from, int to) {
        int size = graph.pinCount(edge);
        int inFrom = pinsInPart[edge * parts + from];
        int inTo = pinsInPart[edge * parts + to];
        return critical(inFrom, size) || critical(inFrom - 1, size) || critical(inTo, size)
                || critical(inTo + 1, size);
    }

    /** Adds ({@code sign} 1) or takes away (-1) the edge's share of the cached gains of its unlocked pins but {@code moved}. */
    private void addContributions(int edge, int moved, int sign) {
        int size = graph.pinCount(edge);
        long w = sign * (long) graph.edgeWeight[edge];
        int base = edge * parts;
        for (int p = graph.edgeStart[edge]; p < graph.edgeStart[edge + 1]; p++) {
            int u = graph.pins[p];
            if (u == moved || locked[u]) {
                continue;
            }
            int pu = partOf[u];
            int inOwn = pinsInPart[base + pu];
            for (int t = 0; t < parts; t++) {
                if (t == pu) {
                    continue;
                }
                int inTo = pinsInPart[base + t];
                if (inOwn == size) {
                    cachedCut[u * parts + t] -= w;
                } else if (inOwn == 1 && inTo == size - 1) {
                    cachedCut[u * parts + t] += w;
                }
                cachedConnectivity[u * parts + t] += (inOwn == 1 ? w : 0) - (inTo == 0 ? w : 0);
            }
            if (sign > 0 && refreshedAtMove[u] != moveStamp) {
                refreshedAtMove[u] = moveStamp;
                touched[touchedCount++] = u;
            }
        }
    }

    private static boolean critical(int count, int size) {
        return count <= 1 || count >= size - 1;
    }

    /**
     * Sends back to its part in {@code home} every vertex whose return keeps the cut and fits,
     * until none is left: refinement may have moved vertices whose moves did not pay for themselves.
     */
    void returnHomeWhereFree(int[] home) {
        boolean returned = true;
        while (returned) {
            returned = false;
            for (int v = 0; v < graph.vertexCount; v++) {
                int to = home[v];
                if (partOf[v] != to && load[to] + graph.vertexWeight[v] <= capacity && cutGain(v, to) >= 0) {
                    move(v, to);
                    returned = true;
                }
            }
        }
    }

    /** How much the cut falls if {@code v} moves to {@code to} (negative: rises). */
    long cutGain(int v, int to) {
        computeGains(v);
        int home = v * parts;
        long moveTerm = moveCost * (graph.homeWeight[home + to] - graph.homeWeight[home + partOf[v]]);
        return (gain[to] - moveTerm) / CUT_SCALE;
    }

    /** Fills {@link #gain} and {@link #connectivityGain} for moving {@code v} to each part. */
    private void computeGains(int v) {
        int from = partOf[v];
        Arrays.fill(gain, 0);
        Arrays.fill(connectivityGain, 0);
        for (int i = graph.incidenceStart[v]; i < graph.incidenceStart[v + 1]; i++) {
            int edge = graph.incidence[i];
            int size = graph.pinCount(edge);
            long w = graph.edgeWeight[edge];
            int base = edge * parts;
            int inFrom = pinsInPart[base + from];
            for (int to = 0; to < parts; to++) {
                if (to == from) {
                    continue;
                }
                int inTo = pinsInPart[base + to];
                if (inFrom == size) {
                    gain[to] -= w;
                } else if (inFrom == 1 && inTo == size - 1) {
                    gain[to] += w;
                }
                connectivityGain[to] += (inFrom == 1 ? w : 0) - (inTo == 0 ? w : 0);
            }
        }
        System.arraycopy(gain, 0, edgeCutGain, 0, parts);
        int home = v * parts;
        for (int to = 0; to < parts; to++) {
            gain[to] = gain[to] * CUT_SCALE + moveCost * (graph.homeWeight[home + to] - graph.homeWeight[home + from]);
        }
    }

    /** The best part {@code v} fits in now, by gain then connectivity gain, or -1; gains left in the buffers. */
    private int bestTarget(int v) {
        computeGains(v);
        int from = partOf[v];
        int best = -1;
        for (int to = 0; to < parts; to++) {
            if (to != from && load[to] + graph.vertexWeight[v] <= capacity
                    && (best < 0 || MoveHeap.greater(gain[to], connectivityGain[to], gain[best], connectivityGain[best]))) {
                best = to;
            }
        }
        return best;
    }

    private void pushBest(MoveHeap heap, int v, int[] rank) {
        int to = bestTarget(v);
        version[v]++;
        if (to >= 0) {
            heap.push(gain[to], connectivityGain[to] * RANK_BITS + (RANK_BITS - 1 - rank[v]), v, to, version[v]);
        }
    }

    /**
     * Moves vertices out of parts over capacity into parts with room, the least harmful first,
     * until every part fits or no vertex of an overloaded part fits elsewhere.
     */
    void rebalance(int[] rank) {
        if (overload() == 0) {
            return;
        }
        version = new int[graph.vertexCount];
        MoveHeap heap = new MoveHeap(graph.vertexCount);
        for (int v = 0; v < graph.vertexCount; v++) {
            if (load[partOf[v]] > capacity) {
                pushBest(heap, v, rank);
            }
        }
        while (!heap.isEmpty() && overload() > 0) {
            int v = heap.topVertex();
            int ver = heap.topVersion();
            heap.pop();
            if (ver != version[v] || load[partOf[v]] <= capacity) {
                continue;
            }
            int to = bestTarget(v);
            long key = to < 0 ? 0 : connectivityGain[to] * RANK_BITS + (RANK_BITS - 1 - rank[v]);
            if (to < 0) {
                continue;
            }
            if (!heap.isEmpty() && MoveHeap.greater(heap.topPrimary(), heap.topSecondary(), gain[to], key)) {
                version[v]++;
                heap.push(gain[to], key, v, to, version[v]);
                continue;
            }
            move(v, to);
        }
    }

    /** Refinement passes until one finds nothing better or {@code passesMax}; returns whether any did. */
    boolean refine(int[] rank, int passesMax, int stallMovesMax) {
        boolean improvedAny = false;
        for (int pass = 0; pass < passesMax; pass++) {
            if (!pass(rank, stallMovesMax)) {
                break;
            }
            improvedAny = true;
        }
        return improvedAny;
    }

    /** One pass; returns whether it ended in a better state than it started. */
    boolean pass(int[] rank, int stallMovesMax) {
        int n = graph.vertexCount;
        version = new int[n];
        locked = new boolean[n];
        refreshedAtMove = new int[n];
        touched = new int[n];
        cachedCut = new long[n * parts];
        cachedConnectivity = new long[n * parts];
        MoveHeap heap = new MoveHeap(n);
        for (int v = 0; v < n; v++) {
            if (graph.degree(v) > 0 || graph.homeWeight[v * parts + partOf[v]] < graph.vertexWeight[v]) {
                computeGains(v);
                for (int t = 0; t < parts; t++) {
                    cachedCut[v * parts + t] = edgeCutGain[t];
                    cachedConnectivity[v * parts + t] = connectivityGain[t];
                }
                pushCached(heap, v, rank);
            }
        }
        int[] trailVertex = new int[n];
        int[] trailFrom = new int[n];
        int length = 0;
        long bestOverload = overload();
        long bestObjective = objective();
        int bestLength = 0;
        int sinceBest = 0;
        while (!heap.isEmpty() && sinceBest < stallMovesMax) {
            int v = heap.topVertex();
            int to = heap.topTarget();
            int ver = heap.topVersion();
            heap.pop();
            if (locked[v] || ver != version[v]) {
                continue;
            }
            if (load[to] + graph.vertexWeight[v] > capacity) {
                pushCached(heap, v, rank);
                continue;
            }
            int from = partOf[v];
            locked[v] = true;
            moveStamp = length + 1;
            touchedCount = 0;
            move(v, to);
            trailVertex[length] = v;
            trailFrom[length] = from;
            length++;
            for (int i = 0; i < touchedCount; i++) {
                pushCached(heap, touched[i], rank);
            }
            long over = overload();
            long objective = objective();
            if (over < bestOverload || (over == bestOverload && objective < bestObjective)) {
                bestOverload = over;
                bestObjective = objective;
                bestLength = length;
                sinceBest = 0;
            } else {
                sinceBest++;
            }
        }
        cachedCut = null;
        cachedConnectivity = null;
        while (length > bestLength) {
            length--;
            move(trailVertex[length], trailFrom[length]);
        }
        return bestLength > 0;
    }

    /** Queues {@code v}'s best move that fits now, from the cached gains. */
    private void pushCached(MoveHeap heap, int v, int[] rank) {
        int from = partOf[v];
        int home = v * parts;
        int best = -1;
        long bestGain = 0;
        long bestConnectivity = 0;
        for (int to = 0; to < parts; to++) {
            if (to == from || load[to] + graph.vertexWeight[v] > capacity) {
                continue;
            }
            long g = cachedCut[home + to] * CUT_SCALE
                    + moveCost * (graph.homeWeight[home + to] - graph.homeWeight[home + from]);
            long c = cachedConnectivity[home + to];
            if (best < 0 || MoveHeap.greater(g, c, bestGain, bestConnectivity)) {
                best = to;
                bestGain = g;
                bestConnectivity = c;
            }
        }
        version[v]++;
        if (best >= 0) {
            heap.push(bestGain, bestConnectivity * RANK_BITS + (RANK_BITS - 1 - rank[v]), v, best, version[v]);
        }
    }
}
