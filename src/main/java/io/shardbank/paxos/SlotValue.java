package io.shardbank.paxos;

import java.util.Arrays;

/**
 * One log slot's value together with the ballot at which it was accepted. The value is opaque to
 * Paxos: the shard state machine encodes and decodes it. An empty value is a no-op.
 */
public record SlotValue(long slot, Ballot ballot, byte[] value) {

    public static final byte[] NOOP = new byte[0];

    public boolean isNoop() {
        return value.length == 0;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SlotValue other
                && slot == other.slot
                && ballot.equals(other.ballot)
                && Arrays.equals(value, other.value);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(slot) * 31 + Arrays.hashCode(value);
    }

    @Override
    public String toString() {
        return "#" + slot + "@" + ballot + (isNoop() ? " no-op" : " " + value.length + "B");
    }
}
