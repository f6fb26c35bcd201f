package io.shardbank.shard;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Encodes the batch of operations that one Paxos slot carries. The format is compact and fixed
 * (a version byte, a count, then per operation a kind byte and its fields) because the same bytes
 * go to every acceptor, into every node's log and into SQLite.
 */
public final class BatchCodec {

    private static final byte FORMAT_VERSION = 1;
    private static final byte KIND_TRANSFER = 1;
    private static final byte KIND_READ = 2;

    private BatchCodec() {
    }

    public static byte[] encode(List<LoggedOperation> batch) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(8 + batch.size() * 33);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(FORMAT_VERSION);
            out.writeInt(batch.size());
            for (LoggedOperation logged : batch) {
                writeOne(out, logged);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** Decodes a slot's value; an empty value (a no-op) is an empty batch. */
    public static List<LoggedOperation> decode(byte[] value) {
        if (value.length == 0) {
            return List.of();
        }
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(value))) {
            byte version = in.readByte();
            if (version != FORMAT_VERSION) {
                throw new IllegalArgumentException("unknown batch format version " + version);
            }
            int count = in.readInt();
            List<LoggedOperation> batch = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                batch.add(readOne(in));
            }
            return batch;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void writeOne(DataOutputStream out, LoggedOperation logged) throws IOException {
        Operation op = logged.operation();
        if (op instanceof Operation.Transfer t) {
            out.writeByte(KIND_TRANSFER);
            out.writeLong(logged.clientId());
            out.writeLong(t.sequence());
            out.writeInt(t.from());
            out.writeInt(t.to());
            out.writeLong(t.amount());
        } else if (op instanceof Operation.BalanceRead r) {
            out.writeByte(KIND_READ);
            out.writeLong(logged.clientId());
            out.writeLong(r.sequence());
            out.writeInt(r.item());
        } else {
            throw new IllegalArgumentException("cannot encode " + op);
        }
    }

    private static LoggedOperation readOne(DataInputStream in) throws IOException {
        byte kind = in.readByte();
        long clientId = in.readLong();
        long sequence = in.readLong();
        return switch (kind) {
            case KIND_TRANSFER -> new LoggedOperation(clientId,
                    new Operation.Transfer(sequence, in.readInt(), in.readInt(), in.readLong()));
            case KIND_READ -> new LoggedOperation(clientId, new Operation.BalanceRead(sequence, in.readInt()));
            default -> throw new IllegalArgumentException("unknown operation kind " + kind);
        };
    }
}
