package io.shardbank.sim;

import io.shardbank.shard.Operation;
import java.util.List;

/**
 * Messages of the simulated hosts that the production protocols do not already define: the bank
 * client's request (NodeProtocol.ClientRequest names an actor to answer), and the client traffic and
 * snapshot shipping of the Paxos-only simulation. Paxos, two-phase-commit and snapshot messages of
 * bank nodes, and their replies to clients, travel as they are.
 */
sealed interface SimMessage {

    /**
     * Bank client to the node it believes leads a cluster (NodeProtocol.ClientRequest); answered
     * with NodeProtocol.ClientReply messages to the sender.
     */
    record BankRequest(long clientId, List<Operation> operations) implements SimMessage {
    }

    /** Client to the node it thinks leads its cluster. */
    record ClientRequest(Command command) implements SimMessage {
    }

    /** Node to client: the command is applied (now or before). */
    record ClientApplied(Command.Id id) implements SimMessage {
    }

    /** Node to client: I do not lead; try {@code leaderHint} (0 when unknown). */
    record NotLeader(Command.Id id, int leaderHint) implements SimMessage {
    }

    /** Leader to client: my queue is full, retry later. */
    record Overloaded(Command.Id id) implements SimMessage {
    }

    /** Node to a node that asked for compacted slots: my durable snapshot. */
    record SnapshotTransfer(KvStateMachine.Snapshot snapshot) implements SimMessage {
    }
}
