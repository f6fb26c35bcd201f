package io.shardbank.shard;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.util.List;

/**
 * One client operation on a shard. {@code sequence} numbers a client's requests; together with the
 * client id it makes the request id that deduplicates retries.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "op")
@JsonSubTypes({
    @JsonSubTypes.Type(value = Operation.Transfer.class, name = "transfer"),
    @JsonSubTypes.Type(value = Operation.BalanceRead.class, name = "read"),
    @JsonSubTypes.Type(value = Operation.Transaction.class, name = "transaction"),
    @JsonSubTypes.Type(value = Operation.LocalRead.class, name = "local-read"),
    @JsonSubTypes.Type(value = Operation.Migrate.class, name = "migrate")
})
public sealed interface Operation {

    long sequence();

    /** Move {@code amount} from item {@code from} to item {@code to}. */
    record Transfer(long sequence, int from, int to, long amount) implements Operation {
    }

    /** Read the balance of {@code item}, linearizably (it goes through the log). */
    record BalanceRead(long sequence, int item) implements Operation {
    }

    /**
     * Read the balance of {@code item} without going through the log: with {@link
     * ReadConsistency#LEASE} the leader answers while it holds a read lease (else the read goes
     * through the log); with {@link ReadConsistency#ANY} whichever node gets it answers from its own
     * applied state, which may be stale. Never logged.
     */
    record LocalRead(long sequence, int item, ReadConsistency consistency) implements Operation {
    }

    /**
     * Change several items at once, atomically, none below zero; the items may live in several
     * clusters. The first item with a negative delta (else the first item) picks the coordinator.
     */
    record Transaction(long sequence, List<ItemDelta> deltas) implements Operation {
    }

    /**
     * Move {@code items} from cluster {@code fromCluster} to {@code toCluster}, making shard map
     * version {@code mapVersion} true for them: one batch of a reshard plan, sent by the reshard
     * coordinator to the source cluster, which coordinates it as a transaction over both clusters.
     */
    record Migrate(long sequence, List<Integer> items, int fromCluster, int toCluster, long mapVersion)
            implements Operation {
        public Migrate {
            items = List.copyOf(items);
        }
    }

    /** The item whose cluster coordinates: the first one debited, or the first one at all. */
    public static int routingItem(Operation operation) {
        if (operation instanceof Transfer t) {
            return t.from();
        }
        if (operation instanceof BalanceRead r) {
            return r.item();
        }
        if (operation instanceof LocalRead r) {
            return r.item();
        }
        if (operation instanceof Migrate m) {
            return m.items().get(0);
        }
        Transaction txn = (Transaction) operation;
        return txn.deltas().stream().filter(d -> d.delta() < 0).findFirst()
                .orElse(txn.deltas().get(0)).item();
    }

    /** The same operation under another sequence number: how a client sends it again after MOVED. */
    public static Operation renumbered(Operation operation, long sequence) {
        if (operation instanceof Transfer t) {
            return new Transfer(sequence, t.from(), t.to(), t.amount());
        }
        if (operation instanceof BalanceRead r) {
            return new BalanceRead(sequence, r.item());
        }
        if (operation instanceof LocalRead r) {
            return new LocalRead(sequence, r.item(), r.consistency());
        }
        if (operation instanceof Migrate m) {
            return new Migrate(sequence, m.items(), m.fromCluster(), m.toCluster(), m.mapVersion());
        }
        return new Transaction(sequence, ((Transaction) operation).deltas());
    }

    /** Every item the operation names, in its order. */
    public static List<Integer> itemsOf(Operation operation) {
        if (operation instanceof BalanceRead r) {
            return List.of(r.item());
        }
        if (operation instanceof LocalRead r) {
            return List.of(r.item());
        }
        if (operation instanceof Migrate m) {
            return m.items();
        }
        return deltasOf(operation).stream().map(ItemDelta::item).toList();
    }

    /** The operation's changes as deltas (empty for a read and a migration). */
    public static List<ItemDelta> deltasOf(Operation operation) {
        if (operation instanceof Transfer t) {
            return List.of(new ItemDelta(t.from(), -t.amount()), new ItemDelta(t.to(), t.amount()));
        }
        if (operation instanceof Transaction txn) {
            return txn.deltas();
        }
        return List.of();
    }
}
