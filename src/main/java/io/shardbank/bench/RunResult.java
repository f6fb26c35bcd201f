package io.shardbank.bench;

import io.shardbank.shard.Outcome;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * What one measured run produced.
 *
 * @param seconds the measured time: the measured period, or in count mode from the first send to the last outcome
 * @param steps the steps counted (every outcome in the measured part, aborts included)
 * @param byStatus steps by final status
 * @param abortReasons aborted steps by reason, numbers masked ("item N is locked ...")
 * @param timeline one entry per second of the measured part
 * @param events named moments of the run (a resharding, a failure), in time order
 * @param money what the run's committed steps did to the sum of balances, warm-up included
 */
public record RunResult(double seconds, long steps, Map<Outcome.Status, Long> byStatus, Map<String, Long> abortReasons,
        Latency overall, Latency intra, Latency cross, Latency reads, Map<String, Latency> byType,
        List<Second> timeline, List<Event> events, MoneyFlow money) {

    public RunResult {
        Map<Outcome.Status, Long> ordered = new EnumMap<>(Outcome.Status.class);
        ordered.putAll(byStatus);
        byStatus = Collections.unmodifiableMap(ordered);
        abortReasons = Map.copyOf(abortReasons);
        byType = Map.copyOf(byType);
        timeline = List.copyOf(timeline);
        events = List.copyOf(events);
    }

    /** Steps ended per second, whatever their outcome. */
    public double throughputPerSecond() {
        return seconds <= 0 ? 0 : steps / seconds;
    }

    /** Steps that committed or read, per second. */
    public double goodputPerSecond() {
        return seconds <= 0 ? 0 : succeeded() / seconds;
    }

    /** The share of steps that committed or read; 0 when there were none. */
    public double successRate() {
        return steps == 0 ? 0 : succeeded() / (double) steps;
    }

    public long count(Outcome.Status status) {
        return byStatus.getOrDefault(status, 0L);
    }

    private long succeeded() {
        return count(Outcome.Status.COMMITTED) + count(Outcome.Status.OK);
    }

    /**
     * One second of the measured part (second 0 is the first): how many steps ended in it, by
     * outcome, and the latency of the intra- and cross-cluster writes that ended in it.
     */
    public record Second(int second, long committed, long aborted, long unavailable, long other, double intraP50Ms,
            double intraP99Ms, double crossP50Ms, double crossP99Ms) {

        /** Every step that ended in this second, reads included. */
        public long ended() {
            return committed + aborted + unavailable + other;
        }
    }

    /** A named moment, in seconds from the start of the measured part (negative during warm-up). */
    public record Event(double atSeconds, String name) {
    }

    /**
     * The committed steps' effect on the sum of all balances, over the whole run (warm-up and
     * steps that ended after the measured part included), for the audit.
     *
     * @param committedNetDelta the sum of the net deltas of every committed step
     * @param uncertainSteps steps with a non-zero net delta whose outcome is unknown (unavailable:
     *     they may still have been applied), so the expected total is exact only when this is 0
     */
    public record MoneyFlow(long committedNetDelta, long uncertainSteps) {
    }
}
