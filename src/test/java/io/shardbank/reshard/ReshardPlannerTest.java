package io.shardbank.reshard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.shardbank.model.ClusterId;
import io.shardbank.model.ShardMap;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Small graphs whose best plan is known, and the planner's answers to bad input. */
class ReshardPlannerTest {

    private static final ClusterId C1 = new ClusterId(1);
    private static final ClusterId C2 = new ClusterId(2);
    private static final ClusterId C3 = new ClusterId(3);
    private static final ShardMap TWO_RANGES = ShardMap.evenRanges(2, 6000);
    private static final ShardMap THREE_RANGES = ShardMap.evenRanges(3, 9000);

    /** {@code times} copies of the transaction over {@code items}. */
    private static List<List<Integer>> repeat(int times, Integer... items) {
        return Collections.nCopies(times, List.of(items));
    }

    @SafeVarargs
    private static List<List<Integer>> transactions(List<List<Integer>>... groups) {
        List<List<Integer>> all = new ArrayList<>();
        for (List<List<Integer>> group : groups) {
            all.addAll(group);
        }
        return all;
    }

    /** The map with items firstItem..lastItem in {@code cluster}. */
    private static ShardMap moved(ShardMap map, int firstItem, int lastItem, ClusterId cluster) {
        Map<Integer, ClusterId> moves = new HashMap<>();
        for (int item = firstItem; item <= lastItem; item++) {
            moves.put(item, cluster);
        }
        return map.withOwners(moves);
    }

    private static Move move(int item, ClusterId from, ClusterId to) {
        return new Move(item, from, to);
    }

    static Stream<Arguments> knownOptima() {
        return Stream.of(
                Arguments.of("a repeated pair across c1 and c2 pulls one of its items over", TWO_RANGES, 2, 0.05,
                        repeat(3, 1, 3001), 3, 0,
                        List.of(List.of(move(1, C1, C2)), List.of(move(3001, C2, C1)))),
                Arguments.of("c1 is full, so item 1 goes to c2", moved(TWO_RANGES, 3002, 3151, C1), 2, 0.05,
                        repeat(3, 1, 3001), 3, 0, List.of(List.of(move(1, C1, C2)))),
                Arguments.of("c2 is full, so item 3001 goes to c1", moved(TWO_RANGES, 2, 151, C2), 2, 0.05,
                        repeat(3, 1, 3001), 3, 0, List.of(List.of(move(3001, C2, C1)))),
                Arguments.of("no transaction crosses, nothing moves", TWO_RANGES, 2, 0.05,
                        transactions(repeat(3, 1, 2), repeat(2, 3001, 3002, 3003)), 0, 0, List.of(List.of())),
                Arguments.of("the item whose move breaks nothing else goes", TWO_RANGES, 2, 0.05,
                        transactions(repeat(5, 1, 3001), repeat(2, 3001, 3002)), 5, 0,
                        List.of(List.of(move(1, C1, C2)))),
                Arguments.of("a transaction over three clusters gathers in one", THREE_RANGES, 3, 0.05,
                        repeat(4, 1, 3001, 6001), 4, 0, List.of(
                                List.of(move(3001, C2, C1), move(6001, C3, C1)),
                                List.of(move(1, C1, C2), move(6001, C3, C2)),
                                List.of(move(1, C1, C3), move(3001, C2, C3)))),
                Arguments.of("no room at all: two items swap", ShardMap.evenRanges(2, 4), 2, 0.0,
                        transactions(repeat(3, 1, 3), repeat(3, 2, 4)), 6, 0, List.of(
                                List.of(move(2, C1, C2), move(3, C2, C1)),
                                List.of(move(1, C1, C2), move(4, C2, C1)))),
                Arguments.of("a swap that would cut more elsewhere does not happen", ShardMap.evenRanges(2, 4), 2, 0.0,
                        transactions(repeat(1, 1, 3), repeat(2, 1, 2), repeat(2, 3, 4)), 1, 1, List.of(List.of())));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("knownOptima")
    void findsTheKnownBestPlan(String why, ShardMap map, int clusters, double tolerance,
            List<List<Integer>> transactions, long cutBefore, long cutAfter, List<List<Move>> bestPlans) {
        AccessLog log = new AccessLog(1000);
        transactions.forEach(log::record);

        MovePlan plan = new ReshardPlanner(ReshardSettings.defaults().withBalanceTolerance(tolerance))
                .plan(log, map, clusters);

        assertThat(plan.cutBefore()).isEqualTo(cutBefore);
        assertThat(plan.cutAfter()).isEqualTo(cutAfter);
        assertThat(bestPlans).contains(plan.moves());
        assertThat(plan.transactions()).isEqualTo(transactions.size());
    }

    @Test
    void anEmptyLogPlansNothing() {
        MovePlan plan = new ReshardPlanner(ReshardSettings.defaults()).plan(new AccessLog(10), THREE_RANGES, 3);

        assertThat(plan.isEmpty()).isTrue();
        assertThat(plan.after()).isSameAs(THREE_RANGES);
        assertThat(plan.summary())
                .isEqualTo("0 multi-item transactions: cross-cluster 0 -> 0, no item to move, shard map stays v1");
    }

    @Test
    void aNewClusterTakesExactlyWhatTheOthersMustShed() {
        int capacity = Partitioner.capacity(9000, 4, 0.05);

        MovePlan plan = new ReshardPlanner(ReshardSettings.defaults()).plan(new AccessLog(10), THREE_RANGES, 4);

        assertThat(capacity).isEqualTo(2362);
        assertThat(plan.moves()).hasSize(3 * (3000 - capacity)).allMatch(m -> m.to().equals(new ClusterId(4)));
        assertThat(plan.after().version()).isEqualTo(2);
        for (int cluster = 1; cluster <= 4; cluster++) {
            assertThat(itemsIn(plan.after(), cluster)).isLessThanOrEqualTo(capacity);
        }
    }

    static int itemsIn(ShardMap map, int cluster) {
        int count = 0;
        for (int item = 1; item <= map.itemCount(); item++) {
            count += map.clusterOf(item).index() == cluster ? 1 : 0;
        }
        return count;
    }

    @Test
    void badInputIsRefusedWithAClearReason() {
        AccessLog log = new AccessLog(10);
        log.record(List.of(1, 9001));
        ReshardPlanner planner = new ReshardPlanner(ReshardSettings.defaults());

        assertThatThrownBy(() -> planner.plan(new AccessLog(10), THREE_RANGES, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("need at least 1");
        assertThatThrownBy(() -> planner.plan(new AccessLog(10), THREE_RANGES, 2))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("removing clusters is not supported");
        assertThatThrownBy(() -> planner.plan(log, THREE_RANGES, 3))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("item 9001");
        assertThatThrownBy(() -> ReshardSettings.defaults().withBalanceTolerance(-0.01))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("balance-tolerance");
        assertThatThrownBy(() -> ReshardSettings.defaults().withBalanceTolerance(Double.NaN))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("balance-tolerance");
    }

    static Stream<Arguments> capacities() {
        return Stream.of(
                Arguments.of(9000, 3, 0.05, 3150),
                Arguments.of(9000, 3, 0.0, 3000),
                Arguments.of(9000, 4, 0.05, 2362),
                Arguments.of(9000, 5, 0.05, 1890),
                Arguments.of(10, 3, 0.0, 4),
                Arguments.of(7, 2, 0.05, 4),
                Arguments.of(1, 1, 0.0, 1));
    }

    @ParameterizedTest(name = "{0} items over {1} clusters within {2}: at most {3} each")
    @MethodSource("capacities")
    void capacityIsTheToleratedEvenShareButNeverBelowItRoundedUp(int items, int clusters, double tolerance,
            int capacity) {
        assertThat(Partitioner.capacity(items, clusters, tolerance)).isEqualTo(capacity);
    }
}
