package io.shardbank.paxos;

/**
 * The timing and size limits of one Multi-Paxos replica. Read from {@code conf/} by the config
 * package; the core takes them as plain numbers.
 *
 * @param heartbeatIntervalMs how often an idle leader announces itself and its commit index
 * @param electionTimeoutMs a follower that hears no leader for this long (plus a random part of
 *     up to the same again) stands for election
 * @param retransmitMs a leader resends an accept that has not reached a majority after this long
 * @param pipelineDepthMax slots a leader may have in flight (proposed, not yet chosen)
 * @param catchupEntriesMax chosen values sent in one catch-up reply
 * @param catchupRetryMs a lagging node repeats its catch-up request after this long
 */
public record PaxosSettings(
        long heartbeatIntervalMs,
        long electionTimeoutMs,
        long retransmitMs,
        int pipelineDepthMax,
        int catchupEntriesMax,
        long catchupRetryMs) {

    public PaxosSettings {
        require(heartbeatIntervalMs > 0, "heartbeatIntervalMs must be > 0");
        require(electionTimeoutMs > heartbeatIntervalMs, "electionTimeoutMs must exceed heartbeatIntervalMs");
        require(retransmitMs > 0, "retransmitMs must be > 0");
        require(pipelineDepthMax > 0, "pipelineDepthMax must be > 0");
        require(catchupEntriesMax > 0, "catchupEntriesMax must be > 0");
        require(catchupRetryMs > 0, "catchupRetryMs must be > 0");
    }

    public static PaxosSettings defaults() {
        return new PaxosSettings(50, 500, 200, 8, 256, 100);
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }
}
