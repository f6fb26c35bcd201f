package io.shardbank.reshard;

/**
 * How a reshard round carries out its plan, read from {@code shardbank.reshard.migration}.
 *
 * @param batchItemsMax items one migration moves at most: one transaction over the source's and
 *     the target's logs, so a batch is frozen for about two consensus rounds of each cluster
 * @param batchesInFlightMax migrations under way at once, in all clusters together
 * @param attemptsMax a batch whose migration aborts (an item was locked by a transaction) is tried
 *     again, under a new request id, up to this many times in all
 * @param roundTimeoutMs a caller waits this long for a whole round (planning and every batch)
 * @param stateTimeoutMs the coordinator waits this long for each node's part of the map; a failed
 *     node stays silent, and a cluster without a leader that answers makes the round give up
 */
public record MigrationSettings(int batchItemsMax, int batchesInFlightMax, int attemptsMax, long roundTimeoutMs,
        long stateTimeoutMs) {

    public MigrationSettings {
        if (batchItemsMax < 1 || batchesInFlightMax < 1 || attemptsMax < 1 || roundTimeoutMs < 1
                || stateTimeoutMs < 1) {
            throw new IllegalArgumentException("reshard.migration.batch-items-max, batches-in-flight-max,"
                    + " attempts-max, round-timeout-ms and state-timeout-ms must be >= 1");
        }
    }

    public static MigrationSettings defaults() {
        return new MigrationSettings(100, 4, 5, 300_000, 2_000);
    }
}
