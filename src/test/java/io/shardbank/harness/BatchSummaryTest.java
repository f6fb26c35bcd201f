package io.shardbank.harness;

import static org.assertj.core.api.Assertions.assertThat;

import io.shardbank.harness.script.ScriptCommand;
import io.shardbank.harness.script.TestSet;
import io.shardbank.model.NodeId;
import io.shardbank.shard.Outcome;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The end of a batch run counts every outcome of every set and gives one line per set. */
class BatchSummaryTest {

    private static final Performance.Latency LATENCY = new Performance.Latency(2, 3.5, 3.0, 4.0, 4.0);

    @Test
    void countsOutcomesBySetAndOverall() {
        ScriptCommand.Transfer transfer = new ScriptCommand.Transfer(2, "(1, 2, 1)", 1, 2, 1);
        ScriptCommand.Transfer broke = new ScriptCommand.Transfer(3, "(3, 4, 50)", 3, 4, 50);
        ScriptCommand.Fail fail = new ScriptCommand.Fail(4, "F(n2)", new NodeId(2));
        TestSet set = new TestSet(4, 2, List.of(new NodeId(1), new NodeId(2), new NodeId(3)),
                List.of(transfer, broke, fail));
        SetResult result = new SetResult(set, List.of(
                CommandResult.transaction(transfer, Outcome.committed(1), 3_000_000),
                CommandResult.transaction(broke, Outcome.aborted(2, "insufficient funds"), 4_000_000),
                CommandResult.nodeChange(fail)),
                new Performance(LATENCY, LATENCY, Performance.Latency.NONE, Performance.Latency.NONE, 500_000_000L),
                List.of());
        BatchSummary summary = new BatchSummary("tests.csv");
        summary.add(result);

        List<String> lines = summary.lines();
        assertThat(lines.get(0)).isEqualTo("summary: 1 set of tests.csv run, transactions under way 0.50 s");
        assertThat(lines.get(1)).isEqualTo("outcomes: committed 1, aborted 1");
        assertThat(lines.get(3).trim().split(" +")).containsExactly("4", "2", "1", "1", "0", "0", "0", "4.0", "3.50",
                "4.00");
    }
}
