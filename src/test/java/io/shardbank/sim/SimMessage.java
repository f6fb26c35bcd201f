package io.shardbank.sim;

import io.shardbank.shard.Operation;
import io.shardbank.shard.Outcome;
import java.util.List;
import java.util.Map;

/**
 * Messages of the simulated hosts that are not Paxos or two-phase commit: client traffic and
 * snapshot shipping. (Paxos and 2PC messages travel as they are.)
 */
sealed interface SimMessage {

    /** Bank client to the node it believes leads a cluster (NodeProtocol.ClientRequest; replies go to the sender). */
    record BankRequest(long clientId, List<Operation> operations) implements SimMessage {
    }

    /** Bank node to client (NodeProtocol.ClientReply). */
    record BankReply(int node, int leaderHint, long clientId, List<Outcome> outcomes) implements SimMessage {
    }

    /** Bank node to a node that asked for compacted slots (NodeProtocol.InstallSnapshot). */
    record BankSnapshot(int from, long slot, Map<Integer, Long> balances, byte[] sessions) implements SimMessage {
        @Override
        public String toString() {
            return "BankSnapshot[from=" + from + ", slot=" + slot + "]";
        }
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
