package io.shardbank.harness;

import io.shardbank.harness.script.ScriptCommand;
import io.shardbank.model.ShardMap;
import org.HdrHistogram.Histogram;

/**
 * Collects the latencies of one set's transfers and reads (HdrHistogram, microsecond resolution)
 * and the time they were under way. Used from one thread.
 */
public final class PerformanceMeter {

    /** Significant decimal digits the histograms keep. */
    private static final int SIGNIFICANT_DIGITS = 3;

    private final ShardMap shardMap;
    private final Histogram transactions = new Histogram(SIGNIFICANT_DIGITS);
    private final Histogram intraCluster = new Histogram(SIGNIFICANT_DIGITS);
    private final Histogram crossCluster = new Histogram(SIGNIFICANT_DIGITS);
    private final Histogram reads = new Histogram(SIGNIFICANT_DIGITS);
    private long busyNanos;

    /** {@code shardMap} tells intra-cluster transfers from cross-cluster ones. */
    public PerformanceMeter(ShardMap shardMap) {
        this.shardMap = shardMap;
    }

    /** Records the send-to-reply time of a transfer or a read. */
    public void record(ScriptCommand command, long latencyNanos) {
        long micros = Math.max(1, latencyNanos / 1_000);
        if (command instanceof ScriptCommand.Transfer t) {
            transactions.recordValue(micros);
            (isCrossCluster(t) ? crossCluster : intraCluster).recordValue(micros);
        } else if (command instanceof ScriptCommand.BalanceRead) {
            reads.recordValue(micros);
        }
    }

    /** Adds the time from the first send to the last reply of one step. */
    public void addBusyTime(long nanos) {
        busyNanos += Math.max(0, nanos);
    }

    public Performance summary() {
        return new Performance(latency(transactions), latency(intraCluster), latency(crossCluster), latency(reads),
                busyNanos);
    }

    /** Whether the transfer's items live in different clusters; items outside the map count as local. */
    private boolean isCrossCluster(ScriptCommand.Transfer t) {
        return shardMap.hasItem(t.from()) && shardMap.hasItem(t.to())
                && !shardMap.clusterOf(t.from()).equals(shardMap.clusterOf(t.to()));
    }

    private static Performance.Latency latency(Histogram histogram) {
        if (histogram.getTotalCount() == 0) {
            return Performance.Latency.NONE;
        }
        return new Performance.Latency(histogram.getTotalCount(), histogram.getMean() / 1000.0,
                histogram.getValueAtPercentile(50) / 1000.0, histogram.getValueAtPercentile(99) / 1000.0,
                histogram.getMaxValue() / 1000.0);
    }
}
