package io.shardbank.reshard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.shardbank.model.ClusterId;
import io.shardbank.model.ShardMap;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class MovePlanTest {

    private static final ShardMap RANGES = ShardMap.evenRanges(3, 9);

    private static int[] owners(int... clusters) {
        int[] owners = new int[clusters.length + 1];
        System.arraycopy(clusters, 0, owners, 1, clusters.length);
        return owners;
    }

    @Test
    void listsEveryChangedItemInOrderAndBuildsTheNextMapVersion() {
        MovePlan plan = MovePlan.of(RANGES, owners(1, 1, 1, 2, 1, 2, 3, 3, 2), 4, 1, 7);

        assertThat(plan.moves()).hasToString("[(5, c2, c1), (9, c3, c2)]");
        assertThat(plan.after().version()).isEqualTo(RANGES.version() + 1);
        assertThat(plan.after().clusterOf(5)).isEqualTo(new ClusterId(1));
        assertThat(plan.after().clusterOf(9)).isEqualTo(new ClusterId(2));
        assertThat(plan.after().clusterOf(4)).isEqualTo(new ClusterId(2));
        assertThat(plan.before()).isSameAs(RANGES);
    }

    static Stream<Arguments> summaries() {
        return Stream.of(
                Arguments.of(owners(1, 1, 1, 2, 2, 2, 3, 3, 3), 0, 0, 0,
                        "0 multi-item transactions: cross-cluster 0 -> 0, no item to move, shard map stays v1"),
                Arguments.of(owners(1, 1, 1, 1, 2, 2, 3, 3, 3), 1, 0, 1,
                        "1 multi-item transaction: cross-cluster 1 -> 0, 1 item to move, shard map v1 -> v2"),
                Arguments.of(owners(1, 1, 1, 1, 1, 2, 3, 3, 3), 12, 2, 300,
                        "300 multi-item transactions: cross-cluster 12 -> 2, 2 items to move, shard map v1 -> v2"));
    }

    @ParameterizedTest(name = "{4}")
    @MethodSource("summaries")
    void summarisesInOneLine(int[] owners, long cutBefore, long cutAfter, long transactions, String summary) {
        assertThat(MovePlan.of(RANGES, owners, cutBefore, cutAfter, transactions).summary()).isEqualTo(summary);
    }

    @Test
    void refusesMovesOutOfOrderOrToTheSameCluster() {
        Move a = new Move(2, new ClusterId(1), new ClusterId(2));
        Move b = new Move(1, new ClusterId(1), new ClusterId(2));

        assertThatThrownBy(() -> new MovePlan(RANGES, RANGES, List.of(a, b), 0, 0, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ascending");
        assertThatThrownBy(() -> new Move(1, new ClusterId(2), new ClusterId(2)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("to itself");
    }
}
