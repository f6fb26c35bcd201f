package io.shardbank.cli;

import io.shardbank.client.ShardbankClient;
import io.shardbank.cluster.EmbeddedCluster;
import io.shardbank.config.Settings;
import io.shardbank.harness.BatchRunner;
import io.shardbank.harness.ClusterControl;
import io.shardbank.harness.Console;
import io.shardbank.harness.FailureMode;
import io.shardbank.harness.Harness;
import io.shardbank.harness.HarnessException;
import io.shardbank.harness.script.CsvScriptParser;
import io.shardbank.harness.script.ScriptFormatException;
import io.shardbank.harness.script.ScriptValidator;
import io.shardbank.harness.script.TestSet;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Runs a CSV test file: interactively by default, or in batch mode with a JSON report. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = {
            "Run the test sets of a CSV file (course format). Every set starts from a flush; nodes missing "
                + "from its live list are failed; F(n)/R(n) rows take effect in file order.",
            "Interactive by default: before each set choose run, skip or quit; after it use PrintBalance, "
                + "PrintDB, PrintView, Performance, PrintReshard (plans from the set's transactions, moves "
                + "the items and prints each move as (item, from, to)), next, quit. --batch runs "
                + "without prompts and ends with a summary of every set.",
            "Exit status: 0 when every set ran, 2 for a malformed file, a set that does not fit the topology or "
                + "bad options, 1 when the harness could not do its job (e.g. a node did not answer).",
            "Also run as: shardbank FILE.csv [OPTIONS]."})
final class RunCommand implements Callable<Integer> {

    /** Exit status for input the harness refuses before starting anything. */
    static final int EXIT_BAD_INPUT = 2;
    /** Exit status for a run the harness could not finish. */
    static final int EXIT_HARNESS_ERROR = 1;

    @Mixin
    CommonOptions common;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE.csv", description = "The CSV test file.")
    Path file;

    @Option(names = "--batch", description = "No prompts: print PrintDB and Performance after each set.")
    boolean batch;

    @Option(names = "--report", paramLabel = "FILE.json", description = "Write the JSON report here (batch mode).")
    Path report;

    @Option(names = "--print-reshard", description = "Batch mode: after each set also reshard (PrintReshard: plan "
            + "from the set's transactions, move the items, print each move) and print PrintDB again.")
    boolean printReshard;

    @Option(names = "--connect",
            description = "Drive running node processes (scripts/start-cluster.sh) instead of an embedded cluster.")
    boolean connect;

    @Option(names = "--crash-mode",
            description = "Embedded only: F(n) stops the node's ActorSystem, R(n) restarts it from its SQLite file "
                    + "(default: the node acts disconnected).")
    boolean crashMode;

    @Option(names = "--sets", paramLabel = "N", split = ",", description = "Run only these sets, e.g. --sets 1,3.")
    List<Integer> only = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        try {
            Settings settings = common.settings();
            List<TestSet> sets = selectedSets(settings);
            return connect ? runConnected(settings, sets) : runEmbedded(settings, sets);
        } catch (ScriptFormatException | BadInput e) {
            err.println("error: " + e.getMessage());
            err.flush();
            return EXIT_BAD_INPUT;
        } catch (HarnessException e) {
            err.println("error: " + e.getMessage());
            err.flush();
            return EXIT_HARNESS_ERROR;
        }
    }

    /** Parses the file, checks it against the topology and the options, and picks the sets to run. */
    private List<TestSet> selectedSets(Settings settings) {
        if (report != null && !batch) {
            throw new BadInput("--report needs --batch");
        }
        if (printReshard && !batch) {
            throw new BadInput("--print-reshard needs --batch (interactively, type PrintReshard after a set)");
        }
        if (crashMode && connect) {
            throw new BadInput("--crash-mode needs the embedded cluster: it cannot restart node processes");
        }
        if (!Files.isRegularFile(file)) {
            throw new BadInput("no such file: " + file);
        }
        // Only the chosen sets must fit the topology: --sets 1,2 runs the 3 x 3 sets of a file that
        // also holds a set for 5 x 5.
        List<TestSet> sets = only.isEmpty() ? CsvScriptParser.parse(file) : pick(CsvScriptParser.parse(file));
        List<String> problems = ScriptValidator.problems(sets, settings.topology(), file.getFileName().toString());
        if (!problems.isEmpty()) {
            throw new BadInput(problems.size() + " problem" + (problems.size() == 1 ? "" : "s")
                    + " with this topology (" + settings.topology().clusterCount() + " clusters x "
                    + settings.topology().nodesPerCluster() + " nodes, " + settings.topology().itemCount()
                    + " items):" + System.lineSeparator() + String.join(System.lineSeparator(), problems));
        }
        return sets;
    }

    private List<TestSet> pick(List<TestSet> sets) {
        Set<Integer> numbers = new TreeSet<>(only);
        List<TestSet> picked = sets.stream().filter(s -> numbers.contains(s.number())).toList();
        numbers.removeAll(picked.stream().map(TestSet::number).toList());
        if (!numbers.isEmpty()) {
            throw new BadInput(file.getFileName() + " has no set " + numbers + " (it has sets "
                    + sets.stream().map(TestSet::number).toList() + ")");
        }
        return picked;
    }

    private int runConnected(Settings settings, List<TestSet> sets) {
        try (ShardbankClient client = ShardbankClient.connect(settings, settings.network().host())) {
            return drive(ClusterControl.connected(client), sets);
        }
    }

    private int runEmbedded(Settings settings, List<TestSet> sets) throws IOException {
        Path temporary = common.dataDirectory == null ? Files.createTempDirectory("shardbank-run-") : null;
        Settings embedded = embeddedSettings(settings, temporary);
        PrintWriter out = spec.commandLine().getOut();
        out.println("starting " + embedded.topology().clusterCount() + " clusters x "
                + embedded.topology().nodesPerCluster() + " nodes in this JVM; data in "
                + embedded.storage().dataDirectory());
        out.flush();
        try (EmbeddedCluster cluster = EmbeddedCluster.start(embedded)) {
            return drive(ClusterControl.embedded(cluster, crashMode ? FailureMode.CRASH : FailureMode.DISCONNECT),
                    sets);
        } finally {
            if (temporary != null) {
                deleteTree(temporary);
            }
        }
    }

    private Settings embeddedSettings(Settings settings, Path temporaryData) {
        Settings result = settings;
        if (temporaryData != null) {
            Settings.Storage s = settings.storage();
            result = result.withStorage(new Settings.Storage(temporaryData, s.synchronous(),
                    s.checkpointIntervalSlots(), s.logRetainSlots()));
        }
        if (common.basePort == null) {
            result = result.withNetwork(new Settings.Network(settings.network().host(), 0, settings.network().hosts()));
        }
        return result;
    }

    private int drive(ClusterControl control, List<TestSet> sets) {
        PrintWriter out = spec.commandLine().getOut();
        try (Harness harness = Harness.start(control)) {
            if (!batch) {
                BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
                new Console(harness, sets, in, out).run();
                return 0;
            }
            SetProgress progress = new SetProgress(sets);
            BatchRunner runner = new BatchRunner(harness, file.getFileName().toString(), out, printReshard)
                    .withListener(progress);
            try {
                runner.run(sets);
            } finally {
                progress.close();
                if (report != null) {
                    runner.report().write(report);
                    out.println("report written to " + report);
                }
                out.flush();
            }
            return 0;
        }
    }

    /**
     * A progress bar over the file's commands while a set runs (cleared before its results print),
     * with the transactions per second so far; none without a terminal.
     */
    private static final class SetProgress implements BatchRunner.Listener, AutoCloseable {
        private final long commandsTotal;
        private final long startedNanos = System.nanoTime();
        private long commandsDone;
        private long transactionsDone;
        private long busyNanos;
        private ProgressDisplay display;

        SetProgress(List<TestSet> sets) {
            this.commandsTotal = sets.stream().mapToLong(set -> set.commands().size()).sum();
        }

        @Override
        public void setStarting(TestSet set, int index) {
            String message = String.format(java.util.Locale.ROOT, "set %d; %.1f tx/s so far", set.number(),
                    busyNanos == 0 ? 0.0 : transactionsDone * 1e9 / busyNanos);
            long done = commandsDone;
            display = ProgressDisplay.start("csv", Math.max(1, commandsTotal), " commands", done,
                    java.time.Duration.ofNanos(System.nanoTime() - startedNanos), () -> done, () -> message);
        }

        @Override
        public void setFinished(io.shardbank.harness.SetResult result) {
            close();
            commandsDone += result.set().commands().size();
            transactionsDone += result.performance().transactions().count();
            busyNanos += result.performance().busyNanos();
        }

        @Override
        public void close() {
            if (display != null) {
                display.close();
                display = null;
            }
        }
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + root, e);
        }
    }

    /** Input refused before anything starts: exit status 2. */
    private static final class BadInput extends RuntimeException {
        BadInput(String message) {
            super(message);
        }
    }
}
