package io.shardbank.cli;

import io.shardbank.config.Settings;
import io.shardbank.model.NodeId;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;

/** Prints the node ids of the configured topology (the scripts use it). */
@Command(name = "nodes", mixinStandardHelpOptions = true,
        description = "Print the ids of every node of the configured topology, separated by spaces.")
final class NodesCommand implements Callable<Integer> {

    @Mixin
    CommonOptions common;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        Settings settings = common.settings();
        spec.commandLine().getOut().println(settings.topology().allNodes().stream().map(NodeId::toString)
                .collect(Collectors.joining(" ")));
        return 0;
    }
}
