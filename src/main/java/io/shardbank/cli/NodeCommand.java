package io.shardbank.cli;

import io.shardbank.cluster.NodeSystem;
import io.shardbank.config.Settings;
import io.shardbank.model.NodeId;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Runs one node in this process until the process is stopped. */
@Command(name = "node", mixinStandardHelpOptions = true,
        description = "Run one node (e.g. n4) as this process, at the host and port the configuration gives it, "
                + "until the process is stopped. Its state is in <data-dir>/<node>.db.")
final class NodeCommand implements Callable<Integer> {

    @Mixin
    CommonOptions common;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "NODE", description = "The node to run: n1 .. n<clusters*nodes-per-cluster>.")
    String node;

    @Override
    public Integer call() throws Exception {
        Settings settings = common.settings();
        NodeId id = NodeId.parse(node);
        if (settings.network().basePort() == 0) {
            throw new IllegalArgumentException("a node process needs a fixed base port (network.base-port or --base-port)");
        }
        NodeSystem system = NodeSystem.start(id, settings);
        PrintWriter out = spec.commandLine().getOut();
        out.println("node " + id + " of cluster " + settings.topology().clusterOf(id) + " listening at "
                + settings.network().hostOf(id) + ":" + settings.network().portOf(id) + ", data "
                + settings.storage().fileOf(id));
        out.flush();
        system.system().getWhenTerminated().toCompletableFuture().join();
        return 0;
    }
}
