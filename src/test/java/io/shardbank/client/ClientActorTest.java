package io.shardbank.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.shardbank.config.Settings;
import io.shardbank.node.NodeActor;
import io.shardbank.node.NodeProtocol;
import io.shardbank.shard.Operation;
import io.shardbank.shard.Outcome;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorRefResolver;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** The client actor against a probe standing in for every node: its bound on operations under way. */
class ClientActorTest {

    private static final ActorTestKit TEST_KIT = ActorTestKit.create();
    private static final int IN_FLIGHT_MAX = 2;

    @AfterAll
    static void stop() {
        TEST_KIT.shutdownTestKit();
    }

    @Test
    void pastItsInFlightLimitAnOperationIsAnsweredOverloadedAtOnce() {
        Settings defaults = Settings.defaults();
        Settings.Client limits = defaults.client();
        Settings settings = defaults.withClient(new Settings.Client(limits.requestTimeoutMs(),
                limits.requestTimeoutMaxMs(), limits.deadlineMs(), limits.retryBackoffMs(), limits.sweepIntervalMs(),
                IN_FLIGHT_MAX, limits.adminTimeoutMs()));
        TestProbe<NodeActor.Command> node = TEST_KIT.createTestProbe();
        String nodePath = ActorRefResolver.get(TEST_KIT.system()).toSerializationFormat(node.ref());
        ActorRef<ClientActor.Command> client = TEST_KIT.spawn(ClientActor.create(7, settings, id -> nodePath));
        TestProbe<Outcome> answers = TEST_KIT.createTestProbe();

        for (int i = 0; i < IN_FLIGHT_MAX; i++) {
            client.tell(new ClientActor.Submit(new Operation.Transfer(0, 1, 2, 1), answers.ref()));
        }
        // The operations go out in one request, or in several when the client sent one before the
        // next arrived.
        List<NodeProtocol.ClientRequest> requests = new ArrayList<>();
        int sent = 0;
        while (sent < IN_FLIGHT_MAX) {
            NodeProtocol.ClientRequest request = node.expectMessageClass(NodeProtocol.ClientRequest.class);
            requests.add(request);
            sent += request.operations().size();
        }
        assertThat(sent).isEqualTo(IN_FLIGHT_MAX);
        client.tell(new ClientActor.Submit(new Operation.Transfer(0, 3, 4, 1), answers.ref()));

        Outcome refused = answers.expectMessageClass(Outcome.class, Duration.ofSeconds(1));
        assertThat(refused.status()).isEqualTo(Outcome.Status.UNAVAILABLE);
        assertThat(refused.reason()).contains("overloaded").contains("client.in-flight-operations-max");
        assertThat(refused.sequence()).isEqualTo(IN_FLIGHT_MAX + 1);

        requests.forEach(request -> request.replyTo().tell(new NodeProtocol.ClientReply(1, 1, 7,
                request.operations().stream().map(operation -> Outcome.committed(operation.sequence())).toList())));
        assertThat(answers.receiveSeveralMessages(IN_FLIGHT_MAX)).allMatch(o -> o.status() == Outcome.Status.COMMITTED);
        client.tell(new ClientActor.Submit(new Operation.BalanceRead(0, 5), answers.ref()));
        assertThat(node.expectMessageClass(NodeProtocol.ClientRequest.class).operations())
                .as("room again once the first operations ended").hasSize(1);
    }
}
