package io.shardbank.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code shardbank} command: runs the embedded cluster, one node, or a client. */
@Command(
        name = "shardbank",
        mixinStandardHelpOptions = true,
        version = "shardbank 0.1.0",
        description = "A sharded, replicated transaction system: Multi-Paxos in each cluster, SQLite on every node.",
        footer = {"", "Short forms: 'shardbank FILE.csv [OPTIONS]' is 'shardbank run FILE.csv [OPTIONS]'; "
            + "'shardbank --benchmark [OPTIONS]' is 'shardbank bench [OPTIONS]'."},
        subcommands = {
            EmbeddedCommand.class,
            NodeCommand.class,
            ClientCommand.class,
            NodesCommand.class,
            BenchCommand.class,
            BenchCompareCommand.class,
            RunCommand.class,
            ReshardCommand.class,
            PartitionCommand.class,
        })
public final class Main implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(commandLine().execute(expandShortForms(args)));
    }

    /**
     * The short forms users of the original system type: {@code FILE.csv ...} runs the file as
     * {@code run FILE.csv ...}, and {@code --benchmark ...} is {@code bench ...}.
     */
    public static String[] expandShortForms(String[] args) {
        if (args.length == 0) {
            return args;
        }
        String first = args[0];
        if (first.equals("--benchmark")) {
            String[] expanded = args.clone();
            expanded[0] = "bench";
            return expanded;
        }
        if (first.toLowerCase(java.util.Locale.ROOT).endsWith(".csv") && !first.startsWith("-")) {
            String[] expanded = new String[args.length + 1];
            expanded[0] = "run";
            System.arraycopy(args, 0, expanded, 1, args.length);
            return expanded;
        }
        return args;
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
