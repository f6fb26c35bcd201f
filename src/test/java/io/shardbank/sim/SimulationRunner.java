package io.shardbank.sim;

/**
 * Runs a range of seeds of either simulator one after another and adds up their counters; stops at
 * the first failure.
 */
final class SimulationRunner {

    /** Which simulator runs a seed. */
    enum Stack {
        /** Bare Paxos replicas with a key-value state machine ({@link Simulation}). */
        PAXOS {
            @Override
            SimRun.Result run(long seed, Mutation mutation) {
                return Simulation.run(seed, mutation);
            }
        },
        /** The whole node: Paxos, shard and two-phase commit ({@link BankSimulation}). */
        BANK {
            @Override
            SimRun.Result run(long seed, Mutation mutation) {
                return BankSimulation.run(seed, mutation);
            }
        };

        abstract SimRun.Result run(long seed, Mutation mutation);
    }

    private SimulationRunner() {
    }

    static SimStats runSeeds(Stack stack, long firstSeed, int seeds, Mutation mutation) {
        SimStats total = new SimStats();
        for (long seed = firstSeed; seed < firstSeed + seeds; seed++) {
            total.add(stack.run(seed, mutation).stats());
        }
        return total;
    }

    /** The first seed in the range whose run fails, or -1 when all pass. */
    static long firstFailingSeed(Stack stack, long firstSeed, int seeds, Mutation mutation) {
        for (long seed = firstSeed; seed < firstSeed + seeds; seed++) {
            try {
                stack.run(seed, mutation);
            } catch (SimulationFailure failure) {
                return seed;
            }
        }
        return -1;
    }
}
