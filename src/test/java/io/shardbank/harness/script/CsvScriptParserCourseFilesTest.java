package io.shardbank.harness.script;

import static io.shardbank.harness.script.CourseScripts.DEMO;
import static io.shardbank.harness.script.CourseScripts.NEW_TESTCASES;
import static io.shardbank.harness.script.CourseScripts.SPEC_EXAMPLE;
import static io.shardbank.harness.script.CourseScripts.TESTCASES;
import static io.shardbank.harness.script.CourseScripts.parse;
import static io.shardbank.harness.script.CourseScripts.set;
import static org.assertj.core.api.Assertions.assertThat;

import io.shardbank.harness.script.ScriptCommand.BalanceRead;
import io.shardbank.harness.script.ScriptCommand.Fail;
import io.shardbank.harness.script.ScriptCommand.Recover;
import io.shardbank.harness.script.ScriptCommand.Transfer;
import io.shardbank.model.NodeId;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Parses the four course files and checks facts read off the files by hand. */
class CsvScriptParserCourseFilesTest {

    @Test
    void testcasesHasTenSetsStartingOnTheirLines() {
        List<TestSet> sets = parse(TESTCASES);

        assertThat(sets).extracting(TestSet::number).containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9, 10);
        assertThat(sets).extracting(TestSet::line).containsExactly(2, 7, 16, 28, 35, 41, 59, 67, 76, 83);
    }

    @Test
    void testcasesSetTwoHasItsLiveListAndCommands() {
        TestSet set = set(parse(TESTCASES), 2);

        assertThat(set.liveNodes()).isEqualTo(nodes(1, 2, 4, 5, 7, 8));
        assertThat(set.commands()).containsExactly(
                new Transfer(7, "(1001, 1002, 1)", 1001, 1002, 1),
                new Transfer(8, "(1003, 1004, 1)", 1003, 1004, 1),
                new Fail(9, "F(n2)", new NodeId(2)),
                new Transfer(10, "(1005, 1006, 1)", 1005, 1006, 1),
                new Transfer(11, "(3001, 3002, 1)", 3001, 3002, 1),
                new Fail(12, "F(n5)", new NodeId(5)),
                new Transfer(13, "(3003, 3004, 1)", 3003, 3004, 1),
                new BalanceRead(14, "(3004)", 3004),
                new BalanceRead(15, "(1005)", 1005));
    }

    @Test
    void testcasesRecoverKeepsItsLine() {
        TestSet set = set(parse(TESTCASES), 3);

        assertThat(set.commands()).contains(new Recover(20, "R(n9)", new NodeId(9)));
    }

    @Test
    void testcasesDoubleSpaceRowIsAnOrdinaryTransfer() {
        TestSet set = set(parse(TESTCASES), 10);

        assertThat(set.commands()).contains(new Transfer(164, "(163,  164, 1)", 163, 164, 1));
    }

    @Test
    void testcasesSetTenHasThreeHundredTransfers() {
        TestSet set = set(parse(TESTCASES), 10);

        assertThat(set.commands()).hasSize(300).allMatch(c -> c instanceof Transfer);
        assertThat(set.commands().get(299)).isEqualTo(new Transfer(382, "(6199, 6200, 1)", 6199, 6200, 1));
    }

    @Test
    void newTestcasesReadsSpreadsheetMangledBalanceReads() {
        List<TestSet> sets = parse(NEW_TESTCASES);

        assertThat(set(sets, 1).commands()).contains(
                new BalanceRead(5, "-1002", 1002),
                new BalanceRead(6, "-3002", 3002));
    }

    @Test
    void newTestcasesSkipsFromSetTenToFifteen() {
        List<TestSet> sets = parse(NEW_TESTCASES);

        assertThat(sets).extracting(TestSet::number).containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 15);
        TestSet fifteen = set(sets, 15);
        assertThat(fifteen.line()).isEqualTo(393);
        assertThat(fifteen.liveNodes())
                .isEqualTo(nodes(1, 2, 3, 6, 7, 8, 11, 12, 13, 16, 17, 18, 21, 22, 23));
        assertThat(fifteen.commands()).hasSize(10)
                .startsWith(new Transfer(393, "(1, 1801, 1)", 1, 1801, 1));
    }

    @Test
    void newTestcasesSetEightStartsWithNodeTwoFailed() {
        TestSet set = set(parse(NEW_TESTCASES), 8);

        assertThat(set.liveNodes()).isEqualTo(nodes(1, 3, 4, 5, 6, 7, 8, 9));
        assertThat(set.commands()).contains(new Recover(71, "R(n2)", new NodeId(2)));
    }

    @Test
    void specExampleUnquotesNodeCommandsAndReads() {
        List<TestSet> sets = parse(SPEC_EXAMPLE);

        assertThat(sets).hasSize(2);
        assertThat(set(sets, 1).liveNodes()).isEqualTo(nodes(1, 2, 3, 4, 5, 7, 9));
        assertThat(set(sets, 1).commands()).contains(
                new Fail(4, "F(n3)", new NodeId(3)),
                new BalanceRead(6, "(7800)", 7800));
        assertThat(set(sets, 2).commands()).contains(new Recover(10, "R(n6)", new NodeId(6)));
    }

    @Test
    void demoLastSetHasASingleRow() {
        List<TestSet> sets = parse(DEMO);

        assertThat(sets).extracting(TestSet::number).containsExactly(1, 2, 3, 4);
        assertThat(set(sets, 1).liveNodes()).isEqualTo(nodes(1, 2, 4, 5, 7, 8));
        assertThat(set(sets, 4).commands()).containsExactly(new Transfer(27, "(1, 3001, 1)", 1, 3001, 1));
    }

    static List<NodeId> nodes(int... indexes) {
        return Arrays.stream(indexes).mapToObj(NodeId::new).toList();
    }
}
