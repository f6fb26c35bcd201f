package io.shardbank.harness.script;

import io.shardbank.model.NodeId;
import io.shardbank.model.Topology;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * Checks parsed test sets against a topology: every node named must exist and every item read or
 * transferred must be in range. Kept apart from parsing because the same file can be valid for
 * one topology (5 clusters x 5 nodes) and not for another (the 3 x 3 default).
 */
public final class ScriptValidator {

    private ScriptValidator() {}

    /**
     * Every topology problem of the sets, each message in the form {@code source:line: problem};
     * empty when the sets fit the topology.
     */
    public static List<String> problems(List<TestSet> sets, Topology topology, String source) {
        List<String> problems = new ArrayList<>();
        for (TestSet set : sets) {
            problems.addAll(new SetCheck(set, topology, source).problems());
        }
        return problems;
    }

    /** The checks of one set; the set's highest node sizes the hint in every node message. */
    private record SetCheck(TestSet set, Topology topology, String source) {

        List<String> problems() {
            List<String> problems = new ArrayList<>();
            checkNodes(set.line(), set.liveNodes(), problems);
            for (ScriptCommand command : set.commands()) {
                checkCommand(command, problems);
            }
            return problems;
        }

        private void checkCommand(ScriptCommand command, List<String> problems) {
            if (command instanceof ScriptCommand.Transfer t) {
                checkItem(t.line(), t.from(), problems);
                checkItem(t.line(), t.to(), problems);
            } else if (command instanceof ScriptCommand.BalanceRead r) {
                checkItem(r.line(), r.item(), problems);
            } else {
                checkNodes(command.line(), List.of(nodeOf(command)), problems);
            }
        }

        private void checkNodes(int line, List<NodeId> nodes, List<String> problems) {
            List<NodeId> unknown = nodes.stream().filter(n -> !topology.hasNode(n)).toList();
            if (unknown.isEmpty()) {
                return;
            }
            String names = String.join(", ", unknown.stream().map(NodeId::toString).toList());
            String subject = unknown.size() == 1 ? "node " + names + " is" : "nodes " + names + " are";
            problems.add(source + ":" + line + ": " + subject + " not in this topology (n1..n"
                    + topology.nodeCount() + "); this set needs at least " + highestNode()
                    + " nodes: choose --clusters/--nodes-per-cluster to match");
        }

        private void checkItem(int line, int item, List<String> problems) {
            if (!topology.hasItem(item)) {
                problems.add(source + ":" + line + ": item " + item
                        + " is not in this topology (items 1.." + topology.itemCount() + ")");
            }
        }

        private int highestNode() {
            Stream<NodeId> named = set.commands().stream().map(SetCheck::nodeOf).filter(Objects::nonNull);
            return Stream.concat(set.liveNodes().stream(), named).mapToInt(NodeId::index).max().orElse(0);
        }

        private static NodeId nodeOf(ScriptCommand command) {
            if (command instanceof ScriptCommand.Fail f) {
                return f.node();
            }
            return command instanceof ScriptCommand.Recover r ? r.node() : null;
        }
    }
}
