package io.shardbank.txn;

import io.shardbank.model.Invariants;
import io.shardbank.model.RequestId;
import io.shardbank.shard.Handover;
import io.shardbank.shard.ItemDelta;
import io.shardbank.shard.LogCommand;
import io.shardbank.shard.Outcome;
import io.shardbank.shard.Redirect;
import io.shardbank.shard.Route;
import io.shardbank.shard.Vote;
import io.shardbank.shard.ShardStateMachine;
import io.shardbank.shard.TxnRecord;
import io.shardbank.shard.TxnRecords;
import io.shardbank.txn.TxnMessage.TxnAck;
import io.shardbank.txn.TxnMessage.TxnDecision;
import io.shardbank.txn.TxnMessage.TxnPrepare;
import io.shardbank.txn.TxnMessage.TxnStatusQuery;
import io.shardbank.txn.TxnMessage.TxnVote;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntFunction;

/**
 * One node's part in two-phase commit over Paxos, as a pure state machine: the coordinator role
 * for transactions its cluster coordinates and the participant role for the others. Every step that
 * must survive a leader change is a log entry ({@link LogCommand.TxnPrepared},
 * {@link LogCommand.TxnDecided}, {@link LogCommand.TxnEnded}); this class only keeps what a leader
 * can rebuild from its shard: who voted, who acknowledged, when to retry. Only the leader acts;
 * a new leader recovers from the shard's transaction records ({@link #onLeadership}), which it
 * reads through the narrow {@link TxnRecords} view.
 *
 * <p>Presumed abort: a coordinator asked about a transaction it has no record of logs an abort for
 * it first (so a prepare that arrives later is refused) and then answers abort.
 *
 * <p>A migration of items is a transaction of this kind whose parts hand items over instead of
 * changing balances ({@link Handover}): the source cluster coordinates, and it asks the target to
 * prepare only once its own prepare has frozen the items, because the target's part carries the
 * balances the source recorded. Everything else (votes, the one decision, recovery, inquiries) is
 * the same, so a migration survives the same faults a transfer does.
 */
public final class TwoPhaseCommit {

    /** What the host must do. */
    public sealed interface Effect {
    }

    /** Send a message to a node. */
    public record Send(int node, TxnMessage message) implements Effect {
    }

    /** Propose a command in this cluster's log (only while leading). */
    public record Propose(LogCommand command) implements Effect {
    }

    /**
     * Every participant acknowledged the decision of a transaction this node coordinates, so each
     * applied it and released its locks, as this cluster did when it applied the decision: its
     * client may be answered now, before TxnEnded is logged.
     */
    public record Finished(RequestId txn) implements Effect {
    }

    /** A participant refused because an item lives elsewhere: route it there from now on. */
    public record Learned(Redirect redirect) implements Effect {
    }

    /**
     * Where a coordination stands; transitions are checked. A coordination a new leader takes over
     * with its decision already in the log goes from PREPARING straight to ANNOUNCING.
     */
    enum Phase {
        /** This cluster's prepare and the participants' votes are awaited. */
        PREPARING,
        /** The decision is proposed in this cluster's log, not yet applied. */
        DECIDING,
        /** The decision is applied here and sent until every participant acknowledged it. */
        ANNOUNCING,
        /** Every participant acknowledged: the client is answered and TxnEnded proposed. */
        ENDING;

        boolean canBecome(Phase next) {
            return switch (this) {
                case PREPARING -> next == DECIDING || next == ANNOUNCING;
                case DECIDING -> next == ANNOUNCING;
                case ANNOUNCING -> next == ENDING;
                case ENDING -> false;
            };
        }
    }

    /** A transaction this node coordinates, while it leads. */
    private static final class Coordination {
        final RequestId txn;
        final List<Integer> participants;
        final Map<Integer, List<ItemDelta>> deltas;
        /** A migration's source part (no values), or null for a transfer. */
        final Handover handover;
        /** A migration's target part, with the values this cluster froze: known once its prepare applied. */
        Handover targetPart;
        final long deadline;
        final Map<Integer, TxnVote> votes = new HashMap<>();
        final Set<Integer> acked = new HashSet<>();
        /** This cluster's own vote, as its logged prepare (null until it is applied here). */
        TxnRecord ownVote;
        Phase phase = Phase.PREPARING;
        /** The decision as announced to participants: set on entering ANNOUNCING. */
        TxnDecision decision;
        /** When to resend what is unanswered, and the pause after that (doubling up to the maximum). */
        final Backoff resend = new Backoff();

        Coordination(RequestId txn, List<Integer> participants, Map<Integer, List<ItemDelta>> deltas,
                Handover handover, long deadline) {
            this.txn = txn;
            this.participants = List.copyOf(participants);
            this.deltas = deltas;
            this.handover = handover;
            this.deadline = deadline;
        }

        void moveTo(Phase next) {
            Invariants.check(phase.canBecome(next), "coordination of %s cannot go from %s to %s", txn, phase, next);
            phase = next;
        }

        boolean isUndecided() {
            return phase == Phase.PREPARING;
        }

        /** Whether this node knows every participant's part, so that it can (re)send prepares. */
        boolean canPrepare() {
            return !deltas.isEmpty() && (handover == null || targetPart != null);
        }
    }

    private final int cluster;
    private final int self;
    private final TxnSettings settings;
    private final IntFunction<List<Integer>> nodesOfCluster;

    private boolean leader;
    private int leaderHint;
    private long now;
    private final Map<Integer, Integer> clusterLeaderHints = new HashMap<>();
    private final Map<RequestId, Coordination> coordinations = new HashMap<>();
    private final Set<RequestId> proposed = new HashSet<>();
    /** Participant side: who to answer once our vote or decision is chosen. */
    private final Map<RequestId, Integer> answerTo = new HashMap<>();
    /** Participant side: when to ask the coordinator about a prepared transaction. */
    private final Map<RequestId, Backoff> inquireAt = new HashMap<>();
    /** Coordinator side: clusters waiting for the answer to a status query. */
    private final Map<RequestId, Set<Integer>> queriedBy = new HashMap<>();
    /** Participant side: the coordinator cluster of each transaction under way here. */
    private final Map<RequestId, Integer> coordinatorClusters = new HashMap<>();
    private List<Effect> effects = new ArrayList<>();

    public TwoPhaseCommit(int cluster, int self, TxnSettings settings, IntFunction<List<Integer>> nodesOfCluster) {
        this.cluster = cluster;
        this.self = self;
        this.settings = settings;
        this.nodesOfCluster = nodesOfCluster;
    }

    /** Everything the inputs since the last call asked for. */
    public List<Effect> drainEffects() {
        List<Effect> out = effects;
        effects = new ArrayList<>();
        return out;
    }

    /** Whether this node coordinates {@code txn} now (it may not have reached the log yet). */
    public boolean isCoordinating(RequestId txn) {
        return coordinations.containsKey(txn);
    }

    /** Transactions this node coordinates now, for the operator's status. */
    public int coordinationCount() {
        return coordinations.size();
    }

    // ---------------------------------------------------------------- leadership and time

    /**
     * The node's role changed. A new leader takes over the coordinator role from the shard:
     * transactions it coordinates that were not decided are aborted (their votes went to the old
     * leader), decided ones are resent until acknowledged; prepared participant transactions get an
     * inquiry timer.
     */
    public void onLeadership(boolean leading, int hint, TxnRecords shard, long nowMs) {
        now = nowMs;
        leaderHint = hint;
        if (leading == leader) {
            return;
        }
        leader = leading;
        coordinations.clear();
        proposed.clear();
        answerTo.clear();
        inquireAt.clear();
        queriedBy.clear();
        if (leading) {
            for (TxnRecord record : shard.txns()) {
                adopt(record);
            }
        }
    }

    private void adopt(TxnRecord record) {
        if (record.coordinatedBy(cluster)) {
            Coordination coordination = new Coordination(record.txn(), record.participantClusters(), Map.of(), null,
                    now);
            coordinations.put(record.txn(), coordination);
            if (record.state().isDecided()) {
                onCoordinatorDecision(coordination, record.decidedStatus(), record.reason());
            } else {
                coordination.ownVote = record;
                proposeDecision(coordination, Outcome.Status.ABORTED,
                        "the coordinator's leader changed before the decision");
            }
        } else if (!record.state().isDecided()) {
            // A node that took over (or restarted) may never have seen the prepare message: the
            // record names whom to ask.
            coordinatorClusters.put(record.txn(), record.coordinatorCluster());
            inquireAt.put(record.txn(), new Backoff().start(now, settings.inquiryMs()));
        }
    }

    /** Retries, vote timeouts and inquiries. */
    public void tick(long nowMs) {
        now = nowMs;
        if (!leader) {
            return;
        }
        for (Coordination coordination : coordinations.values()) {
            if (coordination.isUndecided() && now >= coordination.deadline) {
                proposeDecision(coordination, Outcome.Status.UNAVAILABLE, "cluster(s) " + missingVoters(coordination)
                        + " did not vote within " + settings.voteTimeoutMs() + " ms");
            }
            if (coordination.resend.due(now, settings.retryMaxMs())) {
                retry(coordination);
            }
        }
        for (Map.Entry<RequestId, Backoff> entry : inquireAt.entrySet()) {
            if (entry.getValue().due(now, settings.retryMaxMs())) {
                int coordinatorCluster = coordinatorOf(entry.getKey());
                if (coordinatorCluster > 0) {
                    sendToCluster(coordinatorCluster, new TxnStatusQuery(entry.getKey(), cluster, self), true);
                }
            }
        }
    }

    private int coordinatorOf(RequestId txn) {
        return coordinatorClusters.getOrDefault(txn, 0);
    }

    private List<String> missingVoters(Coordination coordination) {
        List<Integer> missing = new ArrayList<>();
        for (int participant : coordination.participants) {
            if (!coordination.votes.containsKey(participant)) {
                missing.add(participant);
            }
        }
        return missing.stream().map(c -> "c" + c).toList();
    }

    private void retry(Coordination coordination) {
        if (coordination.phase == Phase.ANNOUNCING) {
            for (int participant : coordination.participants) {
                if (!coordination.acked.contains(participant)) {
                    sendToCluster(participant, coordination.decision, true);
                }
            }
        } else if (coordination.isUndecided() && coordination.canPrepare()) {
            for (int participant : coordination.participants) {
                if (!coordination.votes.containsKey(participant)) {
                    sendToCluster(participant, prepareFor(coordination, participant), true);
                }
            }
        }
    }

    // ---------------------------------------------------------------- coordinator

    /**
     * The leader admitted an operation that spans clusters: log this cluster's prepare and ask every
     * participant to prepare its part (a migration's target: once this cluster's prepare applied).
     */
    public void coordinate(RequestId txn, Route route) {
        if (!leader || coordinations.containsKey(txn)) {
            return;
        }
        Coordination coordination = new Coordination(txn, route.participants(), route.deltas(), route.handover(),
                now + settings.voteTimeoutMs());
        coordination.resend.start(now, settings.retryMs());
        coordinations.put(txn, coordination);
        effects.add(new Propose(new LogCommand.TxnPrepared(txn, cluster, route.participants(),
                route.deltas().getOrDefault(cluster, List.of()), route.handover())));
        if (coordination.canPrepare()) {
            sendPrepares(coordination);
        }
    }

    private void sendPrepares(Coordination coordination) {
        for (int participant : coordination.participants) {
            sendToCluster(participant, prepareFor(coordination, participant), false);
        }
    }

    private TxnPrepare prepareFor(Coordination coordination, int participant) {
        return new TxnPrepare(coordination.txn, cluster, self, coordination.participants,
                coordination.deltas.getOrDefault(participant, List.of()), coordination.targetPart);
    }

    private void onVote(TxnVote vote) {
        noteLeader(vote.cluster(), vote.fromNode());
        Coordination coordination = coordinations.get(vote.txn());
        if (coordination == null || !coordination.isUndecided()
                || !coordination.participants.contains(vote.cluster())) {
            return;
        }
        if (vote.redirect() != null) {
            effects.add(new Learned(vote.redirect()));
        }
        coordination.votes.putIfAbsent(vote.cluster(), vote);
        maybeDecide(coordination);
    }

    private void onOwnVote(TxnRecord record) {
        Coordination coordination = coordinations.get(record.txn());
        if (coordination == null) {
            // Logged by a former leader whose coordination died with its leadership.
            coordination = new Coordination(record.txn(), record.participantClusters(), Map.of(), null, now);
            coordinations.put(record.txn(), coordination);
            proposeDecision(coordination, Outcome.Status.ABORTED, "the coordinator's leader changed before the decision");
            return;
        }
        coordination.ownVote = record;
        if (coordination.handover != null && record.votedYes() && coordination.targetPart == null) {
            coordination.targetPart = record.handover().withValues(record.undo());
            sendPrepares(coordination);
        }
        maybeDecide(coordination);
    }

    private void maybeDecide(Coordination coordination) {
        if (!coordination.isUndecided() || coordination.ownVote == null) {
            return;
        }
        if (!coordination.ownVote.votedYes()) {
            proposeDecision(coordination, coordination.ownVote.vote().decision(), coordination.ownVote.reason());
            return;
        }
        for (TxnVote vote : coordination.votes.values()) {
            if (!vote.yes()) {
                proposeDecision(coordination, vote.vote().decision(), vote.reason());
                return;
            }
        }
        if (coordination.votes.size() == coordination.participants.size()) {
            proposeDecision(coordination, Outcome.Status.COMMITTED, "");
        }
    }

    private void proposeDecision(Coordination coordination, Outcome.Status status, String reason) {
        coordination.moveTo(Phase.DECIDING);
        effects.add(new Propose(new LogCommand.TxnDecided(coordination.txn, status, reason)));
    }

    private void onCoordinatorDecision(Coordination coordination, Outcome.Status status, String reason) {
        coordination.moveTo(Phase.ANNOUNCING);
        coordination.decision = new TxnDecision(coordination.txn, cluster, self, status, reason);
        coordination.resend.start(now, settings.retryMs());
        for (int participant : coordination.participants) {
            sendToCluster(participant, coordination.decision, false);
        }
        maybeEnd(coordination);
    }

    private void onAck(TxnAck ack) {
        noteLeader(ack.cluster(), ack.fromNode());
        Coordination coordination = coordinations.get(ack.txn());
        if (coordination != null && coordination.phase == Phase.ANNOUNCING) {
            coordination.acked.add(ack.cluster());
            maybeEnd(coordination);
        }
    }

    private void maybeEnd(Coordination coordination) {
        if (coordination.phase == Phase.ANNOUNCING && coordination.acked.containsAll(coordination.participants)) {
            coordination.moveTo(Phase.ENDING);
            effects.add(new Finished(coordination.txn));
            effects.add(new Propose(new LogCommand.TxnEnded(coordination.txn)));
        }
    }

    private void onStatusQuery(TxnStatusQuery query, TxnRecords shard) {
        noteLeader(query.cluster(), query.fromNode());
        Coordination coordination = coordinations.get(query.txn());
        if (coordination != null) {
            if (coordination.decision != null) { // announcing or ending: the decision is known
                send(query.fromNode(), coordination.decision);
            }
            return; // undecided: the decision will be sent when it is chosen
        }
        Outcome.Status forgotten = shard.forgottenDecision(query.txn());
        if (forgotten != null) {
            send(query.fromNode(), new TxnDecision(query.txn(), cluster, self, forgotten, ""));
            return;
        }
        // No record at all: presumed abort, logged first so that a late prepare here is refused.
        queriedBy.computeIfAbsent(query.txn(), t -> new HashSet<>()).add(query.cluster());
        if (proposed.add(query.txn())) {
            effects.add(new Propose(new LogCommand.TxnDecided(query.txn(), Outcome.Status.ABORTED,
                    "the coordinator has no record of the transaction (presumed abort)")));
        }
    }

    // ---------------------------------------------------------------- participant

    private void onPrepare(TxnPrepare prepare, TxnRecords shard, boolean canCommit) {
        noteLeader(prepare.coordinatorCluster(), prepare.fromNode());
        coordinatorClusters.put(prepare.txn(), prepare.coordinatorCluster());
        TxnRecord record = shard.txn(prepare.txn());
        if (record != null) {
            send(prepare.fromNode(), voteOf(record));
            return;
        }
        Outcome.Status forgotten = shard.forgottenDecision(prepare.txn());
        if (forgotten != null) {
            boolean yes = forgotten == Outcome.Status.COMMITTED;
            send(prepare.fromNode(), new TxnVote(prepare.txn(), cluster, self, yes ? Vote.YES : Vote.NO,
                    yes ? "" : "already aborted here"));
            return;
        }
        if (shard.mayHaveForgotten(prepare.txn())) {
            send(prepare.fromNode(), new TxnVote(prepare.txn(), cluster, self, Vote.NO,
                    "transaction " + prepare.txn() + " is too old: cluster c" + cluster + " may have decided it"));
            return;
        }
        answerTo.put(prepare.txn(), prepare.fromNode());
        if (proposed.contains(prepare.txn())) {
            return;
        }
        if (!canCommit) {
            send(prepare.fromNode(), new TxnVote(prepare.txn(), cluster, self, Vote.NO_MAJORITY,
                    "cluster c" + cluster + " has no majority"));
            return;
        }
        proposed.add(prepare.txn());
        effects.add(new Propose(new LogCommand.TxnPrepared(prepare.txn(), prepare.coordinatorCluster(),
                prepare.participantClusters(), prepare.deltas(), prepare.handover())));
    }

    private TxnVote voteOf(TxnRecord record) {
        Vote vote = record.vote();
        return new TxnVote(record.txn(), cluster, self, vote, vote == Vote.YES ? "" : record.reason(),
                record.redirect());
    }

    private void onParticipantVote(TxnRecord record) {
        proposed.remove(record.txn());
        coordinatorClusters.put(record.txn(), record.coordinatorCluster());
        if (record.state() == TxnRecord.State.PREPARED) {
            inquireAt.put(record.txn(), new Backoff().start(now, settings.inquiryMs()));
        }
        Integer target = answerTo.remove(record.txn());
        if (target != null) {
            send(target, voteOf(record));
        } else {
            sendToCluster(record.coordinatorCluster(), voteOf(record), false);
        }
    }

    private void onDecision(TxnDecision decision, TxnRecords shard) {
        noteLeader(decision.coordinatorCluster(), decision.fromNode());
        TxnRecord record = shard.txn(decision.txn());
        boolean known = record == null && shard.forgottenDecision(decision.txn()) != null
                || record != null && record.state().isDecided();
        if (known) {
            send(decision.fromNode(), new TxnAck(decision.txn(), cluster, self));
            return;
        }
        answerTo.put(decision.txn(), decision.fromNode());
        coordinatorClusters.put(decision.txn(), decision.coordinatorCluster());
        if (proposed.add(decision.txn())) {
            effects.add(new Propose(new LogCommand.TxnDecided(decision.txn(), decision.status(), decision.reason())));
        }
    }

    // ---------------------------------------------------------------- inputs

    /** A two-phase-commit message arrived. {@code canCommit}: this cluster is in touch with a majority. */
    public void onMessage(TxnMessage message, TxnRecords shard, boolean canCommit, long nowMs) {
        now = nowMs;
        if (!leader) {
            if (leaderHint != 0 && leaderHint != self) {
                send(leaderHint, message); // forward to the leader this node believes in
            }
            return;
        }
        if (message instanceof TxnPrepare m) {
            onPrepare(m, shard, canCommit);
        } else if (message instanceof TxnVote m) {
            onVote(m);
        } else if (message instanceof TxnDecision m) {
            onDecision(m, shard);
        } else if (message instanceof TxnAck m) {
            onAck(m);
        } else if (message instanceof TxnStatusQuery m) {
            onStatusQuery(m, shard);
        }
    }

    /** A transaction command was applied to this node's shard. */
    public void onApplied(ShardStateMachine.Applied applied, long nowMs) {
        now = nowMs;
        if (!leader) {
            return;
        }
        if (applied instanceof ShardStateMachine.VoteLogged voted) {
            if (voted.record().coordinatedBy(cluster)) {
                onOwnVote(voted.record());
            } else {
                onParticipantVote(voted.record());
            }
        } else if (applied instanceof ShardStateMachine.DecisionApplied decided) {
            onDecisionApplied(decided);
        } else if (applied instanceof ShardStateMachine.TxnForgotten forgotten) {
            coordinations.remove(forgotten.txn());
        } else if (applied instanceof ShardStateMachine.TxnSuperseded superseded) {
            Coordination coordination = coordinations.get(superseded.txn());
            if (coordination != null && coordination.ownVote == null && coordination.isUndecided()) {
                coordinations.remove(superseded.txn());
            }
        }
    }

    private void onDecisionApplied(ShardStateMachine.DecisionApplied decided) {
        RequestId txn = decided.txn();
        proposed.remove(txn);
        Coordination coordination = coordinations.get(txn);
        if (coordination == null && decided.record() != null && decided.record().coordinatedBy(cluster)) {
            // A transaction of ours decided with no coordination under way (its prepare came after a
            // presumed abort): take it over, so that the decision is announced and the transaction ends.
            coordination = new Coordination(txn, decided.record().participantClusters(), Map.of(), null, now);
            coordinations.put(txn, coordination);
        }
        if (coordination != null) {
            onCoordinatorDecision(coordination, decided.status(), decided.reason());
            return;
        }
        Set<Integer> askers = queriedBy.remove(txn);
        if (askers != null) {
            for (int asker : askers) {
                sendToCluster(asker, new TxnDecision(txn, cluster, self, decided.status(), decided.reason()), false);
            }
        }
        if (decided.record() == null || !decided.record().coordinatedBy(cluster)) {
            inquireAt.remove(txn);
            Integer target = answerTo.remove(txn);
            int coordinatorCluster = decided.record() != null ? decided.record().coordinatorCluster() : coordinatorOf(txn);
            if (target != null) {
                send(target, new TxnAck(txn, cluster, self));
            } else if (coordinatorCluster > 0 && coordinatorCluster != cluster) {
                sendToCluster(coordinatorCluster, new TxnAck(txn, cluster, self), false);
            }
            coordinatorClusters.remove(txn);
        }
    }

    // ---------------------------------------------------------------- routing

    /**
     * Resends with exponential backoff: a message left unanswered is sent again after a pause that
     * doubles each time, up to a maximum. A cluster too busy to answer in time is thus not buried
     * under copies of what it is already working on, which would make it slower still.
     */
    private static final class Backoff {
        private long dueAt;
        private long pauseMs;

        /** The first resend is due {@code firstPauseMs} from now. */
        Backoff start(long nowMs, long firstPauseMs) {
            pauseMs = firstPauseMs;
            dueAt = nowMs + firstPauseMs;
            return this;
        }

        /** Whether a resend is due now; if so, the next one is due after twice the pause. */
        boolean due(long nowMs, long pauseMaxMs) {
            if (nowMs < dueAt) {
                return false;
            }
            pauseMs = Math.min(pauseMs * 2, Math.max(pauseMaxMs, pauseMs));
            dueAt = nowMs + pauseMs;
            return true;
        }
    }

    private void noteLeader(int otherCluster, int node) {
        if (otherCluster != cluster && node > 0) {
            clusterLeaderHints.put(otherCluster, node);
        }
    }

    /** Sends to the believed leader of a cluster; a retry moves on to the next node of that cluster. */
    private void sendToCluster(int target, TxnMessage message, boolean rotate) {
        List<Integer> nodes = nodesOfCluster.apply(target);
        int node = clusterLeaderHints.getOrDefault(target, nodes.get(0));
        if (rotate) {
            node = nodes.get((nodes.indexOf(node) + 1) % nodes.size());
            clusterLeaderHints.put(target, node);
        }
        send(node, message);
    }

    private void send(int node, TxnMessage message) {
        effects.add(new Send(node, message));
    }
}
