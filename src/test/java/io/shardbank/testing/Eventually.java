package io.shardbank.testing;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * Waits for a condition on a running system (a node caught up, a leader elected), checking it
 * every few milliseconds, and fails with a description when the time is up. It never waits a fixed
 * time: it returns as soon as the condition holds.
 */
public final class Eventually {

    private Eventually() {
    }

    /**
     * Returns once {@code condition} holds. A check that throws (a node not answering yet) counts
     * as false; the last such error is attached when the time is up.
     */
    public static void await(Duration limit, String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + limit.toNanos();
        RuntimeException lastError = null;
        while (true) {
            try {
                if (condition.getAsBoolean()) {
                    return;
                }
            } catch (RuntimeException e) {
                lastError = e;
            }
            if (System.nanoTime() > deadline) {
                AssertionError failure = new AssertionError("not true within " + limit.toMillis() + " ms: " + what);
                if (lastError != null) {
                    failure.initCause(lastError);
                }
                throw failure;
            }
            LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
        }
    }
}
