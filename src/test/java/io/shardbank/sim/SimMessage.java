package io.shardbank.sim;

/**
 * Messages of the simulated hosts that are not Paxos: client traffic and snapshot shipping. (Paxos
 * messages travel as they are.) Cross-cluster protocols such as 2PC add their records here.
 */
sealed interface SimMessage {

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
