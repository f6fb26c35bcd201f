package io.shardbank.harness;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.shardbank.harness.script.ScriptCommand;
import io.shardbank.model.NodeId;
import io.shardbank.model.Topology;
import io.shardbank.client.ReshardCoordinator;
import io.shardbank.shard.Outcome;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * The machine-readable record of a run: per set its live list, every command's outcome (row = the
 * 1-based file line), PrintDB's content, the NEW-VIEW messages and the performance. Written as JSON.
 *
 * <pre>
 * {"file": "...", "topology": {...}, "failure_mode": "disconnect", "sets": [{"set": 1, "live": ["n1", ...],
 *   "commands": [{"row": 2, "text": "(1001, 1002, 1)", "kind": "transfer", "outcome": "committed",
 *                 "latency_ms": 1.7}, {"row": 5, "kind": "balance", "item": 1002, "outcome": "ok", "balance": 11},
 *                 {"row": 8, "kind": "fail", "node": "n2"}, ...],
 *   "db": {"n1": {"1001": 9}, ...}, "views": [...], "performance": {"throughput_tps": ..., ...}, "notes": []}]}
 * </pre>
 */
public final class Report {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final ObjectNode root = JSON.createObjectNode();
    private final ArrayNode sets;

    public Report(String file, Topology topology, FailureMode mode) {
        root.put("file", file);
        ObjectNode shape = root.putObject("topology");
        shape.put("clusters", topology.clusterCount());
        shape.put("nodes_per_cluster", topology.nodesPerCluster());
        shape.put("items", topology.itemCount());
        shape.put("initial_balance", topology.initialBalance());
        root.put("failure_mode", mode.name().toLowerCase(Locale.ROOT));
        sets = root.putArray("sets");
    }

    /**
     * Adds to the last set what PrintReshard did after it: the moves made and given up, the map
     * version, and PrintDB of the set's items as read after the migration.
     */
    public void addReshard(ReshardCoordinator.Report round, DbSnapshot after) {
        ObjectNode reshard = ((ObjectNode) sets.get(sets.size() - 1)).putObject("reshard");
        reshard.put("ok", round.ok());
        reshard.put("summary", round.summary());
        if (round.ok()) {
            ArrayNode moved = reshard.putArray("moved");
            round.moved().forEach(move -> moved.addArray().add(move.item()).add(move.from().toString())
                    .add(move.to().toString()));
            ArrayNode givenUp = reshard.putArray("given_up");
            round.givenUp().forEach(move -> givenUp.addArray().add(move.item()).add(move.from().toString())
                    .add(move.to().toString()));
            reshard.put("map_version", round.moved().isEmpty() ? round.plan().before().version()
                    : round.plan().after().version());
            reshard.put("elapsed_ms", round.elapsedMs());
        }
        db(reshard.putObject("db_after"), after);
    }

    /** Adds one executed set with what PrintDB and PrintView showed after it. */
    public void add(SetResult result, DbSnapshot db, ViewLog views) {
        ObjectNode set = sets.addObject();
        set.put("set", result.set().number());
        set.put("line", result.set().line());
        ArrayNode live = set.putArray("live");
        result.set().liveNodes().forEach(node -> live.add(node.toString()));
        ArrayNode commands = set.putArray("commands");
        result.results().forEach(r -> command(commands.addObject(), r));
        db(set.putObject("db"), db);
        ArrayNode viewArray = set.putArray("views");
        views.views().forEach(v -> view(viewArray.addObject(), v));
        performance(set.putObject("performance"), result.performance());
        ArrayNode notes = set.putArray("notes");
        result.notes().forEach(notes::add);
    }

    /** The report as indented JSON. */
    public String toJson() {
        try {
            return JSON.writeValueAsString(root);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public void write(Path file) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.writeString(file, toJson() + System.lineSeparator());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the report " + file, e);
        }
    }

    private static void command(ObjectNode node, CommandResult result) {
        ScriptCommand command = result.command();
        node.put("row", command.line());
        node.put("text", command.text());
        if (command instanceof ScriptCommand.Transfer t) {
            node.put("kind", "transfer");
            node.put("from", t.from());
            node.put("to", t.to());
            node.put("amount", t.amount());
            outcome(node, result);
        } else if (command instanceof ScriptCommand.BalanceRead r) {
            node.put("kind", "balance");
            node.put("item", r.item());
            outcome(node, result);
        } else if (command instanceof ScriptCommand.Fail f) {
            node.put("kind", "fail");
            node.put("node", f.node().toString());
        } else if (command instanceof ScriptCommand.Recover r) {
            node.put("kind", "recover");
            node.put("node", r.node().toString());
        }
    }

    private static void outcome(ObjectNode node, CommandResult result) {
        Outcome outcome = result.outcome().orElseThrow();
        node.put("outcome", outcome.status().name().toLowerCase(Locale.ROOT));
        if (outcome.status() == Outcome.Status.OK) {
            node.put("balance", outcome.balance());
        }
        if (!outcome.reason().isEmpty()) {
            node.put("reason", outcome.reason());
        }
        node.put("latency_ms", round(result.latencyMs()));
    }

    private static void db(ObjectNode node, DbSnapshot db) {
        for (DbSnapshot.NodeDb nodeDb : db.nodes()) {
            if (nodeDb.balances().isEmpty()) {
                node.putNull(nodeDb.node().toString()); // did not answer: PrintDB shows "unreachable"
                continue;
            }
            ObjectNode balances = node.putObject(nodeDb.node().toString());
            for (Map.Entry<Integer, Long> entry : nodeDb.balances().get().entrySet()) {
                balances.put(entry.getKey().toString(), entry.getValue());
            }
        }
    }

    private static void view(ObjectNode node, ViewLog.View view) {
        node.put("cluster", view.cluster().toString());
        ObjectNode ballot = node.putObject("ballot");
        ballot.put("round", view.ballot().round());
        ballot.put("node", new NodeId(view.ballot().node()).toString());
        node.put("sender", view.sender().toString());
        node.put("commit_index", view.commitIndex());
        ArrayNode entries = node.putArray("entries");
        view.entries().forEach(entries::add);
    }

    private static void performance(ObjectNode node, Performance performance) {
        node.put("transactions", performance.transactions().count());
        node.put("duration_ms", round(performance.busyNanos() / 1e6));
        node.put("throughput_tps", round(performance.throughputPerSecond()));
        latency(node, performance.transactions());
        latency(counted(node.putObject("intra_cluster"), performance.intraCluster()), performance.intraCluster());
        latency(counted(node.putObject("cross_cluster"), performance.crossCluster()), performance.crossCluster());
        latency(counted(node.putObject("reads"), performance.reads()), performance.reads());
    }

    private static ObjectNode counted(ObjectNode node, Performance.Latency latency) {
        node.put("count", latency.count());
        return node;
    }

    private static void latency(ObjectNode node, Performance.Latency latency) {
        node.put("latency_ms_avg", round(latency.averageMs()));
        node.put("latency_ms_p50", round(latency.p50Ms()));
        node.put("latency_ms_p99", round(latency.p99Ms()));
        node.put("latency_ms_max", round(latency.maxMs()));
    }

    private static double round(double value) {
        return Math.round(value * 1000) / 1000.0;
    }
}
