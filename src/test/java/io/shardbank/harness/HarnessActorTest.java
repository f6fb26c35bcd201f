package io.shardbank.harness;

import static org.assertj.core.api.Assertions.assertThat;

import io.shardbank.client.ShardbankClient;
import io.shardbank.config.Settings;
import io.shardbank.harness.script.CsvScriptParser;
import io.shardbank.harness.script.TestSet;
import io.shardbank.model.NodeId;
import io.shardbank.reshard.MovePlan;
import java.io.StringReader;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.pattern.StatusReply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** The harness actor's step machine, against a control that records what it is told to do. */
class HarnessActorTest {

    private static final ActorTestKit TEST_KIT = ActorTestKit.create();

    @AfterAll
    static void shutdown() {
        TEST_KIT.shutdownTestKit();
    }

    /** Records operator actions; nodes count as stopped, so the actor never queries them. */
    private static final class RecordingControl implements ClusterControl {
        final List<String> actions = new CopyOnWriteArrayList<>();
        final CountDownLatch prepareMayFinish = new CountDownLatch(1);
        final NodeId refusesToFail;

        RecordingControl(NodeId refusesToFail) {
            this.refusesToFail = refusesToFail;
        }

        @Override
        public Settings settings() {
            return Settings.defaults();
        }

        @Override
        public ShardbankClient client() {
            throw new UnsupportedOperationException("a set of F/R rows needs no client");
        }

        @Override
        public void prepareSet(List<NodeId> live) {
            actions.add("prepare " + live);
            try {
                prepareMayFinish.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public void fail(NodeId node) {
            if (node.equals(refusesToFail)) {
                throw new IllegalStateException("a request to " + node + " got no answer within 10 s");
            }
            actions.add("fail " + node);
        }

        @Override
        public void recover(NodeId node) {
            actions.add("recover " + node);
        }

        @Override
        public boolean isRunning(NodeId node) {
            return false;
        }

        @Override
        public FailureMode failureMode() {
            return FailureMode.DISCONNECT;
        }
    }

    private static TestSet set(String... rows) {
        String text = "Set Number,Transactions,Live Nodes\n" + String.join("\n", rows) + "\n";
        return CsvScriptParser.parse("actor.csv", new StringReader(text)).get(0);
    }

    @Test
    void runsNodeChangesInFileOrderAndOneSetAtATime() {
        RecordingControl control = new RecordingControl(null);
        ActorRef<HarnessActor.Command> harness = TEST_KIT.spawn(HarnessActor.create(control));
        TestProbe<StatusReply<SetResult>> first = TEST_KIT.createTestProbe();
        TestProbe<StatusReply<SetResult>> second = TEST_KIT.createTestProbe();
        TestSet set = set("1,F(n2),\"[n1, n2, n3]\"", ",R(n2),", ",F(n3),");

        harness.tell(new HarnessActor.RunSet(set, first.getRef()));
        harness.tell(new HarnessActor.RunSet(set, second.getRef()));
        StatusReply<SetResult> refused = second.receiveMessage();
        control.prepareMayFinish.countDown();
        StatusReply<SetResult> reply = first.receiveMessage();

        assertThat(refused.isError()).isTrue();
        assertThat(refused.getError().getMessage()).contains("set 1 is still running");
        assertThat(control.actions).containsExactly("prepare [n1, n2, n3]", "fail n2", "recover n2", "fail n3");
        assertThat(reply.isSuccess()).isTrue();
        assertThat(reply.getValue().results()).extracting(CommandResult::command).isEqualTo(set.commands());
        assertThat(reply.getValue().results()).allMatch(r -> r.outcome().isEmpty());
    }

    @Test
    void aNodeThatDoesNotAnswerFailsTheSetNamingTheRow() {
        RecordingControl control = new RecordingControl(new NodeId(3));
        control.prepareMayFinish.countDown();
        ActorRef<HarnessActor.Command> harness = TEST_KIT.spawn(HarnessActor.create(control));
        TestProbe<StatusReply<SetResult>> probe = TEST_KIT.createTestProbe();

        harness.tell(new HarnessActor.RunSet(set("1,F(n2),\"[n1, n2, n3]\"", ",F(n3),", ",R(n2),"), probe.getRef()));
        StatusReply<SetResult> reply = probe.receiveMessage();

        assertThat(reply.isError()).isTrue();
        assertThat(reply.getError()).isInstanceOf(HarnessException.class)
                .hasMessageContaining("F(n3) on line 3 failed").hasMessageContaining("no answer");
        assertThat(control.actions).doesNotContain("recover n2");
    }

    @Test
    void printBalanceOfAnItemOutsideTheTopologyIsAnError() {
        ActorRef<HarnessActor.Command> harness = TEST_KIT.spawn(HarnessActor.create(new RecordingControl(null)));
        TestProbe<StatusReply<BalanceReport>> probe = TEST_KIT.createTestProbe();

        harness.tell(new HarnessActor.PrintBalance(9001, probe.getRef()));

        assertThat(probe.receiveMessage().getError().getMessage()).contains("item 9001 is not in this topology");
    }
}
