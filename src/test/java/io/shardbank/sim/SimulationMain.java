package io.shardbank.sim;

/**
 * Runs the simulator from the command line: {@code --seeds N --first-seed S [--mutation NAME]}.
 * Prints the summary line; exits with 1 when a run breaks an invariant (after printing its seed
 * and last events).
 */
public final class SimulationMain {

    private SimulationMain() {
    }

    public static void main(String[] args) {
        int seeds = 1000;
        long firstSeed = 1;
        Mutation mutation = Mutation.NONE;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--seeds" -> seeds = Integer.parseInt(args[++i]);
                case "--first-seed" -> firstSeed = Long.parseLong(args[++i]);
                case "--mutation" -> mutation = Mutation.valueOf(args[++i]);
                default -> {
                    System.err.println("usage: SimulationMain [--seeds N] [--first-seed S] [--mutation "
                            + java.util.Arrays.toString(Mutation.values()) + "]");
                    System.exit(2);
                }
            }
        }
        try {
            SimStats total = SimulationRunner.runSeeds(firstSeed, seeds, mutation);
            System.out.println(total.summary());
        } catch (SimulationFailure failure) {
            System.out.println(failure.getMessage());
            System.out.println("simulation: anomalies=1 (seed " + failure.seed + ")");
            System.exit(1);
        }
    }
}
