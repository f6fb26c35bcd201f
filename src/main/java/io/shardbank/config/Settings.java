package io.shardbank.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.shardbank.model.NodeId;
import io.shardbank.model.Topology;
import io.shardbank.paxos.PaxosSettings;
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
        TxnSettings txn,
        Client client,
        ReshardSettings reshard) {

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
     * Client-side timeouts: a node that has not answered an operation within {@code requestTimeoutMs}
     * is passed over for the next node of its cluster; each further wait for the same operation is
     * twice as long, up to {@code requestTimeoutMaxMs}; after {@code deadlineMs} the operation ends
     * as unavailable.
     */
    public record Client(long requestTimeoutMs, long requestTimeoutMaxMs, long deadlineMs) {
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
                c.getLong("client.deadline-ms"));
        TxnSettings txn = new TxnSettings(c.getLong("txn.retry-ms"), c.getLong("txn.retry-max-ms"),
                c.getLong("txn.vote-timeout-ms"),
                c.getLong("txn.inquiry-ms"));
        ReshardSettings reshard = new ReshardSettings(c.getInt("reshard.access-log-transactions-max"),
                c.getDouble("reshard.balance-tolerance"), c.getInt("reshard.refinement-passes-max"),
                c.getInt("reshard.refinement-stall-moves-max"), c.getLong("reshard.planner-seed"),
                c.getDouble("reshard.move-cost-transactions"), c.getInt("reshard.moves-max"));
        Settings settings = new Settings(topology, network, storage, paxos, c.getLong("paxos.tick-interval-ms"),
                c.getInt("paxos.batch-operations-max"), c.getInt("node.pending-operations-max"),
                c.getInt("node.dedup-window-per-client"), txn, client, reshard);
        settings.check();
        return settings;
    }

    private void check() {
        require(tickIntervalMs > 0, "paxos.tick-interval-ms must be > 0");
        require(batchOperationsMax > 0, "paxos.batch-operations-max must be > 0");
        require(pendingOperationsMax > 0, "node.pending-operations-max must be > 0");
        require(dedupWindowPerClient > 0, "node.dedup-window-per-client must be > 0");
        require(storage.checkpointIntervalSlots() > 0, "storage.checkpoint-interval-slots must be > 0");
        require(storage.logRetainSlots() >= 0, "storage.log-retain-slots must be >= 0");
        require(network.basePort() >= 0 && network.basePort() + topology.nodeCount() < 65536,
                "network.base-port leaves no room for " + topology.nodeCount() + " nodes");
        require(client.requestTimeoutMs() > 0 && client.requestTimeoutMaxMs() >= client.requestTimeoutMs()
                        && client.deadlineMs() >= client.requestTimeoutMs(),
                "client.deadline-ms and client.request-timeout-max-ms must be >= client.request-timeout-ms > 0");
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
                dedupWindowPerClient, txn, client, reshard);
    }

    public Settings withNetwork(Network next) {
        return new Settings(topology, next, storage, paxos, tickIntervalMs, batchOperationsMax, pendingOperationsMax,
                dedupWindowPerClient, txn, client, reshard);
    }

    public Settings withStorage(Storage next) {
        return new Settings(topology, network, next, paxos, tickIntervalMs, batchOperationsMax, pendingOperationsMax,
                dedupWindowPerClient, txn, client, reshard);
    }

    public Settings withClient(Client next) {
        return new Settings(topology, network, storage, paxos, tickIntervalMs, batchOperationsMax,
                pendingOperationsMax, dedupWindowPerClient, txn, next, reshard);
    }
}
