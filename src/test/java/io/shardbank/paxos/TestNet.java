package io.shardbank.paxos;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.random.RandomGenerator;

/**
 * A hand-driven network for unit tests of {@link PaxosReplica}: messages wait in one FIFO list
 * until a test delivers, drops or reorders them. Persistence is instant, so a replica's
 * {@code sendAfterPersist} joins the list right after its {@code sendNow}. Every node's election
 * jitter is fixed, so which node stands first is part of the test, not luck.
 */
final class TestNet {

    /** A message on its way, and whether the host held it until its write was durable. */
    record Envelope(int from, int to, PaxosMessage message, boolean afterPersist) {
    }

    static final PaxosSettings SETTINGS = new PaxosSettings(50, 500, 200, 8, 4, 100);

    final Map<Integer, PaxosReplica> replicas = new TreeMap<>();
    final List<Envelope> pending = new ArrayList<>();
    final Map<Integer, List<SlotValue>> committed = new TreeMap<>();
    final Map<Integer, List<Ready>> readies = new TreeMap<>();
    final List<Envelope> delivered = new ArrayList<>();
    private final Set<Long> cutLinks = new HashSet<>();
    private final Set<Integer> crashed = new HashSet<>();
    long now;

    /** {@code jitterMs[i]} is node i+1's random part of its election timeout. */
    TestNet(long... jitterMs) {
        this(Map.of(), jitterMs);
    }

    TestNet(Map<Integer, DurableState> durable, long... jitterMs) {
        List<Integer> members = new ArrayList<>();
        for (int node = 1; node <= jitterMs.length; node++) {
            members.add(node);
        }
        for (int node : members) {
            DurableState state = durable.getOrDefault(node, DurableState.empty());
            replicas.put(node, new PaxosReplica(node, members, SETTINGS, fixedJitter(jitterMs[node - 1]), state, now));
            committed.put(node, new ArrayList<>());
            readies.put(node, new ArrayList<>());
        }
    }

    /** Three nodes; n1 stands first, then n2, then n3. */
    static TestNet ofThree() {
        return new TestNet(0, 100, 200);
    }

    static TestNet ofSize(int size) {
        long[] jitter = new long[size];
        for (int i = 0; i < size; i++) {
            jitter[i] = 100L * i;
        }
        return new TestNet(jitter);
    }

    PaxosReplica node(int node) {
        return replicas.get(node);
    }

    /** Carries out one node's Ready: everything it sends joins the pending list. */
    Ready drain(int node) {
        Ready ready = replicas.get(node).drainReady();
        readies.get(node).add(ready);
        for (Ready.Outbound out : ready.sendNow) {
            pending.add(new Envelope(node, out.to(), out.message(), false));
        }
        for (Ready.Outbound out : ready.sendAfterPersist) {
            pending.add(new Envelope(node, out.to(), out.message(), true));
        }
        committed.get(node).addAll(ready.committed);
        return ready;
    }

    void drainAll() {
        for (int node : replicas.keySet()) {
            drain(node);
        }
    }

    void bootstrap(int leader) {
        node(leader).bootstrapAsLeader();
        drain(leader);
        deliverAll();
    }

    long propose(int leader, String value) {
        long slot = node(leader).propose(bytes(value));
        drain(leader);
        return slot;
    }

    /** Delivers pending messages, and whatever they cause, until none is left. */
    void deliverAll() {
        int guard = 0;
        while (!pending.isEmpty()) {
            deliver(pending.remove(0));
            if (++guard > 100_000) {
                throw new AssertionError("messages never settle");
            }
        }
    }

    /** Delivers one message now, unless its link is cut or its receiver crashed (a crashed sender's message may still arrive). */
    void deliver(Envelope envelope) {
        if (crashed.contains(envelope.to()) || cutLinks.contains(link(envelope.from(), envelope.to()))) {
            return;
        }
        delivered.add(envelope);
        replicas.get(envelope.to()).onMessage(envelope.message());
        drain(envelope.to());
    }

    /** Removes and returns the pending messages that match, so a test can drop or reorder them. */
    List<Envelope> take(Predicate<Envelope> which) {
        List<Envelope> taken = new ArrayList<>();
        for (Iterator<Envelope> it = pending.iterator(); it.hasNext(); ) {
            Envelope envelope = it.next();
            if (which.test(envelope)) {
                taken.add(envelope);
                it.remove();
            }
        }
        return taken;
    }

    /** Advances every live node's clock by {@code ms} and delivers what the ticks cause. */
    void tickAll(long ms) {
        now += ms;
        for (int node : replicas.keySet()) {
            if (!crashed.contains(node)) {
                replicas.get(node).tick(now);
                drain(node);
            }
        }
        deliverAll();
    }

    /** Ticks in heartbeat-sized steps, delivering after each. */
    void run(long ms) {
        for (long step = 0; step < ms; step += SETTINGS.heartbeatIntervalMs()) {
            tickAll(SETTINGS.heartbeatIntervalMs());
        }
    }

    void crash(int node) {
        crashed.add(node);
    }

    void cut(int from, int to) {
        cutLinks.add(link(from, to));
    }

    void isolate(int node) {
        for (int other : replicas.keySet()) {
            if (other != node) {
                cut(node, other);
                cut(other, node);
            }
        }
    }

    void heal() {
        cutLinks.clear();
    }

    List<PaxosMessage> sentBy(int node, Class<? extends PaxosMessage> type) {
        List<PaxosMessage> out = new ArrayList<>();
        for (Envelope envelope : delivered) {
            if (envelope.from() == node && type.isInstance(envelope.message())) {
                out.add(envelope.message());
            }
        }
        return out;
    }

    List<String> committedValues(int node) {
        List<String> values = new ArrayList<>();
        for (SlotValue entry : committed.get(node)) {
            values.add(text(entry));
        }
        return values;
    }

    long leaders() {
        return replicas.entrySet().stream()
                .filter(e -> !crashed.contains(e.getKey()) && e.getValue().isLeader())
                .count();
    }

    static byte[] bytes(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }

    static String text(SlotValue entry) {
        return entry.isNoop() ? "no-op" : new String(entry.value(), StandardCharsets.UTF_8);
    }

    static SlotValue entry(long slot, Ballot ballot, String value) {
        return new SlotValue(slot, ballot, value.isEmpty() ? SlotValue.NOOP : bytes(value));
    }

    private static long link(int from, int to) {
        return (long) from << 32 | to;
    }

    /** A random source whose bounded draws always return the same jitter (capped below the bound). */
    static RandomGenerator fixedJitter(long jitterMs) {
        return new RandomGenerator() {
            @Override
            public long nextLong() {
                return jitterMs;
            }

            @Override
            public long nextLong(long bound) {
                return Math.min(jitterMs, bound - 1);
            }
        };
    }
}
