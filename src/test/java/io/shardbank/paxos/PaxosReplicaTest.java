package io.shardbank.paxos;

import static io.shardbank.paxos.TestNet.bytes;
import static io.shardbank.paxos.TestNet.entry;
import static org.assertj.core.api.Assertions.assertThat;

import io.shardbank.paxos.PaxosMessage.Accept;
import io.shardbank.paxos.PaxosMessage.Accepted;
import io.shardbank.paxos.PaxosMessage.Heartbeat;
import io.shardbank.paxos.PaxosMessage.NewView;
import io.shardbank.paxos.PaxosMessage.Phase1Prepare;
import io.shardbank.paxos.PaxosMessage.Promise;
import io.shardbank.paxos.PaxosMessage.Rejected;
import io.shardbank.paxos.PaxosReplica.Role;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Leadership and phase 1/phase 2 of one Paxos group, driven message by message. */
class PaxosReplicaTest {

    @ParameterizedTest(name = "{0} nodes, {1} cut off: chosen={2}")
    @CsvSource({"3, 1, true", "3, 2, false", "5, 2, true", "5, 3, false"})
    void bootstrapLeaderCommitsOnlyOnAMajority(int size, int cutOff, boolean chosen) {
        TestNet net = TestNet.ofSize(size);
        net.bootstrap(1);
        for (int node = size - cutOff + 1; node <= size; node++) {
            net.isolate(node);
        }

        long slot = net.propose(1, "a");
        net.deliverAll();

        assertThat(slot).isEqualTo(1);
        assertThat(net.node(1).ballot()).isEqualTo(new Ballot(1, 1));
        assertThat(net.node(1).commitIndex()).isEqualTo(chosen ? 1 : 0);
        assertThat(net.committedValues(1)).isEqualTo(chosen ? List.of("a") : List.of());
        // A follower that accepted learns the commit from the next heartbeat.
        net.tickAll(TestNet.SETTINGS.heartbeatIntervalMs());
        assertThat(net.committedValues(2)).isEqualTo(chosen ? List.of("a") : List.of());
        assertThat(net.committedValues(size)).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"interleaved", "lower ballot completes phase 1 first"})
    void competingCandidatesElectOneLeaderAndTheLoserStepsDown(String order) {
        TestNet net = new TestNet(300, 0, 0); // n2 and n3 time out together, n1 later
        net.now = 600;
        net.node(2).tick(net.now);
        net.drain(2);
        net.node(3).tick(net.now);
        net.drain(3);
        assertThat(net.node(2).role()).isEqualTo(Role.CANDIDATE);
        assertThat(net.node(3).role()).isEqualTo(Role.CANDIDATE);
        assertThat(net.node(2).ballot()).isEqualTo(new Ballot(1, 2));
        assertThat(net.node(3).ballot()).isEqualTo(new Ballot(1, 3));

        if (order.equals("interleaved")) {
            net.deliverAll();
        } else {
            List<TestNet.Envelope> fromHigher = net.take(e -> e.from() == 3);
            net.deliverAll();
            assertThat(net.readies.get(2)).anyMatch(r -> r.leadershipChanged); // n2 led, briefly
            fromHigher.forEach(net::deliver);
            net.deliverAll();
        }

        assertThat(net.leaders()).isEqualTo(1);
        assertThat(net.node(3).isLeader()).isTrue();
        assertThat(net.node(3).ballot()).isEqualTo(new Ballot(1, 3));
        assertThat(net.node(2).role()).isEqualTo(Role.FOLLOWER);
        assertThat(net.node(2).promised()).isEqualTo(new Ballot(1, 3));
        assertThat(net.node(2).leaderHint()).isEqualTo(3);
        assertThat(net.node(1).leaderHint()).isEqualTo(3);
        assertThat(net.delivered).anyMatch(e -> e.to() == 2 && e.message() instanceof Rejected r
                && r.promised().equals(new Ballot(1, 3)));
        // The winner can commit.
        net.propose(3, "v");
        net.deliverAll();
        assertThat(net.committedValues(3)).containsExactly("v");
    }

    @ParameterizedTest(name = "accepted only by n{0}")
    @ValueSource(ints = {2, 3})
    void newLeaderReproposesAnAcceptedButUncommittedValue(int holder) {
        TestNet net = TestNet.ofThree();
        net.bootstrap(1);
        net.propose(1, "x");
        List<TestNet.Envelope> accepts = net.take(e -> e.message() instanceof Accept);
        accepts.stream().filter(e -> e.to() == holder).forEach(net::deliver);
        net.pending.clear(); // the old leader never hears the vote
        net.crash(1);
        assertThat(net.node(1).commitIndex()).isZero();

        net.tickAll(650); // n2's election timeout (500 + 100) passes first

        assertThat(net.node(2).isLeader()).isTrue();
        Ballot newBallot = new Ballot(2, 2);
        NewView view = (NewView) net.sentBy(2, NewView.class).get(0);
        assertThat(view.ballot()).isEqualTo(newBallot);
        assertThat(view.entries()).containsExactly(entry(1, newBallot, "x"));
        assertThat(net.committedValues(2)).containsExactly("x");
        net.run(100);
        assertThat(net.committedValues(3)).containsExactly("x");
    }

    @ParameterizedTest(name = "n2 holds [{0}], n3 holds [{1}] -> [{2}]")
    @CsvSource({
        "x@1, y@2, y",
        "y@2, x@1, y",
        "x@1, '',  x",
        "'',  '',  ''",
    })
    void newLeaderReproposesTheHighestBallotValue(String atTwo, String atThree, String expected) {
        Ballot promised = new Ballot(2, 1);
        TestNet net = new TestNet(Map.of(2, durable(promised, atTwo), 3, durable(promised, atThree)), 0, 100, 200);
        net.crash(1);

        net.tickAll(650);

        assertThat(net.node(2).isLeader()).isTrue();
        NewView view = (NewView) net.sentBy(2, NewView.class).get(0);
        Ballot newBallot = new Ballot(3, 2);
        assertThat(view.ballot()).isEqualTo(newBallot);
        if (expected.isEmpty()) {
            assertThat(view.entries()).isEmpty();
        } else {
            assertThat(view.entries()).containsExactly(entry(1, newBallot, expected));
            assertThat(net.committedValues(2)).containsExactly(expected);
        }
    }

    @Test
    void newLeaderFillsGapsWithNoops() {
        Ballot old = new Ballot(1, 1);
        DurableState two = new DurableState(old, List.of(entry(1, old, "a"), entry(3, old, "c")), 0, 0);
        DurableState three = new DurableState(old, List.of(entry(1, old, "a"), entry(4, old, "d")), 0, 0);
        TestNet net = new TestNet(Map.of(2, two, 3, three), 0, 100, 200);
        net.crash(1);

        net.tickAll(650);

        Ballot ballot = new Ballot(2, 2);
        NewView view = (NewView) net.sentBy(2, NewView.class).get(0);
        assertThat(view.entries()).containsExactly(
                entry(1, ballot, "a"), entry(2, ballot, ""), entry(3, ballot, "c"), entry(4, ballot, "d"));
        assertThat(view.entries().get(1).isNoop()).isTrue();
        net.run(100);
        assertThat(net.committedValues(2)).containsExactly("a", "no-op", "c", "d");
        assertThat(net.committedValues(3)).containsExactly("a", "no-op", "c", "d");
        // New proposals go after the re-proposed slots.
        assertThat(net.propose(2, "e")).isEqualTo(5);
    }

    @ParameterizedTest(name = "stale {0}")
    @ValueSource(strings = {"accept", "heartbeat"})
    void staleLeaderIsRejectedAndStepsDown(String what) {
        TestNet net = TestNet.ofThree();
        net.bootstrap(1);
        net.isolate(1); // n1 pauses: its clock stands still and it hears nothing
        net.now = 650;
        for (int node : List.of(2, 3)) {
            net.node(node).tick(net.now);
            net.drain(node);
        }
        net.deliverAll();
        assertThat(net.node(2).isLeader()).isTrue();
        assertThat(net.node(1).isLeader()).isTrue(); // it does not know yet
        net.heal();

        if (what.equals("accept")) {
            net.propose(1, "stale");
        } else {
            net.node(1).tick(60); // its own clock: a heartbeat is due
            net.drain(1);
            assertThat(net.pending).anyMatch(e -> e.message() instanceof Heartbeat);
        }
        net.deliverAll();

        assertThat(net.delivered).anyMatch(e -> e.to() == 1 && e.message() instanceof Rejected r
                && r.promised().equals(new Ballot(2, 2)));
        assertThat(net.node(1).role()).isEqualTo(Role.FOLLOWER);
        assertThat(net.node(1).canPropose()).isFalse();
        assertThat(net.readies.get(1)).anyMatch(r -> r.leadershipChanged);
        assertThat(net.node(2).entry(1)).isNull();
        assertThat(net.node(3).entry(1)).isNull();
        assertThat(net.node(2).isLeader()).isTrue();
        assertThat(net.leaders()).isEqualTo(1);
    }

    @ParameterizedTest(name = "isolated={0}")
    @CsvSource({"true", "false"})
    void leaderCutOffFromAMajorityStepsDown(boolean isolated) {
        TestNet net = TestNet.ofThree();
        net.bootstrap(1);
        if (isolated) {
            net.isolate(1);
        }
        List<Long> stillLeading = new ArrayList<>();
        for (int step = 0; step < 15; step++) { // 750 ms: before its own election timeout
            net.now += 50;
            net.node(1).tick(net.now);
            net.drain(1);
            net.deliverAll();
            if (net.node(1).isLeader()) {
                stillLeading.add(net.now);
            }
        }
        if (isolated) {
            // It leads until one election timeout (500 ms) passes without a majority, then stops.
            assertThat(stillLeading).last().isEqualTo(450L);
            assertThat(net.node(1).role()).isEqualTo(Role.FOLLOWER);
            assertThat(net.node(1).leaderHint()).isZero();
            assertThat(net.readies.get(1)).anyMatch(r -> r.leadershipChanged);
        } else {
            assertThat(stillLeading).hasSize(15);
            assertThat(net.node(1).isLeader()).isTrue();
        }
    }

    /** Which input makes a replica vote, and the vote it must hold back until its write is durable. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"Phase1Prepare", "Accept", "NewView", "own election", "own proposal"})
    void votesLeaveOnlyAfterPersist(String input) {
        TestNet net = TestNet.ofThree();
        Ballot ballot = new Ballot(1, 1);
        List<SlotValue> entries = List.of(new SlotValue(1, ballot, bytes("x")));
        int voter = 2;
        switch (input) {
            case "Phase1Prepare" -> net.node(2).onMessage(new Phase1Prepare(1, ballot, 1));
            case "Accept" -> net.node(2).onMessage(new Accept(1, ballot, entries, 0));
            case "NewView" -> net.node(2).onMessage(new NewView(1, ballot, entries, 0));
            case "own election" -> {
                voter = 1;
                net.node(1).tick(600);
            }
            default -> {
                voter = 1;
                net.node(1).bootstrapAsLeader();
                net.drain(1);
                net.node(1).propose(bytes("x"));
            }
        }
        Ready ready = net.node(voter).drainReady();

        assertThat(ready.needsPersist()).isTrue();
        assertThat(ready.sendNow).noneMatch(out -> isVote(out.message()));
        assertThat(ready.sendAfterPersist).hasSize(1).allMatch(out -> isVote(out.message()));
        if (input.startsWith("own")) {
            assertThat(ready.sendAfterPersist.get(0).to()).isEqualTo(1); // handed back to itself
        }
    }

    @Test
    void heartbeatAnswerIsNotAVote() {
        TestNet net = TestNet.ofThree();
        net.node(2).onMessage(new Heartbeat(1, new Ballot(1, 1), 0));
        Ready ready = net.node(2).drainReady();
        assertThat(ready.sendAfterPersist).isEmpty();
        assertThat(ready.sendNow).singleElement()
                .satisfies(out -> assertThat(((Accepted) out.message()).slots()).isEmpty());
    }

    @Test
    void aLeaderPausedPastItsLeaseHoldsNoneWhenAReadComesBeforeItsNextTick() {
        TestNet net = TestNet.ofThree();
        net.bootstrap(1);
        net.run(TestNet.SETTINGS.heartbeatIntervalMs() * 2); // the followers answered heartbeats
        assertThat(net.node(1).hasReadLease(net.now)).isTrue();

        // The process is stopped (SIGSTOP, a long collection) for two election timeouts, in which the
        // others may elect a leader and commit writes; a read is handled before the first tick after.
        long resumedAt = net.now + 2 * TestNet.SETTINGS.electionTimeoutMs();

        assertThat(net.node(1).role()).isEqualTo(Role.LEADER);
        assertThat(net.node(1).hasReadLease(resumedAt)).isFalse();
    }

    private static boolean isVote(PaxosMessage message) {
        return message instanceof Promise || (message instanceof Accepted a && a.slots().length > 0);
    }

    /** "value@round" accepted in slot 1 at ballot (round, n1); empty for nothing. */
    private static DurableState durable(Ballot promised, String accepted) {
        if (accepted.isEmpty()) {
            return new DurableState(promised, List.of(), 0, 0);
        }
        String[] parts = accepted.split("@");
        Ballot at = new Ballot(Long.parseLong(parts[1]), 1);
        return new DurableState(promised, List.of(entry(1, at, parts[0])), 0, 0);
    }
}
