package io.shardbank.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.shardbank.shard.Outcome;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes a run's results into a directory: {@value #JSON} (configuration, machine, counts,
 * latencies, events, audit), {@value #CSV} (one row per second) and the PNG charts of {@link
 * Charts}.
 */
public final class ResultsFiles {

    public static final String JSON = "results.json";
    public static final String CSV = "results.csv";
    public static final String CSV_HEADER = "second,committed,aborted,unavailable,throughput_tps,"
            + "intra_p50_ms,intra_p99_ms,cross_p50_ms,cross_p99_ms";

    static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ResultsFiles() {
    }

    /** Writes every file into {@code directory} (created if missing) and returns the paths written. */
    public static List<Path> write(Path directory, RunConfiguration configuration, RunResult result, Audit audit,
            Instant startedAt) {
        try {
            Files.createDirectories(directory);
            List<Path> written = new ArrayList<>();
            Path json = directory.resolve(JSON);
            MAPPER.writeValue(json.toFile(), json(configuration, result, audit, startedAt));
            written.add(json);
            Path csv = directory.resolve(CSV);
            Files.write(csv, csv(result), StandardCharsets.UTF_8);
            written.add(csv);
            written.addAll(Charts.write(directory, result));
            return written;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write results to " + directory, e);
        }
    }

    /** The content of {@value #JSON}. */
    public static ObjectNode json(RunConfiguration configuration, RunResult result, Audit audit, Instant startedAt) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("started_at", startedAt.toString());
        configuration(root.putObject("configuration"), configuration);
        ObjectNode machine = root.putObject("machine");
        machine.put("cores", Runtime.getRuntime().availableProcessors());
        machine.put("jvm", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
        machine.put("os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
        root.put("steps", result.steps());
        root.put("seconds", result.seconds());
        root.put("throughput_tps", result.throughputPerSecond());
        root.put("goodput_tps", result.goodputPerSecond());
        root.put("success_rate", result.successRate());
        ObjectNode outcomes = root.putObject("outcomes");
        result.byStatus().entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(e -> outcomes.put(key(e.getKey()), e.getValue()));
        ObjectNode reasons = root.putObject("abort_reasons");
        new TreeMap<>(result.abortReasons()).forEach(reasons::put);
        ObjectNode latency = root.putObject("latency_ms");
        latency(latency.putObject("overall"), result.overall());
        latency(latency.putObject("intra_cluster"), result.intra());
        latency(latency.putObject("cross_cluster"), result.cross());
        latency(latency.putObject("reads"), result.reads());
        ObjectNode byType = latency.putObject("by_type");
        new TreeMap<>(result.byType()).forEach((type, figures) -> latency(byType.putObject(type), figures));
        ArrayNode events = root.putArray("events");
        result.events().forEach(e -> events.addObject().put("at_seconds", e.atSeconds()).put("name", e.name()));
        if (audit != null) {
            ObjectNode node = root.putObject("audit");
            node.put("total", audit.total());
            node.put("expected", audit.expected());
            node.put("replicas_identical", audit.replicasIdentical());
            node.put("uncertain_steps", audit.uncertainSteps());
            ArrayNode problems = node.putArray("problems");
            audit.problems().forEach(problems::add);
        }
        return root;
    }

    private static void configuration(ObjectNode node, RunConfiguration configuration) {
        node.put("workload", configuration.workload());
        node.put("description", configuration.description());
        ObjectNode knobs = node.putObject("knobs");
        new TreeMap<>(configuration.knobs()).forEach((name, value) -> knobs.putPOJO(name, value));
        LoadDriver.Plan plan = configuration.plan();
        node.put("mode", plan.counted() ? "count" : "time");
        if (plan.counted()) {
            node.put("transactions", plan.steps());
        } else {
            node.put("warmup_seconds", plan.warmupMs() / 1000.0);
            node.put("measured_seconds", plan.measureMs() / 1000.0);
        }
        node.put("seed", configuration.seed());
        node.put("outstanding", configuration.outstanding());
        ObjectNode topology = node.putObject("topology");
        topology.put("clusters", configuration.topology().clusterCount());
        topology.put("nodes_per_cluster", configuration.topology().nodesPerCluster());
        topology.put("items", configuration.topology().itemCount());
        topology.put("initial_balance", configuration.topology().initialBalance());
        node.put("synchronous", configuration.synchronous());
        node.put("target", configuration.target());
    }

    private static void latency(ObjectNode node, Latency latency) {
        node.put("count", latency.count());
        node.put("mean", latency.meanMs());
        node.put("p50", latency.p50Ms());
        node.put("p95", latency.p95Ms());
        node.put("p99", latency.p99Ms());
        node.put("p99_9", latency.p999Ms());
        node.put("max", latency.maxMs());
    }

    /** The lines of {@value #CSV}: the header, then one row per second of the measured part. */
    public static List<String> csv(RunResult result) {
        List<String> lines = new ArrayList<>();
        lines.add(CSV_HEADER);
        for (RunResult.Second second : result.timeline()) {
            lines.add(String.format(Locale.ROOT, "%d,%d,%d,%d,%d,%.3f,%.3f,%.3f,%.3f", second.second(),
                    second.committed(), second.aborted(), second.unavailable(), second.ended(), second.intraP50Ms(),
                    second.intraP99Ms(), second.crossP50Ms(), second.crossP99Ms()));
        }
        return lines;
    }

    /** The status names used as keys under "outcomes". */
    static String key(Outcome.Status status) {
        return status.name().toLowerCase(Locale.ROOT);
    }
}
