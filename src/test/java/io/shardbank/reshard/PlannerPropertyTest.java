package io.shardbank.reshard;

import static org.assertj.core.api.Assertions.assertThat;

import io.shardbank.model.ClusterId;
import io.shardbank.model.ShardMap;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Properties every plan must have, over seeded random workloads: small item counts, 2 to 5
 * clusters, tolerances from none to loose, transactions of 2 to 5 items with hot items, and start
 * maps that are balanced but not ranges. A failure names its seed; rerun that one to replay it.
 */
class PlannerPropertyTest {

    private static final int SEEDS = 40;
    private static final double[] TOLERANCES = {0.0, 0.02, 0.05, 0.2};

    static LongStream seeds() {
        return LongStream.rangeClosed(1, SEEDS);
    }

    /** One random planning problem. */
    private record Problem(ShardMap map, int clusters, double tolerance, AccessLog log) {
    }

    private static Problem problem(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int clusters = 2 + random.nextInt(4);
        int items = clusters * (5 + random.nextInt(150)) + random.nextInt(clusters);
        double tolerance = TOLERANCES[random.nextInt(TOLERANCES.length)];
        return new Problem(shuffledMap(random, clusters, items), clusters, tolerance, workload(random, items));
    }

    /** Even ranges with random swaps between clusters: balanced, but no longer ranges. */
    private static ShardMap shuffledMap(SplittableRandom random, int clusters, int items) {
        ShardMap ranges = ShardMap.evenRanges(clusters, items);
        int[] owner = new int[items + 1];
        for (int item = 1; item <= items; item++) {
            owner[item] = ranges.clusterOf(item).index();
        }
        for (int swap = 0; swap < items / 3; swap++) {
            int a = 1 + random.nextInt(items);
            int b = 1 + random.nextInt(items);
            int held = owner[a];
            owner[a] = owner[b];
            owner[b] = held;
        }
        Map<Integer, ClusterId> changes = new HashMap<>();
        for (int item = 1; item <= items; item++) {
            changes.put(item, new ClusterId(owner[item]));
        }
        return ranges.withOwners(changes);
    }

    /** Up to 400 transactions of 2..5 items; half of the picks come from a few hot items. */
    private static AccessLog workload(SplittableRandom random, int items) {
        AccessLog log = new AccessLog(10_000);
        int hot = 1 + random.nextInt(Math.max(1, items / 10));
        int transactions = random.nextInt(401);
        for (int t = 0; t < transactions; t++) {
            List<Integer> touched = new ArrayList<>();
            int size = 2 + random.nextInt(4);
            for (int i = 0; i < size; i++) {
                touched.add(random.nextBoolean() ? 1 + random.nextInt(hot) : 1 + random.nextInt(items));
            }
            log.record(touched);
        }
        return log;
    }

    private static MovePlan plan(Problem problem, long plannerSeed) {
        ReshardSettings settings = ReshardSettings.defaults().withBalanceTolerance(problem.tolerance())
                .withPlannerSeed(plannerSeed);
        return new ReshardPlanner(settings).plan(problem.log(), problem.map(), problem.clusters());
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void everyClusterStaysWithinCapacity(long seed) {
        Problem problem = problem(seed);
        int capacity = Partitioner.capacity(problem.map().itemCount(), problem.clusters(), problem.tolerance());

        MovePlan plan = plan(problem, seed);

        for (int cluster = 1; cluster <= problem.clusters(); cluster++) {
            assertThat(ReshardPlannerTest.itemsIn(plan.after(), cluster)).as("items in c%d", cluster)
                    .isLessThanOrEqualTo(capacity);
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void theCutNeverRisesAndMatchesTheMaps(long seed) {
        Problem problem = problem(seed);
        Hypergraph graph = Hypergraph.of(problem.log(), problem.map().itemCount());

        MovePlan plan = plan(problem, seed);

        assertThat(plan.cutAfter()).isLessThanOrEqualTo(plan.cutBefore());
        assertThat(plan.cutBefore()).isEqualTo(graph.cut(item -> plan.before().clusterOf(item).index()));
        assertThat(plan.cutAfter()).isEqualTo(graph.cut(item -> plan.after().clusterOf(item).index()));
        if (plan.cutBefore() == 0) {
            assertThat(plan.moves()).as("no transaction crosses, so nothing moves").isEmpty();
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void theMovesAreExactlyTheDifferenceBetweenTheMaps(long seed) {
        Problem problem = problem(seed);

        MovePlan plan = plan(problem, seed);

        Map<Integer, Move> byItem = new HashMap<>();
        plan.moves().forEach(m -> byItem.put(m.item(), m));
        for (int item = 1; item <= problem.map().itemCount(); item++) {
            Move move = byItem.get(item);
            ClusterId expected = move == null ? plan.before().clusterOf(item) : move.to();
            assertThat(plan.after().clusterOf(item)).isEqualTo(expected);
            if (move != null) {
                assertThat(move.from()).isEqualTo(plan.before().clusterOf(item));
            }
        }
        assertThat(plan.after().version()).isEqualTo(plan.before().version() + (plan.isEmpty() ? 0 : 1));
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void noMovedItemCouldGoBackForFree(long seed) {
        Problem problem = problem(seed);
        Hypergraph graph = Hypergraph.of(problem.log(), problem.map().itemCount());
        int capacity = Partitioner.capacity(problem.map().itemCount(), problem.clusters(), problem.tolerance());

        MovePlan plan = plan(problem, seed);

        for (Move move : plan.moves()) {
            boolean homeHasRoom = ReshardPlannerTest.itemsIn(plan.after(), move.from().index()) < capacity;
            long cutIfReturned = graph.cut(item -> item == move.item() ? move.from().index()
                    : plan.after().clusterOf(item).index());
            assertThat(homeHasRoom && cutIfReturned <= plan.cutAfter()).as("%s could go back for free", move).isFalse();
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void theSameInputAndSeedGiveTheSamePlan(long seed) {
        Problem problem = problem(seed);

        MovePlan first = plan(problem, seed);
        MovePlan second = plan(problem(seed), seed);

        assertThat(second.moves()).isEqualTo(first.moves());
        assertThat(second.cutAfter()).isEqualTo(first.cutAfter());
        assertThat(second.summary()).isEqualTo(first.summary());
    }
}
