package io.shardbank.bench;

import io.shardbank.client.ShardbankClient;
import io.shardbank.shard.Outcome;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Closed-loop load: keeps {@code outstanding} steps under way, each replaced by the next as soon as
 * it ends. A run either counts a fixed number of steps (all measured, no warm-up), or runs for a
 * warm-up and then a measured period. Latency is measured at the client from submit to outcome,
 * separately for intra-cluster, cross-cluster and read steps, and for each step type.
 *
 * <p>While a run goes, {@link #recordEvent} marks named moments (a resharding, a failure) that
 * the results and charts show on the run's time line, and {@link #progress} tells how far it is.
 */
public final class LoadDriver {

    /**
     * How long a run lasts.
     *
     * @param steps the steps to run in count mode (> 0), or 0 for time mode
     * @param warmupMs unmeasured time first, in time mode
     * @param measureMs measured time, in time mode
     */
    public record Plan(long steps, long warmupMs, long measureMs) {

        public Plan {
            if (steps < 0 || warmupMs < 0 || measureMs < 0) {
                throw new IllegalArgumentException("steps and times must be >= 0");
            }
            if (steps == 0 && measureMs == 0) {
                throw new IllegalArgumentException("a run needs steps or a measured time");
            }
        }

        /** Exactly {@code steps} steps, all measured. */
        public static Plan count(long steps) {
            if (steps < 1) {
                throw new IllegalArgumentException("a counted run needs >= 1 step, got " + steps);
            }
            return new Plan(steps, 0, 0);
        }

        public static Plan timed(long warmupMs, long measureMs) {
            return new Plan(0, warmupMs, measureMs);
        }

        public boolean counted() {
            return steps > 0;
        }
    }

    /** How far a run is, for a progress display. */
    public record Progress(long measuredSteps, double measuredSeconds, boolean warmingUp) {
    }

    private final ShardbankClient client;
    private final Workload workload;
    private final int outstanding;
    private final RunRecorder recorder = new RunRecorder();
    private final List<RunResult.Event> events = new ArrayList<>();
    private volatile java.util.function.BiConsumer<Step, Outcome> settledListener = (step, outcome) -> {
    };
    /** When the measured part starts, in System.nanoTime(); Long.MAX_VALUE before the run. */
    private volatile long measureFromNanos = Long.MAX_VALUE;

    public LoadDriver(ShardbankClient client, Workload workload, int outstanding) {
        if (outstanding < 1) {
            throw new IllegalArgumentException("outstanding operations must be >= 1");
        }
        this.client = client;
        this.workload = workload;
        this.outstanding = outstanding;
    }

    /** Marks a named moment of the run now (from any thread), for the results and charts. */
    public void recordEvent(String name) {
        double at = (System.nanoTime() - measureFromNanos) / 1e9;
        synchronized (events) {
            events.add(new RunResult.Event(measureFromNanos == Long.MAX_VALUE ? 0 : at, name));
        }
    }

    /** Tells {@code listener} of every step as it ends (on the client's threads), warm-up included. */
    public void onSettled(java.util.function.BiConsumer<Step, Outcome> listener) {
        settledListener = listener;
    }

    /** How far the run is (from any thread). */
    public Progress progress() {
        long from = measureFromNanos;
        long now = System.nanoTime();
        boolean warmingUp = from == Long.MAX_VALUE || now < from;
        return new Progress(recorder.counted(), warmingUp ? 0 : (now - from) / 1e9, warmingUp);
    }

    /** Runs the plan once; a driver runs one plan only. */
    public RunResult run(Plan plan) throws InterruptedException {
        Semaphore slots = new Semaphore(outstanding);
        AtomicLong lastEnd = new AtomicLong();
        long start = System.nanoTime();
        long measureFrom = start + TimeUnit.MILLISECONDS.toNanos(plan.warmupMs());
        long end = plan.counted() ? Long.MAX_VALUE : measureFrom + TimeUnit.MILLISECONDS.toNanos(plan.measureMs());
        measureFromNanos = measureFrom;
        long sentSteps = 0;
        while (plan.counted() ? sentSteps < plan.steps() : System.nanoTime() < end) {
            slots.acquire();
            sentSteps++;
            Step step = workload.next();
            long sent = System.nanoTime();
            step.submit(client).whenComplete((result, error) -> {
                long done = System.nanoTime();
                Outcome outcome = error == null ? result
                        : Outcome.unavailable(0, "client error: " + error.getClass().getSimpleName());
                recorder.settled(step, outcome.status());
                settledListener.accept(step, outcome);
                if (sent >= measureFrom && done <= end) {
                    lastEnd.accumulateAndGet(done, Math::max);
                    recorder.measured(step, outcome, Math.max(1, (done - sent) / 1000),
                            (int) ((done - measureFrom) / 1_000_000_000L));
                }
                slots.release();
            });
        }
        slots.acquire(outstanding);
        double seconds = plan.counted() ? Math.max(1, lastEnd.get() - measureFrom) / 1e9 : plan.measureMs() / 1000.0;
        List<RunResult.Event> marked;
        synchronized (events) {
            marked = events.stream().sorted(Comparator.comparingDouble(RunResult.Event::atSeconds)).toList();
        }
        return recorder.result(seconds, marked);
    }

    /** Runs for a warm-up and then a measured period. */
    public RunResult run(long warmupMs, long measureMs) throws InterruptedException {
        return run(Plan.timed(warmupMs, measureMs));
    }
}
