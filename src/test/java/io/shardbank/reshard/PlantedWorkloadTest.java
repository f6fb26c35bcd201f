package io.shardbank.reshard;

import static org.assertj.core.api.Assertions.assertThat;

import io.shardbank.model.ShardMap;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The default shape (9,000 items over three ranges) with planted structure. First: 100 groups of 6
 * items, each item drawn at random from all 9,000, so about two thirds of a group's transactions
 * cross clusters. 90% of 3,000 transfers stay inside a group, 10% join two random items.
 *
 * <p>The bound: a group holds 6 items and each cluster has 150 items of room, so every group can be
 * gathered in one cluster within balance, and every random pair can be joined by one move; the best
 * plan crosses no transaction at all. The planner must get the cut below 5% of where it started and
 * gather at least 95 of the 100 groups whole.
 */
class PlantedWorkloadTest {

    private static final long WORKLOAD_SEED = 1;
    private static final int ITEMS = 9000;
    private static final int GROUPS = 100;
    private static final int GROUP_SIZE = 6;
    private static final int TRANSACTIONS = 3000;
    private static final double RANDOM_SHARE = 0.1;
    private static final int WIDE_GROUPS = 100;
    private static final int WIDE_GROUP_SIZE = 10;
    private static final int WIDE_REPEATS = 3;
    private static final int CHAINED_GROUPS = 200;
    private static final int CHAINED_GROUP_SIZE = 6;

    @Test
    void plantedGroupsAcrossRangesAreGatheredAndTheCutFallsBelowFivePercent() {
        SplittableRandom random = new SplittableRandom(WORKLOAD_SEED);
        List<int[]> groups = plantGroups(random, GROUPS, GROUP_SIZE);
        AccessLog log = new AccessLog(ReshardSettings.defaults().accessLogTransactionsMax());
        for (int t = 0; t < TRANSACTIONS; t++) {
            log.record(random.nextDouble() < RANDOM_SHARE ? randomPair(random) : pairInGroup(random, groups));
        }
        ShardMap ranges = ShardMap.evenRanges(3, ITEMS);

        MovePlan plan = new ReshardPlanner(ReshardSettings.defaults()).plan(log, ranges, 3);

        assertThat(plan.cutBefore()).as("random placement crosses most transactions").isGreaterThan(TRANSACTIONS / 2);
        assertThat(plan.cutAfter()).isLessThan(plan.cutBefore() / 20);
        assertThat(groups.stream().filter(g -> isWhole(plan.after(), g)).count()).isGreaterThanOrEqualTo(95);
        for (int cluster = 1; cluster <= 3; cluster++) {
            assertThat(ReshardPlannerTest.itemsIn(plan.after(), cluster)).isLessThanOrEqualTo(3150);
        }
    }

    /**
     * 100 groups of 10 items, each written by one transaction over all ten, three times. One-item
     * moves see no gain until a group's last item arrives; coarsening a group into one vertex is
     * what gets these (refinement of single items alone stalls at 210). The optimum is 0 (each group fits in any cluster's room), and the bound is again 5%.
     */
    @Test
    void wideTransactionsOverThreeClustersAreGatheredWhole() {
        SplittableRandom random = new SplittableRandom(WORKLOAD_SEED);
        List<int[]> groups = plantGroups(random, WIDE_GROUPS, WIDE_GROUP_SIZE);
        AccessLog log = new AccessLog(ReshardSettings.defaults().accessLogTransactionsMax());
        for (int round = 0; round < WIDE_REPEATS; round++) {
            groups.forEach(group -> log.record(IntStream.of(group).boxed().toList()));
        }

        MovePlan plan = new ReshardPlanner(ReshardSettings.defaults()).plan(log, ShardMap.evenRanges(3, ITEMS), 3);

        assertThat(plan.cutBefore()).isGreaterThan(WIDE_GROUPS * WIDE_REPEATS * 9 / 10);
        assertThat(plan.cutAfter()).isLessThan(plan.cutBefore() / 20);
        assertThat(groups.stream().filter(g -> isWhole(plan.after(), g)).count()).isGreaterThanOrEqualTo(95);
    }

    /**
     * 200 groups of 6 items, each written three times by one transaction over all six, and each
     * group joined to the next by one transfer: one connected group of 1,200 items, too big to
     * gather whole in one coarse vertex, so coarsening gathers each six-item transaction instead
     * and refinement does the rest. The 199 joining transfers cannot all stay inside clusters without moving whole
     * runs of groups; the bound asks that the cut fall below 10% of where it started and that at
     * least 190 of the 200 groups end whole. Without the connectivity term of the gain, 130 stay
     * cut, which fails the bound.
     */
    @Test
    void wideTransactionsJoinedIntoOneBigGroupAreStillMostlyGathered() {
        SplittableRandom random = new SplittableRandom(WORKLOAD_SEED);
        List<int[]> groups = plantGroups(random, CHAINED_GROUPS, CHAINED_GROUP_SIZE);
        AccessLog log = new AccessLog(ReshardSettings.defaults().accessLogTransactionsMax());
        for (int round = 0; round < WIDE_REPEATS; round++) {
            groups.forEach(group -> log.record(IntStream.of(group).boxed().toList()));
        }
        for (int g = 0; g + 1 < groups.size(); g++) {
            log.record(List.of(groups.get(g)[0], groups.get(g + 1)[0]));
        }

        MovePlan plan = new ReshardPlanner(ReshardSettings.defaults()).plan(log, ShardMap.evenRanges(3, ITEMS), 3);

        assertThat(plan.cutAfter()).isLessThan(plan.cutBefore() / 10);
        assertThat(groups.stream().filter(g -> isWhole(plan.after(), g)).count()).isGreaterThanOrEqualTo(190);
    }

    private static List<int[]> plantGroups(SplittableRandom random, int count, int size) {
        Set<Integer> taken = new HashSet<>();
        List<int[]> groups = new ArrayList<>();
        for (int g = 0; g < count; g++) {
            int[] group = new int[size];
            for (int i = 0; i < size; i++) {
                int item;
                do {
                    item = 1 + random.nextInt(ITEMS);
                } while (!taken.add(item));
                group[i] = item;
            }
            groups.add(group);
        }
        return groups;
    }

    private static List<Integer> pairInGroup(SplittableRandom random, List<int[]> groups) {
        int[] group = groups.get(random.nextInt(groups.size()));
        int first = random.nextInt(GROUP_SIZE);
        int second = (first + 1 + random.nextInt(GROUP_SIZE - 1)) % GROUP_SIZE;
        return List.of(group[first], group[second]);
    }

    private static List<Integer> randomPair(SplittableRandom random) {
        int first = 1 + random.nextInt(ITEMS);
        int second = 1 + (first + random.nextInt(ITEMS - 1)) % ITEMS;
        return List.of(first, second);
    }

    private static boolean isWhole(ShardMap map, int[] group) {
        return IntStream.of(group).mapToObj(map::clusterOf).distinct().count() == 1;
    }
}
