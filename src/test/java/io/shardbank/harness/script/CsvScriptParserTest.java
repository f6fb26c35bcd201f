package io.shardbank.harness.script;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.shardbank.harness.script.ScriptCommand.BalanceRead;
import io.shardbank.harness.script.ScriptCommand.Fail;
import io.shardbank.harness.script.ScriptCommand.Recover;
import io.shardbank.harness.script.ScriptCommand.Transfer;
import io.shardbank.model.NodeId;
import io.shardbank.shard.ReadConsistency;
import java.io.StringReader;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Well-formed scripts with the variations users write. */
class CsvScriptParserTest {

    private static List<TestSet> parse(String script) {
        return CsvScriptParser.parse("sets.csv", new StringReader(script));
    }

    @Test
    void toleratesByteOrderMarkCrlfAndMissingFinalNewline() {
        List<TestSet> sets = parse("\uFEFFSet Number,Transactions,Live Nodes\r\n1,\"(1, 2, 3)\",\"[n1, n2]\"");

        assertThat(sets).containsExactly(new TestSet(1, 2, List.of(new NodeId(1), new NodeId(2)),
                List.of(new Transfer(2, "(1, 2, 3)", 1, 2, 3))));
    }

    @Test
    void skipsBlankRowsAndKeepsFileLineNumbers() {
        List<TestSet> sets = parse("""
                Set Number,Transactions,Live Nodes

                1,(5),[n1]
                ,,

                ,-6,
                """);

        assertThat(sets.get(0).commands()).containsExactly(
                new BalanceRead(3, "(5)", 5), new BalanceRead(6, "-6", 6));
    }

    @Test
    void readsMayNameAConsistencyLevel() {
        List<TestSet> sets = parse("Set Number,Transactions,Live Nodes\n1,\"(5, lease)\",[n1]\n,\"(6, ANY)\",\n"
                + ",\"(7, linearizable)\",\n");

        assertThat(sets.get(0).commands()).containsExactly(
                new BalanceRead(2, "(5, lease)", 5, ReadConsistency.LEASE),
                new BalanceRead(3, "(6, ANY)", 6, ReadConsistency.ANY),
                new BalanceRead(4, "(7, linearizable)", 7, ReadConsistency.LINEARIZABLE));
        assertThatThrownBy(() -> parse("Set Number,Transactions,Live Nodes\n1,\"(5, fast)\",[n1]\n"))
                .hasMessage("sets.csv:2: unknown read consistency 'fast' (expected linearizable, lease or any)"
                        + " in \"(5, fast)\"");
    }

    @Test
    void acceptsExtraSpacesLowerCaseAndTrailingEmptyColumns() {
        List<TestSet> sets = parse("""
                 set number , TRANSACTIONS,Live  Nodes
                1 , "( 1 ,2,  30 )" , " [ n1,n2 ] " ,,
                ,f( n2 ),,
                ,r(N2),
                """);

        assertThat(sets.get(0).liveNodes()).containsExactly(new NodeId(1), new NodeId(2));
        assertThat(sets.get(0).commands()).containsExactly(
                new Transfer(2, "( 1 ,2,  30 )", 1, 2, 30),
                new Fail(3, "f( n2 )", new NodeId(2)),
                new Recover(4, "r(N2)", new NodeId(2)));
    }

    @Test
    void leavesTopologyDependentValuesForLater() {
        List<TestSet> sets = parse("""
                Set Number,Transactions,Live Nodes
                1,"(4, 4, 0)",[n99]
                ,"(-1, 9001, -5)",
                ,(0),
                """);

        assertThat(sets.get(0).commands()).containsExactly(
                new Transfer(2, "(4, 4, 0)", 4, 4, 0),
                new Transfer(3, "(-1, 9001, -5)", -1, 9001, -5),
                new BalanceRead(4, "(0)", 0));
    }

    @Test
    void aSetRowMayLeaveItsCommandForTheNextRow() {
        List<TestSet> sets = parse("""
                Set Number,Transactions,Live Nodes
                7,,[n3]
                ,(9),
                """);

        assertThat(sets).containsExactly(new TestSet(7, 2, List.of(new NodeId(3)), List.of(new BalanceRead(3, "(9)", 9))));
    }

    @Test
    void setNumbersNeedNotBeConsecutive() {
        List<TestSet> sets = parse("""
                Set Number,Transactions,Live Nodes
                15,(1),[n1]
                3,(2),[n1]
                """);

        assertThat(sets).extracting(TestSet::number).containsExactly(15, 3);
    }
}
