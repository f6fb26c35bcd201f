package io.shardbank.shard;

/** A change of one item's balance; a transaction is a set of these, none taking a balance below zero. */
public record ItemDelta(int item, long delta) {
}
