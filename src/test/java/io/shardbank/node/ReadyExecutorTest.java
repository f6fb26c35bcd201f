package io.shardbank.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.shardbank.model.Invariants;
import io.shardbank.paxos.Ballot;
import io.shardbank.paxos.PaxosMessage;
import io.shardbank.paxos.PaxosMessage.Accepted;
import io.shardbank.paxos.PaxosMessage.Heartbeat;
import io.shardbank.paxos.Ready;
import io.shardbank.paxos.SlotValue;
import io.shardbank.storage.Checkpoint;
import io.shardbank.storage.WriteBatch;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * Carrying out a Ready with a node that records what it is asked: persist before send, one write
 * in flight with the rest merged behind it, the loop-back of messages to self through the work
 * queue (never by recursion), and compaction only once the write holding the snapshot is durable.
 * This node is n1.
 */
class ReadyExecutorTest {

    private static final Ballot BALLOT = new Ballot(3, 1);

    /** Records every request; answers a message to self with the next scripted Ready. */
    private static final class RecordingNode implements ReadyExecutor.Node {
        final List<String> events = new ArrayList<>();
        final List<WriteBatch> writes = new ArrayList<>();
        final ArrayDeque<Ready> selfReplies = new ArrayDeque<>();
        Consumer<Ready> local = ready -> { };
        int depth;
        int depthMax;

        @Override
        public void send(int node, PaxosMessage message) {
            events.add("send n" + node + " " + message.getClass().getSimpleName());
        }

        @Override
        public void write(WriteBatch batch) {
            events.add("write");
            writes.add(batch);
        }

        @Override
        public Ready deliverToSelf(PaxosMessage message) {
            enter();
            events.add("self " + message.getClass().getSimpleName());
            depth--;
            return selfReplies.isEmpty() ? new Ready() : selfReplies.poll();
        }

        @Override
        public void compactThrough(long slot) {
            events.add("compact " + slot);
        }

        @Override
        public void carryOutLocally(Ready ready) {
            enter();
            events.add("local");
            local.accept(ready);
            depth--;
        }

        private void enter() {
            depth++;
            depthMax = Math.max(depthMax, depth);
        }
    }

    private final RecordingNode node = new RecordingNode();
    private final ReadyExecutor executor = new ReadyExecutor(1, node);

    private static Ready accepting(long slot, int answerTo) {
        Ready ready = new Ready();
        ready.accepted.add(new SlotValue(slot, BALLOT, new byte[] {1}));
        ready.sendAfterPersist.add(new Ready.Outbound(answerTo, new Accepted(1, BALLOT, new long[] {slot}, 0)));
        return ready;
    }

    private static Ready sendingAfterPersist(int to) {
        Ready ready = new Ready();
        ready.sendAfterPersist.add(new Ready.Outbound(to, new Accepted(1, BALLOT, new long[0], 0)));
        return ready;
    }

    @Test
    void whatReportsAWriteWaitsUntilItIsDurableAndWhatNeedNotWaitGoesFirst() {
        Ready ready = accepting(1, 2);
        ready.sendNow.add(new Ready.Outbound(3, new Heartbeat(1, BALLOT, 0, 0)));

        executor.carryOut(ready);
        assertThat(node.events).containsExactly("send n3 Heartbeat", "local", "write");
        assertThat(node.writes.get(0).accepted()).extracting(SlotValue::slot).containsExactly(1L);

        executor.onWriteDone();
        assertThat(node.events).endsWith("send n2 Accepted");
    }

    @Test
    void oneWriteIsInFlightAndWhatArrivesMeanwhileMergesIntoTheNext() {
        executor.carryOut(accepting(1, 2));
        executor.carryOut(accepting(2, 3));
        executor.carryOut(accepting(3, 2));
        assertThat(node.writes).hasSize(1);
        assertThat(node.events).doesNotContain("send n2 Accepted", "send n3 Accepted");

        executor.onWriteDone();
        assertThat(node.writes).hasSize(2);
        assertThat(node.writes.get(1).accepted()).extracting(SlotValue::slot).containsExactly(2L, 3L);
        assertThat(node.events).containsOnlyOnce("send n2 Accepted").doesNotContain("send n3 Accepted");

        executor.onWriteDone();
        assertThat(node.events.subList(node.events.size() - 2, node.events.size()))
                .containsExactly("send n3 Accepted", "send n2 Accepted");
        assertThat(executor.isWriting()).isFalse();
    }

    @Test
    void aMessageThatPersistsNothingStillWaitsBehindAWriteThatIsOpenOrInFlight() {
        executor.carryOut(sendingAfterPersist(2));
        assertThat(node.events).containsExactly("local", "send n2 Accepted");
        assertThat(node.writes).isEmpty();

        executor.carryOut(accepting(1, 3));
        executor.carryOut(sendingAfterPersist(2));
        assertThat(node.events).containsOnlyOnce("send n2 Accepted");

        executor.onWriteDone();
        assertThat(node.events).as("it waits for the next write, which keeps its order")
                .endsWith("send n3 Accepted", "write");

        executor.onWriteDone();
        assertThat(node.events).endsWith("send n2 Accepted");
    }

    @Test
    void messagesToSelfLoopBackThroughTheQueueNotByRecursion() {
        int chain = 10_000; // deep enough to overflow the stack if each loop-back recursed
        for (int i = 0; i < chain; i++) {
            node.selfReplies.add(sendingAfterPersist(1));
        }
        executor.carryOut(sendingAfterPersist(1));

        assertThat(node.events.stream().filter(e -> e.startsWith("self"))).hasSize(chain + 1);
        assertThat(node.depthMax).as("no loop-back runs inside another step").isEqualTo(1);
        assertThat(node.events.subList(0, 2)).as("the node's part of the first Ready comes first")
                .containsExactly("local", "self Accepted");
    }

    @Test
    void aMessageToSelfThatReportsAWriteLoopsBackOnlyOnceItIsDurable() {
        executor.carryOut(accepting(1, 1));
        assertThat(node.events).containsExactly("local", "write");

        executor.onWriteDone();
        assertThat(node.events).endsWith("self Accepted");
    }

    @Test
    void whatANodeStepQueuesIsCarriedOutAfterItAndSharesTheWrite() {
        node.local = ready -> {
            if (ready.accepted.get(0).slot() == 1) {
                executor.carryOut(accepting(2, 2)); // as a proposal made while applying does
            }
        };
        executor.carryOut(accepting(1, 3));

        assertThat(node.depthMax).isEqualTo(1);
        assertThat(node.events).containsExactly("local", "local", "write");
        assertThat(node.writes.get(0).accepted()).extracting(SlotValue::slot).containsExactly(1L, 2L);
    }

    @Test
    void theLogIsCompactedOnlyOnceTheSnapshotIsDurable() {
        executor.persist(new Checkpoint(50, Map.of(), false, new byte[0], 40));
        Ready ready = new Ready();
        ready.commitIndex = 50;
        executor.carryOut(ready);
        assertThat(node.writes.get(0).checkpoint().compactThrough()).isEqualTo(40);
        assertThat(node.events).doesNotContain("compact 40");

        executor.onWriteDone();
        assertThat(node.events).endsWith("compact 40");
    }

    @Test
    void anEmptyReadyDoesNothingAndAWriteDoneWithoutAWriteIsABug() {
        executor.carryOut(new Ready());
        assertThat(node.events).isEmpty();
        assertThatThrownBy(executor::onWriteDone).isInstanceOf(Invariants.InvariantViolation.class);
    }
}
