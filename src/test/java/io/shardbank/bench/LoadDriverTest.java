package io.shardbank.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.shardbank.client.ShardbankClient;
import io.shardbank.cluster.EmbeddedCluster;
import io.shardbank.config.Settings;
import io.shardbank.harness.ClusterControl;
import io.shardbank.harness.FailureMode;
import io.shardbank.harness.ReplicaAudit;
import io.shardbank.model.Topology;
import io.shardbank.shard.Outcome;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A timed run on an embedded cluster: events recorded while it runs land on its time line, the
 * per-second rows add up to the run's counts, and the replicas' total matches its money flow.
 */
class LoadDriverTest {

    @Test
    void eventsLandOnTheTimeLineAndTheSecondsAddUpToTheRun(@TempDir Path data) throws Exception {
        Topology topology = Topology.defaults();
        Settings defaults = Settings.defaults();
        Settings settings = defaults.withStorage(new Settings.Storage(data, defaults.storage().synchronous(),
                        defaults.storage().checkpointIntervalSlots(), defaults.storage().logRetainSlots()))
                .withNetwork(new Settings.Network("127.0.0.1", 0, Map.of()));
        Workload workload = Workload.create(new Workload.Options(Workload.Kind.SMALLBANK, null, 0.2, null, 5),
                topology.initialShardMap(), topology.clusterCount());
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
        try (EmbeddedCluster cluster = EmbeddedCluster.start(settings);
                ShardbankClient client = ShardbankClient.connectFlushed(cluster)) {
            LoadDriver driver = new LoadDriver(client, workload, 20);
            // Half a second of warm-up, so the event comes one second into the measured part.
            timer.schedule(() -> driver.recordEvent("node n2 failed"), 1500, TimeUnit.MILLISECONDS);
            RunResult result = driver.run(LoadDriver.Plan.timed(500, 2500));

            assertThat(result.events()).hasSize(1);
            assertThat(result.events().get(0).name()).isEqualTo("node n2 failed");
            assertThat(result.events().get(0).atSeconds()).isCloseTo(1.0, within(0.5));
            assertThat(result.steps()).isPositive();
            assertThat(result.seconds()).isEqualTo(2.5);
            assertThat(result.timeline()).hasSizeBetween(1, 3);
            assertThat(result.timeline().stream().mapToLong(RunResult.Second::ended).sum()).isEqualTo(result.steps());
            assertThat(result.timeline().stream().mapToLong(RunResult.Second::committed).sum())
                    .isEqualTo(result.count(Outcome.Status.COMMITTED));

            ReplicaAudit.Snapshot replicas = ReplicaAudit.read(ClusterControl.embedded(cluster, FailureMode.DISCONNECT),
                    Duration.ofSeconds(30));
            assertThat(replicas.replicasIdentical()).as("%s", replicas.problems()).isTrue();
            assertThat(replicas.itemsSeen()).isEqualTo(topology.itemCount());
            // SmallBank deposits and withdraws: the total moves by the committed steps' net deltas,
            // give or take one unit for each write whose outcome is unknown.
            long expected = Audit.expectedTotal(topology.itemCount(), topology.initialBalance(), result.money());
            assertThat(replicas.total()).isCloseTo(expected, within(result.money().uncertainSteps()));
        } finally {
            timer.shutdownNow();
        }
    }
}
