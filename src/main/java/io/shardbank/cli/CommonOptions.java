package io.shardbank.cli;

import io.shardbank.config.Settings;
import io.shardbank.model.Topology;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Options every command shares: the configuration file and the topology overrides. */
public final class CommonOptions {

    @Option(names = "--config", paramLabel = "FILE",
            description = "Configuration file (HOCON); default: conf/shardbank.conf if present, else built-in defaults.")
    Path config;

    @Option(names = "--clusters", paramLabel = "N", description = "Number of clusters (overrides the config).")
    Integer clusters;

    @Option(names = "--nodes-per-cluster", paramLabel = "N", description = "Nodes in each cluster (overrides the config).")
    Integer nodesPerCluster;

    @Option(names = "--items", paramLabel = "N", description = "Number of items (overrides the config).")
    Integer items;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "Where nodes keep their SQLite files (overrides the config).")
    Path dataDirectory;

    @Option(names = "--base-port", paramLabel = "PORT",
            description = "Node nK listens on PORT+K (overrides the config; 0 = find free ports, embedded only).")
    Integer basePort;

    /** The settings from the file, with the command-line overrides applied. */
    public Settings settings() {
        Settings settings = Settings.load(config);
        Topology t = settings.topology();
        if (clusters != null || nodesPerCluster != null || items != null) {
            settings = settings.withTopology(new Topology(
                    clusters != null ? clusters : t.clusterCount(),
                    nodesPerCluster != null ? nodesPerCluster : t.nodesPerCluster(),
                    items != null ? items : t.itemCount(),
                    t.initialBalance()));
        }
        if (dataDirectory != null) {
            Settings.Storage s = settings.storage();
            settings = settings.withStorage(new Settings.Storage(dataDirectory, s.synchronous(),
                    s.checkpointIntervalSlots(), s.logRetainSlots()));
        }
        if (basePort != null) {
            Settings.Network n = settings.network();
            settings = settings.withNetwork(new Settings.Network(n.host(), basePort, n.hosts()));
        }
        return settings;
    }
}
