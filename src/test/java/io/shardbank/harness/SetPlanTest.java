package io.shardbank.harness;

import static org.assertj.core.api.Assertions.assertThat;

import io.shardbank.harness.script.CsvScriptParser;
import io.shardbank.harness.script.ScriptCommand;
import io.shardbank.harness.script.TestSet;
import java.io.StringReader;
import org.junit.jupiter.api.Test;

class SetPlanTest {

    private static TestSet parse(String... rows) {
        String text = "Set Number,Transactions,Live Nodes\n" + String.join("\n", rows) + "\n";
        return CsvScriptParser.parse("plan.csv", new StringReader(text)).get(0);
    }

    @Test
    void nodeChangesSplitTheSetIntoStepsInFileOrder() {
        TestSet set = parse("1,\"(1, 2, 1)\",\"[n1, n2, n3]\"", ",\"(2)\",", ",F(n2),", ",R(n2),", ",\"(3, 4, 1)\",");

        SetPlan plan = SetPlan.of(set);

        assertThat(plan.steps()).hasSize(4);
        assertThat(plan.steps().get(0)).isEqualTo(new SetPlan.Transactions(set.commands().subList(0, 2)));
        assertThat(plan.steps().get(1)).isEqualTo(new SetPlan.NodeChange(set.commands().get(2)));
        assertThat(plan.steps().get(2)).isEqualTo(new SetPlan.NodeChange(set.commands().get(3)));
        assertThat(plan.steps().get(3)).isEqualTo(new SetPlan.Transactions(set.commands().subList(4, 5)));
    }

    @Test
    void aSetOfOnlyTransactionsIsOneStep() {
        TestSet set = parse("1,\"(1, 2, 1)\",\"[n1, n2, n3]\"", ",\"(3, 4, 1)\",");

        assertThat(SetPlan.of(set).steps()).containsExactly(new SetPlan.Transactions(set.commands()));
    }

    @Test
    void itemsOfACommandAreWhatItMustWaitFor() {
        assertThat(SetPlan.itemsOf(new ScriptCommand.Transfer(2, "(1, 2, 1)", 1, 2, 1))).containsExactly(1, 2);
        assertThat(SetPlan.itemsOf(new ScriptCommand.Transfer(2, "(5, 5, 1)", 5, 5, 1))).containsExactly(5);
        assertThat(SetPlan.itemsOf(new ScriptCommand.BalanceRead(3, "(7)", 7))).containsExactly(7);
    }
}
