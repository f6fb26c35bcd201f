package io.shardbank.sim;

/** Runs a range of seeds one after another and adds up their counters; stops at the first failure. */
final class SimulationRunner {

    private SimulationRunner() {
    }

    static SimStats runSeeds(long firstSeed, int seeds, Mutation mutation) {
        SimStats total = new SimStats();
        for (long seed = firstSeed; seed < firstSeed + seeds; seed++) {
            total.add(Simulation.run(seed, mutation).stats());
        }
        return total;
    }

    /** The first seed in the range whose run fails, or -1 when all pass. */
    static long firstFailingSeed(long firstSeed, int seeds, Mutation mutation) {
        for (long seed = firstSeed; seed < firstSeed + seeds; seed++) {
            try {
                Simulation.run(seed, mutation);
            } catch (SimulationFailure failure) {
                return seed;
            }
        }
        return -1;
    }

    /** Runs a range of seeds of the full-stack simulation; stops at the first failure. */
    static SimStats runBankSeeds(long firstSeed, int seeds, Mutation mutation) {
        SimStats total = new SimStats();
        for (long seed = firstSeed; seed < firstSeed + seeds; seed++) {
            total.add(BankSimulation.run(seed, mutation).stats());
        }
        return total;
    }

    /** The first seed in the range whose full-stack run fails, or -1 when all pass. */
    static long firstFailingBankSeed(long firstSeed, int seeds, Mutation mutation) {
        for (long seed = firstSeed; seed < firstSeed + seeds; seed++) {
            try {
                BankSimulation.run(seed, mutation);
            } catch (SimulationFailure failure) {
                return seed;
            }
        }
        return -1;
    }
}
