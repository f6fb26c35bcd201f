package io.shardbank.shard;

import io.shardbank.model.RequestId;
import io.shardbank.model.ShardMap;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Encodes the shard state other than balances: shard map, dedup windows, transactions, remembered decisions. */
final class ShardSnapshotCodec {

    private static final byte FORMAT_VERSION = 2;

    private ShardSnapshotCodec() {
    }

    static byte[] encode(ShardMap shardMap, Map<Long, ShardStateMachine.ClientWindow> clients,
            Collection<TxnRecord> txns, LinkedHashMap<RequestId, Outcome.Status> decided,
            Map<Long, Long> decisionsForgottenThrough) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(FORMAT_VERSION);
            writeShardMap(out, shardMap);
            writeClients(out, clients);
            out.writeInt(txns.size());
            for (TxnRecord record : txns) {
                writeTxn(out, record);
            }
            out.writeInt(decided.size());
            for (Map.Entry<RequestId, Outcome.Status> entry : decided.entrySet()) {
                writeId(out, entry.getKey());
                out.writeByte(entry.getValue().ordinal());
            }
            out.writeInt(decisionsForgottenThrough.size());
            for (Map.Entry<Long, Long> entry : decisionsForgottenThrough.entrySet()) {
                out.writeLong(entry.getKey());
                out.writeLong(entry.getValue());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** Fills the maps from a snapshot and returns its shard map. */
    static ShardMap decode(byte[] bytes, Map<Long, ShardStateMachine.ClientWindow> clients,
            Map<RequestId, TxnRecord> txns, LinkedHashMap<RequestId, Outcome.Status> decided,
            Map<Long, Long> decisionsForgottenThrough) {
        Outcome.Status[] statuses = Outcome.Status.values();
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            byte version = in.readByte();
            if (version != FORMAT_VERSION) {
                throw new IllegalArgumentException("unknown shard snapshot format " + version);
            }
            ShardMap shardMap = readShardMap(in);
            readClients(in, clients);
            int txnCount = in.readInt();
            for (int i = 0; i < txnCount; i++) {
                TxnRecord record = readTxn(in);
                txns.put(record.txn(), record);
            }
            int decidedCount = in.readInt();
            for (int i = 0; i < decidedCount; i++) {
                decided.put(readId(in), statuses[in.readByte()]);
            }
            int forgottenCount = in.readInt();
            for (int i = 0; i < forgottenCount; i++) {
                decisionsForgottenThrough.put(in.readLong(), in.readLong());
            }
            return shardMap;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The map as its version, cluster count and the owner of every item, run-length encoded. */
    private static void writeShardMap(DataOutputStream out, ShardMap shardMap) throws IOException {
        int[] owners = shardMap.owners();
        out.writeLong(shardMap.version());
        out.writeInt(shardMap.clusterCount());
        out.writeInt(owners.length - 1);
        int runs = 0;
        for (int item = 1; item < owners.length; item++) {
            if (item == 1 || owners[item] != owners[item - 1]) {
                runs++;
            }
        }
        out.writeInt(runs);
        for (int item = 1; item < owners.length; ) {
            int end = item;
            while (end + 1 < owners.length && owners[end + 1] == owners[item]) {
                end++;
            }
            out.writeInt(end - item + 1);
            out.writeInt(owners[item]);
            item = end + 1;
        }
    }

    private static ShardMap readShardMap(DataInputStream in) throws IOException {
        long version = in.readLong();
        int clusterCount = in.readInt();
        int[] owners = new int[in.readInt() + 1];
        int runs = in.readInt();
        int item = 1;
        for (int i = 0; i < runs; i++) {
            int length = in.readInt();
            int owner = in.readInt();
            java.util.Arrays.fill(owners, item, item + length, owner);
            item += length;
        }
        return ShardMap.of(version, clusterCount, owners);
    }

    private static void writeClients(DataOutputStream out, Map<Long, ShardStateMachine.ClientWindow> clients)
            throws IOException {
        out.writeInt(clients.size());
        for (Map.Entry<Long, ShardStateMachine.ClientWindow> client : clients.entrySet()) {
            out.writeLong(client.getKey());
            out.writeLong(client.getValue().highestSequence);
            out.writeInt(client.getValue().outcomes.size());
            for (Outcome outcome : client.getValue().outcomes.values()) {
                writeOutcome(out, outcome);
            }
        }
    }

    private static void readClients(DataInputStream in, Map<Long, ShardStateMachine.ClientWindow> clients)
            throws IOException {
        int count = in.readInt();
        for (int i = 0; i < count; i++) {
            ShardStateMachine.ClientWindow window = new ShardStateMachine.ClientWindow();
            long clientId = in.readLong();
            window.highestSequence = in.readLong();
            int outcomes = in.readInt();
            for (int j = 0; j < outcomes; j++) {
                Outcome outcome = readOutcome(in);
                window.outcomes.put(outcome.sequence(), outcome);
            }
            clients.put(clientId, window);
        }
    }

    private static void writeOutcome(DataOutputStream out, Outcome outcome) throws IOException {
        out.writeLong(outcome.sequence());
        out.writeByte(outcome.status().ordinal());
        out.writeUTF(outcome.reason());
        out.writeLong(outcome.balance());
        writeRedirect(out, outcome.redirect());
    }

    private static Outcome readOutcome(DataInputStream in) throws IOException {
        return new Outcome(in.readLong(), Outcome.Status.values()[in.readByte()], in.readUTF(), in.readLong(),
                readRedirect(in));
    }

    private static void writeRedirect(DataOutputStream out, Redirect redirect) throws IOException {
        out.writeBoolean(redirect != null);
        if (redirect != null) {
            out.writeInt(redirect.item());
            out.writeInt(redirect.owner());
            out.writeLong(redirect.mapVersion());
        }
    }

    private static Redirect readRedirect(DataInputStream in) throws IOException {
        return in.readBoolean() ? new Redirect(in.readInt(), in.readInt(), in.readLong()) : null;
    }

    private static void writeTxn(DataOutputStream out, TxnRecord record) throws IOException {
        writeId(out, record.txn());
        out.writeInt(record.coordinatorCluster());
        writeInts(out, record.participantClusters());
        out.writeInt(record.deltas().size());
        for (ItemDelta delta : record.deltas()) {
            out.writeInt(delta.item());
            out.writeLong(delta.delta());
        }
        out.writeInt(record.undo().size());
        for (Map.Entry<Integer, Long> undo : record.undo().entrySet()) {
            out.writeInt(undo.getKey());
            out.writeLong(undo.getValue());
        }
        writeHandover(out, record.handover());
        writeRedirect(out, record.redirect());
        out.writeByte(record.state().ordinal());
        out.writeUTF(record.reason());
        out.writeByte(record.decidedStatus() == null ? -1 : record.decidedStatus().ordinal());
    }

    /** A list of ints as its size and its elements; BatchCodec writes lists of items the same way. */
    static void writeInts(DataOutputStream out, List<Integer> values) throws IOException {
        out.writeInt(values.size());
        for (int value : values) {
            out.writeInt(value);
        }
    }

    static List<Integer> readInts(DataInputStream in) throws IOException {
        int count = in.readInt();
        List<Integer> values = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            values.add(in.readInt());
        }
        return values;
    }

    /** A handover or its absence; BatchCodec writes the same form into log entries. */
    static void writeHandover(DataOutputStream out, Handover handover) throws IOException {
        out.writeBoolean(handover != null);
        if (handover == null) {
            return;
        }
        out.writeInt(handover.fromCluster());
        out.writeInt(handover.toCluster());
        out.writeLong(handover.mapVersion());
        writeInts(out, handover.items());
        out.writeInt(handover.values().size());
        for (int item : handover.items()) {
            Long value = handover.values().get(item);
            if (value != null) {
                out.writeInt(item);
                out.writeLong(value);
            }
        }
    }

    static Handover readHandover(DataInputStream in) throws IOException {
        if (!in.readBoolean()) {
            return null;
        }
        int from = in.readInt();
        int to = in.readInt();
        long mapVersion = in.readLong();
        List<Integer> items = readInts(in);
        int valueCount = in.readInt();
        Map<Integer, Long> values = new HashMap<>();
        for (int i = 0; i < valueCount; i++) {
            values.put(in.readInt(), in.readLong());
        }
        return new Handover(items, from, to, mapVersion, values);
    }

    private static TxnRecord readTxn(DataInputStream in) throws IOException {
        RequestId txn = readId(in);
        int coordinator = in.readInt();
        List<Integer> participants = readInts(in);
        int deltaCount = in.readInt();
        List<ItemDelta> deltas = new ArrayList<>(deltaCount);
        for (int i = 0; i < deltaCount; i++) {
            deltas.add(new ItemDelta(in.readInt(), in.readLong()));
        }
        int undoCount = in.readInt();
        Map<Integer, Long> undo = new HashMap<>();
        for (int i = 0; i < undoCount; i++) {
            undo.put(in.readInt(), in.readLong());
        }
        Handover handover = readHandover(in);
        Redirect redirect = readRedirect(in);
        TxnRecord.State state = TxnRecord.State.values()[in.readByte()];
        TxnRecord record = new TxnRecord(txn, coordinator, participants, deltas, undo, handover, redirect, state,
                in.readUTF());
        byte decided = in.readByte();
        if (decided >= 0) {
            record.restoreDecision(Outcome.Status.values()[decided]);
        }
        return record;
    }

    private static void writeId(DataOutputStream out, RequestId id) throws IOException {
        out.writeLong(id.clientId());
        out.writeLong(id.sequence());
    }

    private static RequestId readId(DataInputStream in) throws IOException {
        return new RequestId(in.readLong(), in.readLong());
    }
}
