package io.shardbank.harness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.shardbank.harness.script.ScriptCommand;
import io.shardbank.model.Topology;
import org.junit.jupiter.api.Test;

class PerformanceMeterTest {

    private static final Topology TOPOLOGY = new Topology(2, 3, 100, 10);
    private static final long MS = 1_000_000;

    @Test
    void separatesIntraAndCrossClusterTransfersAndReads() {
        PerformanceMeter meter = new PerformanceMeter(TOPOLOGY.initialShardMap());
        meter.record(new ScriptCommand.Transfer(2, "(1, 2, 1)", 1, 2, 1), 2 * MS);
        meter.record(new ScriptCommand.Transfer(3, "(3, 4, 1)", 3, 4, 1), 4 * MS);
        meter.record(new ScriptCommand.Transfer(4, "(1, 60, 1)", 1, 60, 1), 10 * MS);
        meter.record(new ScriptCommand.BalanceRead(5, "(1)", 1), 1 * MS);
        meter.addBusyTime(500 * MS);

        Performance performance = meter.summary();

        assertThat(performance.transactions().count()).isEqualTo(3);
        assertThat(performance.intraCluster().count()).isEqualTo(2);
        assertThat(performance.crossCluster().count()).isEqualTo(1);
        assertThat(performance.reads().count()).isEqualTo(1);
        assertThat(performance.transactions().averageMs()).isCloseTo(16.0 / 3, within(0.05));
        assertThat(performance.intraCluster().p99Ms()).isCloseTo(4.0, within(0.01));
        assertThat(performance.throughputPerSecond()).isCloseTo(6.0, within(0.001));
        assertThat(performance.describe()).startsWith("3 transactions (2 intra-cluster, 1 cross-cluster) in 0.500 s: "
                + "throughput 6.0 tx/s").endsWith("1 read (avg 1.00 ms, p50 1.00 ms, p99 1.00 ms)");
    }

    @Test
    void anEmptySetHasNoThroughput() {
        Performance performance = new PerformanceMeter(TOPOLOGY.initialShardMap()).summary();

        assertThat(performance.throughputPerSecond()).isZero();
        assertThat(performance.describe()).contains("latency none").contains("0 reads");
    }
}
