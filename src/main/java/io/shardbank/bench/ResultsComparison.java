package io.shardbank.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Two runs' {@value ResultsFiles#JSON} side by side, with the ratio B / A of every figure. */
public final class ResultsComparison {

    private static final String[] LATENCY_KINDS = {"overall", "intra_cluster", "cross_cluster", "reads"};
    private static final String[] PERCENTILES = {"mean", "p50", "p95", "p99", "p99_9", "max"};

    private ResultsComparison() {
    }

    public static JsonNode read(Path file) {
        try {
            return ResultsFiles.MAPPER.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** The comparison's lines: a heading, each run's workload, then one row per figure. */
    public static List<String> lines(String nameA, JsonNode a, String nameB, JsonNode b) {
        List<String> lines = new ArrayList<>();
        lines.add("A: " + nameA + "  (" + a.path("configuration").path("description").asText("?") + ")");
        lines.add("B: " + nameB + "  (" + b.path("configuration").path("description").asText("?") + ")");
        JsonNode configurationA = a.path("configuration");
        JsonNode configurationB = b.path("configuration");
        configurationA.fieldNames().forEachRemaining(field -> {
            if (!field.equals("description") && !configurationA.path(field).equals(configurationB.path(field))) {
                lines.add("configuration differs: " + field + " " + configurationA.path(field) + " vs "
                        + configurationB.path(field));
            }
        });
        lines.add(String.format(Locale.ROOT, "%-28s %14s %14s %9s", "figure", "A", "B", "B/A"));
        row(lines, "steps", a.path("steps"), b.path("steps"));
        row(lines, "throughput_tps", a.path("throughput_tps"), b.path("throughput_tps"));
        row(lines, "goodput_tps", a.path("goodput_tps"), b.path("goodput_tps"));
        row(lines, "success_rate", a.path("success_rate"), b.path("success_rate"));
        for (String kind : LATENCY_KINDS) {
            for (String figure : PERCENTILES) {
                JsonNode left = a.path("latency_ms").path(kind);
                JsonNode right = b.path("latency_ms").path(kind);
                if (left.path("count").asLong() > 0 || right.path("count").asLong() > 0) {
                    row(lines, kind + " " + figure + " ms", left.path(figure), right.path(figure));
                }
            }
        }
        return lines;
    }

    private static void row(List<String> lines, String name, JsonNode a, JsonNode b) {
        lines.add(String.format(Locale.ROOT, "%-28s %14s %14s %9s", name, value(a), value(b), ratio(a, b)));
    }

    private static String value(JsonNode node) {
        if (node.isMissingNode() || node.isNull()) {
            return "-";
        }
        return node.isIntegralNumber() ? Long.toString(node.asLong()) : String.format(Locale.ROOT, "%.3f",
                node.asDouble());
    }

    private static String ratio(JsonNode a, JsonNode b) {
        if (!a.isNumber() || !b.isNumber() || a.asDouble() == 0) {
            return "-";
        }
        return String.format(Locale.ROOT, "%.2f", b.asDouble() / a.asDouble());
    }
}
