package io.shardbank.sim;

import java.util.Comparator;
import java.util.PriorityQueue;

/**
 * The virtual clock and the one queue of everything that will happen. Events at the same time run
 * in the order they were scheduled, so a run depends on nothing but its seed.
 */
final class EventQueue {

    private record Event(long at, long order, Runnable action) {
    }

    private final PriorityQueue<Event> events =
            new PriorityQueue<>(Comparator.comparingLong(Event::at).thenComparingLong(Event::order));
    private long now;
    private long order;
    private long executed;

    long now() {
        return now;
    }

    long executed() {
        return executed;
    }

    void at(long time, Runnable action) {
        events.add(new Event(Math.max(time, now), order++, action));
    }

    void after(long delayMs, Runnable action) {
        at(now + delayMs, action);
    }

    /** Runs the next event if it is due by {@code until}; false when there is none. */
    boolean runNext(long until) {
        Event next = events.peek();
        if (next == null || next.at() > until) {
            return false;
        }
        events.poll();
        now = next.at();
        executed++;
        next.action().run();
        return true;
    }
}
