package io.shardbank.node;

import io.shardbank.model.NodeMessage;
import io.shardbank.model.RequestId;
import io.shardbank.shard.LogCommand;
import io.shardbank.shard.Operation;
import io.shardbank.shard.Outcome;
import io.shardbank.shard.Redirect;
import io.shardbank.shard.Route;
import io.shardbank.shard.ShardStateMachine;
import io.shardbank.shard.TxnRecord;
import io.shardbank.txn.TwoPhaseCommit;
import io.shardbank.txn.TxnMessage;
import io.shardbank.txn.TxnSettings;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * The protocols of one node that span clusters, and what the node does for them: two-phase commit
 * now (its pure engine, {@link TwoPhaseCommit}); item migration joins as a second engine beside it,
 * fed by the same inputs. It starts the coordination of an admitted operation, carries out each
 * engine's effects (send to other clusters, queue steps for this cluster's log), answers a
 * transaction's client on one path ({@link #answer}), and reports the named {@link FailPoint}s of
 * these paths in order. Leadership reaches it as an event ({@link #onLeadership}), fired only when
 * it changed.
 *
 * <p>Pure and single-threaded: no clock, no randomness, no I/O of its own.
 *
 * @param <C> how the host names a client
 */
final class CrossClusterProtocols<C> {

    /** What the protocols ask of the node around them. */
    interface Node<C> {

        /** Sends a message to a node of another cluster (or a peer, to forward it to the leader). */
        void send(int node, NodeMessage message);

        /** Sends the gathered client replies. */
        void reply(ClientReplies<C> replies);

        /** Whether this node leads its cluster right now. */
        boolean isLeader();

        /** Whether this node leads and is in touch with a majority: it may log a yes vote. */
        boolean canCommit();

        /** Queues a step for a slot of this cluster's log. */
        void propose(LogCommand command);

        /** Starts slots for what is queued, as far as the pipeline allows. */
        void proposeQueued();

        /** A transaction this node coordinated committed, over these items (for the access history). */
        void committed(List<Integer> items);
    }

    private final int cluster;
    private final ShardStateMachine machine;
    /** Clients waiting for an outcome, shared with admission (which also waits for local operations). */
    private final Map<RequestId, C> waiting;
    private final NodeCore.Observer observer;
    private final Node<C> node;
    private final TwoPhaseCommit twoPhaseCommit;
    private boolean leads;
    private int leaderHint;
    /** Fail points to pass once the effects of the steps applied now are carried out. */
    private final List<Runnable> laterFailPoints = new ArrayList<>();
    /** As leader: the items of each transaction it coordinates, for the access history if it commits. */
    private final Map<RequestId, List<Integer>> coordinatedItems = new HashMap<>();
    /** Items other clusters said they do not own, and where they said the items went (insertion order). */
    private final Map<Integer, Integer> learnedOwners = new LinkedHashMap<>();

    CrossClusterProtocols(int cluster, int self, TxnSettings txn, IntFunction<List<Integer>> nodesOfCluster,
            ShardStateMachine machine, Map<RequestId, C> waiting, NodeCore.Observer observer, Node<C> node) {
        this.cluster = cluster;
        this.machine = machine;
        this.waiting = waiting;
        this.observer = observer;
        this.node = node;
        this.twoPhaseCommit = new TwoPhaseCommit(cluster, self, txn, nodesOfCluster);
    }

    TwoPhaseCommit twoPhaseCommit() {
        return twoPhaseCommit;
    }

    // ---------------------------------------------------------------- leadership and time

    /**
     * Leadership as the protocols see it: {@code leading} once this node leads and its shard applied
     * every slot of its NEW-VIEW, and the node believed to lead. Passed on only when it changed.
     */
    void onLeadership(boolean leading, int hint, long nowMs) {
        if (leading == leads && hint == leaderHint) {
            return;
        }
        leads = leading;
        leaderHint = hint;
        twoPhaseCommit.onLeadership(leading, hint, machine, nowMs);
        carryOut(); // a new leader's recovery steps belong to this term, not to a later one
    }

    /** Time passes: retries, vote timeouts, inquiries. */
    void onTick(long nowMs) {
        twoPhaseCommit.tick(nowMs);
        carryOut();
    }

    void onMessage(TxnMessage message, long nowMs) {
        twoPhaseCommit.onMessage(message, machine, node.canCommit(), nowMs);
        carryOut();
    }

    /**
     * A step of these protocols was applied to the shard; {@code replies} gathers the answers of
     * the slot being applied. Call {@link #afterApplied} once the slots at hand are applied.
     */
    void onApplied(ShardStateMachine.Applied applied, ClientReplies<C> replies, long nowMs) {
        if (applied instanceof ShardStateMachine.ClientOutcome ended) {
            // the outcome of a transaction that ended, for a client still waiting (it retried here)
            RequestId txn = new RequestId(ended.clientId(), ended.outcome().sequence());
            answer(waiting.remove(txn), txn, ended.outcome(), replies);
            return;
        }
        passFailPoints(applied);
        twoPhaseCommit.onApplied(applied, nowMs);
    }

    /** Carries out what the applied steps caused, then passes the fail points that come after it. */
    void afterApplied() {
        carryOut();
        List<Runnable> points = List.copyOf(laterFailPoints);
        laterFailPoints.clear();
        points.forEach(Runnable::run);
    }

    // ---------------------------------------------------------------- coordinating

    /**
     * The leader admitted an operation that spans clusters (a transfer, a transaction or a
     * migration), new to it: start its two-phase commit along {@code route}; its client is answered
     * when it ends.
     */
    void coordinate(RequestId id, Route route, List<Integer> items, C client) {
        waiting.put(id, client);
        coordinatedItems.put(id, items);
        twoPhaseCommit.coordinate(id, route);
    }

    /** Whether this node coordinates {@code txn} now (its prepare may not be in the log yet). */
    boolean isCoordinating(RequestId txn) {
        return twoPhaseCommit.isCoordinating(txn);
    }

    /** Where a participant said an item went, or 0 when none did. */
    int learnedOwner(int item) {
        return learnedOwners.getOrDefault(item, 0);
    }

    /** Leadership is lost: the coordinations started here are over for this node. */
    void forgetCoordinated() {
        coordinatedItems.clear();
    }

    /** A participant said where an item went: route there from now on (a hint; participants check). */
    private void learnOwner(Redirect redirect) {
        if (redirect.owner() == cluster) {
            return; // the item is frozen by a migration out of the participant: ask it again later
        }
        learnedOwners.put(redirect.item(), redirect.owner());
        if (learnedOwners.size() > machine.shardMap().itemCount()) {
            learnedOwners.remove(learnedOwners.keySet().iterator().next());
        }
    }

    // ---------------------------------------------------------------- carrying out

    /** Sends what the engines ask to send, queues what they ask to log, and answers finished transactions. */
    void carryOut() {
        List<TwoPhaseCommit.Effect> effects = twoPhaseCommit.drainEffects();
        if (effects.isEmpty()) {
            return;
        }
        int decisionsLeft = decisionCount(effects);
        ClientReplies<C> finished = new ClientReplies<>();
        for (TwoPhaseCommit.Effect effect : effects) {
            if (effect instanceof TwoPhaseCommit.Send send) {
                node.send(send.node(), send.message());
                if (send.message() instanceof TxnMessage.TxnDecision decision && --decisionsLeft > 0) {
                    observer.reached(FailPoint.DECISION_FAN_OUT, "sent the decision of transaction "
                            + decision.txn() + " to some participants");
                }
            } else if (effect instanceof TwoPhaseCommit.Finished done) {
                answerFinished(done.txn(), finished);
            } else if (effect instanceof TwoPhaseCommit.Learned learned) {
                learnOwner(learned.redirect());
            } else if (node.isLeader()) {
                LogCommand command = ((TwoPhaseCommit.Propose) effect).command();
                beforeDecision(command);
                node.propose(command); // a follower never queues a proposal
            }
        }
        node.reply(finished);
        node.proposeQueued();
    }

    private static int decisionCount(List<TwoPhaseCommit.Effect> effects) {
        int count = 0;
        for (TwoPhaseCommit.Effect effect : effects) {
            if (effect instanceof TwoPhaseCommit.Send send && send.message() instanceof TxnMessage.TxnDecision) {
                count++;
            }
        }
        return count;
    }

    // ---------------------------------------------------------------- answering

    /**
     * Answers the client of a transaction every participant acknowledged: no lock of it is left
     * anywhere. A client that is not waiting here (it retried at another node) hears the outcome
     * when TxnEnded is applied; one answered now is no longer waiting then.
     */
    private void answerFinished(RequestId txn, ClientReplies<C> replies) {
        Outcome outcome = machine.outcomeOf(txn);
        List<Integer> items = coordinatedItems.remove(txn);
        if (items != null && outcome != null && outcome.status() == Outcome.Status.COMMITTED) {
            node.committed(items);
        }
        if (outcome != null) {
            answer(waiting.remove(txn), txn, outcome, replies);
        }
    }

    /**
     * The one place a transaction's client hears its outcome: as the last acknowledgement arrives,
     * when TxnEnded applies, or at once for a retry of a finished transaction.
     */
    private void answer(C client, RequestId txn, Outcome outcome, ClientReplies<C> replies) {
        if (client != null) {
            replies.add(client, txn.clientId(), outcome);
        }
    }

    // ---------------------------------------------------------------- fail points

    /** Fail point: the coordinator's leader is about to log the decision of a transaction it holds prepared. */
    private void beforeDecision(LogCommand command) {
        if (command instanceof LogCommand.TxnDecided decided) {
            TxnRecord record = machine.txn(decided.txn());
            if (record != null && record.state() == TxnRecord.State.PREPARED && record.coordinatedBy(cluster)) {
                observer.reached(FailPoint.COORDINATOR_BEFORE_DECISION, "about to log " + decided.status()
                        + " for transaction " + decided.txn());
            }
        }
    }

    /**
     * The fail points at an applied two-phase-commit step of the leader: those before the engine
     * acts on it are passed now, those after its effects wait for {@link #afterApplied}.
     */
    private void passFailPoints(ShardStateMachine.Applied applied) {
        if (!node.isLeader()) {
            return;
        }
        if (applied instanceof ShardStateMachine.VoteLogged voted) {
            RequestId txn = voted.record().txn();
            boolean migration = voted.record().handover() != null;
            if (voted.record().coordinatedBy(cluster)) {
                observer.reached(migration ? FailPoint.MIGRATION_SOURCE_PREPARED : FailPoint.COORDINATOR_PREPARED,
                        "logged its prepare of transaction " + txn);
            } else if (voted.yes()) {
                FailPoint point = migration ? FailPoint.MIGRATION_TARGET_PREPARED : FailPoint.PARTICIPANT_PREPARED;
                laterFailPoints.add(() -> observer.reached(point, "voted yes on transaction " + txn));
            }
        } else if (applied instanceof ShardStateMachine.DecisionApplied decided
                && decided.record() != null && decided.record().coordinatedBy(cluster)) {
            observer.reached(FailPoint.COORDINATOR_DECIDED, "logged " + decided.status() + " for transaction "
                    + decided.txn());
        }
    }
}
