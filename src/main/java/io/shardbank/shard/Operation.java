package io.shardbank.shard;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * One client operation on a shard. {@code sequence} numbers a client's requests; together with the
 * client id it makes the request id that deduplicates retries.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "op")
@JsonSubTypes({
    @JsonSubTypes.Type(value = Operation.Transfer.class, name = "transfer"),
    @JsonSubTypes.Type(value = Operation.BalanceRead.class, name = "read")
})
public sealed interface Operation {

    long sequence();

    /** Move {@code amount} from item {@code from} to item {@code to}. */
    record Transfer(long sequence, int from, int to, long amount) implements Operation {
    }

    /** Read the balance of {@code item}, linearizably (it goes through the log). */
    record BalanceRead(long sequence, int item) implements Operation {
    }
}
