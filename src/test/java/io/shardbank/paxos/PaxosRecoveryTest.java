package io.shardbank.paxos;

import static org.assertj.core.api.Assertions.assertThat;

import io.shardbank.paxos.PaxosMessage.Accept;
import io.shardbank.paxos.PaxosMessage.Accepted;
import io.shardbank.paxos.PaxosMessage.CatchupReply;
import io.shardbank.paxos.PaxosMessage.CatchupRequest;
import io.shardbank.paxos.PaxosMessage.NewView;
import io.shardbank.paxos.PaxosMessage.Phase1Prepare;
import io.shardbank.paxos.PaxosMessage.Promise;
import io.shardbank.paxos.PaxosMessage.Rejected;
import io.shardbank.paxos.PaxosReplica.Role;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Duplicated, reordered and late messages, and nodes that fall behind. */
class PaxosRecoveryTest {

    @ParameterizedTest(name = "{0} extra copies")
    @ValueSource(ints = {1, 3})
    void duplicateAcceptedCountsOnce(int copies) {
        TestNet net = TestNet.ofSize(5); // quorum 3
        net.bootstrap(1);
        for (int node = 3; node <= 5; node++) {
            net.isolate(node);
        }
        net.propose(1, "x");
        net.deliverAll();
        TestNet.Envelope vote = net.delivered.stream()
                .filter(e -> e.from() == 2 && e.message() instanceof Accepted a && a.slots().length == 1)
                .findFirst().orElseThrow();
        for (int i = 0; i < copies; i++) {
            net.deliver(vote);
        }
        assertThat(net.node(1).commitIndex()).isZero(); // n1 and n2 are two votes, not 2 + copies

        net.heal();
        net.tickAll(TestNet.SETTINGS.retransmitMs()); // the accept goes out again, n3..n5 vote
        assertThat(net.node(1).commitIndex()).isEqualTo(1);
        for (int i = 0; i < copies; i++) {
            net.deliver(vote);
        }
        assertThat(net.committedValues(1)).containsExactly("x");
    }

    @Test
    void duplicatePromiseCountsOnce() {
        TestNet net = TestNet.ofSize(5);
        for (int node = 3; node <= 5; node++) {
            net.isolate(node);
        }
        net.tickAll(500); // n1 stands first
        assertThat(net.node(1).role()).isEqualTo(Role.CANDIDATE);
        TestNet.Envelope promise = net.delivered.stream()
                .filter(e -> e.from() == 2 && e.message() instanceof Promise)
                .findFirst().orElseThrow();
        net.deliver(promise);
        net.deliver(promise);
        assertThat(net.node(1).role()).isEqualTo(Role.CANDIDATE);

        net.heal();
        Phase1Prepare prepare = (Phase1Prepare) net.sentBy(1, Phase1Prepare.class).get(0);
        net.deliver(new TestNet.Envelope(1, 3, prepare, false));
        net.deliverAll();
        assertThat(net.node(1).isLeader()).isTrue();
        net.deliver(promise);
        net.deliverAll();
        assertThat(net.readies.get(1).stream().mapToLong(r -> r.views.size()).sum()).isEqualTo(1);
        assertThat(net.node(1).ballot()).isEqualTo(new Ballot(1, 1));
    }

    @Test
    void oldAcceptAfterANewerBallotIsRejected() {
        TestNet net = TestNet.ofThree();
        net.bootstrap(1);
        net.propose(1, "old");
        TestNet.Envelope late = net.take(e -> e.message() instanceof Accept && e.to() == 3).get(0);
        net.pending.clear();
        net.crash(1);
        net.tickAll(650); // n2 leads at (2, n2); nothing was accepted by n2 or n3
        assertThat(net.node(2).isLeader()).isTrue();
        net.propose(2, "new");
        net.deliverAll();
        assertThat(net.committedValues(2)).containsExactly("new");

        net.deliver(late);

        SlotValue kept = net.node(3).entry(1);
        assertThat(kept.ballot()).isEqualTo(new Ballot(2, 2));
        assertThat(TestNet.text(kept)).isEqualTo("new");
        assertThat(net.readies.get(3).get(net.readies.get(3).size() - 1).accepted).isEmpty();
        assertThat(net.pending).singleElement().satisfies(e -> {
            assertThat(e.to()).isEqualTo(1);
            assertThat(e.message()).isEqualTo(new Rejected(3, new Ballot(2, 2)));
        });
    }

    @Test
    void duplicateAndReorderedAcceptsAreAppliedInSlotOrderOnce() {
        TestNet net = TestNet.ofThree();
        net.bootstrap(1);
        net.propose(1, "a");
        net.propose(1, "b");
        List<TestNet.Envelope> toTwo = net.take(e -> e.to() == 2);
        assertThat(toTwo).hasSize(2);
        net.deliver(toTwo.get(1)); // slot 2 first
        net.deliver(toTwo.get(1));
        net.deliver(toTwo.get(0));
        net.deliver(toTwo.get(0));
        net.deliverAll();
        assertThat(net.committedValues(1)).containsExactly("a", "b");

        net.tickAll(TestNet.SETTINGS.heartbeatIntervalMs());
        net.deliver(toTwo.get(0)); // a copy after the commit
        net.tickAll(TestNet.SETTINGS.heartbeatIntervalMs());

        assertThat(net.committedValues(2)).containsExactly("a", "b");
        assertThat(net.committedValues(3)).containsExactly("a", "b");
        assertThat(net.node(2).commitIndex()).isEqualTo(2);
    }

    @Test
    void duplicateNewViewChangesNothing() {
        TestNet net = TestNet.ofThree();
        net.bootstrap(1);
        net.propose(1, "a");
        net.deliverAll();
        net.tickAll(TestNet.SETTINGS.heartbeatIntervalMs());
        TestNet.Envelope view = net.delivered.stream()
                .filter(e -> e.to() == 3 && e.message() instanceof NewView).findFirst().orElseThrow();

        net.deliver(view);
        net.deliverAll();

        assertThat(net.committedValues(3)).containsExactly("a");
        assertThat(net.node(3).commitIndex()).isEqualTo(1);
        assertThat(TestNet.text(net.node(3).entry(1))).isEqualTo("a");
        assertThat(net.node(1).isLeader()).isTrue();
    }

    @Test
    void followerThatMissedSlotsCatchesUp() {
        TestNet net = TestNet.ofThree();
        net.bootstrap(1);
        net.isolate(3);
        for (String value : List.of("a", "b", "c", "d", "e")) {
            net.propose(1, value);
        }
        net.deliverAll();
        assertThat(net.node(1).commitIndex()).isEqualTo(5);
        assertThat(net.node(3).commitIndex()).isZero();

        net.heal();
        net.tickAll(TestNet.SETTINGS.heartbeatIntervalMs());

        // catchupEntriesMax is 4: one reply with slots 1..4, a second request for slot 5.
        assertThat(net.sentBy(3, CatchupRequest.class))
                .containsExactly(new CatchupRequest(3, 1), new CatchupRequest(3, 5));
        assertThat(net.sentBy(1, CatchupReply.class)).hasSize(2)
                .allMatch(m -> ((CatchupReply) m).commitIndex() == 5);
        assertThat(net.committedValues(3)).containsExactly("a", "b", "c", "d", "e");
        assertThat(net.node(3).commitIndex()).isEqualTo(5);
    }

    @Test
    void compactedLeaderAsksForASnapshot() {
        TestNet net = TestNet.ofThree();
        net.bootstrap(1);
        net.isolate(3);
        for (String value : List.of("a", "b", "c", "d", "e")) {
            net.propose(1, value);
        }
        net.deliverAll();
        net.node(1).compactThrough(4);
        assertThat(net.node(1).entry(4)).isNull();

        net.heal();
        net.tickAll(TestNet.SETTINGS.heartbeatIntervalMs());

        assertThat(net.sentBy(3, CatchupRequest.class)).containsExactly(new CatchupRequest(3, 1));
        assertThat(net.readies.get(1)).anyMatch(r -> r.snapshotRequests.equals(List.of(3)));
        assertThat(net.sentBy(1, CatchupReply.class)).isEmpty();

        net.node(3).installSnapshot(4); // the host shipped and installed n1's snapshot
        assertThat(net.drain(3).commitIndex).isEqualTo(4);
        net.tickAll(TestNet.SETTINGS.heartbeatIntervalMs());

        assertThat(net.sentBy(3, CatchupRequest.class)).last().isEqualTo(new CatchupRequest(3, 5));
        assertThat(net.committedValues(3)).containsExactly("e");
        assertThat(net.node(3).commitIndex()).isEqualTo(5);
        assertThat(net.node(3).compactedThrough()).isEqualTo(4);
    }

    @Test
    void candidateBehindACompactedAcceptorCatchesUpInsteadOfLeading() {
        TestNet net = new TestNet(0, 400, 0);
        net.bootstrap(1);
        net.isolate(3);
        for (String value : List.of("a", "b", "c")) {
            net.propose(1, value);
        }
        net.deliverAll();
        net.tickAll(TestNet.SETTINGS.heartbeatIntervalMs());
        assertThat(net.node(2).commitIndex()).isEqualTo(3);
        net.node(2).compactThrough(2); // n2 snapshotted slots 1..2
        net.heal();
        net.crash(1);
        net.now = 560; // n2 last heard n1 at 50: no longer a live leader; n3, which has nothing, stands
        for (int node : List.of(2, 3)) {
            net.node(node).tick(net.now);
            net.drain(node);
        }
        assertThat(net.node(3).role()).isEqualTo(Role.CANDIDATE);
        net.deliverAll();

        assertThat(net.node(3).isLeader()).isFalse();
        assertThat(net.sentBy(3, CatchupRequest.class)).containsExactly(new CatchupRequest(3, 1));
        assertThat(net.readies.get(2)).anyMatch(r -> r.snapshotRequests.equals(List.of(3)));
    }
}
