package io.shardbank.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.shardbank.model.NodeId;
import io.shardbank.model.Topology;
import io.shardbank.paxos.PaxosSettings;
import io.shardbank.reshard.MigrationSettings;
import io.shardbank.reshard.ReshardSettings;
import io.shardbank.txn.TxnSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Every setting of shardbank, read once from HOCON ({@code conf/shardbank.conf}, bundled in the jar
 * as a fallback). Nothing else reads configuration.
 */
public record Settings(
        Topology topology,
        Network network,
        Storage storage,
        PaxosSettings paxos,
        long tickIntervalMs,
        int batchOperationsMax,
        int pendingOperationsMax,
        int dedupWindowPerClient,
        int viewsKeptMax,
        TxnSettings txn,
        Client client,
        ReshardSettings reshard,
        MigrationSettings migration,
        Harness harness) {

    /** Where nodes listen. */
    public record Network(String host, int basePort, Map<NodeId, String> hosts) {
        public String hostOf(NodeId node) {
            return hosts.getOrDefault(node, host);
        }

        public int portOf(NodeId node) {
            return basePort + node.index();
        }
    }

    /** Where and how nodes persist. */
    public record Storage(Path dataDirectory, String synchronous, int checkpointIntervalSlots, int logRetainSlots) {
        public Path fileOf(NodeId node) {
            return dataDirectory.resolve(node + ".db");
        }
    }

    /**
     * Client-side timeouts and limits: a node that has not answered an operation within
     * {@code requestTimeoutMs} is passed over for the next node of its cluster; each further wait for
     * the same operation is twice as long, up to {@code requestTimeoutMaxMs}; after {@code deadlineMs}
     * the operation ends as unavailable. A node that knows no leader is asked again after
     * {@code retryBackoffMs}; operations are checked for retries every {@code sweepIntervalMs}; past
     * {@code inFlightOperationsMax} operations under way, a new one is answered overloaded at once.
     * Operator commands (flush, fail, status, ...) wait {@code adminTimeoutMs} for a node's answer.
     */
    public record Client(long requestTimeoutMs, long requestTimeoutMaxMs, long deadlineMs, long retryBackoffMs,
            long sweepIntervalMs, int inFlightOperationsMax, long adminTimeoutMs) {

        /** The same limits with other request timeouts and deadline (tests shorten them). */
        public Client withTimeouts(long requestTimeout, long requestTimeoutMax, long deadline) {
            return new Client(requestTimeout, requestTimeoutMax, deadline, retryBackoffMs, sweepIntervalMs,
                    inFlightOperationsMax, adminTimeoutMs);
        }
    }

    /**
     * How long the CSV harness waits: {@code printReplyTimeoutMs} for each node's answer to a print
     * command, and {@code printOverheadMs} more for the whole command; {@code catchUpLimitMs} for the
     * live replicas to apply what was committed, and {@code settleLimitMs} for leadership to settle,
     * polling every {@code settlePollMs}; a set may take {@code setOverheadMs} beyond its commands,
     * each of which may take its client deadline plus {@code commandOverheadMs}.
     */
    public record Harness(long printReplyTimeoutMs, long printOverheadMs, long catchUpLimitMs, long settleLimitMs,
            long settlePollMs, long setOverheadMs, long commandOverheadMs) {
    }

    /** Reads {@code file} if given (it must exist), else {@code conf/shardbank.conf} if present, else the bundled defaults. */
    public static Settings load(Path file) {
        Config bundled = ConfigFactory.parseResources("shardbank.conf");
        Config config;
        if (file != null) {
            if (!Files.isRegularFile(file)) {
                throw new IllegalArgumentException("configuration file not found: " + file);
            }
            config = ConfigFactory.parseFile(file.toFile()).withFallback(bundled);
        } else if (Files.isRegularFile(Path.of("conf", "shardbank.conf"))) {
            config = ConfigFactory.parseFile(Path.of("conf", "shardbank.conf").toFile()).withFallback(bundled);
        } else {
            config = bundled;
        }
        return from(config.resolve());
    }

    public static Settings defaults() {
        return from(ConfigFactory.parseResources("shardbank.conf").resolve());
    }

    static Settings from(Config root) {
        Config c = root.getConfig("shardbank");
        Topology topology = new Topology(c.getInt("topology.clusters"), c.getInt("topology.nodes-per-cluster"),
                c.getInt("topology.items"), c.getLong("topology.initial-balance"));
        Map<NodeId, String> hosts = new HashMap<>();
        c.getConfig("network.hosts").entrySet()
                .forEach(e -> hosts.put(NodeId.parse(e.getKey()), e.getValue().unwrapped().toString()));
        Network network = new Network(c.getString("network.host"), c.getInt("network.base-port"), Map.copyOf(hosts));
        Storage storage = new Storage(Path.of(c.getString("storage.data-dir")), c.getString("storage.synchronous"),
                c.getInt("storage.checkpoint-interval-slots"), c.getInt("storage.log-retain-slots"));
        PaxosSettings paxos = new PaxosSettings(c.getLong("paxos.heartbeat-interval-ms"),
                c.getLong("paxos.election-timeout-ms"), c.getLong("paxos.retransmit-ms"),
                c.getInt("paxos.pipeline-depth-max"), c.getInt("paxos.catchup-entries-max"),
                c.getLong("paxos.catchup-retry-ms"));
        Client client = new Client(c.getLong("client.request-timeout-ms"), c.getLong("client.request-timeout-max-ms"),
                c.getLong("client.deadline-ms"), c.getLong("client.retry-backoff-ms"),
                c.getLong("client.sweep-interval-ms"), c.getInt("client.in-flight-operations-max"),
                c.getLong("client.admin-timeout-ms"));
        Harness harness = new Harness(c.getLong("harness.print-reply-timeout-ms"),
                c.getLong("harness.print-overhead-ms"), c.getLong("harness.catch-up-limit-ms"),
                c.getLong("harness.settle-limit-ms"), c.getLong("harness.settle-poll-ms"),
                c.getLong("harness.set-overhead-ms"), c.getLong("harness.command-overhead-ms"));
        TxnSettings txn = new TxnSettings(c.getLong("txn.retry-ms"), c.getLong("txn.retry-max-ms"),
                c.getLong("txn.vote-timeout-ms"),
                c.getLong("txn.inquiry-ms"));
        ReshardSettings reshard = new ReshardSettings(c.getInt("reshard.access-log-transactions-max"),
                c.getDouble("reshard.balance-tolerance"), c.getInt("reshard.refinement-passes-max"),
                c.getInt("reshard.refinement-stall-moves-max"), c.getLong("reshard.planner-seed"),
                c.getDouble("reshard.move-cost-transactions"), c.getInt("reshard.moves-max"));
        MigrationSettings migration = new MigrationSettings(c.getInt("reshard.migration.batch-items-max"),
                c.getInt("reshard.migration.batches-in-flight-max"), c.getInt("reshard.migration.attempts-max"),
                c.getLong("reshard.migration.round-timeout-ms"), c.getLong("reshard.migration.state-timeout-ms"));
        Settings settings = new Settings(topology, network, storage, paxos, c.getLong("paxos.tick-interval-ms"),
                c.getInt("paxos.batch-operations-max"), c.getInt("node.pending-operations-max"),
                c.getInt("node.dedup-window-per-client"), c.getInt("node.views-kept-max"), txn, client, reshard, migration, harness);
        settings.check();
        return settings;
    }

    private void check() {
        require(tickIntervalMs > 0, "paxos.tick-interval-ms must be > 0");
        require(batchOperationsMax > 0, "paxos.batch-operations-max must be > 0");
        require(pendingOperationsMax > 0, "node.pending-operations-max must be > 0");
        require(dedupWindowPerClient > 0, "node.dedup-window-per-client must be > 0");
        require(viewsKeptMax > 0, "node.views-kept-max must be > 0");
        require(storage.checkpointIntervalSlots() > 0, "storage.checkpoint-interval-slots must be > 0");
        require(storage.logRetainSlots() >= 0, "storage.log-retain-slots must be >= 0");
        require(network.basePort() >= 0 && network.basePort() + topology.nodeCount() < 65536,
                "network.base-port leaves no room for " + topology.nodeCount() + " nodes");
        require(client.requestTimeoutMs() > 0 && client.requestTimeoutMaxMs() >= client.requestTimeoutMs()
                        && client.deadlineMs() >= client.requestTimeoutMs(),
                "client.deadline-ms and client.request-timeout-max-ms must be >= client.request-timeout-ms > 0");
        require(client.retryBackoffMs() > 0 && client.sweepIntervalMs() > 0 && client.adminTimeoutMs() > 0,
                "client.retry-backoff-ms, client.sweep-interval-ms and client.admin-timeout-ms must be > 0");
        require(client.inFlightOperationsMax() > 0, "client.in-flight-operations-max must be > 0");
        require(harness.printReplyTimeoutMs() > 0 && harness.catchUpLimitMs() > 0 && harness.settleLimitMs() > 0
                        && harness.settlePollMs() > 0 && harness.printOverheadMs() >= 0
                        && harness.setOverheadMs() >= 0 && harness.commandOverheadMs() >= 0,
                "harness timeouts must be > 0 (overheads >= 0)");
        require(client.deadlineMs() > txn.voteTimeoutMs(),
                "client.deadline-ms must exceed txn.vote-timeout-ms, so that a client hears a coordinator's verdict");
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException("bad setting: " + message);
        }
    }

    public Settings withTopology(Topology next) {
        return new Settings(next, network, storage, paxos, tickIntervalMs, batchOperationsMax, pendingOperationsMax,
                dedupWindowPerClient, viewsKeptMax, txn, client, reshard, migration, harness);
    }

    public Settings withNetwork(Network next) {
        return new Settings(topology, next, storage, paxos, tickIntervalMs, batchOperationsMax, pendingOperationsMax,
                dedupWindowPerClient, viewsKeptMax, txn, client, reshard, migration, harness);
    }

    public Settings withStorage(Storage next) {
        return new Settings(topology, network, next, paxos, tickIntervalMs, batchOperationsMax, pendingOperationsMax,
                dedupWindowPerClient, viewsKeptMax, txn, client, reshard, migration, harness);
    }

    public Settings withClient(Client next) {
        return new Settings(topology, network, storage, paxos, tickIntervalMs, batchOperationsMax,
                pendingOperationsMax, dedupWindowPerClient, viewsKeptMax, txn, next, reshard, migration, harness);
    }
}
