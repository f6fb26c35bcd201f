package io.shardbank.bench;

import org.HdrHistogram.Histogram;

/** Latency figures of one kind of step, in milliseconds, from histograms of microseconds. */
public record Latency(long count, double meanMs, double p50Ms, double p95Ms, double p99Ms, double p999Ms,
        double maxMs) {

    public static final Latency NONE = new Latency(0, 0, 0, 0, 0, 0, 0);

    public static Latency of(Histogram micros) {
        if (micros.getTotalCount() == 0) {
            return NONE;
        }
        return new Latency(micros.getTotalCount(), micros.getMean() / 1000.0, ms(micros, 50), ms(micros, 95),
                ms(micros, 99), ms(micros, 99.9), micros.getMaxValue() / 1000.0);
    }

    private static double ms(Histogram micros, double percentile) {
        return micros.getValueAtPercentile(percentile) / 1000.0;
    }
}
