package io.shardbank.cli;

import io.shardbank.bench.CrossShare;
import io.shardbank.bench.LoadDriver;
import io.shardbank.client.ShardbankClient;
import io.shardbank.model.ShardMap;
import io.shardbank.client.ReshardCoordinator;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * One resharding in the middle of a benchmark run ({@code bench --reshard-at}): a thread waits
 * until the measured run reaches the given second, runs a reshard round, marks its start and end on
 * the run's timeline, and measures the cross-cluster share of committed multi-item writes before
 * and after it.
 */
final class Resharding {

    private static final long POLL_MS = 50;

    private final CrossShare share;
    private final Thread thread;
    private volatile ReshardCoordinator.Report report;
    private volatile String error;

    Resharding(ShardbankClient client, LoadDriver driver, ShardMap initial, int atSecond) {
        this.share = new CrossShare(initial);
        driver.onSettled(share::settled);
        this.thread = new Thread(() -> run(client, driver, atSecond), "bench-reshard");
        thread.setDaemon(true);
        thread.start();
    }

    private void run(ShardbankClient client, LoadDriver driver, int atSecond) {
        try {
            while (driver.progress().warmingUp() || driver.progress().measuredSeconds() < atSecond) {
                Thread.sleep(POLL_MS); // a timer for the trigger, not a wait for another thread's work
            }
            share.migrationStarted();
            driver.recordEvent("reshard");
            ReshardCoordinator.Report done = client.reshard().toCompletableFuture()
                    .get(client.settings().migration().roundTimeoutMs(), TimeUnit.MILLISECONDS);
            report = done;
            share.migrationEnded(done.moved(), done.ok() ? done.plan().after().version() : 1);
            driver.recordEvent("reshard done");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            error = e.toString();
        }
    }

    /**
     * {@code reshard: version=V moved=N seconds=S cross-share-before=X cross-share-after=Y
     * unavailable-during=U}, or why the round did not finish within the run.
     */
    String line() {
        ReshardCoordinator.Report done = report;
        if (done == null) {
            return "reshard: not finished within the run" + (error == null ? "" : " (" + error + ")");
        }
        if (!done.ok()) {
            return "reshard: " + done.summary();
        }
        long version = done.moved().isEmpty() ? done.plan().before().version() : done.plan().after().version();
        return String.format(Locale.ROOT, "reshard: version=%d moved=%d seconds=%.2f cross-share-before=%.3f"
                + " cross-share-after=%.3f unavailable-during=%d", version, done.moved().size(),
                done.elapsedMs() / 1000.0, share.before(), share.after(), share.unavailableDuring());
    }
}
