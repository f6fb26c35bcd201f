package io.shardbank.harness;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.shardbank.harness.script.OracleAssertions;
import io.shardbank.harness.script.TestSet;
import io.shardbank.model.Topology;
import io.shardbank.testing.EmbeddedFixture;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The course's main test file in batch mode with PrintReshard after every set: each set still
 * matches the sequential oracle, the items really move (the report lists moves and a new map
 * version), and what PrintDB shows after the migration equals what it showed before: moving an
 * item between clusters changes no balance.
 */
class ReshardAfterEachSetTest {

    private static final String FILE = "course-f25-testcases.csv";
    private static final Topology TOPOLOGY = Topology.defaults();

    @TempDir
    static Path dataDirectory;

    @Test
    void everySetMatchesTheOracleAndMigrationChangesNoBalance() throws Exception {
        List<TestSet> sets = OracleAssertions.courseSets(FILE);
        JsonNode report;
        try (EmbeddedFixture fixture = EmbeddedFixture.withHarness(dataDirectory, TOPOLOGY, FailureMode.DISCONNECT)) {
            Report written = new BatchRunner(fixture.harness(), FILE, new PrintWriter(System.out, true), true)
                    .run(sets);
            report = new ObjectMapper().readTree(written.toJson());
        }

        int moved = 0;
        for (int i = 0; i < sets.size(); i++) {
            JsonNode set = report.get("sets").get(i);
            OracleAssertions.assertMatchesOracle(set, sets.get(i), TOPOLOGY);
            JsonNode reshard = set.get("reshard");
            assertThat(reshard).as("set %d has a reshard record", sets.get(i).number()).isNotNull();
            if (reshard.get("ok").asBoolean()) {
                moved += reshard.get("moved").size();
                assertThat(reshard.get("given_up")).as(reshard.get("summary").asText()).isEmpty();
                List<String> live = sets.get(i).liveNodes().stream().map(Object::toString).toList();
                assertThat(balancesShown(reshard.get("db_after"), live)).as("set %d after resharding",
                        sets.get(i).number()).isEqualTo(balancesShown(set.get("db"), live));
            }
        }
        assertThat(moved).as("items moved over the whole file").isPositive();
    }

    /**
     * Per item, the balance the set's live nodes show (those outside the live list were failed and
     * may show an older one; a live follower that has not yet applied the migration's end shows the
     * same balance, or none, as the item is not yet its cluster's).
     */
    private static Map<String, Long> balancesShown(JsonNode db, List<String> live) {
        Map<String, Map<Long, Integer>> votes = new HashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> nodes = db.fields(); nodes.hasNext(); ) {
            Map.Entry<String, JsonNode> node = nodes.next();
            if (!live.contains(node.getKey())) {
                continue;
            }
            JsonNode balances = node.getValue();
            for (Iterator<Map.Entry<String, JsonNode>> items = balances.fields(); items.hasNext(); ) {
                Map.Entry<String, JsonNode> item = items.next();
                if (item.getValue().isNumber()) {
                    votes.computeIfAbsent(item.getKey(), k -> new HashMap<>()).merge(item.getValue().asLong(), 1,
                            Integer::sum);
                }
            }
        }
        Map<String, Long> shown = new HashMap<>();
        votes.forEach((item, counts) -> shown.put(item, counts.entrySet().stream()
                .max(Map.Entry.comparingByValue()).orElseThrow().getKey()));
        return shown;
    }
}
