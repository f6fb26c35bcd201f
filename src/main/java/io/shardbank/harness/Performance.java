package io.shardbank.harness;

import java.util.Locale;

/**
 * Throughput and latency of one set's transactions (transfers), measured at the client from
 * sending a transfer to its reply; intra-cluster and cross-cluster transfers also apart. Reads are
 * summarised on their own and do not count as transactions.
 *
 * @param busyNanos the time transactions were under way: the sum over the set's steps of the time
 *     from the first send to the last reply (so the pauses for F/R are left out)
 */
public record Performance(Latency transactions, Latency intraCluster, Latency crossCluster, Latency reads,
        long busyNanos) {

    /** Count and latency statistics of a kind of operation, in milliseconds. */
    public record Latency(long count, double averageMs, double p50Ms, double p99Ms, double maxMs) {

        static final Latency NONE = new Latency(0, 0, 0, 0, 0);

        String describe() {
            return count == 0 ? "none" : String.format(Locale.ROOT, "avg %.2f ms, p50 %.2f ms, p99 %.2f ms",
                    averageMs, p50Ms, p99Ms);
        }
    }

    /** Transactions per second over the busy time; 0 when there were none. */
    public double throughputPerSecond() {
        return busyNanos == 0 ? 0 : transactions.count() * 1e9 / busyNanos;
    }

    /** One line, as the {@code Performance} command prints it. */
    public String describe() {
        return String.format(Locale.ROOT, "%d transaction%s (%d intra-cluster, %d cross-cluster) in %.3f s: "
                        + "throughput %.1f tx/s, latency %s; intra-cluster %s; cross-cluster %s; %d read%s%s",
                transactions.count(), plural(transactions.count()), intraCluster.count(), crossCluster.count(),
                busyNanos / 1e9, throughputPerSecond(), transactions.describe(), intraCluster.describe(),
                crossCluster.describe(), reads.count(), plural(reads.count()),
                reads.count() == 0 ? "" : " (" + reads.describe() + ")");
    }

    private static String plural(long count) {
        return count == 1 ? "" : "s";
    }
}
