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

    public static void await(Duration limit, String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not true within " + limit.toMillis() + " ms: " + what);
            }
            LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
        }
    }
}
