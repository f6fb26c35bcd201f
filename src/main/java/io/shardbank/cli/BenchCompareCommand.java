package io.shardbank.cli;

import io.shardbank.bench.ResultsComparison;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Prints two benchmark runs' results side by side. */
@Command(name = "bench-compare", mixinStandardHelpOptions = true,
        description = "Print two benchmark runs' results.json side by side, with the ratio B/A of each figure.")
final class BenchCompareCommand implements Callable<Integer> {

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "A/results.json", description = "The first run's results.")
    Path first;

    @Parameters(index = "1", paramLabel = "B/results.json", description = "The second run's results.")
    Path second;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        for (Path file : new Path[] {first, second}) {
            if (!Files.isRegularFile(file)) {
                err.println("error: no such file: " + file);
                err.flush();
                return 2;
            }
        }
        PrintWriter out = spec.commandLine().getOut();
        ResultsComparison.lines(first.toString(), ResultsComparison.read(first), second.toString(),
                ResultsComparison.read(second)).forEach(out::println);
        out.flush();
        return 0;
    }
}
