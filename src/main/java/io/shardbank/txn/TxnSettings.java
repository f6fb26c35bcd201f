package io.shardbank.txn;

/**
 * Timing of two-phase commit.
 *
 * @param retryMs a coordinator resends prepares (to clusters that have not voted) and decisions (to
 *     clusters that have not acknowledged) this often
 * @param voteTimeoutMs a coordinator that lacks a vote this long after it started decides abort, as
 *     unavailable
 * @param inquiryMs a participant that holds a prepared transaction this long without a decision asks
 *     the coordinator cluster, and again this often
 */
public record TxnSettings(long retryMs, long voteTimeoutMs, long inquiryMs) {

    public TxnSettings {
        if (retryMs <= 0 || voteTimeoutMs <= 0 || inquiryMs <= 0) {
            throw new IllegalArgumentException("two-phase commit timings must be positive");
        }
    }

    public static TxnSettings defaults() {
        return new TxnSettings(200, 3000, 1000);
    }
}
