package io.shardbank.harness.script;

import static org.assertj.core.api.Assertions.assertThat;

import io.shardbank.model.Topology;
import java.io.StringReader;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Topology checks: node and item ranges, each naming its line. */
class ScriptValidatorTest {

    @Test
    void courseFilesFitTheDefaultTopologyExceptSetFifteen() {
        assertThat(problems(CourseScripts.TESTCASES, Topology.defaults())).isEmpty();
        assertThat(problems(CourseScripts.DEMO, Topology.defaults())).isEmpty();
        assertThat(problems(CourseScripts.SPEC_EXAMPLE, Topology.defaults())).isEmpty();
        assertThat(problems(CourseScripts.NEW_TESTCASES, Topology.defaults())).containsExactly(
                "course-f25-new-testcases.csv:393: nodes n11, n12, n13, n16, n17, n18, n21, n22, n23 are "
                        + "not in this topology (n1..n9); this set needs at least 23 nodes: "
                        + "choose --clusters/--nodes-per-cluster to match");
    }

    @Test
    void setFifteenFitsFiveClustersOfFiveNodes() {
        assertThat(problems(CourseScripts.NEW_TESTCASES, new Topology(5, 5, 9000, 10))).isEmpty();
    }

    @Test
    void reportsNodeCommandsAndItemsOutOfRange() {
        List<TestSet> sets = CsvScriptParser.parse("sets.csv", new StringReader("""
                Set Number,Transactions,Live Nodes
                1,"(0, 9001, 1)",[n1]
                ,F(n12),
                ,(9000),
                ,(-3),
                """));

        assertThat(ScriptValidator.problems(sets, Topology.defaults(), "sets.csv")).containsExactly(
                "sets.csv:2: item 0 is not in this topology (items 1..9000)",
                "sets.csv:2: item 9001 is not in this topology (items 1..9000)",
                "sets.csv:3: node n12 is not in this topology (n1..n9); this set needs at least 12 nodes: "
                        + "choose --clusters/--nodes-per-cluster to match",
                "sets.csv:5: item -3 is not in this topology (items 1..9000)");
    }

    private static List<String> problems(String fileName, Topology topology) {
        return ScriptValidator.problems(CourseScripts.parse(fileName), topology, fileName);
    }
}
