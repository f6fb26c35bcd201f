package io.shardbank.cli;

import io.shardbank.client.ShardbankClient;
import io.shardbank.config.Settings;
import io.shardbank.model.NodeId;
import io.shardbank.node.NodeProtocol;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Talks to a running cluster of node processes. */
@Command(name = "client", mixinStandardHelpOptions = true,
        description = "Connect to running node processes (started with scripts/start-cluster.sh), "
                + "run operations one by one and print each outcome.")
final class ClientCommand implements Callable<Integer> {

    @Mixin
    CommonOptions common;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--fail", paramLabel = "NODE", description = "Make these nodes act disconnected first.")
    List<String> fail = new ArrayList<>();

    @Option(names = "--recover", paramLabel = "NODE", description = "Recover these nodes first.")
    List<String> recover = new ArrayList<>();

    @Option(names = "--flush", description = "Flush every node first (initial balances, empty logs).")
    boolean flush;

    @Option(names = "--status", description = "Print every node's role and progress at the end.")
    boolean status;

    @Option(names = "--balances", paramLabel = "ITEM", split = ",",
            description = "Print every node's own balance of these items at the end.")
    List<Integer> balances = new ArrayList<>();

    @Parameters(paramLabel = "OPERATION", arity = "0..*",
            description = "(s, r, amt) transfers amt from item s to item r; (s) reads item s.")
    List<String> operations = new ArrayList<>();

    @Override
    public Integer call() {
        Settings settings = common.settings();
        List<OperationArgument> parsed = OperationArgument.parseAll(operations, settings.topology());
        List<NodeId> toFail = nodes(settings, fail);
        List<NodeId> toRecover = nodes(settings, recover);
        PrintWriter out = spec.commandLine().getOut();
        try (ShardbankClient client = ShardbankClient.connect(settings, settings.network().host())) {
            if (flush) {
                client.flushAll();
            }
            toFail.forEach(node -> client.setFailed(node, true));
            toRecover.forEach(node -> client.setFailed(node, false));
            int unsuccessful = OperationArgument.runInOrder(client, parsed, out);
            if (status) {
                for (NodeId node : settings.topology().allNodes()) {
                    NodeProtocol.Status s = client.status(node);
                    out.println(node + ": " + s.role().toLowerCase() + ", leader n" + s.leaderHint()
                            + ", applied slot " + s.appliedSlot() + (s.failed() ? ", failed" : ""));
                }
            }
            if (!balances.isEmpty()) {
                for (NodeId node : settings.topology().allNodes()) {
                    NodeProtocol.Balances b = client.balances(node, balances);
                    if (!b.balances().isEmpty()) {
                        out.println(node + ": " + new java.util.TreeMap<>(b.balances()));
                    }
                }
            }
            out.flush();
            return unsuccessful == 0 ? 0 : 3;
        }
    }

    private static List<NodeId> nodes(Settings settings, List<String> names) {
        List<NodeId> nodes = new ArrayList<>();
        for (String name : names) {
            NodeId node = NodeId.parse(name);
            if (!settings.topology().hasNode(node)) {
                throw new IllegalArgumentException("unknown node " + node + ": this topology has n1..n"
                        + settings.topology().nodeCount());
            }
            nodes.add(node);
        }
        return nodes;
    }
}
