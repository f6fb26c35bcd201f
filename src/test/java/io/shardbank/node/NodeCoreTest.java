package io.shardbank.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.shardbank.model.ClusterId;
import io.shardbank.model.NodeMessage;
import io.shardbank.model.ShardMap;
import io.shardbank.node.NodeProtocol.ClientReply;
import io.shardbank.paxos.Ballot;
import io.shardbank.paxos.DurableState;
import io.shardbank.paxos.PaxosMessage;
import io.shardbank.paxos.PaxosSettings;
import io.shardbank.shard.Operation;
import io.shardbank.shard.Outcome;
import io.shardbank.shard.ReadConsistency;
import io.shardbank.shard.ShardStateMachine;
import io.shardbank.storage.StoredState;
import io.shardbank.storage.WriteBatch;
import io.shardbank.txn.TxnSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The node's host logic driven directly, with a host that records what it is asked: admission
 * answers, one write in flight with the rest merged behind it, replies grouped per client.
 * (The deterministic simulation runs the same core under faults.)
 */
class NodeCoreTest {

    private static final ShardMap MAP = ShardMap.evenRanges(1, 10);
    private static final PaxosSettings PAXOS = new PaxosSettings(50, 300, 100, 4, 16, 100);
    private static final TxnSettings TXN = new TxnSettings(100, 800, 1_000, 500);

    /** Records every request of the core. */
    private static final class RecordingHost implements NodeCore.Host<String> {
        final List<String> sent = new ArrayList<>();
        final List<String> replies = new ArrayList<>();
        final List<WriteBatch> writes = new ArrayList<>();

        @Override
        public void send(int node, NodeMessage message) {
            sent.add("n" + node + " " + message.getClass().getSimpleName());
        }

        @Override
        public void reply(String client, ClientReply reply) {
            replies.add(client + " " + reply.clientId() + " " + reply.outcomes());
        }

        @Override
        public void write(WriteBatch batch) {
            writes.add(batch);
        }

        @Override
        public void leadershipChanged(boolean leading, Ballot ballot, int leaderHint) {
        }
    }

    private final RecordingHost host = new RecordingHost();

    private NodeCore<String> core(int self, List<Integer> members) {
        NodeCore.Config config = new NodeCore.Config(self, 1, members, cluster -> members, PAXOS, TXN, 8, 100,
                1_000, 100);
        ShardStateMachine machine = new ShardStateMachine(new ClusterId(1), MAP, 10, 16);
        StoredState empty = new StoredState(DurableState.empty(), 0, Map.of(), new byte[0]);
        return new NodeCore<>(config, machine, empty, new SplittableRandom(1), 0, host, NodeCore.Observer.NONE);
    }

    @Test
    void aFollowerRedirectsWritesAndLeaseReadsButAnswersReadsFromAnyReplica() {
        NodeCore<String> follower = core(2, List.of(1, 2, 3));
        follower.start(null);

        follower.onClientRequest("a", 7, List.of(new Operation.Transfer(1, 1, 2, 1),
                new Operation.LocalRead(2, 1, ReadConsistency.ANY),
                new Operation.LocalRead(3, 1, ReadConsistency.LEASE)), 1);

        assertThat(host.replies).containsExactly("a 7 [not_leader (not the leader), balance 10,"
                + " not_leader (not the leader)]");
        assertThat(host.writes).isEmpty();
    }

    @Test
    void oneWriteIsInFlightAndClientsHearOnceTheirSlotIsApplied() {
        NodeCore<String> leader = core(1, List.of(1));
        leader.start(new Ballot(1, 1));
        assertThat(host.writes).as("the bootstrap promise").hasSize(1);

        leader.onClientRequest("a", 7, List.of(new Operation.Transfer(1, 1, 2, 3),
                new Operation.Transfer(2, 2, 3, 1)), 1);
        leader.onClientRequest("b", 8, List.of(new Operation.Transfer(1, 4, 5, 20)), 1);
        assertThat(host.writes).as("accepts wait behind the write in flight").hasSize(1);
        assertThat(host.replies).isEmpty();

        leader.onWriteDone(2);
        assertThat(host.writes).as("the merged batch goes next").hasSize(2);
        assertThat(host.writes.get(1).accepted()).isNotEmpty();
        assertThat(host.replies).as("nothing is chosen before the accept is durable").isEmpty();

        leader.onWriteDone(3);
        assertThat(host.replies).containsExactly("a 7 [committed, committed]",
                "b 8 [aborted (insufficient funds: item 4 has 10, needs 20)]");
        assertThat(leader.machine().balance(1)).isEqualTo(7);
        assertThat(host.sent).as("a cluster of one sends nothing").isEmpty();
    }

    /**
     * A client that timed out resends an operation the leader already queued: the leader answers it
     * once, when the one copy in its log applies, instead of logging a second copy that only the
     * dedup table would stop (under overload, such copies multiplied the load).
     */
    @Test
    void aRetryOfAnOperationQueuedHereIsLoggedOnce() {
        NodeCore<String> leader = core(1, List.of(1));
        leader.start(new Ballot(1, 1));
        leader.onClientRequest("a", 7, List.of(new Operation.Transfer(1, 1, 2, 3)), 1);
        leader.onClientRequest("a", 7, List.of(new Operation.Transfer(1, 1, 2, 3)), 1);

        leader.onWriteDone(2);
        leader.onWriteDone(3);

        assertThat(host.writes.get(1).accepted()).hasSize(1);
        assertThat(io.shardbank.shard.BatchCodec.decode(host.writes.get(1).accepted().get(0).value())).hasSize(1);
        assertThat(host.replies).containsExactly("a 7 [committed]");
        assertThat(leader.machine().balance(1)).isEqualTo(7);
    }

    /** A node keeps only the newest {@code viewsKeptMax} NEW-VIEW records for PrintView. */
    @Test
    void onlyTheNewestViewsAreKept() {
        List<Integer> members = List.of(1, 2, 3);
        NodeCore.Config config = new NodeCore.Config(1, 1, members, cluster -> members, PAXOS, TXN, 8, 100, 1_000,
                100, 100, 1);
        NodeCore<String> node = new NodeCore<>(config, new ShardStateMachine(new ClusterId(1), MAP, 10, 16),
                new StoredState(DurableState.empty(), 0, Map.of(), new byte[0]), new SplittableRandom(1), 0, host,
                NodeCore.Observer.NONE);
        node.start(new Ballot(1, 1));
        Ballot first = node.replica().ballot();
        assertThat(node.views()).extracting(NodeProtocol.ViewRecord::ballot).containsExactly(first);

        // Out of touch with a majority, the leader steps down, then stands again at a higher ballot.
        for (long nowMs = 100; node.replica().ballot().equals(first); nowMs += 100) {
            node.onTick(nowMs);
            assertThat(nowMs).as("a new election starts").isLessThan(10_000);
        }
        Ballot second = node.replica().ballot();
        for (int done = 0; done < host.writes.size(); done++) {
            node.onWriteDone(20_000);
        }
        node.onPaxos(new PaxosMessage.Promise(2, second, 0, 0, List.of()), 20_000);

        assertThat(second.round()).isGreaterThan(first.round());
        assertThat(node.views()).extracting(NodeProtocol.ViewRecord::ballot).containsExactly(second);
    }
}
