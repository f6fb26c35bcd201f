package io.shardbank.cluster;

import io.shardbank.config.Settings;
import io.shardbank.model.NodeId;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Every node of the topology as its own ActorSystem in this JVM, talking over real Artery TCP on
 * loopback. Nodes can be stopped and started again from their SQLite files. Clients connect from
 * their own systems; see {@code ShardbankClient.connectFlushed}, which also gives the documented
 * start (the first node of each cluster leading).
 */
public final class EmbeddedCluster implements AutoCloseable {

    private final Settings settings;
    private final Map<NodeId, NodeSystem> running = new LinkedHashMap<>();

    private EmbeddedCluster(Settings settings) {
        this.settings = settings;
        for (NodeId node : settings.topology().allNodes()) {
            running.put(node, NodeSystem.start(node, settings, false));
        }
    }

    /**
     * Starts every node. A base port of 0 in the settings means: find a free block of ports on
     * loopback, so that several clusters (test suites) can run side by side.
     */
    public static EmbeddedCluster start(Settings settings) {
        Settings resolved = settings;
        if (settings.network().basePort() == 0) {
            int base = freePortBlock(settings.network().host(), settings.topology().nodeCount());
            resolved = settings.withNetwork(new Settings.Network(settings.network().host(), base,
                    settings.network().hosts()));
        }
        return new EmbeddedCluster(resolved);
    }

    public Settings settings() {
        return settings;
    }

    public List<NodeId> nodes() {
        return new ArrayList<>(running.keySet());
    }

    /** Stops a node's ActorSystem, as a crash would (its SQLite file keeps what was synced). */
    public void stop(NodeId node) {
        NodeSystem system = running.remove(node);
        if (system == null) {
            throw new IllegalArgumentException(node + " is not running");
        }
        system.close();
    }

    /** Starts a stopped node again from its SQLite file. */
    public void restart(NodeId node) {
        if (running.containsKey(node)) {
            throw new IllegalArgumentException(node + " is running already");
        }
        running.put(node, NodeSystem.start(node, settings, false));
    }

    public boolean isRunning(NodeId node) {
        return running.containsKey(node);
    }

    @Override
    public void close() {
        running.values().forEach(system -> system.system().terminate());
        running.values().forEach(NodeSystem::close);
        running.clear();
    }

    /**
     * A base port such that base+1 .. base+count are free on {@code host} right now. The block lies
     * below the usual ephemeral range (32768 and up), so that the local ends of outgoing connections
     * cannot take the port of a node while it is down for a restart.
     */
    public static int freePortBlock(String host, int count) {
        SplittableRandom random = new SplittableRandom();
        for (int attempt = 0; attempt < 100; attempt++) {
            int base = 10000 + random.nextInt(32000 - 10000 - count);
            if (allFree(host, base + 1, count)) {
                return base;
            }
        }
        throw new IllegalStateException("found no block of " + count + " free ports on " + host);
    }

    private static boolean allFree(String host, int first, int count) {
        for (int port = first; port < first + count; port++) {
            try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getByName(host))) {
                socket.setReuseAddress(true);
            } catch (IOException e) {
                return false;
            }
        }
        return true;
    }
}
