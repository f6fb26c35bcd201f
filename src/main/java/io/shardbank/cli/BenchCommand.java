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
            "Run a closed-loop load (bank transfers, SmallBank, YCSB or TPC-C style) and print throughput and",
            "latency, overall and per transaction type.",
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

    @Option(names = "--workload", defaultValue = "transfer",
            description = "transfer, smallbank, ycsb or tpcc (default ${DEFAULT-VALUE}); see README for each mix.")
    String workload;

    @Option(names = "--read-ratio",
            description = "Share of read-only steps, 0..1 (default: transfer 0, smallbank 0.15, ycsb 0.5, tpcc 0.08).")
    Double readRatio;

    @Option(names = "--cross-ratio",
            description = "Share of multi-item steps that span clusters, 0..1 (default: transfer and smallbank 0;"
                    + " tpcc 0.10 for NewOrder, 0.15 for Payment; ycsb: not applicable).")
    Double crossRatio;

    @Option(names = "--skew",
            description = "Zipf exponent of item popularity, >= 0; 0 = uniform (default: ycsb 0.99, others 0).")
    Double skew;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of the operation stream (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--connect", description = "Load running node processes instead of an embedded cluster.")
    boolean connect;

    @Override
    public Integer call() throws Exception {
        Settings settings = common.settings();
        Workload.Options options = new Workload.Options(Workload.Kind.parse(workload), readRatio, crossRatio, skew,
                seed);
        Workload stream = Workload.create(options, settings.topology().initialShardMap(),
                settings.topology().clusterCount());
        PrintWriter out = spec.commandLine().getOut();
        if (connect) {
            try (ShardbankClient client = ShardbankClient.connect(settings, settings.network().host())) {
                client.flushAll();
                report(out, settings, stream, run(client, stream));
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
        try (EmbeddedCluster cluster = EmbeddedCluster.start(embedded);
                ShardbankClient client = ShardbankClient.connectFlushed(cluster)) {
            report(out, embedded, stream, run(client, stream));
        }
        return 0;
    }

    private LoadDriver.Result run(ShardbankClient client, Workload stream) throws InterruptedException {
        return new LoadDriver(client, stream, outstanding).run(warmupSeconds * 1000L, seconds * 1000L);
    }

    private void report(PrintWriter out, Settings settings, Workload stream, LoadDriver.Result result) {
        out.printf(Locale.ROOT, "bench: %d clusters x %d nodes, synchronous=%s, outstanding=%d, %d s, %s%n",
                settings.topology().clusterCount(), settings.topology().nodesPerCluster(),
                settings.storage().synchronous(), outstanding, seconds, stream.describe());
        out.printf(Locale.ROOT, "throughput: %.0f transactions/s (%d transactions; %s)%n", result.throughputPerSecond(),
                result.operations(), result.byStatus());
        line(out, "intra-cluster", result.intra());
        line(out, "cross-cluster", result.cross());
        line(out, "reads", result.reads());
        if (result.byType().size() > 1) {
            result.byType().forEach((type, latency) -> line(out, "  " + type, latency));
        }
        out.flush();
    }

    private static void line(PrintWriter out, String kind, LoadDriver.Latency latency) {
        if (latency.count() > 0) {
            out.printf(Locale.ROOT, "%s: %d ops, latency ms mean %.2f p50 %.2f p99 %.2f max %.2f%n", kind,
                    latency.count(), latency.meanMs(), latency.p50Ms(), latency.p99Ms(), latency.maxMs());
        }
    }
}
