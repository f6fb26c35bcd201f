package io.shardbank.bench;

import io.shardbank.model.Topology;
import java.util.Map;

/**
 * How a benchmark run was set up, as its results file records it.
 *
 * @param workload the workload kind's name
 * @param description the workload's one-line description
 * @param knobs the workload's knobs in force
 * @param plan how long the run lasted
 * @param synchronous SQLite's synchronous mode on the nodes
 * @param target "embedded" or "connect"
 */
public record RunConfiguration(String workload, String description, Map<String, Object> knobs,
        LoadDriver.Plan plan, long seed, int outstanding, Topology topology, String synchronous, String target) {

    public RunConfiguration {
        knobs = Map.copyOf(knobs);
    }
}
