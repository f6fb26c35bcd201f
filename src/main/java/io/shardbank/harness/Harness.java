package io.shardbank.harness;

import com.typesafe.config.ConfigFactory;
import io.shardbank.config.Settings;
import io.shardbank.harness.script.TestSet;
import io.shardbank.client.ReshardCoordinator;
import java.time.Duration;
import java.util.Collection;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.pattern.StatusReply;

/**
 * A blocking front to the {@link HarnessActor} for the console, the batch runner and tests. The
 * actor runs in a small local ActorSystem of its own; it reaches the nodes through the
 * {@link ClusterControl}'s client.
 */
public final class Harness implements AutoCloseable {

    private final ClusterControl control;
    private final ActorSystem<HarnessActor.Command> system;

    private Harness(ClusterControl control, ActorSystem<HarnessActor.Command> system) {
        this.control = control;
        this.system = system;
    }

    /** Starts the harness actor for {@code control}'s system. */
    public static Harness start(ClusterControl control) {
        // The harness talks to nodes only through the client, so its own system needs no remoting.
        var config = ConfigFactory.parseString("pekko.actor.provider = local").withFallback(ConfigFactory.load());
        return new Harness(control, ActorSystem.create(HarnessActor.create(control), "harness", config));
    }

    public Settings settings() {
        return control.settings();
    }

    public ClusterControl control() {
        return control;
    }

    /**
     * Runs one set from a flush and returns what each command did.
     *
     * @throws HarnessException if the harness could not run the set (a node did not answer)
     */
    public SetResult run(TestSet set) {
        // A set may take its overhead (flush, failures, catching up) beyond its commands' deadlines.
        Settings.Harness limits = control.settings().harness();
        long perCommandMs = control.settings().client().deadlineMs() + limits.commandOverheadMs();
        Duration limit = Duration.ofMillis(limits.setOverheadMs() + perCommandMs * set.commands().size());
        return ask(replyTo -> new HarnessActor.RunSet(set, replyTo), limit, "set " + set.number());
    }

    /** Every node of the item's cluster, its own balance of the item. */
    public BalanceReport printBalance(int item) {
        return ask(replyTo -> new HarnessActor.PrintBalance(item, replyTo), printLimit(), "PrintBalance");
    }

    /** Every node's own balances of {@code items}. */
    public DbSnapshot printDb(Collection<Integer> items) {
        return ask(replyTo -> new HarnessActor.PrintDb(items, replyTo), printLimit(), "PrintDB");
    }

    /** Every NEW-VIEW message since the last flush. */
    public ViewLog printView() {
        return ask(replyTo -> new HarnessActor.PrintView(replyTo), printLimit(), "PrintView");
    }

    /** Reshards from the transactions run since the last flush: plans, migrates, and reports. */
    public ReshardCoordinator.Report printReshard() {
        Duration limit = Duration.ofMillis(control.settings().migration().roundTimeoutMs()
                + control.settings().harness().printOverheadMs());
        return ask(replyTo -> new HarnessActor.PrintReshard(replyTo), limit, "PrintReshard");
    }

    /** A print command's wait: the actor's own per-node timeout and some more. */
    private Duration printLimit() {
        Settings.Harness limits = control.settings().harness();
        return Duration.ofMillis(limits.printReplyTimeoutMs() + limits.printOverheadMs());
    }

    private <T> T ask(Function<ActorRef<StatusReply<T>>, HarnessActor.Command> message, Duration limit, String what) {
        CompletionStage<T> answer = AskPattern.askWithStatus(system, message::apply, limit, system.scheduler());
        try {
            return answer.toCompletableFuture().get(limit.toMillis() + 1000, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HarnessException("interrupted while waiting for " + what, e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof HarnessException harnessError) {
                throw harnessError;
            }
            throw new HarnessException(what + " failed: " + cause.getMessage(), cause);
        } catch (TimeoutException e) {
            throw new HarnessException(what + " did not finish within " + limit.toSeconds() + " s", e);
        }
    }

    /** Stops the harness actor and closes the control (but not the cluster or client given to it). */
    @Override
    public void close() {
        control.close();
        system.terminate();
        try {
            system.getWhenTerminated().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            // The harness is going away either way.
        }
    }
}
