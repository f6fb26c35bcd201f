package io.shardbank.cli;

import io.shardbank.client.ShardbankClient;
import io.shardbank.cluster.EmbeddedCluster;
import io.shardbank.config.Settings;
import io.shardbank.model.ClusterId;
import io.shardbank.model.NodeId;
import io.shardbank.node.NodeProtocol;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Starts every node in this JVM (each its own ActorSystem on loopback), runs operations, prints the result. */
@Command(name = "embedded", mixinStandardHelpOptions = true,
        description = {
            "Start the whole cluster in this JVM (every node its own ActorSystem, real remoting on 127.0.0.1), "
                + "run the given operations one by one, print each outcome and the nodes' state, and stop.",
            "Without operations it runs a short demo: a transfer and a read in every cluster."})
final class EmbeddedCommand implements Callable<Integer> {

    @Mixin
    CommonOptions common;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "OPERATION", arity = "0..*",
            description = "(s, r, amt) transfers amt from item s to item r; (s) reads item s. Quote each one.")
    List<String> operations = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Settings settings = common.settings();
        List<OperationArgument> parsed = OperationArgument.parseAll(operations.isEmpty() ? demo(settings) : operations,
                settings.topology());
        boolean temporaryData = common.dataDirectory == null;
        if (temporaryData) {
            Path data = Files.createTempDirectory("shardbank-embedded-");
            settings = settings.withStorage(new Settings.Storage(data, settings.storage().synchronous(),
                    settings.storage().checkpointIntervalSlots(), settings.storage().logRetainSlots()));
        }
        if (common.basePort == null) {
            settings = settings.withNetwork(new Settings.Network(settings.network().host(), 0, settings.network().hosts()));
        }
        out.println("starting " + settings.topology().clusterCount() + " clusters x "
                + settings.topology().nodesPerCluster() + " nodes, " + settings.topology().itemCount()
                + " items; data in " + settings.storage().dataDirectory());
        out.flush();
        try (EmbeddedCluster cluster = EmbeddedCluster.start(settings);
                ShardbankClient client = ShardbankClient.connectFlushed(cluster)) {
            int unsuccessful = OperationArgument.runInOrder(client, parsed, out);
            printStatus(cluster, client, out);
            return unsuccessful == 0 ? 0 : 3;
        } finally {
            if (temporaryData) {
                deleteTree(settings.storage().dataDirectory());
            }
        }
    }

    private static List<String> demo(Settings settings) {
        List<String> demo = new ArrayList<>();
        for (ClusterId cluster : settings.topology().allClusters()) {
            int first = firstItem(settings, cluster);
            demo.add("(" + first + ", " + (first + 1) + ", 3)");
            demo.add("(" + (first + 1) + ")");
        }
        return demo;
    }

    private static int firstItem(Settings settings, ClusterId cluster) {
        for (int item = 1; item <= settings.topology().itemCount(); item++) {
            if (settings.topology().initialShardMap().owns(cluster, item)) {
                return item;
            }
        }
        throw new IllegalStateException("cluster " + cluster + " owns no item");
    }

    static void printStatus(EmbeddedCluster cluster, ShardbankClient client, PrintWriter out) {
        for (NodeId node : cluster.nodes()) {
            NodeProtocol.Status status = client.status(node);
            out.println(node + ": " + status.role().toLowerCase() + ", leader n" + status.leaderHint() + ", ballot "
                    + status.ballot() + ", applied slot " + status.appliedSlot());
        }
        out.flush();
    }

    private static void deleteTree(Path root) throws java.io.IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (var paths = Files.walk(root)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }
}
