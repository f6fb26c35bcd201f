package io.shardbank.shard;

import io.shardbank.model.RequestId;
import java.util.Collection;

/**
 * What two-phase commit may read of a shard: its transaction records and the decisions it
 * remembers. A narrow view of the {@link ShardStateMachine}, whose balances and dedup table the
 * engine has no business with.
 */
public interface TxnRecords {

    /** The transaction this shard holds, or null. */
    TxnRecord txn(RequestId txn);

    /** Every transaction this shard holds (prepared, refused, or decided and not yet ended). */
    Collection<TxnRecord> txns();

    /** The decision of a transaction this shard has forgotten, or null. */
    Outcome.Status forgottenDecision(RequestId txn);

    /** Whether this shard may have decided {@code txn} and forgotten the decision. */
    boolean mayHaveForgotten(RequestId txn);
}
