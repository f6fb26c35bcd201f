package io.shardbank.cli;

import io.shardbank.bench.LoadDriver;
import io.shardbank.bench.Workload;
import io.shardbank.client.ShardbankClient;
import io.shardbank.cluster.EmbeddedCluster;
import io.shardbank.config.Settings;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Measures throughput and latency of bank transfers under a closed-loop load. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {
            "Run a closed-loop load of transfers (and reads) and print throughput and latency.",
            "By default it starts the embedded cluster (durable: SQLite synchronous=FULL unless the config says",
            "otherwise); with --connect it loads node processes started by scripts/start-cluster.sh."})
final class BenchCommand implements Callable<Integer> {

    @Mixin
    CommonOptions common;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--seconds", defaultValue = "20", description = "Measured seconds (default ${DEFAULT-VALUE}).")
    int seconds;

    @Option(names = "--warmup-seconds", defaultValue = "5", description = "Unmeasured seconds first (default ${DEFAULT-VALUE}).")
    int warmupSeconds;

    @Option(names = "--outstanding", defaultValue = "2000",
            description = "Operations under way at once (default ${DEFAULT-VALUE}).")
    int outstanding;

    @Option(names = "--read-ratio", defaultValue = "0", description = "Share of reads, 0..1 (default ${DEFAULT-VALUE}).")
    double readRatio;

    @Option(names = "--cross-ratio", defaultValue = "0",
            description = "Share of transfers across clusters, 0..1 (default ${DEFAULT-VALUE}).")
    double crossRatio;

    @Option(names = "--skew", defaultValue = "0",
            description = "Zipf exponent of item popularity; 0 = uniform (default ${DEFAULT-VALUE}).")
    double skew;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of the operation stream (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--connect", description = "Load running node processes instead of an embedded cluster.")
    boolean connect;

    @Override
    public Integer call() throws Exception {
        Settings settings = common.settings();
        PrintWriter out = spec.commandLine().getOut();
        if (connect) {
            try (ShardbankClient client = ShardbankClient.connect(settings, settings.network().host())) {
                client.flushAll();
                report(out, settings, run(client, settings));
            }
            return 0;
        }
        Path data = common.dataDirectory != null ? settings.storage().dataDirectory()
                : Files.createTempDirectory("shardbank-bench-");
        Settings embedded = settings
                .withStorage(new Settings.Storage(data, settings.storage().synchronous(),
                        settings.storage().checkpointIntervalSlots(), settings.storage().logRetainSlots()))
                .withNetwork(new Settings.Network(settings.network().host(), common.basePort == null ? 0
                        : settings.network().basePort(), settings.network().hosts()));
        try (EmbeddedCluster cluster = EmbeddedCluster.start(embedded)) {
            report(out, embedded, run(cluster.client(), embedded));
        }
        return 0;
    }

    private LoadDriver.Result run(ShardbankClient client, Settings settings) throws InterruptedException {
        Workload workload = new Workload(settings.topology().initialShardMap(), settings.topology().clusterCount(),
                readRatio, crossRatio, skew, seed);
        return new LoadDriver(client, workload, outstanding).run(warmupSeconds * 1000L, seconds * 1000L);
    }

    private void report(PrintWriter out, Settings settings, LoadDriver.Result result) {
        out.printf(Locale.ROOT, "bench: %d clusters x %d nodes, synchronous=%s, outstanding=%d, read-ratio=%.2f,"
                        + " cross-ratio=%.2f, skew=%.2f, %d s%n",
                settings.topology().clusterCount(), settings.topology().nodesPerCluster(),
                settings.storage().synchronous(), outstanding, readRatio, crossRatio, skew, seconds);
        out.printf(Locale.ROOT, "throughput: %.0f operations/s (%d operations; %s)%n", result.throughputPerSecond(),
                result.operations(), result.byStatus());
        line(out, "intra-cluster", result.intra());
        line(out, "cross-cluster", result.cross());
        line(out, "reads", result.reads());
        out.flush();
    }

    private static void line(PrintWriter out, String kind, LoadDriver.Latency latency) {
        if (latency.count() > 0) {
            out.printf(Locale.ROOT, "%s: %d ops, latency ms mean %.2f p50 %.2f p99 %.2f max %.2f%n", kind,
                    latency.count(), latency.meanMs(), latency.p50Ms(), latency.p99Ms(), latency.maxMs());
        }
    }
}
