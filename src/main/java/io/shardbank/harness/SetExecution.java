package io.shardbank.harness;

import io.shardbank.harness.script.ScriptCommand;
import io.shardbank.harness.script.TestSet;
import io.shardbank.model.NodeId;
import io.shardbank.model.Topology;
import io.shardbank.shard.Outcome;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.pattern.StatusReply;

/**
 * The state of one set while the {@link HarnessActor} runs it: which step is next, the results so
 * far, the nodes live right now, and the performance meter. Touched only by the actor.
 */
final class SetExecution {

    private final TestSet set;
    private final ActorRef<StatusReply<SetResult>> replyTo;
    private final List<SetPlan.Step> steps;
    private final Map<ScriptCommand, Integer> indexes = new IdentityHashMap<>();
    private final CommandResult[] results;
    private final Set<NodeId> live = new TreeSet<>();
    private final PerformanceMeter meter;
    private final List<String> notes = new ArrayList<>();
    private int nextStep;
    private int unanswered;
    private long stepStartedNanos;
    private long lastAnswerNanos;

    SetExecution(TestSet set, Topology topology, ActorRef<StatusReply<SetResult>> replyTo) {
        this.set = set;
        this.replyTo = replyTo;
        this.steps = SetPlan.of(set).steps();
        this.results = new CommandResult[set.commands().size()];
        this.meter = new PerformanceMeter(topology.initialShardMap());
        for (int i = 0; i < set.commands().size(); i++) {
            indexes.put(set.commands().get(i), i);
        }
        live.addAll(set.liveNodes());
    }

    TestSet set() {
        return set;
    }

    ActorRef<StatusReply<SetResult>> replyTo() {
        return replyTo;
    }

    /** The next step, or null when every step has run. */
    SetPlan.Step nextStep() {
        return nextStep < steps.size() ? steps.get(nextStep++) : null;
    }

    int indexOf(ScriptCommand command) {
        return indexes.get(command);
    }

    ScriptCommand command(int index) {
        return set.commands().get(index);
    }

    /** The nodes live right now: the set's live list, changed by the F/R rows run so far. */
    List<NodeId> live() {
        return List.copyOf(live);
    }

    void startStep(int transactions) {
        unanswered = transactions;
        stepStartedNanos = System.nanoTime();
        lastAnswerNanos = stepStartedNanos;
    }

    /** Records an answer; returns whether it was the step's last. */
    boolean recordTransaction(int index, Outcome outcome, long sentNanos, long answeredNanos) {
        ScriptCommand command = set.commands().get(index);
        results[index] = CommandResult.transaction(command, outcome, answeredNanos - sentNanos);
        meter.record(command, answeredNanos - sentNanos);
        lastAnswerNanos = Math.max(lastAnswerNanos, answeredNanos);
        unanswered--;
        if (unanswered == 0) {
            meter.addBusyTime(lastAnswerNanos - stepStartedNanos);
            return true;
        }
        return false;
    }

    void recordNodeChange(ScriptCommand command) {
        results[indexOf(command)] = CommandResult.nodeChange(command);
        if (command instanceof ScriptCommand.Fail f) {
            live.remove(f.node());
        } else {
            live.add(((ScriptCommand.Recover) command).node());
        }
    }

    void note(String note) {
        notes.add(note);
    }

    SetResult result() {
        return new SetResult(set, List.of(results), meter.summary(), notes);
    }
}
