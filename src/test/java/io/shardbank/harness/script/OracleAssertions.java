package io.shardbank.harness.script;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.shardbank.model.NodeId;
import io.shardbank.model.ShardMap;
import io.shardbank.model.Topology;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Compares a set's entry of a run report (the JSON the harness writes) with what the
 * {@link SequentialOracle} expects, and gives tests outside this package the course files.
 */
public final class OracleAssertions {

    private OracleAssertions() {
    }

    public static Path courseFile(String fileName) {
        return CourseScripts.path(fileName);
    }

    public static List<TestSet> courseSets(String fileName) {
        return CourseScripts.parse(fileName);
    }

    /** Whether a transfer of the set has its sender and receiver in different clusters. */
    public static boolean hasCrossClusterTransfer(TestSet set, Topology topology) {
        ShardMap map = topology.initialShardMap();
        return set.commands().stream().anyMatch(c -> c instanceof ScriptCommand.Transfer t
                && map.hasItem(t.from()) && map.hasItem(t.to())
                && !map.clusterOf(t.from()).equals(map.clusterOf(t.to())));
    }

    /**
     * Asserts every transfer's outcome, every read's outcome and value, and the PrintDB values of
     * the report's set against the oracle. A node missing from PrintDB (null: it did not answer)
     * is accepted only if it was down at the end of the set (a node stopped in crash mode).
     */
    public static void assertMatchesOracle(JsonNode reportedSet, TestSet set, Topology topology) {
        SequentialOracle oracle = SequentialOracle.run(topology, set);
        assertThat(reportedSet.get("set").asInt()).isEqualTo(set.number());
        Map<Integer, JsonNode> byRow = new TreeMap<>();
        reportedSet.get("commands").forEach(c -> byRow.put(c.get("row").asInt(), c));
        assertThat(byRow.keySet()).as("rows of set %d", set.number())
                .containsExactlyElementsOf(set.commands().stream().map(ScriptCommand::line).toList());
        for (SequentialOracle.Expected expected : oracle.expectations()) {
            assertCommand(byRow.get(expected.command().line()), expected);
        }
        assertDb(reportedSet.get("db"), oracle.expectedPrintDb(), liveAtEnd(set), set.number());
    }

    private static void assertCommand(JsonNode reported, SequentialOracle.Expected expected) {
        String what = "set row " + expected.command().line() + " " + expected.command().text() + " -> " + reported;
        switch (expected.outcome()) {
            case NODE_FAILED -> assertThat(reported.get("kind").asText()).as(what).isEqualTo("fail");
            case NODE_RECOVERED -> assertThat(reported.get("kind").asText()).as(what).isEqualTo("recover");
            default -> {
                assertThat(reported.get("outcome").asText()).as(what)
                        .isEqualTo(expected.outcome().name().toLowerCase(Locale.ROOT));
                if (expected.balance().isPresent()) {
                    assertThat(reported.get("balance").asLong()).as(what).isEqualTo(expected.balance().getAsLong());
                }
            }
        }
    }

    private static void assertDb(JsonNode db, SortedMap<NodeId, SortedMap<Integer, Long>> expected,
            TreeSet<NodeId> liveAtEnd, int setNumber) {
        assertThat(db.size()).as("PrintDB nodes of set %d", setNumber).isEqualTo(expected.size());
        expected.forEach((node, balances) -> {
            JsonNode reported = db.get(node.toString());
            if (reported == null || reported.isNull()) {
                assertThat(liveAtEnd).as("set %d: %s did not answer PrintDB although it is live", setNumber, node)
                        .doesNotContain(node);
                return;
            }
            SortedMap<Integer, Long> actual = new TreeMap<>();
            reported.properties().forEach(e -> actual.put(Integer.parseInt(e.getKey()), e.getValue().asLong()));
            assertThat(actual).as("set %d: PrintDB of %s", setNumber, node).isEqualTo(balances);
        });
    }

    private static TreeSet<NodeId> liveAtEnd(TestSet set) {
        TreeSet<NodeId> live = new TreeSet<>(set.liveNodes());
        for (ScriptCommand command : set.commands()) {
            if (command instanceof ScriptCommand.Fail f) {
                live.remove(f.node());
            } else if (command instanceof ScriptCommand.Recover r) {
                live.add(r.node());
            }
        }
        return live;
    }
}
