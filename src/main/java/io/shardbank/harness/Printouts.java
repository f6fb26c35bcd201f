package io.shardbank.harness;

import io.shardbank.harness.script.ScriptCommand;
import io.shardbank.harness.script.TestSet;
import io.shardbank.model.ClusterId;
import io.shardbank.model.NodeId;
import io.shardbank.model.Topology;
import io.shardbank.client.ReshardCoordinator;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The text the console and the batch runner print for results. */
final class Printouts {

    private Printouts() {
    }

    /** One command's result, e.g. {@code line 2: (1001, 1002, 1) -> committed (1.73 ms)}. */
    static String result(CommandResult result, FailureMode mode) {
        ScriptCommand command = result.command();
        String prefix = "line " + command.line() + ": " + command.text() + " -> ";
        if (command instanceof ScriptCommand.Fail f) {
            return prefix + f.node() + (mode == FailureMode.CRASH ? " stopped" : " failed (acts disconnected)");
        }
        if (command instanceof ScriptCommand.Recover r) {
            return prefix + r.node() + (mode == FailureMode.CRASH ? " restarted from its database" : " recovered");
        }
        return prefix + result.outcome().orElseThrow() + String.format(Locale.ROOT, " (%.2f ms)", result.latencyMs());
    }

    /**
     * The set's heading, printed before it runs. A live list that leaves a cluster without a
     * majority is a scenario the format allows (that cluster can decide nothing), not an error; the
     * heading says so, so that its unavailable outcomes come as no surprise.
     */
    static String heading(TestSet set, Topology topology) {
        String heading = "Set " + set.number() + " (line " + set.line() + "): " + set.commands().size() + " command"
                + (set.commands().size() == 1 ? "" : "s") + ", live " + set.liveNodes();
        List<String> minorities = new ArrayList<>();
        for (ClusterId cluster : topology.allClusters()) {
            List<NodeId> nodes = topology.nodesOf(cluster);
            long live = nodes.stream().filter(set.liveNodes()::contains).count();
            if (live < topology.majority()) {
                minorities.add(cluster + " (" + live + " of " + nodes.size() + " live)");
            }
        }
        if (minorities.isEmpty()) {
            return heading;
        }
        return heading + "; no live majority in " + String.join(", ", minorities) + ": "
                + (minorities.size() == 1 ? "its" : "their")
                + " transactions end unavailable until R rows bring nodes back";
    }

    /** A line per command in file order, then the harness's notes. */
    static java.util.List<String> results(SetResult result, FailureMode mode) {
        java.util.List<String> lines = new java.util.ArrayList<>();
        result.results().forEach(r -> lines.add(result(r, mode)));
        result.notes().forEach(note -> lines.add("note: " + note));
        return lines;
    }

    /**
     * The PrintReshard command's lines: a heading, each item moved as {@code (item, from, to)}, the
     * moves given up with why, and the round's summary, e.g.
     *
     * <pre>
     * Input: PrintReshard; Output: 1 item moved
     * (3001, c2, c1)
     * summary: 2 multi-item transactions: cross-cluster 1 -> 0 planned, 1 of 1 items moved, shard map v1 -> v2
     * </pre>
     */
    static List<String> reshard(ReshardCoordinator.Report report) {
        List<String> lines = new ArrayList<>();
        if (!report.ok()) {
            lines.add("Input: PrintReshard; Output: " + report.summary());
            return lines;
        }
        int moved = report.moved().size();
        lines.add("Input: PrintReshard; Output: " + (moved == 0 ? "no item moved" : moved == 1 ? "1 item moved"
                : moved + " items moved"));
        report.moved().forEach(move -> lines.add(move.toString()));
        report.reasons().forEach(reason -> lines.add("given up: " + reason));
        lines.add("summary: " + report.summary());
        return lines;
    }

    /** The Performance command's line. */
    static String performance(Performance performance) {
        return "Input: Performance; Output: " + performance.describe();
    }
}
