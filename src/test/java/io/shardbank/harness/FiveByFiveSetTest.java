package io.shardbank.harness;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.shardbank.harness.script.OracleAssertions;
import io.shardbank.harness.script.ScriptValidator;
import io.shardbank.harness.script.TestSet;
import io.shardbank.model.Topology;
import io.shardbank.testing.EmbeddedFixture;
import java.nio.file.Path;
import java.util.List;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Set 15 of the new course test cases, written for 5 clusters x 5 nodes (n1..n25, 1,800 items each). */
class FiveByFiveSetTest {

    private static final String FILE = "course-f25-new-testcases.csv";
    private static final Topology FIVE_BY_FIVE = new Topology(5, 5, 9000, 10);

    @TempDir
    Path dataDirectory;

    @Test
    void setFifteenMatchesSequentialOracle() throws Exception {
        TestSet set = OracleAssertions.courseSets(FILE).stream().filter(s -> s.number() == 15).findFirst()
                .orElseThrow();
        Assertions.assertThat(ScriptValidator.problems(List.of(set), FIVE_BY_FIVE, FILE)).isEmpty();
        assumeTrue(CourseFilesBatchTest.CROSS_CLUSTER_AVAILABLE
                || !OracleAssertions.hasCrossClusterTransfer(set, FIVE_BY_FIVE), "needs cross-cluster transactions");
        try (EmbeddedFixture fixture = EmbeddedFixture.withHarness(dataDirectory, FIVE_BY_FIVE, FailureMode.DISCONNECT)) {
            Harness harness = fixture.harness();
            JsonNode report = CourseFilesBatchTest.runInBatchMode(harness, FILE, set);
            OracleAssertions.assertMatchesOracle(report.get("sets").get(0), set, FIVE_BY_FIVE);
        }
    }
}
