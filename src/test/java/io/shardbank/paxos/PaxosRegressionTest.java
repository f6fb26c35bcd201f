package io.shardbank.paxos;

import static io.shardbank.paxos.TestNet.entry;
import static org.assertj.core.api.Assertions.assertThat;

import io.shardbank.paxos.PaxosMessage.CatchupReply;
import io.shardbank.paxos.PaxosMessage.CatchupRequest;
import io.shardbank.paxos.PaxosReplica.Role;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Bugs the simulator found in the replica core, each pinned by the seed that showed it. */
class PaxosRegressionTest {

    /**
     * Simulation seeds 929 and 1199: a follower asked for catch-up, then stood for election; the catch-up
     * reply arrived while it was a candidate and moved its commit index past the first slot of its
     * election. It won and re-proposed slots it had already committed, and its first Accepted
     * broke the leader's "chose slot 1 after 4" invariant.
     */
    @Test
    void lateCatchupReplyDuringAnElectionDoesNotMoveTheCandidatesCommitIndex() {
        Ballot old = new Ballot(1, 1);
        List<SlotValue> chosen = List.of(entry(1, old, "a"), entry(2, old, "b"));
        DurableState holder = new DurableState(old, chosen, 2, 0);
        TestNet net = new TestNet(Map.of(2, holder), 0, 100, 0);
        net.crash(1);
        net.now = 560;
        net.node(2).tick(net.now); // n2 lost its leader but waits longer
        net.node(3).tick(net.now); // n3 (knows nothing) stands
        net.drainAll();
        assertThat(net.node(3).role()).isEqualTo(Role.CANDIDATE);

        // The answer to a catch-up request n3 sent as a follower arrives now.
        net.node(3).onMessage(new CatchupReply(2, chosen, 2));
        net.drain(3);
        net.deliverAll();

        assertThat(net.node(3).isLeader()).isTrue();
        net.run(100);
        assertThat(net.committedValues(3)).containsExactly("a", "b");
        assertThat(net.node(3).commitIndex()).isEqualTo(2);
        net.propose(3, "c");
        net.deliverAll();
        assertThat(net.committedValues(3)).containsExactly("a", "b", "c");
    }

    /** The same race through a snapshot: a host installs one while its replica leads or stands. */
    @Test
    void snapshotInstalledWhileLeadingStepsDownInsteadOfBreakingTheLeader() {
        TestNet net = TestNet.ofThree();
        net.bootstrap(1);
        net.propose(1, "a");
        net.take(e -> true); // in flight, not chosen yet

        net.node(1).installSnapshot(3);
        net.drain(1);

        assertThat(net.node(1).role()).isEqualTo(Role.FOLLOWER);
        assertThat(net.node(1).commitIndex()).isEqualTo(3);
        assertThat(net.node(1).inFlightCount()).isZero();
        assertThat(net.readies.get(1)).anyMatch(r -> r.leadershipChanged);
    }

    @Test
    void catchupReplyToALeaderIsIgnored() {
        TestNet net = TestNet.ofThree();
        net.bootstrap(1);
        net.propose(1, "a");
        List<TestNet.Envelope> held = net.take(e -> true);
        Ballot ballot = new Ballot(1, 1);

        net.node(1).onMessage(new CatchupReply(2, List.of(entry(1, ballot, "a")), 1));
        net.drain(1);
        held.forEach(net::deliver);
        net.deliverAll();

        assertThat(net.node(1).isLeader()).isTrue();
        assertThat(net.committedValues(1)).containsExactly("a");
        assertThat(net.sentBy(1, CatchupRequest.class)).isEmpty();
    }
}
