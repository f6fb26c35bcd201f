package io.shardbank.txn;

/**
 * Timing of two-phase commit.
 *
 * @param retryMs a coordinator resends prepares (to clusters that have not voted) and decisions (to
 *     clusters that have not acknowledged) first after this long, then after twice as long each time
 * @param retryMaxMs the longest pause between two resends of a prepare, a decision or an inquiry
 * @param voteTimeoutMs a coordinator that lacks a vote this long after it started decides abort, as
 *     unavailable
 * @param inquiryMs a participant that holds a prepared transaction this long without a decision asks
 *     the coordinator cluster, and again with doubling pauses
 */
public record TxnSettings(long retryMs, long retryMaxMs, long voteTimeoutMs, long inquiryMs) {

    public TxnSettings {
        if (retryMs <= 0 || voteTimeoutMs <= 0 || inquiryMs <= 0) {
            throw new IllegalArgumentException("two-phase commit timings must be positive");
        }
        if (retryMaxMs < Math.max(retryMs, inquiryMs)) {
            throw new IllegalArgumentException("txn.retry-max-ms must be >= txn.retry-ms and txn.inquiry-ms");
        }
    }

    public static TxnSettings defaults() {
        return new TxnSettings(200, 3200, 3000, 1000);
    }
}
