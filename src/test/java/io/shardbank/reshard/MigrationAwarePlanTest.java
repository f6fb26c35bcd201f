package io.shardbank.reshard;

import static org.assertj.core.api.Assertions.assertThat;

import io.shardbank.model.ShardMap;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Moves are made only when their saving outweighs their price, and never more than the cap. */
class MigrationAwarePlanTest {

    private static final ShardMap TWO_RANGES = ShardMap.evenRanges(2, 6000);

    @ParameterizedTest(name = "{0} crossings at a move cost of {1}: {2} moves")
    @CsvSource({"1, 0.25, 1", "1, 2, 0", "3, 2, 1", "2, 2, 0", "5, 4.5, 1"})
    void aPairIsJoinedOnlyWhenItsCrossingsOutweighTheMove(int crossings, double moveCost, int moves) {
        AccessLog log = new AccessLog(100);
        for (int i = 0; i < crossings; i++) {
            log.record(List.of(1, 3001));
        }

        MovePlan plan = new ReshardPlanner(ReshardSettings.defaults().withMoveCost(moveCost)).plan(log, TWO_RANGES, 2);

        assertThat(plan.moves()).hasSize(moves);
        assertThat(plan.cutAfter()).isEqualTo(moves == 0 ? crossings : 0);
    }

    @ParameterizedTest(name = "at most {0} moves")
    @ValueSource(ints = {0, 5, 40})
    void theMovesCapHoldsAndTheSummarySaysThePriceWasRaised(int movesMax) {
        SplittableRandom random = new SplittableRandom(movesMax);
        AccessLog log = new AccessLog(10_000);
        for (int t = 0; t < 400; t++) {
            int first = 1 + random.nextInt(3000);
            log.record(List.of(first, first + 3000));
        }
        ReshardSettings settings = ReshardSettings.defaults().withMovesMax(movesMax);

        MovePlan plan = new ReshardPlanner(settings).plan(log, TWO_RANGES, 2);
        MovePlan uncapped = new ReshardPlanner(ReshardSettings.defaults()).plan(log, TWO_RANGES, 2);

        assertThat(uncapped.moves().size()).isGreaterThan(movesMax);
        assertThat(plan.moves().size()).isLessThanOrEqualTo(movesMax);
        assertThat(plan.cutAfter()).isLessThanOrEqualTo(plan.cutBefore());
        assertThat(plan.moveCostRaised()).isTrue();
        if (!plan.isEmpty()) {
            assertThat(plan.summary()).contains("raised to stay within reshard.moves-max");
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3})
    void theSummaryReportsTheTradeOff(long seed) {
        AccessLog log = new AccessLog(100);
        log.record(List.of(1, 3001));
        log.record(List.of(1, 3001));

        MovePlan plan = new ReshardPlanner(ReshardSettings.defaults().withPlannerSeed(seed)).plan(log, TWO_RANGES, 2);

        assertThat(plan.summary()).isEqualTo("2 multi-item transactions: cross-cluster 2 -> 0, 1 item to move, "
                + "shard map v1 -> v2; trade-off: 2 transactions saved for 1 move at 0.25 each");
    }
}
