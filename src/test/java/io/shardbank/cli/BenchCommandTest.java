package io.shardbank.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * A small counted benchmark on an embedded cluster stops after exactly its steps, and its results
 * files agree with what it printed and with each other.
 */
class BenchCommandTest {

    @Test
    void countedRunStopsAfterItsStepsAndItsFilesAgreeWithItsCounters(@TempDir Path directory) throws Exception {
        Path out = directory.resolve("results");
        CommandLine line = Main.commandLine();
        StringWriter printed = new StringWriter();
        line.setOut(new PrintWriter(printed, true));
        int exitCode = line.execute(Main.expandShortForms(new String[] {"--benchmark", "-n", "400",
            "--outstanding", "40", "--read-ratio", "0.5", "--cross-shard-ratio", "0.3", "--data-dir",
            directory.resolve("data").toString(), "--out", out.toString()}));
        assertThat(exitCode).as(printed.toString()).isZero();

        JsonNode json = new ObjectMapper().readTree(out.resolve("results.json").toFile());
        assertThat(json.path("steps").asLong()).isEqualTo(400);
        long outcomes = 0;
        for (JsonNode count : json.path("outcomes")) {
            outcomes += count.asLong();
        }
        assertThat(outcomes).isEqualTo(400);
        long committed = json.path("outcomes").path("committed").asLong();
        long read = json.path("outcomes").path("ok").asLong();
        assertThat(json.path("success_rate").asDouble()).isEqualTo((committed + read) / 400.0);
        assertThat(json.path("latency_ms").path("overall").path("count").asLong()).isEqualTo(400);
        assertThat(json.path("latency_ms").path("intra_cluster").path("count").asLong()
                + json.path("latency_ms").path("cross_cluster").path("count").asLong()
                + json.path("latency_ms").path("reads").path("count").asLong()).isEqualTo(400);
        assertThat(json.path("configuration").path("knobs").path("cross_shard_ratio").asDouble()).isEqualTo(0.3);
        JsonNode audit = json.path("audit");
        assertThat(audit.path("total").asLong()).isEqualTo(90_000).isEqualTo(audit.path("expected").asLong());
        assertThat(audit.path("replicas_identical").asBoolean()).isTrue();

        List<String> rows = Files.readAllLines(out.resolve("results.csv"));
        long committedByRow = rows.stream().skip(1).mapToLong(row -> Long.parseLong(row.split(",")[1])).sum();
        long endedByRow = rows.stream().skip(1).mapToLong(row -> Long.parseLong(row.split(",")[4])).sum();
        assertThat(committedByRow).isEqualTo(committed);
        assertThat(endedByRow).isEqualTo(400);
        assertThat(ImageIO.read(out.resolve("throughput.png").toFile())).isNotNull();
        assertThat(ImageIO.read(out.resolve("latency.png").toFile())).isNotNull();

        assertThat(printed.toString())
                .contains("(400 transactions in")
                .containsPattern("success rate: [0-9.]+% \\(committed or read\\); goodput: [0-9]+ transactions/s")
                .containsPattern("intra-cluster: [0-9]+ ops, latency ms mean [0-9.]+ p50 [0-9.]+ p95 [0-9.]+ p99 "
                        + "[0-9.]+ p99.9 [0-9.]+ max [0-9.]+")
                .contains("audit: total=90000 expected=90000 replicas-identical=yes");
    }

    @Test
    void shortFormsNameTheirCommands() {
        assertThat(Main.expandShortForms(new String[] {"--benchmark", "-n", "5"})).containsExactly("bench", "-n", "5");
        assertThat(Main.expandShortForms(new String[] {"tests.csv", "--sets", "1"}))
                .containsExactly("run", "tests.csv", "--sets", "1");
        assertThat(Main.expandShortForms(new String[] {"run", "tests.csv"})).containsExactly("run", "tests.csv");
        assertThat(Main.expandShortForms(new String[] {})).isEmpty();
    }
}
