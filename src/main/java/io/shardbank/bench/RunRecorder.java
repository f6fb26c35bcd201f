package io.shardbank.bench;

import io.shardbank.shard.Outcome;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Recorder;

/**
 * Counts the outcomes and latencies of a run's steps as they end, from any thread: overall, by kind
 * (intra-cluster, cross-cluster, read), by step type, and per second of the measured part.
 */
final class RunRecorder {

    private static final int SIGNIFICANT_DIGITS = 3;

    private final Recorder overall = new Recorder(SIGNIFICANT_DIGITS);
    private final Recorder intra = new Recorder(SIGNIFICANT_DIGITS);
    private final Recorder cross = new Recorder(SIGNIFICANT_DIGITS);
    private final Recorder reads = new Recorder(SIGNIFICANT_DIGITS);
    private final Map<String, Recorder> types = new ConcurrentHashMap<>();
    private final Map<Outcome.Status, LongAdder> counts = new EnumMap<>(Outcome.Status.class);
    private final Map<String, LongAdder> abortReasons = new ConcurrentHashMap<>();
    private final Map<Integer, SecondRecorder> seconds = new ConcurrentHashMap<>();
    private final LongAdder counted = new LongAdder();
    private final LongAdder committedNetDelta = new LongAdder();
    private final LongAdder uncertainSteps = new LongAdder();

    RunRecorder() {
        for (Outcome.Status status : Outcome.Status.values()) {
            counts.put(status, new LongAdder());
        }
    }

    /** A step's outcome, for the audit's money flow: called for every step, measured or not. */
    void settled(Step step, Outcome.Status status) {
        if (status == Outcome.Status.COMMITTED) {
            committedNetDelta.add(step.netDelta());
        } else if (status == Outcome.Status.UNAVAILABLE && step.netDelta() != 0) {
            uncertainSteps.increment();
        }
    }

    /** A step that ended inside the measured part, {@code second} seconds after it began. */
    void measured(Step step, Outcome outcome, long micros, int second) {
        counted.increment();
        counts.get(outcome.status()).increment();
        if (outcome.status() == Outcome.Status.ABORTED) {
            abortReasons.computeIfAbsent(reasonKind(outcome.reason()), reason -> new LongAdder()).increment();
        }
        overall.recordValue(micros);
        Recorder kind = step.read() ? reads : step.crossCluster() ? cross : intra;
        kind.recordValue(micros);
        types.computeIfAbsent(step.type(), type -> new Recorder(SIGNIFICANT_DIGITS)).recordValue(micros);
        seconds.computeIfAbsent(second, s -> new SecondRecorder()).record(step, outcome.status(), micros);
    }

    /** How many measured steps have ended so far. */
    long counted() {
        return counted.sum();
    }

    /**
     * An abort reason with its numbers masked and its details after a colon dropped, so that
     * reasons count by kind: "insufficient funds: item 7 has 0, needs 1" is "insufficient funds".
     */
    static String reasonKind(String reason) {
        String masked = reason.replaceAll("[0-9]+", "N");
        int colon = masked.indexOf(':');
        return colon > 0 ? masked.substring(0, colon) : masked;
    }

    RunResult result(double measuredSeconds, List<RunResult.Event> events) {
        Map<Outcome.Status, Long> byStatus = new EnumMap<>(Outcome.Status.class);
        long total = 0;
        for (Map.Entry<Outcome.Status, LongAdder> entry : counts.entrySet()) {
            long count = entry.getValue().sum();
            total += count;
            if (count > 0 || entry.getKey().isFinal()) {
                byStatus.put(entry.getKey(), count);
            }
        }
        Map<String, Long> reasons = new TreeMap<>();
        abortReasons.forEach((reason, count) -> reasons.put(reason, count.sum()));
        Map<String, Latency> byType = new TreeMap<>();
        types.forEach((type, recorder) -> byType.put(type, Latency.of(recorder.getIntervalHistogram())));
        List<RunResult.Second> timeline = new ArrayList<>();
        int last = seconds.keySet().stream().mapToInt(Integer::intValue).max().orElse(-1);
        for (int second = 0; second <= last; second++) {
            SecondRecorder recorder = seconds.get(second);
            timeline.add(recorder == null ? new RunResult.Second(second, 0, 0, 0, 0, 0, 0, 0, 0)
                    : recorder.result(second));
        }
        return new RunResult(measuredSeconds, total, byStatus, reasons, Latency.of(overall.getIntervalHistogram()),
                Latency.of(intra.getIntervalHistogram()), Latency.of(cross.getIntervalHistogram()),
                Latency.of(reads.getIntervalHistogram()), byType, timeline, events,
                new RunResult.MoneyFlow(committedNetDelta.sum(), uncertainSteps.sum()));
    }

    /** The steps that ended in one second. */
    private static final class SecondRecorder {
        private final LongAdder committed = new LongAdder();
        private final LongAdder aborted = new LongAdder();
        private final LongAdder unavailable = new LongAdder();
        private final LongAdder other = new LongAdder();
        private final Recorder intra = new Recorder(SIGNIFICANT_DIGITS);
        private final Recorder cross = new Recorder(SIGNIFICANT_DIGITS);

        void record(Step step, Outcome.Status status, long micros) {
            switch (status) {
                case COMMITTED -> committed.increment();
                case ABORTED -> aborted.increment();
                case UNAVAILABLE -> unavailable.increment();
                default -> other.increment();
            }
            if (!step.read()) {
                (step.crossCluster() ? cross : intra).recordValue(micros);
            }
        }

        RunResult.Second result(int second) {
            Latency intraLatency = Latency.of(intra.getIntervalHistogram());
            Latency crossLatency = Latency.of(cross.getIntervalHistogram());
            return new RunResult.Second(second, committed.sum(), aborted.sum(), unavailable.sum(), other.sum(),
                    intraLatency.p50Ms(), intraLatency.p99Ms(), crossLatency.p50Ms(), crossLatency.p99Ms());
        }
    }
}
