package io.shardbank.harness.script;

import io.shardbank.model.NodeId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Reads the live-node column of a set's first row, such as {@code [n1, n2, n4]}. */
final class LiveNodeListParser {

    private LiveNodeListParser() {}

    static List<NodeId> parse(ScriptLocation at, int setNumber, String text) {
        if (text.isEmpty()) {
            throw at.error("set " + setNumber + " has no live-node list in column 3 (expected e.g. \"[n1, n2, n3]\")");
        }
        if (!text.startsWith("[") || !text.endsWith("]")) {
            throw at.error("live-node list must look like \"[n1, n2, n3]\", got \"" + text + "\"");
        }
        String inside = text.substring(1, text.length() - 1);
        if (inside.isBlank()) {
            throw at.error("empty live-node list \"" + text + "\": a set needs at least one live node");
        }
        return nodes(at, text, inside.split(",", -1));
    }

    private static List<NodeId> nodes(ScriptLocation at, String text, String[] entries) {
        List<NodeId> nodes = new ArrayList<>(entries.length);
        Set<NodeId> seen = new HashSet<>();
        for (String entry : entries) {
            if (entry.isBlank()) {
                throw at.error("live-node list \"" + text + "\" has an empty entry");
            }
            NodeId node = CommandParser.parseNode(at, entry, "in live-node list \"" + text + "\"");
            if (!seen.add(node)) {
                throw at.error("node " + node + " appears twice in live-node list \"" + text + "\"");
            }
            nodes.add(node);
        }
        return nodes;
    }
}
