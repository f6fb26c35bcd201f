package io.shardbank.sim;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A client command: who sent it, its sequence number and an opaque payload. A retry carries the
 * same (clientId, seq). A leader packs several into one Paxos value with {@link #encodeBatch}.
 */
record Command(int clientId, long seq, byte[] payload) {

    /** The identity that deduplication and the invariants use. */
    record Id(int clientId, long seq) {
        @Override
        public String toString() {
            return "c" + clientId + "#" + seq;
        }
    }

    Id id() {
        return new Id(clientId, seq);
    }

    long hash() {
        return (clientId * 1_000_003L + seq) * 31 + Arrays.hashCode(payload);
    }

    static byte[] encodeBatch(List<Command> batch) {
        int size = Integer.BYTES;
        for (Command command : batch) {
            size += Integer.BYTES + Long.BYTES + Integer.BYTES + command.payload.length;
        }
        ByteBuffer buffer = ByteBuffer.allocate(size);
        buffer.putInt(batch.size());
        for (Command command : batch) {
            buffer.putInt(command.clientId).putLong(command.seq).putInt(command.payload.length).put(command.payload);
        }
        return buffer.array();
    }

    /** The commands of a Paxos value; a no-op holds none. */
    static List<Command> decodeBatch(byte[] value) {
        List<Command> batch = new ArrayList<>();
        if (value.length == 0) {
            return batch;
        }
        ByteBuffer buffer = ByteBuffer.wrap(value);
        int count = buffer.getInt();
        for (int i = 0; i < count; i++) {
            int clientId = buffer.getInt();
            long seq = buffer.getLong();
            byte[] payload = new byte[buffer.getInt()];
            buffer.get(payload);
            batch.add(new Command(clientId, seq, payload));
        }
        return batch;
    }

    @Override
    public String toString() {
        return id().toString();
    }
}
