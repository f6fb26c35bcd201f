package io.shardbank.sim;

import java.util.SplittableRandom;

/**
 * What the simulated clients share: an address on the {@link SimNetwork}, one operation under way
 * at a time, a pause of up to {@code thinkMaxMs} before each, and one timer at a time for retries
 * (arming a new one, or an answer, disarms the last). Subclasses say what an operation is, where
 * it goes and what an answer means.
 */
abstract class OneAtATimeClient implements SimNetwork.Endpoint {

    /** Client addresses start here; node addresses are below. */
    static final int ADDRESS_BASE = 10_000;

    final int address;
    final EventQueue queue;
    final SimNetwork network;
    final SplittableRandom random;
    final Trace trace;
    final SimStats stats;
    private final int operations;
    private final long thinkMaxMs;
    private int answered;
    private int timer;

    OneAtATimeClient(long clientId, int operations, long thinkMaxMs, EventQueue queue, SimNetwork network,
            SplittableRandom random, Trace trace, SimStats stats) {
        this.address = ADDRESS_BASE + (int) clientId;
        this.operations = operations;
        this.thinkMaxMs = thinkMaxMs;
        this.queue = queue;
        this.network = network;
        this.random = random;
        this.trace = trace;
        this.stats = stats;
    }

    /** Whether an operation is under way. */
    abstract boolean isWaiting();

    /** Draws the next operation and sends it. */
    abstract void startNext();

    void start() {
        queue.after(1 + random.nextLong(thinkMaxMs), this::next);
    }

    boolean isDone() {
        return answered == operations;
    }

    private void next() {
        if (!isDone()) {
            startNext();
        }
    }

    /** Runs {@code action} after {@code delayMs} unless an answer or another timer comes first. */
    void retryAfter(long delayMs, Runnable action) {
        int armed = ++timer;
        queue.after(delayMs, () -> {
            if (armed == timer && isWaiting()) {
                action.run();
            }
        });
    }

    /** The operation under way has its final answer: pause, then start the next. */
    void answered() {
        answered++;
        timer++;
        queue.after(random.nextLong(thinkMaxMs + 1), this::next);
    }
}
