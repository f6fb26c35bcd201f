package io.shardbank.reshard;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Properties of each level of the multilevel planner over seeded random workloads: coarsening
 * keeps the weights, refinement never worsens the objective, balance holds, and the same seed gives
 * the same result. A failure names its seed; rerun that one to replay it.
 */
class MultilevelLevelsTest {

    private static final int SEEDS = 30;

    static LongStream seeds() {
        return LongStream.rangeClosed(1, SEEDS);
    }

    /** A random item graph with its current parts (vertex-indexed) and capacity. */
    private record Problem(LevelGraph graph, int[] home, int parts, int capacity) {
    }

    private static Problem problem(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int parts = 2 + random.nextInt(4);
        int items = parts * (20 + random.nextInt(300));
        int hot = 1 + random.nextInt(items / 10);
        List<int[]> sets = new ArrayList<>();
        int transactions = random.nextInt(3 * items);
        for (int t = 0; t < transactions; t++) {
            int size = 2 + random.nextInt(6);
            int[] set = new int[size];
            for (int i = 0; i < size; i++) {
                set[i] = random.nextBoolean() ? 1 + random.nextInt(hot) : 1 + random.nextInt(items);
            }
            int[] distinct = java.util.Arrays.stream(set).sorted().distinct().toArray();
            if (distinct.length >= 2) {
                sets.add(distinct);
            }
        }
        Hypergraph hypergraph = Hypergraph.ofItemSets(items, sets.toArray(new int[0][]));
        int[] homeByItem = new int[items + 1];
        int[] home = new int[items];
        for (int item = 1; item <= items; item++) {
            homeByItem[item] = (int) ((long) (item - 1) * parts / items);
            home[item - 1] = homeByItem[item];
        }
        double tolerance = new double[] {0.0, 0.03, 0.1}[random.nextInt(3)];
        int capacity = Partitioner.capacity(items, parts, tolerance);
        return new Problem(LevelGraph.ofItems(hypergraph, homeByItem, parts), home, parts, capacity);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void coarseningKeepsTheTotalWeightsAndTheCutOfAProjectedPartition(long seed) {
        Problem problem = problem(seed);
        LevelGraph fine = problem.graph();
        Coarsener.Step step = Coarsener.coarsen(fine, 20, 10, null, new SplittableRandom(seed));
        LevelGraph coarse = step.coarse();

        assertThat(coarse.totalVertexWeight()).isEqualTo(fine.totalVertexWeight());
        assertThat(coarse.vertexCount).isLessThanOrEqualTo(fine.vertexCount);
        for (int p = 0; p < problem.parts(); p++) {
            long fineHome = 0;
            long coarseHome = 0;
            for (int v = 0; v < fine.vertexCount; v++) {
                fineHome += fine.homeWeight[v * problem.parts() + p];
            }
            for (int v = 0; v < coarse.vertexCount; v++) {
                coarseHome += coarse.homeWeight[v * problem.parts() + p];
            }
            assertThat(coarseHome).as("items of part %d", p).isEqualTo(fineHome);
        }
        for (int v = 0; v < coarse.vertexCount; v++) {
            assertThat(coarse.vertexWeight[v]).isLessThanOrEqualTo(Math.max(20, 1));
        }
        int[] coarseParts = new int[coarse.vertexCount];
        for (int v = 0; v < coarse.vertexCount; v++) {
            coarseParts[v] = v % problem.parts();
        }
        int[] projected = new int[fine.vertexCount];
        for (int v = 0; v < fine.vertexCount; v++) {
            projected[v] = coarseParts[step.coarseOf()[v]];
        }
        Refiner onCoarse = new Refiner(coarse, Integer.MAX_VALUE, 0, coarseParts);
        Refiner onFine = new Refiner(fine, Integer.MAX_VALUE, 0, projected);
        assertThat(onCoarse.cut()).as("the cut is the same on both levels").isEqualTo(onFine.cut());
        assertThat(onCoarse.movedWeight()).isEqualTo(onFine.movedWeight());
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void aVcycleKeepsThePartsItRespectsApart(long seed) {
        Problem problem = problem(seed);
        Coarsener.Step step = Coarsener.coarsen(problem.graph(), 50, 10, problem.home(), new SplittableRandom(seed));

        int[] partOfCoarse = new int[step.coarse().vertexCount];
        java.util.Arrays.fill(partOfCoarse, -1);
        for (int v = 0; v < problem.graph().vertexCount; v++) {
            int c = step.coarseOf()[v];
            assertThat(partOfCoarse[c] == -1 || partOfCoarse[c] == problem.home()[v]).as("vertex %d", v).isTrue();
            partOfCoarse[c] = problem.home()[v];
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void refinementNeverWorsensTheObjectiveAndEndsBalanced(long seed) {
        Problem problem = problem(seed);
        SplittableRandom random = new SplittableRandom(seed);
        int[] start = new int[problem.graph().vertexCount];
        for (int v = 0; v < start.length; v++) {
            start[v] = random.nextInt(problem.parts());
        }
        Refiner state = new Refiner(problem.graph(), problem.capacity(), 250, start);
        int[] rank = new int[start.length];
        for (int v = 0; v < rank.length; v++) {
            rank[v] = v;
        }
        state.rebalance(rank);
        assertThat(state.overload()).as("single items can always be balanced").isZero();
        long before = state.objective();
        for (int pass = 0; pass < 4; pass++) {
            state.pass(rank, 50);
            assertThat(state.objective()).isLessThanOrEqualTo(before);
            assertThat(state.overload()).isZero();
            before = state.objective();
        }
        long cut = new Refiner(problem.graph(), problem.capacity(), 250, state.assignment()).cut();
        assertThat(state.cut()).as("the incremental cut matches a recount").isEqualTo(cut);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void theMultilevelResultIsBalancedNoWorseThanTheCurrentMapAndTheSameForTheSameSeed(long seed) {
        Problem problem = problem(seed);
        MultilevelPartitioner multilevel = new MultilevelPartitioner(problem.parts(), problem.capacity(), 250, 8, 50,
                4);

        Refiner first = multilevel.partition(problem.graph(), problem.home(), new SplittableRandom(seed));
        Refiner second = multilevel.partition(problem(seed).graph(), problem.home(), new SplittableRandom(seed));
        Refiner current = new Refiner(problem.graph(), problem.capacity(), 250, problem.home());

        assertThat(first.overload()).isZero();
        assertThat(first.objective()).isLessThanOrEqualTo(current.objective());
        assertThat(second.assignment()).isEqualTo(first.assignment());
    }
}
