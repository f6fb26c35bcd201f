package io.shardbank.shard;

import io.shardbank.model.ClusterId;
import io.shardbank.model.Invariants;
import io.shardbank.model.ShardMap;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The replicated state of one shard: balances of the items its cluster owns, and the client dedup
 * table. Every replica applies the same chosen batches in slot order and so reaches the same state
 * and the same outcomes; nothing here reads a clock or depends on the node.
 */
public final class ShardStateMachine {

    /** An applied operation's outcome, with the client that asked. */
    public record Applied(long clientId, Outcome outcome) {
    }

    private final ClusterId cluster;
    private final ShardMap shardMap;
    private final int dedupWindowPerClient;
    private final long[] balances;
    private final BitSet dirty = new BitSet();
    private final Map<Long, ClientWindow> clients = new HashMap<>();
    private long appliedSlot;

    /** The outcomes of one client's latest requests, oldest first, at most the dedup window. */
    private static final class ClientWindow {
        final LinkedHashMap<Long, Outcome> outcomes = new LinkedHashMap<>();
        long highestSequence;
    }

    public ShardStateMachine(ClusterId cluster, ShardMap shardMap, long initialBalance, int dedupWindowPerClient) {
        Invariants.check(dedupWindowPerClient > 0, "dedup window must be positive");
        this.cluster = cluster;
        this.shardMap = shardMap;
        this.dedupWindowPerClient = dedupWindowPerClient;
        this.balances = new long[shardMap.itemCount() + 1];
        for (int item = 1; item <= shardMap.itemCount(); item++) {
            if (shardMap.owns(cluster, item)) {
                balances[item] = initialBalance;
            }
        }
    }

    public ClusterId cluster() {
        return cluster;
    }

    public ShardMap shardMap() {
        return shardMap;
    }

    public long appliedSlot() {
        return appliedSlot;
    }

    public boolean owns(int item) {
        return shardMap.owns(cluster, item);
    }

    /** This replica's balance of an item it owns. */
    public long balance(int item) {
        Invariants.check(owns(item), "item %d is not in cluster %s", item, cluster);
        return balances[item];
    }

    /**
     * Checks an operation before it is proposed (and again, identically, when it is applied). Returns
     * the rejection, or null when the operation may enter the log.
     */
    public Outcome validate(Operation operation) {
        if (operation instanceof Operation.Transfer t) {
            return validateTransfer(t);
        }
        Operation.BalanceRead read = (Operation.BalanceRead) operation;
        String problem = itemProblem(read.item());
        return problem == null ? null : Outcome.rejected(read.sequence(), problem);
    }

    private Outcome validateTransfer(Operation.Transfer t) {
        String problem = null;
        if (t.amount() <= 0) {
            problem = "amount must be positive, got " + t.amount();
        } else if (t.from() == t.to()) {
            problem = "sender and receiver are the same item " + t.from();
        } else if ((problem = itemProblem(t.from())) == null && (problem = itemProblem(t.to())) == null) {
            return null;
        }
        return Outcome.rejected(t.sequence(), problem);
    }

    private String itemProblem(int item) {
        if (!shardMap.hasItem(item)) {
            return "unknown item " + item + " (items are 1.." + shardMap.itemCount() + ")";
        }
        if (!owns(item)) {
            return "item " + item + " belongs to cluster " + shardMap.clusterOf(item) + ", not " + cluster;
        }
        return null;
    }

    /** Applies the chosen value of the next slot and returns the outcome of each of its operations. */
    public List<Applied> apply(long slot, byte[] value) {
        Invariants.check(slot == appliedSlot + 1, "cluster %s applies slot %d after %d", cluster, slot, appliedSlot);
        appliedSlot = slot;
        List<LoggedOperation> batch = BatchCodec.decode(value);
        List<Applied> outcomes = new ArrayList<>(batch.size());
        for (LoggedOperation logged : batch) {
            outcomes.add(new Applied(logged.clientId(), applyOnce(logged)));
        }
        return outcomes;
    }

    private Outcome applyOnce(LoggedOperation logged) {
        ClientWindow window = clients.computeIfAbsent(logged.clientId(), id -> new ClientWindow());
        long sequence = logged.operation().sequence();
        Outcome earlier = window.outcomes.get(sequence);
        if (earlier != null) {
            return earlier;
        }
        if (sequence <= window.highestSequence - dedupWindowPerClient) {
            return Outcome.rejected(sequence, "request " + logged.requestId() + " is too old to tell whether it ran");
        }
        Outcome outcome = execute(logged.operation());
        window.outcomes.put(sequence, outcome);
        window.highestSequence = Math.max(window.highestSequence, sequence);
        while (window.outcomes.size() > dedupWindowPerClient) {
            window.outcomes.remove(window.outcomes.keySet().iterator().next());
        }
        return outcome;
    }

    private Outcome execute(Operation operation) {
        Outcome rejection = validate(operation);
        if (rejection != null) {
            return rejection;
        }
        if (operation instanceof Operation.BalanceRead read) {
            return Outcome.balance(read.sequence(), balances[read.item()]);
        }
        Operation.Transfer t = (Operation.Transfer) operation;
        if (balances[t.from()] < t.amount()) {
            return Outcome.aborted(t.sequence(),
                    "insufficient funds: item " + t.from() + " has " + balances[t.from()] + ", needs " + t.amount());
        }
        balances[t.from()] -= t.amount();
        balances[t.to()] += t.amount();
        Invariants.check(balances[t.from()] >= 0, "balance of %d went negative", t.from());
        dirty.set(t.from());
        dirty.set(t.to());
        return Outcome.committed(t.sequence());
    }

    // ---------------------------------------------------------------- snapshots

    /** Balances changed since the last call, and forgets them. */
    public Map<Integer, Long> takeDirtyBalances() {
        Map<Integer, Long> changed = new HashMap<>();
        for (int item = dirty.nextSetBit(0); item >= 0; item = dirty.nextSetBit(item + 1)) {
            changed.put(item, balances[item]);
        }
        dirty.clear();
        return changed;
    }

    /** Every balance this shard owns. */
    public Map<Integer, Long> allBalances() {
        Map<Integer, Long> all = new HashMap<>();
        for (int item = 1; item < balances.length; item++) {
            if (owns(item)) {
                all.put(item, balances[item]);
            }
        }
        return all;
    }

    /** The state other than balances (the dedup table), encoded for a snapshot. */
    public byte[] encodeSessions() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(clients.size());
            for (Map.Entry<Long, ClientWindow> client : clients.entrySet()) {
                out.writeLong(client.getKey());
                out.writeLong(client.getValue().highestSequence);
                out.writeInt(client.getValue().outcomes.size());
                for (Outcome outcome : client.getValue().outcomes.values()) {
                    out.writeLong(outcome.sequence());
                    out.writeByte(outcome.status().ordinal());
                    out.writeUTF(outcome.reason());
                    out.writeLong(outcome.balance());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** Replaces this machine's state with a snapshot taken at {@code slot}. */
    public void restore(long slot, Map<Integer, Long> snapshotBalances, byte[] sessions) {
        for (Map.Entry<Integer, Long> entry : snapshotBalances.entrySet()) {
            Invariants.check(owns(entry.getKey()), "snapshot holds item %d outside %s", entry.getKey(), cluster);
            balances[entry.getKey()] = entry.getValue();
        }
        clients.clear();
        if (sessions.length > 0) {
            decodeSessions(sessions);
        }
        appliedSlot = slot;
        dirty.clear();
    }

    private void decodeSessions(byte[] sessions) {
        Outcome.Status[] statuses = Outcome.Status.values();
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(sessions))) {
            int count = in.readInt();
            for (int i = 0; i < count; i++) {
                ClientWindow window = new ClientWindow();
                long clientId = in.readLong();
                window.highestSequence = in.readLong();
                int outcomes = in.readInt();
                for (int j = 0; j < outcomes; j++) {
                    Outcome outcome = new Outcome(in.readLong(), statuses[in.readByte()], in.readUTF(), in.readLong());
                    window.outcomes.put(outcome.sequence(), outcome);
                }
                clients.put(clientId, window);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
