package io.shardbank.harness;

import static org.assertj.core.api.Assertions.assertThat;

import io.shardbank.cluster.EmbeddedCluster;
import io.shardbank.harness.script.CsvScriptParser;
import io.shardbank.harness.script.TestSet;
import io.shardbank.model.Topology;
import java.io.BufferedReader;
import java.io.PrintWriter;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Drives the interactive console through its input, on a real embedded cluster. */
class ConsoleTest {

    private static final Topology TOPOLOGY = Topology.defaults();
    private static final long INITIAL = TOPOLOGY.initialBalance();
    private static final long AMOUNT = 2;
    private static final String SCRIPT = String.join("\n",
            "Set Number,Transactions,Live Nodes",
            "1,\"(4005, 4006, " + AMOUNT + ")\",\"[n1, n2, n3, n4, n5, n7, n8, n9]\"",
            ",(4006),",
            "2,\"(1, 2, 1)\",\"[n1, n2, n3, n4, n5, n6, n7, n8, n9]\"",
            "3,\"(7, 8, 3)\",\"[n1, n2, n3, n4, n5, n6, n7, n8, n9]\"",
            ",\"(7, 3001, 1)\",",
            "4,\"(9, 10, 1)\",\"[n1, n2, n3, n4, n5, n6, n7, n8, n9]\"",
            "");

    @TempDir
    static Path dataDirectory;
    private static EmbeddedCluster cluster;
    private static Harness harness;

    @BeforeAll
    static void startCluster() {
        cluster = EmbeddedCluster.start(TestClusters.settings(dataDirectory, TOPOLOGY));
        harness = Harness.start(ClusterControl.embedded(cluster, FailureMode.DISCONNECT));
    }

    @AfterAll
    static void stopCluster() {
        if (harness != null) {
            harness.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void promptsRunsSkipsPrintsAndQuits() {
        String input = String.join("\n", "help", "bogus", "run",
                "help", "PrintBalance(4005)", "printbalance 4006", "PrintDB", "PrintView", "Performance",
                "PrintReshard", "whatever", "next",
                "skip",
                "", "PrintBalance (8)", "PrintReshard", "quit",
                "run") + "\n";
        StringWriter output = new StringWriter();

        int ran = new Console(harness, sets(), new BufferedReader(new StringReader(input)), new PrintWriter(output))
                .run();

        List<String> lines = output.toString().lines().toList();
        assertThat(ran).isEqualTo(2);
        assertThat(output.toString())
                .contains("Set 1 (line 2): 2 commands, live [n1, n2, n3, n4, n5, n7, n8, n9]")
                .contains("run, skip or quit? ")
                .contains("skip this set")
                .contains("unknown answer 'bogus'")
                .contains("line 2: (4005, 4006, " + AMOUNT + ") -> committed")
                .contains("line 3: (4006) -> balance " + (INITIAL + AMOUNT))
                .contains("set 1> ")
                .contains("Input: PrintDB; Output:")
                .contains("unknown command 'whatever'")
                .contains("Input: PrintReshard; Output: no move " + Printouts.RESHARD_NOT_APPLIED)
                .contains("summary: 1 multi-item transaction: cross-cluster 0 -> 0, no item to move, shard map stays v1")
                .contains("skipped set 2")
                .doesNotContain("line 4: (1, 2, 1) ->")
                .contains("line 5: (7, 8, 3) -> committed")
                .contains("line 6: (7, 3001, 1) -> committed")
                .doesNotContain("Set 4 (line 7)");
        assertThat(lines).anyMatch(line -> line.endsWith("Input: PrintBalance(4005); Output: n4 : " + (INITIAL - AMOUNT)
                + ", n5 : " + (INITIAL - AMOUNT) + ", n6 : " + INITIAL));
        assertThat(lines).anyMatch(line -> line.endsWith("Input: PrintBalance(4006); Output: n4 : " + (INITIAL + AMOUNT)
                + ", n5 : " + (INITIAL + AMOUNT) + ", n6 : " + INITIAL));
        assertThat(lines).anyMatch(line -> line.endsWith("Input: PrintBalance(8); Output: n1 : " + (INITIAL + 3)
                + ", n2 : " + (INITIAL + 3) + ", n3 : " + (INITIAL + 3)));
        assertThat(lines).contains("n4 : 4005 = " + (INITIAL - AMOUNT) + ", 4006 = " + (INITIAL + AMOUNT),
                "n6 : 4005 = " + INITIAL + ", 4006 = " + INITIAL, "n1 : (no modified items)");
        assertThat(lines).containsSequence("set 3> Input: PrintReshard; Output: 1 move " + Printouts.RESHARD_NOT_APPLIED,
                "(3001, c2, c1)",
                "summary: 2 multi-item transactions: cross-cluster 1 -> 0, 1 item to move, shard map v1 -> v2;"
                        + " trade-off: 1 transaction saved for 1 move at 0.25 each");
        assertThat(lines).anyMatch(line -> line.matches("c2: NEW-VIEW ballot \\(\\d+, n4\\) from n4, .*"));
        assertThat(lines).anyMatch(line -> line.contains("Input: Performance; Output: 1 transaction "
                + "(1 intra-cluster, 0 cross-cluster) in "));
        assertThat(lines.get(lines.size() - 1)).endsWith("bye");
    }

    @Test
    void endOfInputQuitsBeforeAnySet() {
        StringWriter output = new StringWriter();

        int ran = new Console(harness, sets(), new BufferedReader(new StringReader("")), new PrintWriter(output)).run();

        assertThat(ran).isZero();
        assertThat(output.toString()).contains("Set 1 (line 2)").doesNotContain("Set 2 (line 4)").endsWith("bye\n");
    }

    private static List<TestSet> sets() {
        return CsvScriptParser.parse("console-test.csv", new StringReader(SCRIPT));
    }
}
