package io.shardbank.storage;

import io.shardbank.paxos.DurableState;
import java.util.Map;

/**
 * What a node reads from its SQLite file at start: its Paxos state, and the last checkpoint of its
 * shard (applied slot, balances, sessions). Balances are empty when the node never checkpointed.
 */
public record StoredState(DurableState paxos, long appliedSlot, Map<Integer, Long> balances, byte[] sessions) {
}
