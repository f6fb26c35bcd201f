package io.shardbank.node;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import io.shardbank.model.NodeMessage;
import io.shardbank.model.WireMessage;
import io.shardbank.paxos.Ballot;
import io.shardbank.paxos.PaxosMessage;
import io.shardbank.shard.Operation;
import io.shardbank.shard.Outcome;
import io.shardbank.txn.TxnMessage;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * The messages a node's actor takes from clients, operators and its peers, and its replies. Every
 * one crosses ActorSystems, so each is a {@link WireMessage}; those a node takes are its
 * {@link NodeActor.Command}s. Paxos and two-phase-commit messages, which their own packages declare,
 * travel in an envelope ({@link PaxosEnvelope}, {@link TxnEnvelope}) that keeps the node's protocol
 * closed.
 */
public final class NodeProtocol {

    private NodeProtocol() {
    }

    /** Client to (believed) leader: run these operations, in order, for {@code clientId}. */
    public record ClientRequest(long clientId, List<Operation> operations, ActorRef<ClientReply> replyTo)
            implements NodeActor.Command, WireMessage {
    }

    /**
     * Node to client: the outcomes of some of a request's operations (a request's answers may come
     * in several replies). {@code leaderHint} is the node's belief of its cluster's leader, 0 if none.
     */
    public record ClientReply(int node, int leaderHint, long clientId, List<Outcome> outcomes) implements WireMessage {
    }

    /** Node to a lagging peer whose missing slots were compacted: the shard state as of {@code slot}. */
    public record InstallSnapshot(int from, long slot, Map<Integer, Long> balances, byte[] sessions)
            implements NodeMessage, NodeActor.Command, WireMessage {
    }

    /**
     * Node to a peer of its cluster: one Paxos message. The type name inside lets the receiver rebuild
     * the right record; every record of the sealed {@link PaxosMessage} must be listed here (a test
     * checks it).
     */
    public record PaxosEnvelope(
            @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
            @JsonSubTypes({
                @JsonSubTypes.Type(PaxosMessage.Phase1Prepare.class),
                @JsonSubTypes.Type(PaxosMessage.Promise.class),
                @JsonSubTypes.Type(PaxosMessage.Rejected.class),
                @JsonSubTypes.Type(PaxosMessage.Accept.class),
                @JsonSubTypes.Type(PaxosMessage.NewView.class),
                @JsonSubTypes.Type(PaxosMessage.Accepted.class),
                @JsonSubTypes.Type(PaxosMessage.Heartbeat.class),
                @JsonSubTypes.Type(PaxosMessage.CatchupRequest.class),
                @JsonSubTypes.Type(PaxosMessage.CatchupReply.class)
            })
            PaxosMessage message) implements NodeActor.Command, WireMessage {
    }

    /**
     * Leader to the leader of another cluster (or to the node it believes leads): one two-phase-commit
     * message. Every record of the sealed {@link TxnMessage} must be listed here (a test checks it).
     */
    public record TxnEnvelope(
            @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
            @JsonSubTypes({
                @JsonSubTypes.Type(TxnMessage.TxnPrepare.class),
                @JsonSubTypes.Type(TxnMessage.TxnVote.class),
                @JsonSubTypes.Type(TxnMessage.TxnDecision.class),
                @JsonSubTypes.Type(TxnMessage.TxnAck.class),
                @JsonSubTypes.Type(TxnMessage.TxnStatusQuery.class)
            })
            TxnMessage message) implements NodeActor.Command, WireMessage {
    }

    /**
     * The command that carries {@code message}, which a node's core sends to a peer, across the wire.
     * The cores send Paxos, two-phase-commit and snapshot messages only.
     */
    static NodeActor.Command toPeer(NodeMessage message) {
        if (message instanceof PaxosMessage paxos) {
            return new PaxosEnvelope(paxos);
        }
        if (message instanceof TxnMessage txn) {
            return new TxnEnvelope(txn);
        }
        if (message instanceof InstallSnapshot snapshot) {
            return snapshot;
        }
        throw new IllegalArgumentException("no node command carries " + message.getClass().getName());
    }

    /** Operator to node: act disconnected (drop everything in and out, stop timers), or stop doing so. */
    public record SetFailed(boolean failed, ActorRef<Ack> replyTo) implements NodeActor.Command, WireMessage {
    }

    /**
     * Operator to node: forget everything and start over from the initial balances and an empty log,
     * promised to ballot ({@code round}, first node of the cluster), which leads. {@code round} must
     * exceed every round used before, so that messages still in flight from before are rejected.
     */
    public record Flush(long round, ActorRef<Ack> replyTo) implements NodeActor.Command, WireMessage {
    }

    /** Operator to node: this node's own balances of the given items (those its cluster owns). */
    public record GetBalances(List<Integer> items, ActorRef<Balances> replyTo) implements NodeActor.Command, WireMessage {
    }

    /** Operator to node: its role and progress. */
    public record GetStatus(ActorRef<Status> replyTo) implements NodeActor.Command, WireMessage {
    }

    /** Operator to node: the NEW-VIEW messages it sent as a new leader since the last flush. */
    public record GetViews(ActorRef<Views> replyTo) implements NodeActor.Command, WireMessage {
    }

    /** Reshard coordinator to node: the node's part of the cluster's shard map, and (a leader's) access history. */
    public record GetReshardState(ActorRef<ReshardState> replyTo) implements NodeActor.Command, WireMessage {
    }

    /**
     * Node to reshard coordinator: whether it leads, its shard map version and applied slot, the items
     * its cluster owns there, and (a leader's) recent committed multi-item operations, oldest first.
     */
    public record ReshardState(int node, int cluster, boolean leading, long mapVersion, long appliedSlot,
            List<Integer> ownedItems, List<List<Integer>> history) implements WireMessage {
    }

    /** Node to operator: done. */
    public record Ack(int node, String what) implements WireMessage {
    }

    /** Node to operator: item to balance, for the items asked that this node's cluster owns. */
    public record Balances(int node, Map<Integer, Long> balances) implements WireMessage {
    }

    /**
     * Node to operator: a snapshot of the node's protocol state. {@code inContact} lists, on a leader,
     * the members it heard from within the contact window (itself included); it is empty elsewhere.
     * {@code locks} and {@code transactions} count the items locked and the cross-cluster
     * transactions this node's shard holds; {@code coordinations} the cross-cluster transactions
     * this node coordinates now.
     */
    public record Status(int node, String role, int leaderHint, Ballot ballot, long commitIndex, long appliedSlot,
            boolean failed, List<Integer> inContact, int locks, int transactions,
            int coordinations) implements WireMessage {
    }

    /** One NEW-VIEW message as sent: its ballot, its sender, and the entries it re-proposed. */
    public record ViewRecord(Ballot ballot, int leader, long commitIndex, List<String> entries) implements WireMessage {
    }

    /** Node to operator: the views it sent. */
    public record Views(int node, List<ViewRecord> views) implements WireMessage {
    }
}
