package io.shardbank.sim;

import io.shardbank.paxos.PaxosSettings;
import io.shardbank.txn.TxnSettings;
import java.util.SplittableRandom;

/**
 * The shape of one full-stack run (Paxos, shard state machine and two-phase commit on every node):
 * topology, workload, fault rates, timings and limits. Drawn from the run's seed, so a seed names
 * the whole run; changing {@link #random} changes what every seed means.
 *
 * @param crossShare share of client operations that are transfers between two clusters
 * @param multiShare share that are multi-item transactions over two or three clusters
 * @param readShare share that are balance reads; the rest are transfers inside one cluster
 * @param invalidShare share that are invalid on purpose (rejected before they reach a log)
 * @param hotItemsPerCluster operations pick their items among this many per cluster, so they conflict
 * @param crashPointRate chance that a node dies at a named crash point of two-phase commit when it passes it
 * @param faultStartMs faults start after the first writes of the bootstrap are durable
 * @param migrations how many migrations of items between clusters a reshard client runs during the
 *     fault phase (drawn apart from the rest, so that runs without them keep their meaning)
 */
record BankConfig(
        int clusters,
        int nodesPerCluster,
        int itemsPerCluster,
        long initialBalance,
        int clients,
        int operationsPerClient,
        double crossShare,
        double multiShare,
        double readShare,
        double invalidShare,
        int hotItemsPerCluster,
        long amountMax,
        SimNetwork.Faults network,
        double crashPointRate,
        long fsyncMaxMs,
        long faultStartMs,
        SimRun.Phases phases,
        long tickMs,
        PaxosSettings paxos,
        TxnSettings txn,
        int batchOperationsMax,
        int pendingOperationsMax,
        int dedupWindowPerClient,
        int checkpointIntervalSlots,
        int logRetainSlots,
        long clientTimeoutMs,
        long clientThinkMaxMs,
        Mutation mutation,
        int migrations) implements SimRun.Shape {

    int items() {
        return clusters * itemsPerCluster;
    }

    boolean intraOnly() {
        return crossShare == 0 && multiShare == 0;
    }

    /**
     * A run's shape from its seed's generator; {@code reshardRandom}, a generator of its own, draws
     * the migrations, so that adding them left the rest of each seed's run as it was.
     */
    static BankConfig random(SplittableRandom random, SplittableRandom reshardRandom, Mutation mutation) {
        int clusters = 2 + random.nextInt(2);
        int itemsPerCluster = (clusters == 2 ? 5 : 3) + random.nextInt(clusters == 2 ? 16 : 18);
        boolean intraOnly = random.nextInt(8) == 0 && !PlantedBugShard.plants(mutation);
        double crossShare = intraOnly ? 0 : 0.15 + random.nextDouble() * 0.35;
        double multiShare = intraOnly ? 0 : random.nextDouble() * 0.25;
        long heartbeat = 20 + random.nextLong(21);
        long electionTimeout = heartbeat * (4 + random.nextLong(4));
        long voteTimeout = 300 + random.nextLong(700);
        return new BankConfig(
                clusters,
                3,
                itemsPerCluster,
                10,
                2 + random.nextInt(4),
                2 + random.nextInt(5),
                crossShare,
                multiShare,
                0.05 + random.nextDouble() * 0.1,
                random.nextDouble() * 0.04,
                2 + random.nextInt(itemsPerCluster - 1),
                2 + random.nextLong(7),
                new SimNetwork.Faults(random.nextDouble() * 0.08, random.nextDouble() * 0.05, 1,
                        2 + random.nextLong(15), random.nextDouble() * 0.02, 100 + random.nextLong(400)),
                random.nextBoolean() ? random.nextDouble() * 0.3 : 0,
                1 + random.nextLong(10),
                100,
                new SimRun.Phases(800 + random.nextLong(1_500), 300, 600, 20_000),
                10,
                new PaxosSettings(heartbeat, electionTimeout, 2 * heartbeat + random.nextLong(60),
                        1 + random.nextInt(6), 1 + random.nextInt(8), 60),
                txnSettings(random, voteTimeout),
                1 + random.nextInt(8),
                8 + random.nextInt(56),
                2 + random.nextInt(40),
                2 + random.nextInt(10),
                random.nextInt(6),
                150 + random.nextLong(300),
                40,
                mutation,
                PlantedBugShard.plantsMigrationBug(mutation) ? 4 + reshardRandom.nextInt(8)
                        : reshardRandom.nextInt(4) == 0 ? 0 : 1 + reshardRandom.nextInt(6));
    }
    /** Two-phase-commit timings; resends back off up to four times the longer of the first pauses. */
    private static TxnSettings txnSettings(SplittableRandom random, long voteTimeout) {
        long retry = 40 + random.nextLong(120);
        long inquiry = 150 + random.nextLong(500);
        return new TxnSettings(retry, 4 * Math.max(retry, inquiry), voteTimeout, inquiry);
    }
}
