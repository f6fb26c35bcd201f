package io.shardbank.reshard;

import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * The multilevel scheme: coarsen the item hypergraph level by level ({@link Coarsener}) until it
 * has a few hundred vertices, partition that coarsest level from several starts and keep the best,
 * then project the partition back down one level at a time, refining it at each ({@link Refiner}).
 * Refining a coarse level moves whole groups of items at once, which is what one-item moves
 * cannot do: they see no gain until a group's last item arrives.
 *
 * <p>A V-cycle does the same from a given partition, clustering only vertices of the same part,
 * so the coarsest level starts from that partition and every level can only improve it. The
 * planner runs one from the current map (a good map then moves nothing) and one from the best
 * fresh partition, and keeps the best of all by overload, then objective.
 */
final class MultilevelPartitioner {

    /** The coarsest level has about this many vertices per part. */
    static final int COARSEST_VERTICES_PER_PART = 20;
    /** A coarse vertex weighs at most this multiple of the average coarsest vertex. */
    static final double VERTEX_WEIGHT_FACTOR = 1.5;
    /** A coarsening step that keeps more than this share of the vertices ends the coarsening. */
    static final double SHRINK_MIN = 0.95;

    private final int parts;
    private final int capacity;
    private final long moveCost;
    private final int passesMax;
    private final int stallMovesMax;
    private final int initialRuns;

    MultilevelPartitioner(int parts, int capacity, long moveCost, int passesMax, int stallMovesMax,
            int initialRuns) {
        this.parts = parts;
        this.capacity = capacity;
        this.moveCost = moveCost;
        this.passesMax = passesMax;
        this.stallMovesMax = stallMovesMax;
        this.initialRuns = initialRuns;
    }

    /** The best partition found, as a refined state of {@code finest}; {@code home} is each vertex's current part. */
    Refiner partition(LevelGraph finest, int[] home, RandomGenerator random) {
        Refiner best = cycle(finest, home, random);
        Refiner fresh = cycle(finest, null, random);
        Refiner improved = cycle(finest, fresh.assignment(), random);
        best = improved.isBetterThan(best) ? improved : best;
        return best;
    }

    /** One multilevel cycle; a V-cycle that keeps {@code respect}'s parts apart when it is not null. */
    Refiner cycle(LevelGraph finest, int[] respect, RandomGenerator random) {
        List<LevelGraph> levels = new ArrayList<>();
        List<int[]> coarseOf = new ArrayList<>();
        levels.add(finest);
        int target = Math.max(parts * COARSEST_VERTICES_PER_PART, 1);
        int vertexWeightMax = (int) Math.ceil(VERTEX_WEIGHT_FACTOR * finest.totalVertexWeight() / target);
        int[] respected = respect;
        LevelGraph current = finest;
        while (current.linkedVertexCount() > target) {
            Coarsener.Step step = Coarsener.coarsen(current, vertexWeightMax, target, respected, random);
            if (step.coarse().linkedVertexCount() > SHRINK_MIN * current.linkedVertexCount()) {
                break;
            }
            if (respected != null) {
                int[] coarseRespect = new int[step.coarse().vertexCount];
                for (int v = 0; v < current.vertexCount; v++) {
                    coarseRespect[step.coarseOf()[v]] = respected[v];
                }
                respected = coarseRespect;
            }
            levels.add(step.coarse());
            coarseOf.add(step.coarseOf());
            current = step.coarse();
        }
        Refiner state = respected != null ? refined(current, respected, random) : initial(current, random);
        for (int level = levels.size() - 2; level >= 0; level--) {
            int[] map = coarseOf.get(level);
            int[] coarsePart = state.assignment();
            LevelGraph graph = levels.get(level);
            int[] projected = new int[graph.vertexCount];
            for (int v = 0; v < graph.vertexCount; v++) {
                projected[v] = coarsePart[map[v]];
            }
            state = refined(graph, projected, random);
        }
        return state;
    }

    private Refiner refined(LevelGraph graph, int[] start, RandomGenerator random) {
        Refiner state = new Refiner(graph, capacity, moveCost, start);
        int[] rank = ranks(graph.vertexCount, random);
        state.rebalance(rank);
        state.refine(rank, passesMax, stallMovesMax);
        return state;
    }

    /**
     * The coarsest level's partition: the best refined result of the current owners (each vertex
     * to the part owning most of its items) and of {@code initialRuns} seeded random balanced starts.
     */
    private Refiner initial(LevelGraph coarsest, RandomGenerator random) {
        int n = coarsest.vertexCount;
        int[] byHome = new int[n];
        for (int v = 0; v < n; v++) {
            int best = 0;
            for (int p = 1; p < parts; p++) {
                best = coarsest.homeWeight[v * parts + p] > coarsest.homeWeight[v * parts + best] ? p : best;
            }
            byHome[v] = best;
        }
        Refiner best = refined(coarsest, byHome, random);
        for (int run = 0; run < initialRuns; run++) {
            Refiner candidate = refined(coarsest, randomBalanced(coarsest, random), random);
            best = candidate.isBetterThan(best) ? candidate : best;
        }
        return best;
    }

    /** Vertices in a random order, each to the lightest part so far. */
    private int[] randomBalanced(LevelGraph graph, RandomGenerator random) {
        int[] part = new int[graph.vertexCount];
        long[] load = new long[parts];
        for (int v : Coarsener.permutation(graph.vertexCount, random)) {
            int lightest = 0;
            for (int p = 1; p < parts; p++) {
                lightest = load[p] < load[lightest] ? p : lightest;
            }
            part[v] = lightest;
            load[lightest] += graph.vertexWeight[v];
        }
        return part;
    }

    /** {@code rank[v]}: v's place in a seeded random order, to break ties between equal gains. */
    private static int[] ranks(int n, RandomGenerator random) {
        int[] order = Coarsener.permutation(n, random);
        int[] rank = new int[n];
        for (int i = 0; i < n; i++) {
            rank[order[i]] = i;
        }
        return rank;
    }
}
