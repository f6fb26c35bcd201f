package io.shardbank.sim;

import io.shardbank.paxos.Ballot;
import io.shardbank.paxos.DurableState;
import io.shardbank.paxos.PaxosMessage;
import io.shardbank.paxos.SlotValue;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * What every acceptor has told others, seen as its votes leave it: the highest ballot it promised
 * and, per slot, the highest ballot it said it accepted. A vote is a commitment, so when a node
 * restarts its disk must still hold it: a promise at least as high, and for each accepted slot a
 * value at that ballot or higher (or the slot is committed or compacted by then).
 */
final class VoteLedger {

    /** Where a broken promise is reported. */
    interface Failure {
        void fail(String format, Object... args);
    }

    private final Map<Integer, Ballot> promisedSent = new HashMap<>();
    private final Map<Integer, TreeMap<Long, Ballot>> acceptedSent = new HashMap<>();

    void sent(int from, Object message) {
        if (message instanceof PaxosMessage.Promise promise) {
            promisedSent.merge(from, promise.ballot(), VoteLedger::max);
        } else if (message instanceof PaxosMessage.Accepted accepted) {
            TreeMap<Long, Ballot> slots = acceptedSent.computeIfAbsent(from, n -> new TreeMap<>());
            for (long slot : accepted.slots()) {
                slots.merge(slot, accepted.ballot(), VoteLedger::max);
            }
        }
    }

    /** Checks a restarting node's disk against the votes it sent before it crashed. */
    void checkRestart(int node, DurableState durable, Failure checker) {
        Ballot promised = promisedSent.get(node);
        if (promised != null && durable.promised().isBelow(promised)) {
            checker.fail("n%d sent a promise for %s but restarts having promised only %s", node, promised,
                    durable.promised());
        }
        TreeMap<Long, Ballot> slots = acceptedSent.get(node);
        if (slots == null) {
            return;
        }
        Map<Long, SlotValue> onDisk = new HashMap<>();
        for (SlotValue entry : durable.accepted()) {
            onDisk.put(entry.slot(), entry);
        }
        for (Map.Entry<Long, Ballot> vote : slots.tailMap(durable.commitIndex(), false).entrySet()) {
            SlotValue entry = onDisk.get(vote.getKey());
            if (entry == null || entry.ballot().isBelow(vote.getValue())) {
                checker.fail("n%d voted Accepted for slot %d at %s but restarts with %s", node, vote.getKey(),
                        vote.getValue(), entry);
            }
        }
    }

    private static Ballot max(Ballot a, Ballot b) {
        return a.isAbove(b) ? a : b;
    }
}
