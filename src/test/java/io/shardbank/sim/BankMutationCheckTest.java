package io.shardbank.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Plants known two-phase-commit and migration bugs in the simulated bank host (never in production code) and
 * expects the full-stack simulator to catch each within a bounded number of seeds.
 */
class BankMutationCheckTest {

    private static final int SEEDS_MAX = 60;

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "RELEASE_LOCKS_AT_PREPARE",
        "COMMIT_AFTER_OWN_VOTE",
        "NO_TXN_DEDUP",
        "ANSWER_AT_DECISION",
        "SOURCE_FORGETS_AT_PREPARE",
        "TARGET_ACTIVATES_AT_PREPARE",
        "SERVES_MOVED_ITEM",
    })
    void simulatorCatchesPlantedBug(Mutation mutation) {
        long seed = SimulationRunner.firstFailingSeed(SimulationRunner.Stack.BANK, 1, SEEDS_MAX, mutation);
        assertThat(seed).as("a seed in 1..%d that catches %s", SEEDS_MAX, mutation).isPositive();

        SimulationFailure failure = catchThrowableOfType(SimulationFailure.class,
                () -> BankSimulation.run(seed, mutation));
        assertThat(failure.seed).isEqualTo(seed);
        assertThat(failure.getMessage())
                .contains("replay with -Dsim.seed=" + seed)
                .contains("last " + Trace.EVENTS_KEPT + " events");
        System.out.println("mutation " + mutation + " caught at seed " + seed + ": "
                + failure.getMessage().lines().findFirst().orElse(""));
        // The same seed without the planted bug is clean.
        assertThat(BankSimulation.run(seed, Mutation.NONE).stats().anomalies).isZero();
    }
}
