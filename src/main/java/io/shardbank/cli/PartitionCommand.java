package io.shardbank.cli;

import io.shardbank.reshard.Hypergraph;
import io.shardbank.reshard.Partitioner;
import io.shardbank.reshard.ReshardSettings;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Runs the resharding planner offline on a transaction trace, to compare it with other partitioners. */
@Command(name = "partition", mixinStandardHelpOptions = true,
        description = {
            "Split items over clusters so that few transactions of a trace span",
            "clusters, moving few items from the current map: the resharding planner,",
            "offline. The trace has one transaction per line, the 1-based item ids it",
            "touched separated by spaces. Partition files have one line per item: line i",
            "holds the 0-based cluster of item i (the hMETIS convention).",
            "Prints 'partition-ms=M cut=C moved=V' at the end: the planner's time",
            "(building the hypergraph and partitioning, not reading files), the trace's",
            "transactions that span clusters under the new map, and the items whose",
            "cluster changed. Exit status 2 for bad input (the message names file and line)."})
final class PartitionCommand implements Callable<Integer> {

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--txns", required = true, paramLabel = "FILE", description = "The transaction trace.")
    Path transactions;

    @Option(names = "--items", required = true, paramLabel = "N", description = "Items are 1..N.")
    int items;

    @Option(names = "--clusters", required = true, paramLabel = "K", description = "Number of clusters, >= 1.")
    int clusters;

    @Option(names = "--current", paramLabel = "PART_FILE",
            description = "The current map (default: even ranges, item i in cluster floor((i-1)*K/N)).")
    Path current;

    @Option(names = "--tolerance", defaultValue = "0.03", paramLabel = "T",
            description = "A cluster holds at most (1 + T) x N/K items (default ${DEFAULT-VALUE}).")
    double tolerance;

    @Option(names = "--move-cost", paramLabel = "C",
            description = "What moving one item costs, in transactions of the trace (default: the planner's, 0.25).")
    Double moveCost;

    @Option(names = "--seed", defaultValue = "1", description = "Planner seed (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--out", required = true, paramLabel = "PART_FILE", description = "Where to write the new map.")
    Path out;

    /** Bad input: reported on one line, exit status 2. */
    static final class InputError extends Exception {
        InputError(String message) {
            super(message);
        }
    }

    @Override
    public Integer call() throws IOException {
        PrintWriter err = spec.commandLine().getErr();
        try {
            if (clusters < 1) {
                throw new InputError("--clusters must be at least 1, got " + clusters);
            }
            if (items < 1) {
                throw new InputError("--items must be at least 1, got " + items);
            }
            if (!(tolerance >= 0) || Double.isInfinite(tolerance)) {
                throw new InputError("--tolerance must be a number >= 0, got " + tolerance);
            }
            int[][] sets = readTrace(transactions, items);
            int[] home = current == null ? evenRanges(items, clusters) : readParts(current, items, clusters);
            ReshardSettings settings = settings();
            long started = System.nanoTime();
            Hypergraph graph = Hypergraph.ofItemSets(items, sets);
            int[] parts = new Partitioner(clusters, settings).partitionParts(graph, home);
            long elapsedMs = (System.nanoTime() - started) / 1_000_000;
            writeParts(out, parts);
            int moved = 0;
            for (int item = 1; item <= items; item++) {
                moved += parts[item] != home[item] ? 1 : 0;
            }
            PrintWriter printed = spec.commandLine().getOut();
            printed.println("partition-ms=" + elapsedMs + " cut=" + graph.cut(item -> parts[item]) + " moved=" + moved);
            printed.flush();
            return 0;
        } catch (InputError error) {
            err.println("error: " + error.getMessage());
            err.flush();
            return 2;
        }
    }

    private ReshardSettings settings() throws InputError {
        ReshardSettings settings = ReshardSettings.defaults().withBalanceTolerance(tolerance).withPlannerSeed(seed);
        if (moveCost != null) {
            try {
                settings = settings.withMoveCost(moveCost);
            } catch (IllegalArgumentException e) {
                throw new InputError("--move-cost must be a number in 0.." + ReshardSettings.MOVE_COST_MAX + ", got "
                        + moveCost);
            }
        }
        return settings;
    }

    static int[] evenRanges(int items, int clusters) {
        int[] parts = new int[items + 1];
        for (int item = 1; item <= items; item++) {
            parts[item] = (int) ((long) (item - 1) * clusters / items);
        }
        return parts;
    }

    private static byte[] read(Path file) throws InputError, IOException {
        try {
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new InputError(file + ": no such file");
        }
    }

    /** The trace's transactions of two or more distinct items, each ascending; one-item ones never span clusters. */
    static int[][] readTrace(Path file, int items) throws InputError, IOException {
        byte[] bytes = read(file);
        List<int[]> sets = new ArrayList<>();
        int[] buffer = new int[16];
        int line = 1;
        int i = 0;
        while (i < bytes.length) {
            int count = 0;
            while (i < bytes.length && bytes[i] != '\n') {
                byte b = bytes[i];
                if (b == ' ' || b == '\t' || b == '\r') {
                    i++;
                    continue;
                }
                int tokenStart = i;
                long value = 0;
                while (i < bytes.length && bytes[i] >= '0' && bytes[i] <= '9') {
                    value = Math.min(value * 10 + (bytes[i] - '0'), Integer.MAX_VALUE + 1L);
                    i++;
                }
                if (i == tokenStart || (i < bytes.length && !isSeparator(bytes[i]))) {
                    throw new InputError(file + ":" + line + ": '" + token(bytes, tokenStart) + "' is not an item id");
                }
                if (value < 1 || value > items) {
                    throw new InputError(file + ":" + line + ": item " + token(bytes, tokenStart)
                            + " is outside 1.." + items);
                }
                if (count == buffer.length) {
                    buffer = Arrays.copyOf(buffer, count * 2);
                }
                buffer[count++] = (int) value;
            }
            i++;
            line++;
            int[] set = distinctSorted(buffer, count);
            if (set.length >= 2) {
                sets.add(set);
            }
        }
        return sets.toArray(new int[0][]);
    }

    private static boolean isSeparator(byte b) {
        return b == ' ' || b == '\t' || b == '\r' || b == '\n';
    }

    private static String token(byte[] bytes, int start) {
        int end = start;
        while (end < bytes.length && !isSeparator(bytes[end]) && end - start < 40) {
            end++;
        }
        return new String(bytes, start, end - start, StandardCharsets.UTF_8);
    }

    private static int[] distinctSorted(int[] buffer, int count) {
        int[] set = Arrays.copyOf(buffer, count);
        Arrays.sort(set);
        int distinct = 0;
        for (int k = 0; k < set.length; k++) {
            if (distinct == 0 || set[k] != set[distinct - 1]) {
                set[distinct++] = set[k];
            }
        }
        return distinct == set.length ? set : Arrays.copyOf(set, distinct);
    }

    /** A partition file of exactly {@code items} lines, each a part in 0..clusters-1. */
    static int[] readParts(Path file, int items, int clusters) throws InputError, IOException {
        String[] lines = new String(read(file), StandardCharsets.UTF_8).split("\n", -1);
        int[] parts = new int[items + 1];
        int item = 0;
        for (int l = 0; l < lines.length; l++) {
            String text = lines[l].strip();
            if (text.isEmpty()) {
                continue;
            }
            int part;
            try {
                part = Integer.parseInt(text);
            } catch (NumberFormatException e) {
                throw new InputError(file + ":" + (l + 1) + ": '" + text + "' is not a cluster number");
            }
            if (part < 0 || part >= clusters) {
                throw new InputError(file + ":" + (l + 1) + ": cluster " + part + " is outside 0.." + (clusters - 1));
            }
            if (++item > items) {
                throw new InputError(file + ":" + (l + 1) + ": more lines than the " + items + " items");
            }
            parts[item] = part;
        }
        if (item < items) {
            throw new InputError(file + ":" + lines.length + ": " + item + " lines for " + items + " items");
        }
        return parts;
    }

    private static void writeParts(Path file, int[] parts) throws IOException {
        StringBuilder text = new StringBuilder(parts.length * 2);
        for (int item = 1; item < parts.length; item++) {
            text.append(parts[item]).append('\n');
        }
        Files.writeString(file, text, StandardCharsets.UTF_8);
    }
}
