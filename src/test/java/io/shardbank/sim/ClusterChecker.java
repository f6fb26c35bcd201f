package io.shardbank.sim;

import io.shardbank.paxos.SlotValue;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * The safety invariants of one cluster, checked as the run goes: one value chosen per slot across
 * all nodes, the same state after the same slot everywhere, no command applied twice, and nothing
 * acknowledged to a client ever missing from a node that has applied past it.
 */
final class ClusterChecker {

    /** A broken invariant; the simulation adds the seed and the trace. */
    static final class Violation extends RuntimeException {
        Violation(String message) {
            super(message);
        }
    }

    private final int cluster;
    private final Map<Long, byte[]> chosen = new HashMap<>();
    private final Map<Long, Integer> chosenFirstBy = new HashMap<>();
    private final Map<Long, Long> digestAtSlot = new HashMap<>();
    private final Map<Command.Id, Long> firstAppliedSlot = new HashMap<>();
    private final Set<Command.Id> acknowledged = new LinkedHashSet<>();

    ClusterChecker(int cluster) {
        this.cluster = cluster;
    }

    /** A node's replica reported {@code entry} chosen. */
    void committed(int node, SlotValue entry) {
        byte[] known = chosen.putIfAbsent(entry.slot(), entry.value());
        if (known == null) {
            chosenFirstBy.put(entry.slot(), node);
        } else if (!Arrays.equals(known, entry.value())) {
            fail("slot %d chosen twice: n%d committed %s, n%d committed %s", entry.slot(),
                    chosenFirstBy.get(entry.slot()), describe(known), node, describe(entry.value()));
        }
    }

    /** A node's state machine applied a slot (or installed a snapshot as of it) and reached {@code digest}. */
    void reached(int node, long slot, long digest) {
        Long known = digestAtSlot.putIfAbsent(slot, digest);
        if (known != null && known != digest) {
            fail("n%d has state %x after slot %d, another node had %x", node, digest, slot, known);
        }
    }

    void applied(int node, Command.Id id, long slot, KvStateMachine.Effect effect) {
        if (effect == KvStateMachine.Effect.APPLIED_AGAIN) {
            fail("n%d applied %s a second time, in slot %d (first in slot %d)", node, id, slot,
                    firstAppliedSlot.get(id));
        }
        if (effect == KvStateMachine.Effect.APPLIED) {
            firstAppliedSlot.putIfAbsent(id, slot);
        }
    }

    void acknowledged(Command.Id id) {
        if (!firstAppliedSlot.containsKey(id)) {
            fail("%s acknowledged but never applied", id);
        }
        acknowledged.add(id);
    }

    int acknowledgedCount() {
        return acknowledged.size();
    }

    /** Every acknowledged command at or below the node's applied slot is in its state. */
    void keepsAcknowledged(int node, KvStateMachine state) {
        for (Command.Id id : acknowledged) {
            long slot = firstAppliedSlot.get(id);
            if (slot <= state.slot() && !state.contains(id)) {
                fail("n%d lost acknowledged %s (applied in slot %d; n%d is at slot %d)", node, id, slot, node,
                        state.slot());
            }
        }
    }

    /** At the end: every node has applied every acknowledged command. */
    void holdsAllAcknowledged(int node, KvStateMachine state) {
        for (Command.Id id : acknowledged) {
            if (!state.contains(id)) {
                fail("n%d ends without acknowledged %s (applied in slot %d)", node, id, firstAppliedSlot.get(id));
            }
        }
    }

    void fail(String format, Object... args) {
        throw new Violation("cluster " + cluster + ": " + String.format(format, args));
    }

    private static String describe(byte[] value) {
        return value.length == 0 ? "no-op" : Command.decodeBatch(value).toString();
    }
}
