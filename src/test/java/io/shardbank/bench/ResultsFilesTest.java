package io.shardbank.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.shardbank.model.Topology;
import io.shardbank.shard.Outcome;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The results files say exactly what the counters of a run held. */
class ResultsFilesTest {

    private static final Latency INTRA = new Latency(60, 1.5, 1.2, 2.5, 3.0, 4.0, 5.0);
    private static final Latency CROSS = new Latency(20, 6.0, 5.0, 9.0, 11.0, 12.5, 13.0);
    private static final Latency READS = new Latency(20, 0.8, 0.7, 1.0, 1.1, 1.2, 1.3);
    private static final Latency ALL = new Latency(100, 2.3, 1.2, 8.0, 10.0, 12.0, 13.0);

    static RunResult knownResult() {
        Map<Outcome.Status, Long> byStatus = Map.of(Outcome.Status.COMMITTED, 70L, Outcome.Status.ABORTED, 8L,
                Outcome.Status.UNAVAILABLE, 2L, Outcome.Status.OK, 20L, Outcome.Status.REJECTED, 0L);
        List<RunResult.Second> timeline = List.of(
                new RunResult.Second(0, 40, 5, 0, 12, 1.1, 2.9, 4.8, 10.5),
                new RunResult.Second(1, 30, 3, 2, 8, 1.3, 3.1, 5.2, 11.5));
        return new RunResult(2.0, 100, byStatus, Map.of("insufficient funds", 5L, "item N is locked", 3L), ALL, INTRA,
                CROSS, READS, Map.of("transfer", INTRA, "read", READS), timeline,
                List.of(new RunResult.Event(1.25, "reshard")), new RunResult.MoneyFlow(0, 0));
    }

    static RunConfiguration knownConfiguration() {
        return new RunConfiguration("transfer", "transfer: read-ratio=0.20 cross-ratio=0.25 skew=0.00",
                Map.of("read_ratio", 0.2, "cross_shard_ratio", 0.25, "skew", 0.0), LoadDriver.Plan.count(100), 7, 50,
                Topology.defaults(), "FULL", "embedded");
    }

    @Test
    void jsonCsvAndChartsHoldTheRunsFigures(@TempDir Path directory) throws Exception {
        RunResult result = knownResult();
        Audit audit = new Audit(90_000, 90_000, true, 0, List.of());
        List<Path> written = ResultsFiles.write(directory, knownConfiguration(), result, audit,
                Instant.parse("2026-01-02T03:04:05Z"));
        assertThat(written).extracting(p -> p.getFileName().toString())
                .containsExactly("results.json", "results.csv", "throughput.png", "latency.png");

        JsonNode json = ResultsComparison.read(directory.resolve("results.json"));
        assertThat(json.path("steps").asLong()).isEqualTo(100);
        assertThat(json.path("throughput_tps").asDouble()).isEqualTo(50.0);
        assertThat(json.path("goodput_tps").asDouble()).isEqualTo(45.0);
        assertThat(json.path("success_rate").asDouble()).isEqualTo(0.9);
        assertThat(json.path("outcomes").path("committed").asLong()).isEqualTo(70);
        assertThat(json.path("outcomes").path("unavailable").asLong()).isEqualTo(2);
        assertThat(json.path("abort_reasons").path("insufficient funds").asLong()).isEqualTo(5);
        JsonNode configuration = json.path("configuration");
        assertThat(configuration.path("workload").asText()).isEqualTo("transfer");
        assertThat(configuration.path("knobs").path("cross_shard_ratio").asDouble()).isEqualTo(0.25);
        assertThat(configuration.path("mode").asText()).isEqualTo("count");
        assertThat(configuration.path("transactions").asLong()).isEqualTo(100);
        assertThat(configuration.path("seed").asLong()).isEqualTo(7);
        assertThat(configuration.path("outstanding").asInt()).isEqualTo(50);
        assertThat(configuration.path("synchronous").asText()).isEqualTo("FULL");
        assertThat(configuration.path("topology").path("items").asInt()).isEqualTo(9000);
        assertThat(json.path("machine").path("cores").asInt()).isPositive();
        assertThat(json.path("machine").path("jvm").asText()).isNotBlank();
        JsonNode cross = json.path("latency_ms").path("cross_cluster");
        assertThat(cross.path("count").asLong()).isEqualTo(20);
        assertThat(cross.path("p95").asDouble()).isEqualTo(9.0);
        assertThat(cross.path("p99_9").asDouble()).isEqualTo(12.5);
        for (String kind : List.of("overall", "intra_cluster", "reads")) {
            assertThat(json.path("latency_ms").path(kind).fieldNames()).toIterable()
                    .containsExactly("count", "mean", "p50", "p95", "p99", "p99_9", "max");
        }
        assertThat(json.path("latency_ms").path("by_type").path("transfer").path("p99").asDouble()).isEqualTo(3.0);
        assertThat(json.path("events").get(0).path("name").asText()).isEqualTo("reshard");
        assertThat(json.path("audit").path("total").asLong()).isEqualTo(90_000);
        assertThat(json.path("audit").path("replicas_identical").asBoolean()).isTrue();

        assertThat(Files.readAllLines(directory.resolve("results.csv"))).containsExactly(
                ResultsFiles.CSV_HEADER,
                "0,40,5,0,57,1.100,2.900,4.800,10.500",
                "1,30,3,2,43,1.300,3.100,5.200,11.500");

        for (String chart : List.of("throughput.png", "latency.png")) {
            BufferedImage image = ImageIO.read(directory.resolve(chart).toFile());
            assertThat(image).as(chart).isNotNull();
            assertThat(image.getWidth()).isGreaterThan(100);
        }
    }

    @Test
    void comparisonShowsBothRunsAndTheirRatio(@TempDir Path directory) throws Exception {
        Path a = directory.resolve("a");
        Path b = directory.resolve("b");
        RunResult slow = knownResult();
        RunResult fast = new RunResult(1.0, 100, slow.byStatus(), slow.abortReasons(), slow.overall(), slow.intra(),
                slow.cross(), slow.reads(), slow.byType(), slow.timeline(), slow.events(), slow.money());
        ResultsFiles.write(a, knownConfiguration(), slow, null, Instant.now());
        ResultsFiles.write(b, knownConfiguration(), fast, null, Instant.now());
        List<String> lines = ResultsComparison.lines("a", ResultsComparison.read(a.resolve("results.json")), "b",
                ResultsComparison.read(b.resolve("results.json")));
        assertThat(lines).anySatisfy(line -> assertThat(line).matches("throughput_tps +50\\.000 +100\\.000 +2\\.00"));
        assertThat(lines).anySatisfy(line -> assertThat(line).matches("cross_cluster p99_9 ms +12\\.500 +12\\.500 +1\\.00"));
    }

    @Test
    void abortReasonsCountByKind() {
        assertThat(RunRecorder.reasonKind("insufficient funds: item 7 has 0, needs 1")).isEqualTo("insufficient funds");
        assertThat(RunRecorder.reasonKind("item 4005 is locked by transaction 17"))
                .isEqualTo("item N is locked by transaction N");
    }
}
