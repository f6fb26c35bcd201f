package io.shardbank.harness.script;

import io.shardbank.model.NodeId;
import java.util.List;

/**
 * One test set of a CSV script: its number, the line its first row is on, the nodes live when it
 * starts, and its commands in file order. Every set starts from a flushed system.
 */
public record TestSet(int number, int line, List<NodeId> liveNodes, List<ScriptCommand> commands) {

    public TestSet {
        liveNodes = List.copyOf(liveNodes);
        commands = List.copyOf(commands);
    }
}
