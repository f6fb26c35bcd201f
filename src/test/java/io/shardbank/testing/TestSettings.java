package io.shardbank.testing;

import io.shardbank.config.Settings;
import java.nio.file.Path;
import java.util.Map;

/**
 * Settings for tests: free ports, a private data directory, and a client deadline that covers an
 * election (election timeouts are randomized up to twice the configured one).
 */
public final class TestSettings {

    private TestSettings() {
    }

    public static Settings embedded(Path dataDirectory) {
        Settings defaults = Settings.defaults();
        return defaults
                .withStorage(new Settings.Storage(dataDirectory, "FULL", defaults.storage().checkpointIntervalSlots(),
                        defaults.storage().logRetainSlots()))
                .withNetwork(new Settings.Network("127.0.0.1", 0, Map.of()))
                .withClient(defaults.client().withTimeouts(300, 1200, 5000));
    }
}
