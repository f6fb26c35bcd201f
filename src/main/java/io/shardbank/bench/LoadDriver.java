package io.shardbank.bench;

import io.shardbank.client.ShardbankClient;
import io.shardbank.shard.Outcome;
import java.util.EnumMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Recorder;

/**
 * Closed-loop load: keeps {@code outstanding} operations under way, each replaced by the next as
 * soon as it ends, for a warm-up and then a measured period. Latency is measured at the client from
 * submit to outcome, separately for intra-cluster, cross-cluster and read steps, and for each step
 * type of the workload.
 */
public final class LoadDriver {

    /** What one measured run produced. */
    public record Result(double seconds, long operations, Map<Outcome.Status, Long> byStatus,
            Latency intra, Latency cross, Latency reads, Map<String, Latency> byType) {
        public double throughputPerSecond() {
            return operations / seconds;
        }
    }

    /** Latency figures of one kind of operation, in milliseconds. */
    public record Latency(long count, double meanMs, double p50Ms, double p99Ms, double maxMs) {
        static Latency of(org.HdrHistogram.Histogram histogram) {
            if (histogram.getTotalCount() == 0) {
                return new Latency(0, 0, 0, 0, 0);
            }
            return new Latency(histogram.getTotalCount(), histogram.getMean() / 1000.0,
                    histogram.getValueAtPercentile(50) / 1000.0, histogram.getValueAtPercentile(99) / 1000.0,
                    histogram.getMaxValue() / 1000.0);
        }
    }

    private final ShardbankClient client;
    private final Workload workload;
    private final int outstanding;

    public LoadDriver(ShardbankClient client, Workload workload, int outstanding) {
        if (outstanding < 1) {
            throw new IllegalArgumentException("outstanding operations must be >= 1");
        }
        this.client = client;
        this.workload = workload;
        this.outstanding = outstanding;
    }

    public Result run(long warmupMs, long measureMs) throws InterruptedException {
        Recorder intra = new Recorder(3);
        Recorder cross = new Recorder(3);
        Recorder reads = new Recorder(3);
        Map<String, Recorder> types = new ConcurrentHashMap<>();
        Map<Outcome.Status, AtomicLong> counts = new EnumMap<>(Outcome.Status.class);
        for (Outcome.Status status : Outcome.Status.values()) {
            counts.put(status, new AtomicLong());
        }
        Semaphore slots = new Semaphore(outstanding);
        long start = System.nanoTime();
        long measureFrom = start + TimeUnit.MILLISECONDS.toNanos(warmupMs);
        long end = measureFrom + TimeUnit.MILLISECONDS.toNanos(measureMs);
        while (System.nanoTime() < end) {
            slots.acquire();
            Step step = workload.next();
            long sent = System.nanoTime();
            CompletableFuture<Outcome> outcome = step.submit(client).toCompletableFuture();
            outcome.whenComplete((result, error) -> {
                long done = System.nanoTime();
                slots.release();
                if (sent < measureFrom || done > end) {
                    return;
                }
                counts.get(error == null ? result.status() : Outcome.Status.UNAVAILABLE).incrementAndGet();
                Recorder recorder = step.read() ? reads : step.crossCluster() ? cross : intra;
                long micros = Math.max(1, (done - sent) / 1000);
                recorder.recordValue(micros);
                types.computeIfAbsent(step.type(), type -> new Recorder(3)).recordValue(micros);
            });
        }
        slots.acquire(outstanding);
        Map<Outcome.Status, Long> byStatus = new EnumMap<>(Outcome.Status.class);
        long total = 0;
        for (Map.Entry<Outcome.Status, AtomicLong> entry : counts.entrySet()) {
            byStatus.put(entry.getKey(), entry.getValue().get());
            total += entry.getValue().get();
        }
        Map<String, Latency> byType = new TreeMap<>();
        types.forEach((type, recorder) -> byType.put(type, Latency.of(recorder.getIntervalHistogram())));
        return new Result(measureMs / 1000.0, total, byStatus, Latency.of(intra.getIntervalHistogram()),
                Latency.of(cross.getIntervalHistogram()), Latency.of(reads.getIntervalHistogram()), byType);
    }
}
