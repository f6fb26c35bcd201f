package io.shardbank.harness;

import io.shardbank.shard.Outcome;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The one-screen end of a batch run: how many sets ran, the outcomes of their transfers and reads
 * by status, and one line of performance per set.
 */
public final class BatchSummary {

    private final String source;
    private final List<SetResult> results = new ArrayList<>();

    public BatchSummary(String source) {
        this.source = source;
    }

    public void add(SetResult result) {
        results.add(result);
    }

    /** Transfers and reads of every set added, by final status. */
    public Map<Outcome.Status, Long> outcomes() {
        Map<Outcome.Status, Long> counts = new EnumMap<>(Outcome.Status.class);
        for (SetResult result : results) {
            count(result, counts);
        }
        return counts;
    }

    public List<String> lines() {
        List<String> lines = new ArrayList<>();
        long busyNanos = results.stream().mapToLong(r -> r.performance().busyNanos()).sum();
        lines.add(String.format(Locale.ROOT, "summary: %d set%s of %s run, transactions under way %.2f s",
                results.size(), results.size() == 1 ? "" : "s", source, busyNanos / 1e9));
        lines.add("outcomes: " + describe(outcomes()));
        lines.add(String.format(Locale.ROOT, "%5s %5s %9s %7s %8s %11s %5s %9s %8s %8s", "set", "txns", "committed",
                "aborted", "rejected", "unavailable", "reads", "tx/s", "avg ms", "p99 ms"));
        for (SetResult result : results) {
            Map<Outcome.Status, Long> counts = new EnumMap<>(Outcome.Status.class);
            count(result, counts);
            Performance performance = result.performance();
            lines.add(String.format(Locale.ROOT, "%5d %5d %9d %7d %8d %11d %5d %9.1f %8.2f %8.2f", result.set().number(),
                    performance.transactions().count(), counts.getOrDefault(Outcome.Status.COMMITTED, 0L),
                    counts.getOrDefault(Outcome.Status.ABORTED, 0L), counts.getOrDefault(Outcome.Status.REJECTED, 0L),
                    counts.getOrDefault(Outcome.Status.UNAVAILABLE, 0L), performance.reads().count(),
                    performance.throughputPerSecond(), performance.transactions().averageMs(),
                    performance.transactions().p99Ms()));
        }
        return lines;
    }

    private static void count(SetResult result, Map<Outcome.Status, Long> counts) {
        for (CommandResult command : result.results()) {
            command.outcome().ifPresent(outcome -> counts.merge(outcome.status(), 1L, Long::sum));
        }
    }

    private static String describe(Map<Outcome.Status, Long> counts) {
        if (counts.isEmpty()) {
            return "none";
        }
        List<String> parts = new ArrayList<>();
        counts.forEach((status, count) -> parts.add(
                (status == Outcome.Status.OK ? "read" : status.name().toLowerCase(Locale.ROOT)) + " " + count));
        return String.join(", ", parts);
    }
}
