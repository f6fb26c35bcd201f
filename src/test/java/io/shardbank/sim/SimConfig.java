package io.shardbank.sim;

import io.shardbank.paxos.PaxosSettings;
import java.util.SplittableRandom;

/**
 * The shape of one simulated run: topology, workload, fault rates and time bounds. Drawn from the
 * run's seed, so a seed names the whole run (changing {@link #random} changes what every seed means).
 *
 * @param network how the network misbehaves while faults are on (its long delays are a slow path:
 *     such messages arrive after elections and leader changes)
 * @param crashAfterVoteRate chance that a node crashes right after a Promise or Accepted leaves it
 *     (when the host is right, the vote is durable by then)
 * @param phases how long faults (drops, duplicates, partitions, crashes) go on, and how soon after
 *     every cluster must converge and every client be answered
 */
record SimConfig(
        int clusters,
        int nodesPerCluster,
        int clientsPerCluster,
        int commandsPerClient,
        SimNetwork.Faults network,
        double crashAfterVoteRate,
        long fsyncMaxMs,
        SimRun.Phases phases,
        long tickMs,
        PaxosSettings paxos,
        int batchSizeMax,
        int queueMax,
        long clientTimeoutMs,
        long clientThinkMaxMs,
        int snapshotEverySlots,
        int snapshotRetainSlots,
        Mutation mutation) implements SimRun.Shape {

    static SimConfig random(SplittableRandom random, Mutation mutation) {
        int clusters = 1 + random.nextInt(3);
        int nodes = random.nextBoolean() ? 3 : 5;
        long delayMax = 2 + random.nextLong(25);
        long heartbeat = 30 + random.nextLong(31);
        long electionTimeout = heartbeat * (4 + random.nextLong(5));
        return new SimConfig(
                clusters,
                nodes,
                2 + random.nextInt(4),
                5 + random.nextInt(41),
                new SimNetwork.Faults(random.nextDouble() * 0.10, random.nextDouble() * 0.05, 1, delayMax,
                        random.nextDouble() * 0.03, 100 + random.nextLong(600)),
                random.nextDouble() * 0.03,
                1 + random.nextLong(30),
                new SimRun.Phases(2_000 + random.nextLong(6_000), 400, 1_200, 20_000),
                10,
                new PaxosSettings(heartbeat, electionTimeout, 2 * heartbeat + random.nextLong(100), 2 + random.nextInt(6),
                        1 + random.nextInt(16), 100),
                8,
                64,
                400,
                60,
                4 + random.nextInt(12),
                random.nextInt(4),
                mutation);
    }
}
