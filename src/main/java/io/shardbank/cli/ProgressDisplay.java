package io.shardbank.cli;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * A progress bar on standard error that follows a counter and shows a message (the live
 * throughput), redrawn a few times a second. None when the output is not a terminal, so logs and
 * pipes get no control characters.
 */
final class ProgressDisplay implements AutoCloseable {

    private static final long REFRESH_MS = 250;

    private final ProgressBar bar;
    private final ScheduledExecutorService poller;

    private ProgressDisplay(ProgressBar bar, ScheduledExecutorService poller) {
        this.bar = bar;
        this.poller = poller;
    }

    /** Whether a progress bar would be shown: only when the process talks to a terminal. */
    static boolean wanted() {
        return System.console() != null;
    }

    /**
     * Starts a bar named {@code task} that counts to {@code max} {@code unit}, following {@code
     * current} and showing {@code message}; a bar that does nothing when no terminal is attached.
     *
     * @param startedAt how far the work already is, and since when, for a bar that resumes it
     */
    static ProgressDisplay start(String task, long max, String unit, long startedAt, Duration elapsed,
            LongSupplier current, Supplier<String> message) {
        if (!wanted()) {
            return new ProgressDisplay(null, null);
        }
        ProgressBar bar = new ProgressBarBuilder().setTaskName(task).setInitialMax(max)
                .setStyle(ProgressBarStyle.ASCII).setUnit(unit, 1).setUpdateIntervalMillis((int) REFRESH_MS)
                .setConsumer(new ConsoleProgressBarConsumer(System.err)).clearDisplayOnFinish()
                .startsFrom(startedAt, elapsed).build();
        ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "progress");
            thread.setDaemon(true);
            return thread;
        });
        poller.scheduleAtFixedRate(() -> {
            bar.stepTo(Math.min(max, current.getAsLong()));
            bar.setExtraMessage(message.get());
        }, 0, REFRESH_MS, TimeUnit.MILLISECONDS);
        return new ProgressDisplay(bar, poller);
    }

    @Override
    public void close() {
        if (bar != null) {
            poller.shutdownNow();
            bar.close();
        }
    }
}
