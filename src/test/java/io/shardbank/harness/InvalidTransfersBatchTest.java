package io.shardbank.harness;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.shardbank.harness.script.CsvScriptParser;
import io.shardbank.harness.script.OracleAssertions;
import io.shardbank.harness.script.ScriptValidator;
import io.shardbank.harness.script.TestSet;
import io.shardbank.model.Topology;
import io.shardbank.testing.EmbeddedFixture;
import java.io.PrintWriter;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A CSV file whose transfers the running system must refuse (amounts of zero, below zero or past
 * every balance, a sender that is its own receiver) and whose second set starts with c1 below a
 * majority. Such a file is well-formed and fits the topology; each refused or undecidable row ends
 * with its reason on its own line, every other row commits, and the balances match the sequential
 * oracle on every node: nothing is lost.
 */
class InvalidTransfersBatchTest {

    private static final Topology TOPOLOGY = Topology.defaults();
    private static final String FILE = "invalid.csv";
    private static final String SCRIPT = """
            Set Number,Transactions,Live Nodes
            1,"(1, 2, 0)","[n1, n2, n3, n4, n5, n6, n7, n8, n9]"
            ,"(1, 2, -4)",
            ,"(3, 3, 1)",
            ,"(4, 5, 9223372036854775807)",
            ,"(1, 2, 3)",
            ,"(3001, 6001, 2)",
            ,(1),
            ,(2),
            2,"(10, 11, 2)","[n1, n4, n5, n6, n7, n8, n9]"
            ,"(3010, 3011, 2)",
            ,"(20, 3020, 1)",
            ,(3011),
            ,(10),
            """;

    @TempDir
    Path dataDirectory;

    @Test
    void refusedRowsNameTheirLineAndReasonAndTheRestCommits() throws Exception {
        List<TestSet> sets = CsvScriptParser.parse(FILE, new StringReader(SCRIPT));
        assertThat(ScriptValidator.problems(sets, TOPOLOGY, FILE)).as("the file fits the topology").isEmpty();
        StringWriter printed = new StringWriter();
        JsonNode report;
        try (EmbeddedFixture fixture = EmbeddedFixture.withHarness(dataDirectory, TOPOLOGY, FailureMode.DISCONNECT)) {
            Harness harness = fixture.harness();
            report = new ObjectMapper().readTree(
                    new BatchRunner(harness, FILE, new PrintWriter(printed, true)).run(sets).toJson());
        }
        for (int index = 0; index < sets.size(); index++) {
            OracleAssertions.assertMatchesOracle(report.get("sets").get(index), sets.get(index), TOPOLOGY);
        }
        assertThat(printed.toString()).contains(
                "line 2: (1, 2, 0) -> rejected (amount must be positive, got 0)",
                "line 3: (1, 2, -4) -> rejected (amount must be positive, got -4)",
                "line 4: (3, 3, 1) -> rejected (sender and receiver are the same item 3)",
                "line 5: (4, 5, 9223372036854775807) -> aborted (insufficient funds",
                "line 6: (1, 2, 3) -> committed",
                "Set 2 (line 10): 5 commands, live [n1, n4, n5, n6, n7, n8, n9]; no live majority in c1 (1 of 3 live)",
                "line 10: (10, 11, 2) -> unavailable (",
                "line 11: (3010, 3011, 2) -> committed",
                "line 12: (20, 3020, 1) -> unavailable (");
        assertThat(printed.toString()).contains("summary: 2 sets of " + FILE + " run")
                .containsPattern("outcomes: committed [0-9]+, aborted 1, rejected 3, .*unavailable [0-9]+");
        for (int index = 0; index < sets.size(); index++) {
            Map<Integer, Long> balances = balancesOn(report.get("sets").get(index), "n1", "n4", "n7");
            assertThat(balances.values().stream().mapToLong(Long::longValue).sum())
                    .as("money over the items set %d modified: %s", index + 1, balances)
                    .isEqualTo(TOPOLOGY.initialBalance() * balances.size());
        }
    }

    /** The balances the report's PrintDB shows on the given nodes, one per cluster. */
    private static Map<Integer, Long> balancesOn(JsonNode set, String... nodes) {
        Map<Integer, Long> balances = new TreeMap<>();
        for (String node : nodes) {
            set.get("db").get(node).properties()
                    .forEach(e -> balances.put(Integer.parseInt(e.getKey()), e.getValue().asLong()));
        }
        return balances;
    }
}
