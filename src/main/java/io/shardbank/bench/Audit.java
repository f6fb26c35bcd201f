package io.shardbank.bench;

import java.util.List;
import java.util.Locale;

/**
 * The end-of-run check of a benchmark: the sum of all balances the replicas hold against what the
 * run's committed steps imply, and whether each cluster's replicas agree.
 *
 * @param total the sum of balances the replicas hold
 * @param expected items x initial balance plus the net deltas of every committed step
 * @param replicasIdentical whether each cluster's replicas hold the same balances (and all answered)
 * @param uncertainSteps steps that change the total whose outcome is unknown (each may or may not
 *     have been applied): with some, {@code total} may differ from {@code expected} by as much
 * @param problems what went wrong reading or comparing the replicas
 */
public record Audit(long total, long expected, boolean replicasIdentical, long uncertainSteps, List<String> problems) {

    public Audit {
        problems = List.copyOf(problems);
    }

    /** The expected total of a run that started from every item at {@code initialBalance}. */
    public static long expectedTotal(int items, long initialBalance, RunResult.MoneyFlow money) {
        return items * initialBalance + money.committedNetDelta();
    }

    public boolean totalMatches() {
        return total == expected;
    }

    /** The one line a run prints: {@code audit: total=T expected=E replicas-identical=yes|no}. */
    public String line() {
        String line = String.format(Locale.ROOT, "audit: total=%d expected=%d replicas-identical=%s", total, expected,
                replicasIdentical ? "yes" : "no");
        return uncertainSteps == 0 ? line : line + " (" + uncertainSteps + " steps of unknown outcome)";
    }
}
