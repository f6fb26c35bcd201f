package io.shardbank.harness;

import io.shardbank.harness.script.TestSet;
import io.shardbank.model.NodeId;
import io.shardbank.reshard.ReshardCoordinator;
import java.io.PrintWriter;
import java.util.List;

/**
 * Runs test sets without prompts: after each set it prints the commands' results, PrintDB and
 * Performance, and adds the set to the {@link Report}; with PrintReshard after each set it also
 * reshards (plans from the set's transactions and moves the items), prints the moves, and records
 * them with PrintDB as it reads after the migration.
 */
public final class BatchRunner {

    private final Harness harness;
    private final PrintWriter out;
    private final Report report;
    private final boolean printReshard;

    public BatchRunner(Harness harness, String source, PrintWriter out) {
        this(harness, source, out, false);
    }

    public BatchRunner(Harness harness, String source, PrintWriter out, boolean printReshard) {
        this.harness = harness;
        this.out = out;
        this.printReshard = printReshard;
        this.report = new Report(source, harness.settings().topology(), harness.control().failureMode());
    }

    /** The report of the sets run so far (also after a {@link HarnessException}). */
    public Report report() {
        return report;
    }

    /**
     * Runs the sets in order.
     *
     * @throws HarnessException if a set could not be run, or a running node did not answer PrintDB
     */
    public Report run(List<TestSet> sets) {
        for (TestSet set : sets) {
            runOne(set);
        }
        return report;
    }

    private void runOne(TestSet set) {
        out.println(Printouts.heading(set, harness.settings().topology()));
        out.flush();
        SetResult result = harness.run(set);
        Printouts.results(result, harness.control().failureMode()).forEach(out::println);
        DbSnapshot db = harness.printDb(result.modifiedItems());
        db.describe().forEach(out::println);
        out.println(Printouts.performance(result.performance()));
        out.flush();
        report.add(result, db, harness.printView());
        if (printReshard) {
            ReshardCoordinator.Report round = harness.printReshard();
            Printouts.reshard(round).forEach(out::println);
            DbSnapshot after = harness.printDb(result.modifiedItems());
            out.flush();
            report.addReshard(round, after);
        }
        List<NodeId> silent = db.unreachable().stream().filter(harness.control()::isRunning).toList();
        if (!silent.isEmpty()) {
            throw new HarnessException("set " + set.number() + ": " + silent + " did not answer PrintDB within "
                    + HarnessActor.PRINT_REPLY_TIMEOUT.toMillis() + " ms");
        }
    }
}
