package io.shardbank.harness.script;

import static io.shardbank.harness.script.CourseScripts.NEW_TESTCASES;
import static io.shardbank.harness.script.CourseScripts.TESTCASES;
import static io.shardbank.harness.script.CourseScripts.parse;
import static io.shardbank.harness.script.CourseScripts.set;
import static org.assertj.core.api.Assertions.assertThat;

import io.shardbank.harness.script.SequentialOracle.Outcome;
import io.shardbank.model.NodeId;
import io.shardbank.model.Topology;
import java.io.StringReader;
import java.util.Map;
import java.util.OptionalLong;
import java.util.SortedMap;
import org.junit.jupiter.api.Test;

/** Expected outcomes worked out by hand from the course files. */
class SequentialOracleTest {

    private static final Topology DEFAULTS = Topology.defaults();

    @Test
    void testcasesSetTwoLosesClusterOneAfterNodeTwoFails() {
        SequentialOracle oracle = SequentialOracle.run(DEFAULTS, set(parse(TESTCASES), 2));

        assertThat(oracle.at(9).outcome()).isEqualTo(Outcome.NODE_FAILED);
        assertThat(oracle.at(10).outcome()).isEqualTo(Outcome.UNAVAILABLE);
        assertThat(oracle.at(10).reason()).isEqualTo("cluster c1 has no live majority");
        assertThat(oracle.at(11).outcome()).isEqualTo(Outcome.COMMITTED);
        assertThat(oracle.at(13).outcome()).isEqualTo(Outcome.UNAVAILABLE);
        assertThat(oracle.at(14).outcome()).isEqualTo(Outcome.UNAVAILABLE);
        assertThat(oracle.finalBalances()).isEqualTo(Map.of(
                1001, 9L, 1002, 11L, 1003, 9L, 1004, 11L, 3001, 9L, 3002, 11L));
    }

    @Test
    void testcasesSetTwoPrintDbKeepsNeverLiveNodesAtTheInitialBalance() {
        SortedMap<NodeId, SortedMap<Integer, Long>> printDb =
                SequentialOracle.run(DEFAULTS, set(parse(TESTCASES), 2)).expectedPrintDb();

        Map<Integer, Long> clusterOne = Map.of(1001, 9L, 1002, 11L, 1003, 9L, 1004, 11L);
        assertThat(printDb.get(new NodeId(1))).isEqualTo(clusterOne);
        assertThat(printDb.get(new NodeId(2))).isEqualTo(clusterOne);
        assertThat(printDb.get(new NodeId(3))).isEqualTo(Map.of(1001, 10L, 1002, 10L, 1003, 10L, 1004, 10L));
        assertThat(printDb.get(new NodeId(5))).isEqualTo(Map.of(3001, 9L, 3002, 11L));
        assertThat(printDb.get(new NodeId(6))).isEqualTo(Map.of(3001, 10L, 3002, 10L));
        assertThat(printDb.get(new NodeId(9))).isEmpty();
    }

    @Test
    void testcasesSetFourAbortsOnInsufficientFunds() {
        SequentialOracle oracle = SequentialOracle.run(DEFAULTS, set(parse(TESTCASES), 4));

        assertThat(oracle.at(30).outcome()).isEqualTo(Outcome.COMMITTED);
        assertThat(oracle.at(31).outcome()).isEqualTo(Outcome.ABORTED);
        assertThat(oracle.at(31).reason()).isEqualTo("insufficient funds: item 3001 has 9, needs 10");
        assertThat(oracle.at(32).balance()).isEqualTo(OptionalLong.of(9));
        assertThat(oracle.at(34).balance()).isEqualTo(OptionalLong.of(10));
        assertThat(oracle.finalBalances()).containsEntry(3004, 0L).containsEntry(3006, 19L);
    }

    @Test
    void testcasesSetThreeNodeFailedLastMissesLaterCommits() {
        SequentialOracle oracle = SequentialOracle.run(DEFAULTS, set(parse(TESTCASES), 3));
        SortedMap<NodeId, SortedMap<Integer, Long>> printDb = oracle.expectedPrintDb();

        assertThat(oracle.expectations()).filteredOn(e -> e.outcome() == Outcome.UNAVAILABLE).isEmpty();
        assertThat(printDb.get(new NodeId(7))).containsEntry(6009, 9L).containsEntry(6011, 10L);
        assertThat(printDb.get(new NodeId(9))).containsEntry(6005, 9L).containsEntry(6011, 9L);
        assertThat(oracle.at(27).balance()).isEqualTo(OptionalLong.of(9));
    }

    @Test
    void newTestcasesSetEightRecoveredNodeCatchesUpAndFailedNodeDoesNot() {
        SequentialOracle oracle = SequentialOracle.run(DEFAULTS, set(parse(NEW_TESTCASES), 8));
        SortedMap<NodeId, SortedMap<Integer, Long>> printDb = oracle.expectedPrintDb();

        assertThat(oracle.at(73).outcome()).isEqualTo(Outcome.COMMITTED);
        assertThat(oracle.at(79).balance()).isEqualTo(OptionalLong.of(11));
        assertThat(printDb.get(new NodeId(1))).isEqualTo(Map.of(1, 9L, 2, 11L, 3, 10L, 4, 10L));
        assertThat(printDb.get(new NodeId(2))).isEqualTo(Map.of(1, 9L, 2, 11L, 3, 10L, 4, 9L));
    }

    @Test
    void newTestcasesSetFifteenCommitsAcrossFiveClusters() {
        SequentialOracle oracle = SequentialOracle.run(new Topology(5, 5, 9000, 10), set(parse(NEW_TESTCASES), 15));

        assertThat(oracle.expectations()).allMatch(e -> e.outcome() == Outcome.COMMITTED);
        assertThat(oracle.finalBalances()).containsEntry(1, 9L).containsEntry(7204, 11L);
    }

    @Test
    void rejectionComesBeforeAvailability() {
        TestSet set = CsvScriptParser.parse("sets.csv", new StringReader("""
                Set Number,Transactions,Live Nodes
                1,"(4, 4, 1)",[n1]
                ,"(1, 2, 0)",
                ,"(1, 9001, 1)",
                ,"(1, 2, 1)",
                ,(1),
                """)).get(0);

        SequentialOracle oracle = SequentialOracle.run(DEFAULTS, set);

        assertThat(oracle.expectations()).extracting(SequentialOracle.Expected::outcome).containsExactly(
                Outcome.REJECTED, Outcome.REJECTED, Outcome.REJECTED, Outcome.UNAVAILABLE, Outcome.UNAVAILABLE);
        assertThat(oracle.at(2).reason()).isEqualTo("sender and receiver are the same item 4");
        assertThat(oracle.finalBalances()).isEmpty();
    }
}
