package io.shardbank.shard;

import io.shardbank.model.RequestId;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Encodes the batch of commands that one Paxos slot carries. The format is compact and fixed
 * (a version byte, a count, then per command a kind byte and its fields) because the same bytes
 * go to every acceptor, into every node's log and into SQLite.
 */
public final class BatchCodec {

    private static final byte FORMAT_VERSION = 1;
    private static final byte KIND_TRANSFER = 1;
    private static final byte KIND_READ = 2;
    private static final byte KIND_TRANSACTION = 3;
    private static final byte KIND_TXN_PREPARE = 4;
    private static final byte KIND_TXN_DECIDE = 5;
    private static final byte KIND_TXN_END = 6;
    private static final byte KIND_MIGRATE = 7;

    private BatchCodec() {
    }

    public static byte[] encode(List<? extends LogCommand> batch) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(8 + batch.size() * 33);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(FORMAT_VERSION);
            out.writeInt(batch.size());
            for (LogCommand command : batch) {
                writeOne(out, command);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** Decodes a slot's value; an empty value (a no-op) is an empty batch. */
    public static List<LogCommand> decode(byte[] value) {
        if (value.length == 0) {
            return List.of();
        }
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(value))) {
            byte version = in.readByte();
            if (version != FORMAT_VERSION) {
                throw new IllegalArgumentException("unknown batch format version " + version);
            }
            int count = in.readInt();
            List<LogCommand> batch = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                batch.add(readOne(in));
            }
            return batch;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void writeOne(DataOutputStream out, LogCommand command) throws IOException {
        if (command instanceof LoggedOperation logged) {
            writeOperation(out, logged);
        } else if (command instanceof LogCommand.TxnPrepared prepare) {
            out.writeByte(KIND_TXN_PREPARE);
            writeTxn(out, prepare.txn());
            out.writeInt(prepare.coordinatorCluster());
            out.writeInt(prepare.participantClusters().size());
            for (int cluster : prepare.participantClusters()) {
                out.writeInt(cluster);
            }
            writeDeltas(out, prepare.deltas());
            ShardSnapshotCodec.writeHandover(out, prepare.handover());
        } else if (command instanceof LogCommand.TxnDecided decide) {
            out.writeByte(KIND_TXN_DECIDE);
            writeTxn(out, decide.txn());
            out.writeByte(decide.status().ordinal());
            out.writeUTF(decide.reason());
        } else {
            out.writeByte(KIND_TXN_END);
            writeTxn(out, ((LogCommand.TxnEnded) command).txn());
        }
    }

    private static void writeOperation(DataOutputStream out, LoggedOperation logged) throws IOException {
        Operation op = logged.operation();
        byte kind = op instanceof Operation.Transfer ? KIND_TRANSFER
                : op instanceof Operation.BalanceRead ? KIND_READ
                : op instanceof Operation.Migrate ? KIND_MIGRATE : KIND_TRANSACTION;
        out.writeByte(kind);
        out.writeLong(logged.clientId());
        out.writeLong(op.sequence());
        if (op instanceof Operation.Transfer t) {
            out.writeInt(t.from());
            out.writeInt(t.to());
            out.writeLong(t.amount());
        } else if (op instanceof Operation.BalanceRead r) {
            out.writeInt(r.item());
        } else if (op instanceof Operation.Migrate m) {
            out.writeInt(m.fromCluster());
            out.writeInt(m.toCluster());
            out.writeLong(m.mapVersion());
            ShardSnapshotCodec.writeInts(out, m.items());
        } else {
            writeDeltas(out, ((Operation.Transaction) op).deltas());
        }
    }

    private static void writeTxn(DataOutputStream out, RequestId txn) throws IOException {
        out.writeLong(txn.clientId());
        out.writeLong(txn.sequence());
    }

    private static void writeDeltas(DataOutputStream out, List<ItemDelta> deltas) throws IOException {
        out.writeInt(deltas.size());
        for (ItemDelta delta : deltas) {
            out.writeInt(delta.item());
            out.writeLong(delta.delta());
        }
    }

    private static LogCommand readOne(DataInputStream in) throws IOException {
        byte kind = in.readByte();
        switch (kind) {
            case KIND_TRANSFER, KIND_READ, KIND_TRANSACTION, KIND_MIGRATE:
                return readOperation(in, kind);
            case KIND_TXN_PREPARE: {
                RequestId txn = readTxn(in);
                int coordinator = in.readInt();
                int count = in.readInt();
                List<Integer> participants = new ArrayList<>(count);
                for (int i = 0; i < count; i++) {
                    participants.add(in.readInt());
                }
                return new LogCommand.TxnPrepared(txn, coordinator, participants, readDeltas(in),
                        ShardSnapshotCodec.readHandover(in));
            }
            case KIND_TXN_DECIDE:
                return new LogCommand.TxnDecided(readTxn(in), Outcome.Status.values()[in.readByte()], in.readUTF());
            case KIND_TXN_END:
                return new LogCommand.TxnEnded(readTxn(in));
            default:
                throw new IllegalArgumentException("unknown command kind " + kind);
        }
    }

    private static LoggedOperation readOperation(DataInputStream in, byte kind) throws IOException {
        long clientId = in.readLong();
        long sequence = in.readLong();
        Operation op = switch (kind) {
            case KIND_TRANSFER -> new Operation.Transfer(sequence, in.readInt(), in.readInt(), in.readLong());
            case KIND_READ -> new Operation.BalanceRead(sequence, in.readInt());
            case KIND_MIGRATE -> readMigrate(in, sequence);
            default -> new Operation.Transaction(sequence, readDeltas(in));
        };
        return new LoggedOperation(clientId, op);
    }

    private static Operation.Migrate readMigrate(DataInputStream in, long sequence) throws IOException {
        int from = in.readInt();
        int to = in.readInt();
        long mapVersion = in.readLong();
        return new Operation.Migrate(sequence, ShardSnapshotCodec.readInts(in), from, to, mapVersion);
    }

    private static RequestId readTxn(DataInputStream in) throws IOException {
        return new RequestId(in.readLong(), in.readLong());
    }

    private static List<ItemDelta> readDeltas(DataInputStream in) throws IOException {
        int count = in.readInt();
        List<ItemDelta> deltas = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            deltas.add(new ItemDelta(in.readInt(), in.readLong()));
        }
        return deltas;
    }
}
