package io.shardbank.harness;

import io.shardbank.config.Settings;
import io.shardbank.model.Topology;
import java.nio.file.Path;
import java.util.Map;

/** Settings for the embedded clusters of the harness tests: free ports and a private data directory. */
final class TestClusters {

    private TestClusters() {
    }

    static Settings settings(Path dataDirectory, Topology topology) {
        Settings defaults = Settings.defaults();
        Settings.Storage storage = defaults.storage();
        return defaults.withTopology(topology)
                .withStorage(new Settings.Storage(dataDirectory, storage.synchronous(),
                        storage.checkpointIntervalSlots(), storage.logRetainSlots()))
                .withNetwork(new Settings.Network("127.0.0.1", 0, Map.of()));
    }
}
