package io.shardbank.harness;

import io.shardbank.client.ShardbankClient;
import io.shardbank.config.Settings;
import io.shardbank.harness.script.ScriptCommand;
import io.shardbank.harness.script.TestSet;
import io.shardbank.model.Topology;
import io.shardbank.client.ReshardCoordinator;
import io.shardbank.shard.Outcome;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.pattern.StatusReply;

/**
 * The test harness as a client of the system: it runs test sets (flush, live list, transactions
 * in dependency order, {@code F}/{@code R} in file order) and answers the print commands. One set
 * runs at a time; print commands are answered at any time.
 *
 * <p>Transfers and reads go through the {@link ShardbankClient}; operator calls, which block,
 * run on the {@link ClusterQueries} pool, and their results come back to this actor as messages.
 *
 * <p>PrintReshard runs a reshard round through the client's reshard coordinator: the plan comes
 * from what the clusters' leaders committed since the last flush, and the items really move.
 */
public final class HarnessActor extends AbstractBehavior<HarnessActor.Command> {

    /** Requests to the harness. */
    public sealed interface Command {
    }

    /** Runs a test set from a flush; the reply is its result, or an error when the harness could not run it. */
    public record RunSet(TestSet set, ActorRef<StatusReply<SetResult>> replyTo) implements Command {
    }

    /** Asks every node of the item's cluster for its own balance of {@code item}. */
    public record PrintBalance(int item, ActorRef<StatusReply<BalanceReport>> replyTo) implements Command {
    }

    /** Asks every node for its own balances of {@code items}. */
    public record PrintDb(Collection<Integer> items, ActorRef<StatusReply<DbSnapshot>> replyTo) implements Command {
    }

    /** Collects the NEW-VIEW messages every node sent since the last flush. */
    public record PrintView(ActorRef<StatusReply<ViewLog>> replyTo) implements Command {
    }

    /**
     * Reshards: plans from the transactions the clusters' leaders committed since the last flush (the
     * current or last set) and migrates the items the plan moves.
     */
    public record PrintReshard(ActorRef<StatusReply<ReshardCoordinator.Report>> replyTo) implements Command {
    }

    /** The system was flushed and the live list applied (or {@code error} says why not). */
    private record Prepared(SetExecution execution, Throwable error) implements Command {
    }

    /** One transfer or read of the current step got its answer. */
    private record TransactionDone(SetExecution execution, int index, Timed timed, Throwable error)
            implements Command {
    }

    /** The replicas caught up (or {@code caughtUp} is false: the wait ran out) before {@code next}. */
    private record CaughtUp(SetExecution execution, boolean caughtUp, SetPlan.NodeChange next) implements Command {
    }

    /** A node change of the set took effect. */
    /** Every cluster's leadership reflects the live set (or the wait ran out) after {@code why}. */
    private record Settled(SetExecution execution, boolean settled, String why) implements Command {
    }

    private record NodeChanged(SetExecution execution, SetPlan.NodeChange change, Throwable error)
            implements Command {
    }

    /** An outcome with the times it was sent and answered. */
    private record Timed(Outcome outcome, long sentNanos, long answeredNanos) {
    }

    private final ClusterControl control;
    private final ClusterQueries queries;
    /** How long a node may take to answer a print command before it is shown as unreachable. */
    private final Duration printReplyTimeout;
    /** How long the replicas may take to catch up before a failure and at the end of a set. */
    private final Duration catchUpLimit;
    /** How long to wait, after the live set changes, for leaders to know it (an election takes up to two timeouts). */
    private final Duration settleLimit;
    private SetExecution running;

    public static Behavior<Command> create(ClusterControl control) {
        return Behaviors.setup(context -> new HarnessActor(context, control));
    }

    private HarnessActor(ActorContext<Command> context, ClusterControl control) {
        super(context);
        this.control = control;
        this.queries = new ClusterQueries(control);
        Settings.Harness limits = control.settings().harness();
        this.printReplyTimeout = Duration.ofMillis(limits.printReplyTimeoutMs());
        this.catchUpLimit = Duration.ofMillis(limits.catchUpLimitMs());
        this.settleLimit = Duration.ofMillis(limits.settleLimitMs());
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
                .onMessage(RunSet.class, this::onRunSet)
                .onMessage(PrintBalance.class, this::onPrintBalance)
                .onMessage(PrintDb.class, this::onPrintDb)
                .onMessage(PrintView.class, this::onPrintView)
                .onMessage(PrintReshard.class, this::onPrintReshard)
                .onMessage(Prepared.class, this::onPrepared)
                .onMessage(TransactionDone.class, this::onTransactionDone)
                .onMessage(CaughtUp.class, this::onCaughtUp)
                .onMessage(NodeChanged.class, this::onNodeChanged)
                .onMessage(Settled.class, this::onSettled)
                .onSignal(PostStop.class, signal -> {
                    queries.close();
                    return this;
                })
                .build();
    }

    // ---------------------------------------------------------------- print commands

    private Behavior<Command> onPrintBalance(PrintBalance command) {
        if (!control.settings().topology().hasItem(command.item())) {
            command.replyTo().tell(StatusReply.error("item " + command.item() + " is not in this topology (items 1.."
                    + control.settings().topology().itemCount() + ")"));
            return this;
        }
        reply(queries.balance(command.item(), printReplyTimeout), command.replyTo());
        return this;
    }

    private Behavior<Command> onPrintDb(PrintDb command) {
        reply(queries.db(command.items(), printReplyTimeout), command.replyTo());
        return this;
    }

    private Behavior<Command> onPrintView(PrintView command) {
        reply(queries.views(printReplyTimeout), command.replyTo());
        return this;
    }

    private Behavior<Command> onPrintReshard(PrintReshard command) {
        reply(control.client().reshard().toCompletableFuture(), command.replyTo());
        return this;
    }

    private static <T> void reply(CompletableFuture<T> answer, ActorRef<StatusReply<T>> replyTo) {
        answer.whenComplete((value, error) -> replyTo.tell(error == null ? StatusReply.success(value)
                : StatusReply.error(error)));
    }

    // ---------------------------------------------------------------- running a set

    private Behavior<Command> onRunSet(RunSet command) {
        if (running != null) {
            command.replyTo().tell(StatusReply.error("set " + running.set().number() + " is still running"));
            return this;
        }
        SetExecution execution = new SetExecution(command.set(), control.settings().topology(), command.replyTo());
        running = execution;
        getContext().pipeToSelf(queries.run(() -> control.prepareSet(command.set().liveNodes())),
                (ignored, error) -> new Prepared(execution, error));
        return this;
    }

    private Behavior<Command> onPrepared(Prepared prepared) {
        if (prepared.execution() != running) {
            return this; // from a set that was aborted
        }
        if (prepared.error() != null) {
            return abort("preparing set " + running.set().number() + " (flush and live list) failed", prepared.error());
        }
        return awaitLeadershipSettled("the live list");
    }

    /**
     * After the live set changes, waits until every cluster's leader knows it (see {@link
     * ReplicaProgress#leadershipSettled}) before the next commands: they must meet a cluster that
     * already knows whether it can commit.
     */
    private Behavior<Command> awaitLeadershipSettled(String why) {
        SetExecution execution = running;
        getContext().pipeToSelf(queries.awaitLeadershipSettled(execution.live(), settleLimit),
                (settled, error) -> new Settled(execution, settled != null && settled, why));
        return this;
    }

    private Behavior<Command> onSettled(Settled message) {
        if (message.execution() != running) {
            return this;
        }
        if (!message.settled()) {
            running.note("leadership had not settled within " + settleLimit.toMillis() + " ms after " + message.why());
        }
        return nextStep();
    }

    private Behavior<Command> nextStep() {
        SetPlan.Step step = running.nextStep();
        if (step == null) {
            awaitCaughtUp(null);
        } else if (step instanceof SetPlan.Transactions transactions) {
            startTransactions(transactions);
        } else {
            // Everything before the F/R row must have reached the live replicas before it takes effect.
            awaitCaughtUp((SetPlan.NodeChange) step);
        }
        return this;
    }

    private void startTransactions(SetPlan.Transactions step) {
        ItemChains chains = new ItemChains();
        SetExecution execution = running;
        execution.startStep(step.commands().size());
        for (ScriptCommand command : step.commands()) {
            int index = execution.indexOf(command);
            CompletableFuture<Timed> answer = chains.submit(SetPlan.itemsOf(command), () -> send(command));
            getContext().pipeToSelf(answer, (timed, error) -> new TransactionDone(execution, index, timed, error));
        }
    }

    private CompletionStage<Timed> send(ScriptCommand command) {
        ShardbankClient client = control.client();
        long sent = System.nanoTime();
        CompletionStage<Outcome> outcome = command instanceof ScriptCommand.Transfer t
                ? client.transfer(t.from(), t.to(), t.amount())
                : client.read(((ScriptCommand.BalanceRead) command).item(),
                        ((ScriptCommand.BalanceRead) command).consistency());
        return outcome.thenApply(o -> new Timed(o, sent, System.nanoTime()));
    }

    private Behavior<Command> onTransactionDone(TransactionDone done) {
        if (done.execution() != running) {
            return this;
        }
        if (done.error() != null) {
            return abort("the client failed on " + describe(running.command(done.index())), done.error());
        }
        Timed timed = done.timed();
        boolean stepFinished = running.recordTransaction(done.index(), timed.outcome(), timed.sentNanos(),
                timed.answeredNanos());
        return stepFinished ? nextStep() : this;
    }


    private void awaitCaughtUp(SetPlan.NodeChange next) {
        SetExecution execution = running;
        getContext().pipeToSelf(queries.awaitCaughtUp(execution.live(), catchUpLimit),
                (caughtUp, error) -> new CaughtUp(execution, caughtUp != null && caughtUp, next));
    }

    private Behavior<Command> onCaughtUp(CaughtUp message) {
        if (message.execution() != running) {
            return this;
        }
        if (!message.caughtUp()) {
            SetPlan.NodeChange next = message.next();
            String when = next == null ? "at the end of the set" : "before " + describe(next.command());
            running.note("the live replicas had not caught up within " + catchUpLimit.toMillis() + " ms " + when);
        }
        if (message.next() == null) {
            running.replyTo().tell(StatusReply.success(running.result()));
            running = null;
            return this;
        }
        ScriptCommand command = message.next().command();
        Runnable change = command instanceof ScriptCommand.Fail f
                ? () -> control.fail(f.node())
                : () -> control.recover(((ScriptCommand.Recover) command).node());
        SetExecution execution = running;
        getContext().pipeToSelf(queries.run(change),
                (ignored, error) -> new NodeChanged(execution, message.next(), error));
        return this;
    }

    private Behavior<Command> onNodeChanged(NodeChanged changed) {
        if (changed.execution() != running) {
            return this;
        }
        if (changed.error() != null) {
            return abort(describe(changed.change().command()) + " failed", changed.error());
        }
        running.recordNodeChange(changed.change().command());
        return awaitLeadershipSettled(describe(changed.change().command()));
    }

    private Behavior<Command> abort(String what, Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        running.replyTo().tell(StatusReply.error(new HarnessException(what + ": " + cause.getMessage(), cause)));
        running = null;
        return this;
    }

    private static String describe(ScriptCommand command) {
        return command.text() + " on line " + command.line();
    }
}
