package io.shardbank.sim;

import java.util.Arrays;

/**
 * Runs the simulator from the command line:
 * {@code [--seeds N] [--first-seed S] [--stack bank|paxos] [--mutation NAME]}. The default is the
 * full stack (Paxos, shard and two-phase commit on every node); {@code --stack paxos} runs the
 * Paxos-only simulation. Prints the summary line; exits with 1 when a run breaks an invariant
 * (after printing its seed and last events).
 */
public final class SimulationMain {

    private SimulationMain() {
    }

    public static void main(String[] args) {
        int seeds = 1000;
        long firstSeed = 1;
        boolean bank = true;
        Mutation mutation = Mutation.NONE;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--seeds" -> seeds = Integer.parseInt(args[++i]);
                case "--first-seed" -> firstSeed = Long.parseLong(args[++i]);
                case "--stack" -> bank = !args[++i].equals("paxos");
                case "--mutation" -> mutation = Mutation.valueOf(args[++i]);
                default -> {
                    System.err.println("usage: SimulationMain [--seeds N] [--first-seed S] [--stack bank|paxos]"
                            + " [--mutation " + Arrays.toString(Mutation.values()) + "]");
                    System.exit(2);
                }
            }
        }
        try {
            SimulationRunner.Stack stack = bank ? SimulationRunner.Stack.BANK : SimulationRunner.Stack.PAXOS;
            SimStats total = SimulationRunner.runSeeds(stack, firstSeed, seeds, mutation);
            if (bank) {
                System.out.println(total.bankSummary());
                System.out.println(total.bankDetails());
            } else {
                System.out.println(total.summary());
            }
        } catch (SimulationFailure failure) {
            System.out.println(failure.getMessage());
            System.out.println("simulation: anomalies=1 (seed " + failure.seed + ")");
            System.exit(1);
        }
    }
}
