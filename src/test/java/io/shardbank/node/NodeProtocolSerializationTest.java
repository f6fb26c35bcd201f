package io.shardbank.node;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.typesafe.config.ConfigFactory;
import io.shardbank.model.RequestId;
import io.shardbank.paxos.Ballot;
import io.shardbank.paxos.PaxosMessage;
import io.shardbank.paxos.SlotValue;
import io.shardbank.shard.Handover;
import io.shardbank.shard.ItemDelta;
import io.shardbank.shard.Redirect;
import io.shardbank.shard.Vote;
import io.shardbank.shard.Outcome;
import io.shardbank.txn.TxnMessage;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The node's closed protocol on the wire: every Paxos and two-phase-commit record travels in its
 * envelope through the Jackson binding of application.conf and comes back the same.
 */
class NodeProtocolSerializationTest {

    private static final ActorTestKit TEST_KIT = ActorTestKit.create("serialization",
            ConfigFactory.parseString("pekko.actor.provider = local").withFallback(ConfigFactory.load()));
    private static final Ballot BALLOT = new Ballot(7, 1);
    private static final RequestId TXN = new RequestId(42, 3);

    @AfterAll
    static void stop() {
        TEST_KIT.shutdownTestKit();
    }

    @Test
    void everyPaxosRecordIsListedInItsEnvelope() {
        assertThat(listed(NodeProtocol.PaxosEnvelope.class)).isEqualTo(permitted(PaxosMessage.class));
    }

    @Test
    void everyTxnRecordIsListedInItsEnvelope() {
        assertThat(listed(NodeProtocol.TxnEnvelope.class)).isEqualTo(permitted(TxnMessage.class));
    }

    @Test
    void paxosEnvelopesSurviveTheWire() {
        SlotValue value = new SlotValue(5, BALLOT, new byte[] {1, 2, 3});
        List<PaxosMessage> messages = List.of(new PaxosMessage.Phase1Prepare(1, BALLOT, 4),
                new PaxosMessage.Promise(2, BALLOT, 3, 0, List.of(value)), new PaxosMessage.Rejected(3, BALLOT),
                new PaxosMessage.Accept(1, BALLOT, List.of(value), 4, 99), new PaxosMessage.NewView(1, BALLOT,
                        List.of(value), 4, 99), new PaxosMessage.Accepted(2, BALLOT, new long[] {5, 6}, 99),
                new PaxosMessage.Heartbeat(1, BALLOT, 4, 99), new PaxosMessage.CatchupRequest(3, 2),
                new PaxosMessage.CatchupReply(1, List.of(value), 5));
        assertThat(messages.stream().map(Object::getClass).collect(Collectors.toSet()))
                .isEqualTo(permitted(PaxosMessage.class));
        for (PaxosMessage message : messages) {
            NodeProtocol.PaxosEnvelope back = roundTrip(new NodeProtocol.PaxosEnvelope(message));
            assertThat(back.message()).usingRecursiveComparison().isEqualTo(message);
        }
    }

    @Test
    void txnEnvelopesSurviveTheWire() {
        List<TxnMessage> messages = List.of(
                new TxnMessage.TxnPrepare(TXN, 1, 1, List.of(2), List.of(new ItemDelta(3001, 4))),
                new TxnMessage.TxnVote(TXN, 2, 4, Vote.YES, ""),
                new TxnMessage.TxnVote(TXN, 2, 4, Vote.MOVED, "item 3001 is owned by c1 (shard map v2)",
                        new Redirect(3001, 1, 2)),
                new TxnMessage.TxnPrepare(TXN, 1, 1, List.of(2), List.of(),
                        new Handover(List.of(3, 4), 1, 2, 2, Map.of(3, 10L, 4, 7L))),
                new TxnMessage.TxnDecision(TXN, 1, 1, Outcome.Status.ABORTED, "insufficient funds"),
                new TxnMessage.TxnAck(TXN, 2, 4), new TxnMessage.TxnStatusQuery(TXN, 2, 5));
        assertThat(messages.stream().map(Object::getClass).collect(Collectors.toSet()))
                .isEqualTo(permitted(TxnMessage.class));
        for (TxnMessage message : messages) {
            assertThat(roundTrip(new NodeProtocol.TxnEnvelope(message)).message()).isEqualTo(message);
        }
    }

    @Test
    void peerMessagesOfTheCoresTravelInTheirEnvelopes() {
        PaxosMessage heartbeat = new PaxosMessage.Heartbeat(1, BALLOT, 4, 99);
        TxnMessage ack = new TxnMessage.TxnAck(TXN, 2, 4);
        NodeProtocol.InstallSnapshot snapshot = new NodeProtocol.InstallSnapshot(1, 9, Map.of(1, 10L), new byte[0]);
        assertThat(NodeProtocol.toPeer(heartbeat)).isEqualTo(new NodeProtocol.PaxosEnvelope(heartbeat));
        assertThat(NodeProtocol.toPeer(ack)).isEqualTo(new NodeProtocol.TxnEnvelope(ack));
        assertThat(NodeProtocol.toPeer(snapshot)).isSameAs(snapshot);
    }

    private static <T> T roundTrip(T message) {
        return TEST_KIT.serializationTestKit().verifySerialization(message, false);
    }

    private static Set<Class<?>> listed(Class<? extends Record> envelope) {
        JsonSubTypes subTypes = envelope.getRecordComponents()[0].getAccessor().getAnnotation(JsonSubTypes.class);
        return Arrays.stream(subTypes.value()).map(JsonSubTypes.Type::value).collect(Collectors.toSet());
    }

    private static Set<Class<?>> permitted(Class<?> sealed) {
        return Set.of(sealed.getPermittedSubclasses());
    }
}
