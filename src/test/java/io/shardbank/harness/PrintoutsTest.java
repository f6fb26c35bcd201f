package io.shardbank.harness;

import static org.assertj.core.api.Assertions.assertThat;

import io.shardbank.model.ClusterId;
import io.shardbank.model.ShardMap;
import io.shardbank.reshard.Move;
import io.shardbank.reshard.MovePlan;
import io.shardbank.client.ReshardCoordinator;
import java.util.List;
import org.junit.jupiter.api.Test;

class PrintoutsTest {

    private static final ShardMap RANGES = ShardMap.evenRanges(3, 9);

    @Test
    void printReshardListsEachMoveMadeThenTheSummary() {
        MovePlan plan = MovePlan.of(RANGES, new int[] {0, 2, 1, 1, 1, 2, 2, 3, 3, 1}, 4, 1, 9);
        List<Move> moved = List.of(plan.moves().get(0), plan.moves().get(1));
        ReshardCoordinator.Report report = new ReshardCoordinator.Report(plan, moved, List.of(plan.moves().get(2)),
                List.of("1 items c3 -> c1: aborted (item 9 is locked by transaction 5:1)"), 120, null);

        assertThat(Printouts.reshard(report)).containsExactly(
                "Input: PrintReshard; Output: 2 items moved",
                "(1, c1, c2)", "(4, c2, c1)",
                "given up: 1 items c3 -> c1: aborted (item 9 is locked by transaction 5:1)",
                "summary: 9 multi-item transactions: cross-cluster 4 -> 1 planned, 2 of 3 items moved, 1 given up,"
                        + " shard map v1 -> v2");
    }

    @Test
    void printReshardOfAnEmptyPlanKeepsTheMap() {
        MovePlan plan = MovePlan.of(RANGES, new int[] {0, 1, 1, 1, 2, 2, 2, 3, 3, 3}, 0, 0, 0);

        assertThat(Printouts.reshard(new ReshardCoordinator.Report(plan, List.of(), List.of(), List.of(), 3, null)))
                .containsExactly("Input: PrintReshard; Output: no item moved",
                        "summary: 0 multi-item transactions: cross-cluster 0 -> 0 planned, 0 of 0 items moved,"
                                + " shard map stays v1");
    }

    @Test
    void printReshardSaysWhyARoundCouldNotStart() {
        assertThat(Printouts.reshard(new ReshardCoordinator.Report(null, List.of(), List.of(), List.of(), 5_000,
                "no leader of c2 answered within 10000 ms")))
                .containsExactly("Input: PrintReshard; Output: resharding failed: no leader of c2 answered within"
                        + " 10000 ms");
        assertThat(new Move(4, new ClusterId(2), new ClusterId(1))).hasToString("(4, c2, c1)");
    }
}
