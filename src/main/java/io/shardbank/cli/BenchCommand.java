package io.shardbank.cli;

import io.shardbank.bench.Audit;
import io.shardbank.bench.Latency;
import io.shardbank.bench.LoadDriver;
import io.shardbank.bench.ResultsFiles;
import io.shardbank.bench.RunConfiguration;
import io.shardbank.bench.RunResult;
import io.shardbank.bench.Workload;
import io.shardbank.client.ShardbankClient;
import io.shardbank.cluster.EmbeddedCluster;
import io.shardbank.config.Settings;
import io.shardbank.harness.ClusterControl;
import io.shardbank.harness.FailureMode;
import io.shardbank.harness.ReplicaAudit;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Measures throughput and latency under a closed-loop load, audits the replicas, writes results files. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {
            "Run a closed-loop load (bank transfers, SmallBank, YCSB or TPC-C style) and print throughput, "
                + "goodput, success rate and latency, overall and per transaction type; then audit every "
                + "replica's balances and write results.json, results.csv and PNG charts to --out.",
            "By default it starts the embedded cluster (durable: SQLite synchronous=FULL unless the config says "
                + "otherwise); with --connect it loads node processes started by scripts/start-cluster.sh.",
            "Also run as: shardbank --benchmark [OPTIONS]."})
final class BenchCommand implements Callable<Integer> {

    /** How long the audit waits for the replicas to apply everything chosen. */
    private static final Duration AUDIT_LIMIT = Duration.ofSeconds(60);

    @Mixin
    CommonOptions common;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = {"-n", "--transactions"}, paramLabel = "N",
            description = "Run exactly N steps, all measured, then stop (no warm-up; --seconds and "
                    + "--warmup-seconds do not apply). Default: time mode.")
    Long transactions;

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

    @Option(names = {"--cross-ratio", "--cross-shard-ratio"},
            description = "Share of multi-item steps that span clusters, 0..1 (default: transfer and smallbank 0;"
                    + " tpcc 0.10 for NewOrder, 0.15 for Payment; ycsb: not applicable).")
    Double crossRatio;

    @Option(names = {"--skew", "--skewness"},
            description = "Zipf exponent of item popularity, >= 0; 0 = uniform (default: ycsb 0.99, others 0).")
    Double skew;

    @Option(names = "--affinity-groups", paramLabel = "N",
            description = "transfer and smallbank: items (customers) fall into N hidden groups of equal size, "
                    + "scattered over the ids; multi-item steps keep to one group with the --affinity probability "
                    + "(replaces --cross-ratio and --skew).")
    Integer affinityGroups;

    @Option(names = "--affinity", paramLabel = "P",
            description = "With --affinity-groups: chance that a multi-item step keeps to one group (default 0.9).")
    Double affinity;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of the operation stream (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--out", paramLabel = "DIR",
            description = "Directory for results.json, results.csv and the charts (default bench-results/<timestamp>).")
    Path out;

    @Option(names = "--reshard-at", paramLabel = "SECONDS",
            description = "Time mode: reshard once this far into the measured run (plan from the leaders' recent"
                    + " history, migrate); prints a 'reshard:' line with the cross-cluster share of committed"
                    + " multi-item writes before and after.")
    Integer reshardAt;

    @Option(names = "--connect", description = "Load running node processes instead of an embedded cluster.")
    boolean connect;

    @Override
    public Integer call() throws Exception {
        Settings settings = common.settings();
        if (reshardAt != null && (transactions != null || reshardAt < 0 || reshardAt >= seconds)) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "--reshard-at needs time mode (no -n) and a time within --seconds " + seconds);
        }
        Workload.Options options = new Workload.Options(Workload.Kind.parse(workload), readRatio, crossRatio, skew,
                seed, affinityGroups, affinity);
        Workload stream = Workload.create(options, settings.topology().initialShardMap(),
                settings.topology().clusterCount());
        LoadDriver.Plan plan = transactions != null ? LoadDriver.Plan.count(transactions)
                : LoadDriver.Plan.timed(warmupSeconds * 1000L, seconds * 1000L);
        Path directory = out != null ? out : Path.of("bench-results",
                LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss", Locale.ROOT)));
        if (connect) {
            try (ShardbankClient client = ShardbankClient.connect(settings, settings.network().host())) {
                client.flushAll();
                measure(settings, stream, plan, ClusterControl.connected(client), directory);
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
                ClusterControl control = ClusterControl.embedded(cluster, FailureMode.DISCONNECT)) {
            // Nodes start one after another and elect whoever comes first; a flush gives the
            // documented start, the first node of each cluster leading, as with --connect.
            control.client().flushAll();
            measure(embedded, stream, plan, control, directory);
        }
        return 0;
    }

    private void measure(Settings settings, Workload stream, LoadDriver.Plan plan, ClusterControl control,
            Path directory) throws InterruptedException {
        Instant startedAt = Instant.now();
        LoadDriver driver = new LoadDriver(control.client(), stream, outstanding);
        Resharding resharding = reshardAt == null ? null
                : new Resharding(control.client(), driver, settings.topology().initialShardMap(), reshardAt);
        RunResult result;
        try (ProgressDisplay progress = progress(driver, plan)) {
            result = driver.run(plan);
        }
        ReplicaAudit.Snapshot replicas = ReplicaAudit.read(control, AUDIT_LIMIT);
        Audit audit = new Audit(replicas.total(), Audit.expectedTotal(settings.topology().itemCount(),
                settings.topology().initialBalance(), result.money()), replicas.replicasIdentical(),
                result.money().uncertainSteps(), replicas.problems());
        PrintWriter printer = spec.commandLine().getOut();
        report(printer, settings, stream, plan, result);
        if (resharding != null) {
            printer.println(resharding.line());
        }
        printer.println(audit.line());
        audit.problems().forEach(problem -> printer.println("  " + problem));
        RunConfiguration configuration = new RunConfiguration(kindLabel(),
                stream.describe(), stream.knobs(), plan, seed, outstanding, settings.topology(),
                settings.storage().synchronous(), connect ? "connect" : "embedded");
        ResultsFiles.write(directory, configuration, result, audit, startedAt);
        printer.println("results: " + directory.resolve(ResultsFiles.JSON) + ", " + ResultsFiles.CSV
                + ", throughput.png, latency.png");
        printer.flush();
    }

    private String kindLabel() {
        return Workload.Kind.parse(workload).label();
    }

    private static ProgressDisplay progress(LoadDriver driver, LoadDriver.Plan plan) {
        if (plan.counted()) {
            return ProgressDisplay.start("bench", plan.steps(), " steps", 0, Duration.ZERO,
                    () -> driver.progress().measuredSteps(), () -> throughput(driver.progress()));
        }
        long totalSeconds = (plan.warmupMs() + plan.measureMs()) / 1000;
        long started = System.nanoTime();
        return ProgressDisplay.start("bench", totalSeconds, " s", 0, Duration.ZERO,
                () -> (System.nanoTime() - started) / 1_000_000_000L, () -> throughput(driver.progress()));
    }

    private static String throughput(LoadDriver.Progress progress) {
        if (progress.warmingUp()) {
            return "warming up";
        }
        double rate = progress.measuredSeconds() <= 0 ? 0 : progress.measuredSteps() / progress.measuredSeconds();
        return String.format(Locale.ROOT, "%.0f tx/s", rate);
    }

    private void report(PrintWriter printer, Settings settings, Workload stream, LoadDriver.Plan plan,
            RunResult result) {
        String length = plan.counted() ? plan.steps() + " steps" : seconds + " s";
        printer.printf(Locale.ROOT, "bench: %d clusters x %d nodes, synchronous=%s, outstanding=%d, %s, %s%n",
                settings.topology().clusterCount(), settings.topology().nodesPerCluster(),
                settings.storage().synchronous(), outstanding, length, stream.describe());
        printer.printf(Locale.ROOT, "throughput: %.0f transactions/s (%d transactions in %.2f s; %s)%n",
                result.throughputPerSecond(), result.steps(), result.seconds(), result.byStatus());
        printer.printf(Locale.ROOT, "success rate: %.2f%% (committed or read); goodput: %.0f transactions/s%n",
                100 * result.successRate(), result.goodputPerSecond());
        if (!result.abortReasons().isEmpty()) {
            printer.println("aborts: " + result.abortReasons());
        }
        line(printer, "all", result.overall());
        line(printer, "intra-cluster", result.intra());
        line(printer, "cross-cluster", result.cross());
        line(printer, "reads", result.reads());
        if (result.byType().size() > 1) {
            new java.util.TreeMap<>(result.byType()).forEach((type, latency) -> line(printer, "  " + type, latency));
        }
    }

    private static void line(PrintWriter printer, String kind, Latency latency) {
        if (latency.count() > 0) {
            printer.printf(Locale.ROOT, "%s: %d ops, latency ms mean %.2f p50 %.2f p95 %.2f p99 %.2f p99.9 %.2f "
                    + "max %.2f%n", kind, latency.count(), latency.meanMs(), latency.p50Ms(), latency.p95Ms(),
                    latency.p99Ms(), latency.p999Ms(), latency.maxMs());
        }
    }
}
