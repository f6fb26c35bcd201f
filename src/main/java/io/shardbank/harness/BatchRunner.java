package io.shardbank.harness;

import io.shardbank.harness.script.TestSet;
import io.shardbank.model.NodeId;
import io.shardbank.client.ReshardCoordinator;
import java.io.PrintWriter;
import java.util.List;

/**
 * Runs test sets without prompts: after each set it prints the commands' results, PrintDB and
 * Performance, and adds the set to the {@link Report}; with PrintReshard after each set it also
 * reshards (plans from the set's transactions and moves the items), prints the moves, and records
 * them with PrintDB as it reads after the migration; after the last set, a {@link BatchSummary}.
 */
public final class BatchRunner {

    /** Told when each set starts and ends, for a progress display. */
    public interface Listener {
        /** The set is about to run; {@code index} sets ran before it. */
        void setStarting(TestSet set, int index);

        /** The set ran; its results are about to be printed. */
        void setFinished(SetResult result);
    }

    private final Harness harness;
    private final PrintWriter out;
    private final Report report;
    private final boolean printReshard;
    private final BatchSummary summary;
    private Listener listener = new Listener() {
        @Override
        public void setStarting(TestSet set, int index) {
        }

        @Override
        public void setFinished(SetResult result) {
        }
    };

    public BatchRunner(Harness harness, String source, PrintWriter out) {
        this(harness, source, out, false);
    }

    public BatchRunner(Harness harness, String source, PrintWriter out, boolean printReshard) {
        this.harness = harness;
        this.out = out;
        this.printReshard = printReshard;
        this.report = new Report(source, harness.settings().topology(), harness.control().failureMode());
        this.summary = new BatchSummary(source);
    }

    public BatchRunner withListener(Listener listener) {
        this.listener = listener;
        return this;
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
        for (int index = 0; index < sets.size(); index++) {
            runOne(sets.get(index), index);
        }
        out.println();
        summary.lines().forEach(out::println);
        out.flush();
        return report;
    }

    private void runOne(TestSet set, int index) {
        out.println(Printouts.heading(set, harness.settings().topology()));
        out.flush();
        listener.setStarting(set, index);
        SetResult result = harness.run(set);
        listener.setFinished(result);
        summary.add(result);
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
                    + harness.settings().harness().printReplyTimeoutMs() + " ms");
        }
    }
}
