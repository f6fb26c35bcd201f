package io.shardbank.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code shardbank} command: runs the embedded cluster, one node, or a client. */
@Command(
        name = "shardbank",
        mixinStandardHelpOptions = true,
        version = "shardbank 0.1.0",
        description = "A sharded, replicated transaction system: Multi-Paxos in each cluster, SQLite on every node.",
        subcommands = {
            EmbeddedCommand.class,
            NodeCommand.class,
            ClientCommand.class,
            NodesCommand.class,
            BenchCommand.class,
            RunCommand.class,
            PartitionCommand.class,
        })
public final class Main implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The configured command line (also used by tests). */
    public static CommandLine commandLine() {
        CommandLine line = new CommandLine(new Main());
        line.setParameterExceptionHandler((error, args) -> {
            error.getCommandLine().getErr().println("error: " + error.getMessage());
            error.getCommandLine().getErr().println("Try '" + error.getCommandLine().getCommandSpec().qualifiedName()
                    + " --help' for usage.");
            return 2;
        });
        line.setExecutionExceptionHandler((error, cmd, parsed) -> {
            cmd.getErr().println("error: " + error.getMessage());
            return 1;
        });
        return line;
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
