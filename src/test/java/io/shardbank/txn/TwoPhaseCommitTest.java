package io.shardbank.txn;

import static org.assertj.core.api.Assertions.assertThat;

import io.shardbank.model.ClusterId;
import io.shardbank.model.RequestId;
import io.shardbank.model.ShardMap;
import io.shardbank.shard.BatchCodec;
import io.shardbank.shard.Handover;
import io.shardbank.shard.ItemDelta;
import io.shardbank.shard.Redirect;
import io.shardbank.shard.Route;
import io.shardbank.shard.Vote;
import io.shardbank.shard.LogCommand;
import io.shardbank.shard.Outcome;
import io.shardbank.shard.ShardStateMachine;
import io.shardbank.txn.TwoPhaseCommit.Effect;
import io.shardbank.txn.TwoPhaseCommit.Propose;
import io.shardbank.txn.TwoPhaseCommit.Send;
import io.shardbank.txn.TxnMessage.TxnDecision;
import io.shardbank.txn.TxnMessage.TxnPrepare;
import io.shardbank.txn.TxnMessage.TxnStatusQuery;
import io.shardbank.txn.TxnMessage.TxnVote;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * One node's two-phase-commit engine, driven directly: its effects are checked, and the log
 * commands it proposes are applied to a real shard and fed back, as the host does. Three clusters
 * of three nodes (c1 = n1..n3 with items 1..10, c2 = n4..n6 with 11..20, c3 = n7..n9 with 21..30);
 * the engine under test is n1, leader of c1, unless a test says otherwise.
 */
class TwoPhaseCommitTest {

    private static final ShardMap MAP = ShardMap.evenRanges(3, 30);
    private static final TxnSettings SETTINGS = new TxnSettings(100, 800, 1_000, 500);
    private static final RequestId TXN = new RequestId(42, 1);

    private long now = 1_000;
    private long slot;
    private ShardStateMachine shard;
    private TwoPhaseCommit engine;

    private static List<Integer> nodesOf(int cluster) {
        int first = (cluster - 1) * 3 + 1;
        return List.of(first, first + 1, first + 2);
    }

    private void node(int cluster, int self) {
        shard = new ShardStateMachine(new ClusterId(cluster), MAP, 10, 16);
        engine = new TwoPhaseCommit(cluster, self, SETTINGS, TwoPhaseCommitTest::nodesOf);
        slot = 0;
    }

    @BeforeEach
    void coordinatorLeader() {
        node(1, 1);
        engine.onLeadership(true, 1, shard, now);
    }

    /** Applies commands to the shard and feeds the effects to the engine, as the host does. */
    private void applied(LogCommand... commands) {
        for (ShardStateMachine.Applied applied : shard.apply(++slot, BatchCodec.encode(List.of(commands)))) {
            if (!(applied instanceof ShardStateMachine.ClientOutcome)) {
                engine.onApplied(applied, now);
            }
        }
    }

    /** Applies every command the engine proposed since the last drain; returns what applying them caused. */
    private List<Effect> applyProposals() {
        for (Effect effect : engine.drainEffects()) {
            if (effect instanceof Propose propose) {
                applied(propose.command());
            }
        }
        return engine.drainEffects();
    }

    private List<LogCommand> proposals() {
        return engine.drainEffects().stream().filter(e -> e instanceof Propose).map(e -> ((Propose) e).command())
                .toList();
    }

    private void coordinateTransferToC2AndC3() {
        engine.coordinate(TXN, new Route(1, List.of(2, 3), Map.of(
                1, List.of(new ItemDelta(1, -4)),
                2, List.of(new ItemDelta(11, 2)),
                3, List.of(new ItemDelta(21, 2))), null));
    }

    private TxnVote vote(int cluster, Vote vote, String reason) {
        return new TxnVote(TXN, cluster, nodesOf(cluster).get(0), vote, reason);
    }

    @Test
    void coordinateLogsItsPrepareAndAsksEveryParticipant() {
        coordinateTransferToC2AndC3();

        List<Effect> effects = engine.drainEffects();

        assertThat(effects).first().isEqualTo(new Propose(new LogCommand.TxnPrepared(TXN, 1, List.of(2, 3),
                List.of(new ItemDelta(1, -4)))));
        assertThat(effects).contains(
                new Send(4, new TxnPrepare(TXN, 1, 1, List.of(2, 3), List.of(new ItemDelta(11, 2)))),
                new Send(7, new TxnPrepare(TXN, 1, 1, List.of(2, 3), List.of(new ItemDelta(21, 2)))));
    }

    /**
     * A migration: the target's part carries the balances the source froze, so the coordinator asks
     * the target only once its own prepare applied, and a refusal that names where an item went is
     * both the decision's reason and a route the host learns.
     */
    @Test
    void migrationAsksTheTargetOnlyAfterItsOwnPrepareFrozeTheValues() {
        Handover handover = new Handover(List.of(3, 4), 1, 2, 5, Map.of());
        engine.coordinate(TXN, new Route(1, List.of(2), Map.of(1, List.of(), 2, List.of()), handover));

        List<Effect> first = engine.drainEffects();
        assertThat(first).containsExactly(new Propose(new LogCommand.TxnPrepared(TXN, 1, List.of(2), List.of(),
                handover)));

        applied(new LogCommand.TxnPrepared(TXN, 1, List.of(2), List.of(), handover));
        assertThat(engine.drainEffects()).containsExactly(new Send(4, new TxnPrepare(TXN, 1, 1, List.of(2),
                List.of(), handover.withValues(Map.of(3, 10L, 4, 10L)))));

        Redirect elsewhere = new Redirect(4, 3, 2);
        engine.onMessage(new TxnVote(TXN, 2, 4, Vote.MOVED, elsewhere.describe(), elsewhere), shard,
                true, now);
        assertThat(engine.drainEffects()).containsExactly(new TwoPhaseCommit.Learned(elsewhere),
                new Propose(new LogCommand.TxnDecided(TXN, Outcome.Status.MOVED, elsewhere.describe())));
    }

    @ParameterizedTest(name = "c2 {0} {1}, c3 {2} {3} -> {4}")
    @CsvSource(delimiter = '|', value = {
        "YES         | YES | COMMITTED   | ''",
        "YES         | NO  | ABORTED     | insufficient funds: item 21",
        "NO          | YES | ABORTED     | item 11 is locked",
        "NO_MAJORITY | YES | UNAVAILABLE | cluster c2 has no majority",
        "MOVED       | YES | MOVED       | item 11 is owned by c3 (shard map v2)",
    })
    void coordinatorDecidesFromTheVotes(Vote c2, Vote c3, Outcome.Status decision, String reason) {
        coordinateTransferToC2AndC3();
        applyProposals(); // its own prepare is chosen: it voted yes

        engine.onMessage(vote(2, c2, c2 == Vote.YES ? "" : reason), shard, true, now);
        if (c2 == Vote.YES) {
            assertThat(proposals()).as("no decision before every vote").isEmpty();
        }
        engine.onMessage(vote(3, c3, c3 == Vote.YES ? "" : reason), shard, true, now);

        assertThat(proposals()).containsExactly(new LogCommand.TxnDecided(TXN, decision, reason));
    }

    @Test
    void coordinatorWaitsForItsOwnPrepareBeforeCommitting() {
        coordinateTransferToC2AndC3();
        engine.drainEffects(); // the prepare is proposed, not yet chosen

        engine.onMessage(vote(2, Vote.YES, ""), shard, true, now);
        engine.onMessage(vote(3, Vote.YES, ""), shard, true, now);
        assertThat(proposals()).isEmpty();

        applied(new LogCommand.TxnPrepared(TXN, 1, List.of(2, 3), List.of(new ItemDelta(1, -4))));
        assertThat(proposals()).containsExactly(new LogCommand.TxnDecided(TXN, Outcome.Status.COMMITTED, ""));
    }

    @Test
    void coordinatorTimesOutAsUnavailableAndNamesTheSilentCluster() {
        coordinateTransferToC2AndC3();
        applyProposals();
        engine.onMessage(vote(2, Vote.YES, ""), shard, true, now);

        engine.tick(now + SETTINGS.voteTimeoutMs() - 1);
        assertThat(proposals()).isEmpty();
        engine.tick(now + SETTINGS.voteTimeoutMs());

        List<LogCommand> decided = proposals();
        assertThat(decided).singleElement().isInstanceOfSatisfying(LogCommand.TxnDecided.class, d -> {
            assertThat(d.status()).isEqualTo(Outcome.Status.UNAVAILABLE);
            assertThat(d.reason()).contains("[c3]").contains("did not vote");
        });
    }

    /** Coordinates the transfer, every participant votes yes; returns what applying the commit caused. */
    private List<Effect> commitWithEveryVote() {
        coordinateTransferToC2AndC3();
        applyProposals();
        engine.onMessage(vote(2, Vote.YES, ""), shard, true, now);
        engine.onMessage(vote(3, Vote.YES, ""), shard, true, now);
        return applyProposals();
    }

    @Test
    void decisionIsSentOnceChosenAndTheTransactionEndsAfterEveryAck() {
        List<Effect> sent = commitWithEveryVote();

        TxnDecision decision = new TxnDecision(TXN, 1, 1, Outcome.Status.COMMITTED, "");
        assertThat(sent).containsExactly(new Send(4, decision), new Send(7, decision));
        engine.onMessage(new TxnMessage.TxnAck(TXN, 2, 4), shard, true, now);
        assertThat(proposals()).isEmpty();
        engine.onMessage(new TxnMessage.TxnAck(TXN, 3, 7), shard, true, now);
        assertThat(proposals()).containsExactly(new LogCommand.TxnEnded(TXN));
    }

    /** The client is answered on the last acknowledgement, once, before TxnEnded is chosen. */
    @Test
    void theLastAcknowledgementFinishesTheTransactionOnce() {
        commitWithEveryVote();

        engine.onMessage(new TxnMessage.TxnAck(TXN, 2, 4), shard, true, now);
        assertThat(engine.drainEffects()).as("one participant still holds its locks").isEmpty();
        engine.onMessage(new TxnMessage.TxnAck(TXN, 3, 7), shard, true, now);
        assertThat(engine.drainEffects()).containsExactly(new TwoPhaseCommit.Finished(TXN),
                new Propose(new LogCommand.TxnEnded(TXN)));
        assertThat(shard.lockCount()).as("the coordinator released its locks at its decision").isZero();

        engine.onMessage(new TxnMessage.TxnAck(TXN, 3, 8), shard, true, now);
        assertThat(engine.drainEffects()).as("a duplicate acknowledgement").isEmpty();
    }

    @Test
    void newLeaderAbortsUndecidedCoordinationsAndResendsDecidedOnes() {
        RequestId undecided = new RequestId(42, 1);
        RequestId decided = new RequestId(43, 1);
        node(1, 2); // n2 follows while the old leader logs both prepares and one decision
        applied(new LogCommand.TxnPrepared(undecided, 1, List.of(2), List.of(new ItemDelta(1, -1))),
                new LogCommand.TxnPrepared(decided, 1, List.of(3), List.of(new ItemDelta(2, -1))),
                new LogCommand.TxnDecided(decided, Outcome.Status.COMMITTED, ""));

        engine.onLeadership(true, 2, shard, now);

        List<Effect> effects = engine.drainEffects();
        assertThat(effects).contains(new Send(7, new TxnDecision(decided, 1, 2, Outcome.Status.COMMITTED, "")));
        assertThat(effects).filteredOn(e -> e instanceof Propose).singleElement()
                .isInstanceOfSatisfying(Propose.class, p -> {
                    LogCommand.TxnDecided abort = (LogCommand.TxnDecided) p.command();
                    assertThat(abort.txn()).isEqualTo(undecided);
                    assertThat(abort.status()).isEqualTo(Outcome.Status.ABORTED);
                    assertThat(abort.reason()).contains("leader changed");
                });
    }

    @Test
    void presumedAbortLogsTheAbortBeforeAnsweringAStatusQuery() {
        engine.onMessage(new TxnStatusQuery(TXN, 2, 5), shard, true, now);

        List<Effect> first = engine.drainEffects();
        assertThat(first).singleElement().isInstanceOfSatisfying(Propose.class, p ->
                assertThat(p.command()).isEqualTo(new LogCommand.TxnDecided(TXN, Outcome.Status.ABORTED,
                        "the coordinator has no record of the transaction (presumed abort)")));

        applied(((Propose) first.get(0)).command());
        assertThat(engine.drainEffects()).singleElement().isInstanceOfSatisfying(Send.class, send -> {
            assertThat(nodesOf(2)).contains(send.node());
            assertThat(send.message()).isInstanceOfSatisfying(TxnDecision.class,
                    d -> assertThat(d.status()).isEqualTo(Outcome.Status.ABORTED));
        });
        // Asked again later: answered from the remembered decision, nothing logged.
        engine.onMessage(new TxnStatusQuery(TXN, 2, 5), shard, true, now);
        assertThat(engine.drainEffects()).singleElement().isInstanceOfSatisfying(Send.class,
                send -> assertThat(send.node()).isEqualTo(5));
    }

    @Test
    void participantPreparesWhenItCanCommitAndVotesNoWhenItCannot() {
        node(2, 4);
        engine.onLeadership(true, 4, shard, now);
        TxnPrepare prepare = new TxnPrepare(TXN, 1, 1, List.of(2), List.of(new ItemDelta(11, 2)));

        engine.onMessage(prepare, shard, false, now);
        assertThat(engine.drainEffects()).singleElement().isInstanceOfSatisfying(Send.class, send -> {
            assertThat(send.node()).isEqualTo(1);
            assertThat(((TxnVote) send.message()).vote()).isEqualTo(Vote.NO_MAJORITY);
        });

        engine.onMessage(prepare, shard, true, now);
        assertThat(proposals()).containsExactly(new LogCommand.TxnPrepared(TXN, 1, List.of(2),
                List.of(new ItemDelta(11, 2))));
    }

    @Test
    void participantAnswersARepeatedPrepareFromItsRecord() {
        node(2, 4);
        engine.onLeadership(true, 4, shard, now);
        TxnPrepare prepare = new TxnPrepare(TXN, 1, 1, List.of(2), List.of(new ItemDelta(11, 2)));
        engine.onMessage(prepare, shard, true, now);
        List<Effect> voted = applyProposals();
        assertThat(voted).containsExactly(new Send(1, new TxnVote(TXN, 2, 4, Vote.YES, "")));

        engine.onMessage(prepare, shard, true, now);

        assertThat(engine.drainEffects()).containsExactly(
                new Send(1, new TxnVote(TXN, 2, 4, Vote.YES, "")));
    }

    /**
     * An unanswered prepare is resent after retry-ms, then after pauses that double up to
     * retry-max-ms: a participant cluster too busy to vote in time gets a few copies, not a flood.
     */
    @Test
    void coordinatorResendsUnansweredPreparesWithDoublingPauses() {
        engine = new TwoPhaseCommit(1, 1, new TxnSettings(100, 400, 10_000, 400), TwoPhaseCommitTest::nodesOf);
        engine.onLeadership(true, 1, shard, now);
        engine.coordinate(TXN, new Route(1, List.of(2), Map.of(1, List.of(new ItemDelta(1, -4)),
                2, List.of(new ItemDelta(11, 4))), null));
        applyProposals();

        List<Long> resentAt = new java.util.ArrayList<>();
        for (long t = now; t <= now + 2_000; t += 10) {
            engine.tick(t);
            if (engine.drainEffects().stream().anyMatch(e -> e instanceof Send send
                    && send.message() instanceof TxnPrepare)) {
                resentAt.add(t - now);
            }
        }

        // Pauses 100, 200, 400, then 400 each: at 100, 300, 700, 1100, 1500, 1900 ms.
        assertThat(resentAt).containsExactly(100L, 300L, 700L, 1_100L, 1_500L, 1_900L);
    }

    @Test
    void participantInquiresWithDoublingPausesWhileTheDecisionStaysAway() {
        node(2, 4);
        engine.onLeadership(true, 4, shard, now);
        engine.onMessage(new TxnPrepare(TXN, 1, 1, List.of(2), List.of(new ItemDelta(11, 2))), shard, true, now);
        applyProposals();

        List<Long> askedAt = new java.util.ArrayList<>();
        for (long t = now; t <= now + 4_000; t += 10) {
            engine.tick(t);
            if (!engine.drainEffects().isEmpty()) {
                askedAt.add(t - now);
            }
        }

        // inquiry-ms 500, then pauses of 800 (retry-max-ms caps the doubling): 500, 1300, 2100, ...
        assertThat(askedAt).containsExactly(500L, 1_300L, 2_100L, 2_900L, 3_700L);
    }

    @Test
    void participantInquiresAboutAPreparedTransactionThatWaitsTooLong() {
        node(2, 4);
        engine.onLeadership(true, 4, shard, now);
        engine.onMessage(new TxnPrepare(TXN, 1, 1, List.of(2), List.of(new ItemDelta(11, 2))), shard, true, now);
        applyProposals();

        engine.tick(now + SETTINGS.inquiryMs());

        assertThat(engine.drainEffects()).singleElement().isInstanceOfSatisfying(Send.class, send -> {
            assertThat(nodesOf(1)).contains(send.node());
            assertThat(send.message()).isEqualTo(new TxnStatusQuery(TXN, 2, 4));
        });
    }

    /**
     * Simulation seeds 16798 and 21772: a participant leader that never saw the prepare message (it
     * restarted, or took over) never asked about a prepared transaction, whose locks stayed forever.
     */
    @Test
    void newParticipantLeaderInquiresAboutPreparedTransactionsFromItsRecords() {
        node(2, 5);
        applied(new LogCommand.TxnPrepared(TXN, 1, List.of(2), List.of(new ItemDelta(11, 2))));

        engine.onLeadership(true, 5, shard, now);
        assertThat(engine.drainEffects()).isEmpty();
        engine.tick(now + SETTINGS.inquiryMs());

        assertThat(engine.drainEffects()).singleElement().isInstanceOfSatisfying(Send.class, send -> {
            assertThat(nodesOf(1)).contains(send.node());
            assertThat(send.message()).isEqualTo(new TxnStatusQuery(TXN, 2, 5));
        });
    }

    @Test
    void aNodeThatDoesNotLeadForwardsToTheLeaderItBelievesIn() {
        engine.onLeadership(false, 3, shard, now);
        TxnVote vote = vote(2, Vote.YES, "");

        engine.onMessage(vote, shard, true, now);

        assertThat(engine.drainEffects()).containsExactly(new Send(3, vote));
        engine.onLeadership(false, 1, shard, now); // it believes in itself no more than in nobody
        engine.onLeadership(false, 0, shard, now);
        engine.onMessage(vote, shard, true, now);
        assertThat(engine.drainEffects()).isEmpty();
    }

    /** Simulation seed 615: a participant that may have forgotten the decision votes no instead of preparing. */
    @Test
    void participantVotesNoOnAPrepareItMayHaveDecidedAndForgotten() {
        shard = new ShardStateMachine(new ClusterId(2), MAP, 10, 1);
        engine = new TwoPhaseCommit(2, 4, SETTINGS, TwoPhaseCommitTest::nodesOf);
        engine.onLeadership(true, 4, shard, now);
        applied(new LogCommand.TxnDecided(TXN, Outcome.Status.COMMITTED, ""),
                new LogCommand.TxnDecided(new RequestId(42, 2), Outcome.Status.ABORTED, "")); // TXN is forgotten
        engine.drainEffects();

        engine.onMessage(new TxnPrepare(TXN, 1, 1, List.of(2), List.of(new ItemDelta(11, 2))), shard, true, now);

        assertThat(engine.drainEffects()).singleElement().isInstanceOfSatisfying(Send.class, send -> {
            TxnVote vote = (TxnVote) send.message();
            assertThat(vote.yes()).isFalse();
            assertThat(vote.reason()).contains("too old");
        });
    }

    /**
     * Simulation seeds 247 and 2589: the coordinator's own prepare came after a presumed abort; its
     * decided record is taken over, the abort announced and the transaction ended.
     */
    @Test
    void aDecisionOfOursWithNoCoordinationIsAnnouncedAndEnded() {
        applied(new LogCommand.TxnDecided(TXN, Outcome.Status.ABORTED, "presumed"));
        engine.drainEffects();

        applied(new LogCommand.TxnPrepared(TXN, 1, List.of(2), List.of(new ItemDelta(1, -1))));

        assertThat(engine.drainEffects()).singleElement().isInstanceOfSatisfying(Send.class, send ->
                assertThat(((TxnDecision) send.message()).status()).isEqualTo(Outcome.Status.ABORTED));
        engine.onMessage(new TxnMessage.TxnAck(TXN, 2, 4), shard, true, now);
        assertThat(proposals()).containsExactly(new LogCommand.TxnEnded(TXN));
    }
}
