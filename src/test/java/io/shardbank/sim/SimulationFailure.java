package io.shardbank.sim;

import java.util.List;

/** A broken invariant or a missed liveness bound: names the seed that replays it and the last events. */
final class SimulationFailure extends AssertionError {

    final long seed;

    SimulationFailure(long seed, String what, List<String> lastEvents, Throwable cause) {
        super(message(seed, what, lastEvents), cause);
        this.seed = seed;
    }

    private static String message(long seed, String what, List<String> lastEvents) {
        StringBuilder text = new StringBuilder();
        text.append("simulation seed ").append(seed).append(" failed: ").append(what)
                .append("\n  replay with -Dsim.seed=").append(seed)
                .append("\n  last ").append(lastEvents.size()).append(" events:");
        for (String line : lastEvents) {
            text.append("\n    ").append(line);
        }
        return text.toString();
    }
}
