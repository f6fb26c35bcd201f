package io.shardbank.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.shardbank.model.ClusterId;
import io.shardbank.model.NodeMessage;
import io.shardbank.model.RequestId;
import io.shardbank.model.ShardMap;
import io.shardbank.node.NodeProtocol.ClientReply;
import io.shardbank.paxos.Ballot;
import io.shardbank.shard.BatchCodec;
import io.shardbank.shard.ItemDelta;
import io.shardbank.shard.LogCommand;
import io.shardbank.shard.Operation;
import io.shardbank.shard.Outcome;
import io.shardbank.shard.Route;
import io.shardbank.shard.Vote;
import io.shardbank.shard.ShardStateMachine;
import io.shardbank.storage.WriteBatch;
import io.shardbank.txn.TxnMessage.TxnAck;
import io.shardbank.txn.TxnMessage.TxnPrepare;
import io.shardbank.txn.TxnMessage.TxnVote;
import io.shardbank.txn.TxnSettings;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The cross-cluster protocols of one node, with a node that records what it is asked and a real
 * shard that applies what they queue: a transaction's client is answered on one path, the fail
 * points pass in order, and leadership reaches the engine as an event. Clusters of three nodes
 * (c1 = n1..n3 with items 1..10, c2 = n4..n6 with 11..20, c3 = n7..n9 with 21..30).
 */
class CrossClusterProtocolsTest {

    private static final ShardMap MAP = ShardMap.evenRanges(3, 30);
    private static final TxnSettings TXN_SETTINGS = new TxnSettings(100, 800, 1_000, 500);
    private static final RequestId TXN = new RequestId(42, 1);
    private static final Operation.Transfer TRANSFER = new Operation.Transfer(1, 1, 11, 4);
    private static final Route TRANSFER_ROUTE = Route.of(TRANSFER, 1, item -> MAP.clusterOf(item).index());

    /** Records, in one list, what is sent, answered and passed; queues what is proposed. */
    private static final class RecordingNode implements CrossClusterProtocols.Node<String>, NodeCore.Host<String> {
        final List<String> events = new ArrayList<>();
        final List<LogCommand> proposed = new ArrayList<>();
        boolean leader;

        @Override
        public void send(int node, NodeMessage message) {
            events.add("send n" + node + " " + message.getClass().getSimpleName());
        }

        @Override
        public void reply(ClientReplies<String> replies) {
            replies.send(this, 1, 1);
        }

        @Override
        public void reply(String client, ClientReply reply) {
            events.add("answer " + client + " " + reply.clientId() + " " + reply.outcomes());
        }

        @Override
        public void write(WriteBatch batch) {
        }

        @Override
        public void leadershipChanged(boolean leading, Ballot ballot, int leaderHint) {
        }

        @Override
        public boolean isLeader() {
            return leader;
        }

        @Override
        public boolean canCommit() {
            return leader;
        }

        @Override
        public void propose(LogCommand command) {
            proposed.add(command);
        }

        @Override
        public void proposeQueued() {
        }

        @Override
        public void committed(List<Integer> items) {
            events.add("committed " + items);
        }
    }

    private final RecordingNode node = new RecordingNode();
    private final Map<RequestId, String> waiting = new LinkedHashMap<>();
    private final long now = 1_000;
    private ShardStateMachine machine;
    private CrossClusterProtocols<String> protocols;
    private long slot;

    private static List<Integer> nodesOf(int cluster) {
        int first = (cluster - 1) * 3 + 1;
        return List.of(first, first + 1, first + 2);
    }

    private void nodeOf(int cluster, int self) {
        machine = new ShardStateMachine(new ClusterId(cluster), MAP, 10, 16);
        NodeCore.Observer observer = new NodeCore.Observer() {
            @Override
            public void reached(FailPoint point, String detail) {
                node.events.add(point.label());
            }
        };
        protocols = new CrossClusterProtocols<>(cluster, self, TXN_SETTINGS, CrossClusterProtocolsTest::nodesOf,
                machine, waiting, observer, node);
    }

    /** Applies what the protocols queued, as the node does once a slot holding it is chosen. */
    private void applyProposed() {
        List<LogCommand> commands = List.copyOf(node.proposed);
        node.proposed.clear();
        ClientReplies<String> replies = new ClientReplies<>();
        for (ShardStateMachine.Applied applied : machine.apply(++slot, BatchCodec.encode(commands))) {
            protocols.onApplied(applied, replies, now);
        }
        node.reply(replies);
        protocols.afterApplied();
    }

    private void lead(int self) {
        node.leader = true;
        protocols.onLeadership(true, self, now);
    }

    @Test
    void theCoordinatorAnswersItsClientOnceAsTheLastAcknowledgementArrivesAndPassesItsFailPointsInOrder() {
        nodeOf(1, 1);
        lead(1);
        protocols.coordinate(TXN, TRANSFER_ROUTE, List.of(1, 11), "a");
        protocols.carryOut();
        assertThat(node.events).containsExactly("send n4 TxnPrepare");

        applyProposed();
        protocols.onMessage(new TxnVote(TXN, 2, 4, Vote.YES, ""), now);
        applyProposed();
        protocols.onMessage(new TxnAck(TXN, 2, 4), now);
        applyProposed(); // TxnEnded: the client, answered already, is not answered again

        assertThat(node.events).containsExactly("send n4 TxnPrepare", "coordinator-prepared",
                "coordinator-before-decision", "coordinator-decided", "send n4 TxnDecision",
                "committed [1, 11]", "answer a 42 [committed]");
        assertThat(waiting).isEmpty();
        assertThat(machine.txn(TXN)).isNull();
    }

    /** Admission answers a retry from the dedup table once the coordination is over. */
    @Test
    void aFinishedTransactionLeavesNoCoordinationAndItsOutcomeRecorded() {
        nodeOf(1, 1);
        lead(1);
        protocols.coordinate(TXN, TRANSFER_ROUTE, List.of(1, 11), "a");
        assertThat(protocols.isCoordinating(TXN)).isTrue();
        protocols.carryOut();
        applyProposed();
        protocols.onMessage(new TxnVote(TXN, 2, 4, Vote.YES, ""), now);
        applyProposed();
        protocols.onMessage(new TxnAck(TXN, 2, 4), now);
        applyProposed();

        assertThat(protocols.isCoordinating(TXN)).isFalse();
        assertThat(machine.outcomeOf(TXN)).isEqualTo(Outcome.committed(TXN.sequence()));
        assertThat(waiting).isEmpty();
    }

    @Test
    void aClientThatRetriedAtAFollowerHearsTheOutcomeWhenTheTransactionEnds() {
        nodeOf(1, 2);
        waiting.put(TXN, "c");
        node.proposed.add(new LogCommand.TxnPrepared(TXN, 1, List.of(2), List.of(new ItemDelta(1, -4))));
        applyProposed();
        node.proposed.add(new LogCommand.TxnDecided(TXN, Outcome.Status.COMMITTED, ""));
        applyProposed();
        assertThat(node.events).isEmpty();

        node.proposed.add(new LogCommand.TxnEnded(TXN));
        applyProposed();

        assertThat(node.events).containsExactly("answer c 42 [committed]");
        assertThat(waiting).isEmpty();
    }

    @Test
    void aParticipantPassesItsFailPointOnlyAfterItsVoteWentOut() {
        nodeOf(2, 4);
        lead(4);
        protocols.onMessage(new TxnPrepare(TXN, 1, 1, List.of(2), List.of(new ItemDelta(11, 4))), now);
        applyProposed();

        assertThat(node.events).containsExactly("send n1 TxnVote", "participant-prepared");
    }

    @Test
    void leadershipReachesTheEngineAsAnEventAndANewLeaderRecoversAtOnce() {
        nodeOf(1, 1);
        protocols.onLeadership(false, 2, now);
        protocols.onMessage(new TxnAck(TXN, 2, 4), now);
        assertThat(node.events).as("a follower forwards to the leader it knows").containsExactly("send n2 TxnAck");

        protocols.onLeadership(false, 3, now);
        protocols.onMessage(new TxnAck(TXN, 2, 4), now);
        assertThat(node.events).endsWith("send n3 TxnAck");

        // The former leader logged its prepare and left the transaction undecided.
        node.proposed.add(new LogCommand.TxnPrepared(TXN, 1, List.of(2), List.of(new ItemDelta(1, -4))));
        applyProposed();
        node.events.clear();

        lead(1);
        assertThat(node.proposed).as("the new leader's recovery is carried out with the event")
                .containsExactly(new LogCommand.TxnDecided(TXN, Outcome.Status.ABORTED,
                        "the coordinator's leader changed before the decision"));
        assertThat(node.events).containsExactly("coordinator-before-decision");

        protocols.onLeadership(true, 1, now);
        assertThat(node.proposed).as("an unchanged leadership is no event").hasSize(1);
    }
}
