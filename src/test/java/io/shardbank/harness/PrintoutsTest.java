package io.shardbank.harness;

import static org.assertj.core.api.Assertions.assertThat;

import io.shardbank.model.ShardMap;
import io.shardbank.reshard.MovePlan;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PrintoutsTest {

    private static final ShardMap RANGES = ShardMap.evenRanges(3, 9);
    private static final String HEADING = "Input: PrintReshard; Output: ";
    private static final String NOT_APPLIED = "planned from the transactions since the last flush, NOT applied: "
            + "items do not migrate between clusters yet";

    private static final String SUMMARY = "summary: ";

    static Stream<Arguments> plans() {
        return Stream.of(
                Arguments.of(MovePlan.of(RANGES, new int[] {0, 1, 1, 1, 2, 2, 2, 3, 3, 3}, 0, 0, 0), List.of(
                        HEADING + "no move " + NOT_APPLIED,
                        SUMMARY + "0 multi-item transactions: cross-cluster 0 -> 0, no item to move, "
                                + "shard map stays v1")),
                Arguments.of(MovePlan.of(RANGES, new int[] {0, 1, 1, 1, 1, 2, 2, 3, 3, 3}, 3, 0, 5), List.of(
                        HEADING + "1 move " + NOT_APPLIED,
                        "(4, c2, c1)",
                        SUMMARY + "5 multi-item transactions: cross-cluster 3 -> 0, 1 item to move, "
                                + "shard map v1 -> v2")),
                Arguments.of(MovePlan.of(RANGES, new int[] {0, 2, 1, 1, 1, 2, 2, 3, 3, 1}, 4, 1, 9), List.of(
                        HEADING + "3 moves " + NOT_APPLIED,
                        "(1, c1, c2)", "(4, c2, c1)", "(9, c3, c1)",
                        SUMMARY + "9 multi-item transactions: cross-cluster 4 -> 1, 3 items to move, "
                                + "shard map v1 -> v2")));
    }

    @ParameterizedTest
    @MethodSource("plans")
    void printReshardListsEachMoveAndSaysItIsNotApplied(MovePlan plan, List<String> lines) {
        assertThat(Printouts.reshard(plan)).isEqualTo(lines);
    }
}
