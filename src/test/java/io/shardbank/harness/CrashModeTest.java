package io.shardbank.harness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.shardbank.harness.script.OracleAssertions;
import io.shardbank.harness.script.ScriptCommand;
import io.shardbank.harness.script.TestSet;
import io.shardbank.model.NodeId;
import io.shardbank.model.Topology;
import io.shardbank.testing.EmbeddedFixture;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Crash mode: {@code F(n)} stops the node's ActorSystem and {@code R(n)} starts it again from its
 * SQLite file. Set 3 of the course test cases stops a follower, restarts it, then stops its
 * cluster's leader. It runs twice in a row (the second run's flush must first restart the leader
 * the first run left stopped); both runs match the oracle, and the stopped node shows as
 * unreachable.
 */
class CrashModeTest {

    private static final String FILE = "course-f25-testcases.csv";
    private static final Topology TOPOLOGY = Topology.defaults();

    @TempDir
    Path dataDirectory;

    @Test
    void stoppedNodesRestartFromTheirDatabaseAndSetsMatchTheOracle() throws Exception {
        TestSet set = OracleAssertions.courseSets(FILE).stream().filter(s -> s.number() == 3).findFirst()
                .orElseThrow();
        assumeTrue(CourseFilesBatchTest.CROSS_CLUSTER_AVAILABLE
                || !OracleAssertions.hasCrossClusterTransfer(set, TOPOLOGY), "needs cross-cluster transactions");
        try (EmbeddedFixture fixture = EmbeddedFixture.withHarness(dataDirectory, TOPOLOGY, FailureMode.CRASH)) {
            Harness harness = fixture.harness();
            for (int run = 1; run <= 2; run++) {
                JsonNode report = CourseFilesBatchTest.runInBatchMode(harness, FILE, set);
                OracleAssertions.assertMatchesOracle(report.get("sets").get(0), set, TOPOLOGY);
            }
            NodeId stopped = lastFailed(set);
            assertThat(fixture.cluster().isRunning(stopped)).isFalse();
            assertThat(harness.printBalance(firstItemOf(stopped)).describe()).contains(stopped + " : unreachable");
        }
    }

    private static int firstItemOf(NodeId node) {
        return java.util.stream.IntStream.rangeClosed(1, TOPOLOGY.itemCount())
                .filter(item -> TOPOLOGY.initialShardMap().owns(TOPOLOGY.clusterOf(node), item)).findFirst()
                .orElseThrow();
    }

    private static NodeId lastFailed(TestSet set) {
        return set.commands().stream().filter(c -> c instanceof ScriptCommand.Fail)
                .map(c -> ((ScriptCommand.Fail) c).node()).reduce((first, second) -> second).orElseThrow();
    }
}
