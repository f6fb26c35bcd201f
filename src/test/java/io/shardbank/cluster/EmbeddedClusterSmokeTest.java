package io.shardbank.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.shardbank.client.ShardbankClient;
import io.shardbank.config.Settings;
import io.shardbank.shard.Outcome;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedClusterSmokeTest {

    @TempDir
    Path dataDirectory;

    @Test
    void transferAndReadInEveryCluster() throws Exception {
        Settings base = Settings.defaults();
        Settings settings = base.withStorage(new Settings.Storage(dataDirectory, "FULL", 500, 2000))
                .withNetwork(new Settings.Network("127.0.0.1", 0, java.util.Map.of()));
        try (EmbeddedCluster cluster = EmbeddedCluster.start(settings);
                ShardbankClient client = ShardbankClient.connectFlushed(cluster)) {
            for (int first : new int[] {1, 3001, 6001}) {
                Outcome transfer = client.transfer(first, first + 1, 3).toCompletableFuture()
                        .get(10, TimeUnit.SECONDS);
                assertThat(transfer.status()).isEqualTo(Outcome.Status.COMMITTED);
                Outcome read = client.read(first + 1).toCompletableFuture().get(10, TimeUnit.SECONDS);
                assertThat(read.status()).isEqualTo(Outcome.Status.OK);
                assertThat(read.balance()).isEqualTo(13);
            }
        }
    }
}
