package io.shardbank.sim;

import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * The simulated network between every node and client of all clusters. Each message gets its own
 * random delay (so messages reorder), and while faults are on it may be dropped or duplicated.
 * Partitions are sets of one-way cut links; a message is checked against them when it arrives.
 */
final class SimNetwork {

    /** Whoever can receive: a node's host or a client. */
    interface Endpoint {
        void receive(int from, Object message);
    }

    /** Sees every message as it leaves its sender (the fault injector uses it). */
    interface SendListener {
        void sent(int from, int to, Object message);
    }

    private final EventQueue queue;
    private final SplittableRandom random;
    private final Trace trace;
    private final SimStats stats;
    private final Map<Integer, Endpoint> endpoints = new HashMap<>();
    private final Map<Integer, Set<Long>> partitions = new HashMap<>();
    private int nextPartitionId = 1;
    private SendListener listener = (from, to, message) -> { };

    private double dropRate;
    private double duplicateRate;
    private final long delayMinMs;
    private final long delayMaxMs;
    private double longDelayRate;
    private final long longDelayMaxMs;

    /** How the network misbehaves while faults are on. */
    record Faults(double dropRate, double duplicateRate, long delayMinMs, long delayMaxMs, double longDelayRate,
            long longDelayMaxMs) {
    }

    SimNetwork(EventQueue queue, SplittableRandom random, Trace trace, SimStats stats, Faults faults) {
        this.queue = queue;
        this.random = random;
        this.trace = trace;
        this.stats = stats;
        this.dropRate = faults.dropRate();
        this.duplicateRate = faults.duplicateRate();
        this.delayMinMs = faults.delayMinMs();
        this.delayMaxMs = faults.delayMaxMs();
        this.longDelayRate = faults.longDelayRate();
        this.longDelayMaxMs = faults.longDelayMaxMs();
    }

    void listen(SendListener listener) {
        this.listener = listener;
    }

    void register(int address, Endpoint endpoint) {
        endpoints.put(address, endpoint);
    }

    /** Faults stop: nothing is dropped, duplicated or held long any more (short delays and reordering stay). */
    void stopFaults() {
        dropRate = 0;
        duplicateRate = 0;
        longDelayRate = 0;
        partitions.clear();
    }

    void send(int from, int to, Object message) {
        listener.sent(from, to, message);
        if (random.nextDouble() < dropRate) {
            stats.drops++;
            trace.record(queue.now(), "drop", from, to, message);
            return;
        }
        schedule(from, to, message);
        if (random.nextDouble() < duplicateRate) {
            stats.duplicates++;
            schedule(from, to, message);
        }
    }

    private void schedule(int from, int to, Object message) {
        long delay = delayMinMs + random.nextLong(delayMaxMs - delayMinMs + 1);
        if (random.nextDouble() < longDelayRate) {
            delay += random.nextLong(longDelayMaxMs);
        }
        queue.after(delay, () -> deliver(from, to, message));
    }

    private void deliver(int from, int to, Object message) {
        if (isCut(from, to)) {
            trace.record(queue.now(), "cut", from, to, message);
            return;
        }
        trace.record(queue.now(), "deliver", from, to, message);
        endpoints.get(to).receive(from, message);
    }

    boolean isCut(int from, int to) {
        if (partitions.isEmpty()) {
            return false;
        }
        long link = link(from, to);
        for (Set<Long> links : partitions.values()) {
            if (links.contains(link)) {
                return true;
            }
        }
        return false;
    }

    /** Cuts {@code node} off from every other address, both ways; returns the partition's id. */
    int isolate(int node) {
        Set<Long> links = new HashSet<>();
        for (int other : endpoints.keySet()) {
            if (other != node) {
                links.add(link(node, other));
                links.add(link(other, node));
            }
        }
        return addPartition(links);
    }

    /**
     * Cuts every link from a node of {@code from} to a node of {@code to}; both ways unless
     * {@code oneWay}. Returns the partition's id.
     */
    int cutBetween(Collection<Integer> from, Collection<Integer> to, boolean oneWay) {
        Set<Long> links = new HashSet<>();
        for (int a : from) {
            for (int b : to) {
                links.add(link(a, b));
                if (!oneWay) {
                    links.add(link(b, a));
                }
            }
        }
        return addPartition(links);
    }

    /** Messages from {@code from} to {@code to} are lost; the other way still works. */
    int cutOneWay(int from, int to) {
        return addPartition(Set.of(link(from, to)));
    }

    void heal(int partitionId) {
        partitions.remove(partitionId);
    }

    private int addPartition(Set<Long> links) {
        stats.partitions++;
        int id = nextPartitionId++;
        partitions.put(id, links);
        return id;
    }

    private static long link(int from, int to) {
        return (long) from << 32 | (to & 0xffffffffL);
    }
}
