package io.shardbank.shard;

import io.shardbank.model.RequestId;
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

/** Encodes the shard state other than balances: dedup windows, transactions, remembered decisions. */
final class ShardSnapshotCodec {

    private static final byte FORMAT_VERSION = 1;

    private ShardSnapshotCodec() {
    }

    static byte[] encode(Map<Long, ShardStateMachine.ClientWindow> clients, Collection<TxnRecord> txns,
            LinkedHashMap<RequestId, Outcome.Status> decided, Map<Long, Long> decisionsForgottenThrough) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(FORMAT_VERSION);
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

    static void decode(byte[] bytes, Map<Long, ShardStateMachine.ClientWindow> clients, Map<RequestId, TxnRecord> txns,
            LinkedHashMap<RequestId, Outcome.Status> decided, Map<Long, Long> decisionsForgottenThrough) {
        Outcome.Status[] statuses = Outcome.Status.values();
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            byte version = in.readByte();
            if (version != FORMAT_VERSION) {
                throw new IllegalArgumentException("unknown shard snapshot format " + version);
            }
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
            if (in.available() > 0) { // absent from snapshots written before it existed
                int forgottenCount = in.readInt();
                for (int i = 0; i < forgottenCount; i++) {
                    decisionsForgottenThrough.put(in.readLong(), in.readLong());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
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
    }

    private static Outcome readOutcome(DataInputStream in) throws IOException {
        return new Outcome(in.readLong(), Outcome.Status.values()[in.readByte()], in.readUTF(), in.readLong());
    }

    private static void writeTxn(DataOutputStream out, TxnRecord record) throws IOException {
        writeId(out, record.txn());
        out.writeInt(record.coordinatorCluster());
        out.writeInt(record.participantClusters().size());
        for (int cluster : record.participantClusters()) {
            out.writeInt(cluster);
        }
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
        out.writeByte(record.state().ordinal());
        out.writeUTF(record.reason());
        out.writeByte(record.decidedStatus() == null ? -1 : record.decidedStatus().ordinal());
    }

    private static TxnRecord readTxn(DataInputStream in) throws IOException {
        RequestId txn = readId(in);
        int coordinator = in.readInt();
        int participantCount = in.readInt();
        List<Integer> participants = new ArrayList<>(participantCount);
        for (int i = 0; i < participantCount; i++) {
            participants.add(in.readInt());
        }
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
        TxnRecord.State state = TxnRecord.State.values()[in.readByte()];
        TxnRecord record = new TxnRecord(txn, coordinator, participants, deltas, undo, state, in.readUTF());
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
