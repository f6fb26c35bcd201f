package io.shardbank.harness;

import io.shardbank.harness.script.TestSet;
import io.shardbank.model.NodeId;
import java.io.PrintWriter;
import java.util.List;

/**
 * Runs test sets without prompts: after each set it prints the commands' results, PrintDB and
 * Performance, and adds the set to the {@link Report}.
 */
public final class BatchRunner {

    private final Harness harness;
    private final PrintWriter out;
    private final Report report;

    public BatchRunner(Harness harness, String source, PrintWriter out) {
        this.harness = harness;
        this.out = out;
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
        List<NodeId> silent = db.unreachable().stream().filter(harness.control()::isRunning).toList();
        if (!silent.isEmpty()) {
            throw new HarnessException("set " + set.number() + ": " + silent + " did not answer PrintDB within "
                    + harness.settings().harness().printReplyTimeoutMs() + " ms");
        }
    }
}
