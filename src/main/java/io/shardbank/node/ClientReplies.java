package io.shardbank.node;

import io.shardbank.node.NodeProtocol.ClientReply;
import io.shardbank.shard.Outcome;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Outcomes gathered in one step, sent as one reply per client and client id, in the order they
 * were added.
 *
 * @param <C> how the host names a client
 */
final class ClientReplies<C> {

    private final Map<C, Map<Long, List<Outcome>>> byClient = new LinkedHashMap<>();

    void add(C client, long clientId, Outcome outcome) {
        byClient.computeIfAbsent(client, c -> new LinkedHashMap<>())
                .computeIfAbsent(clientId, id -> new ArrayList<>())
                .add(outcome);
    }

    boolean isEmpty() {
        return byClient.isEmpty();
    }

    /** Sends the gathered replies from node {@code self}, naming {@code leaderHint} as the leader. */
    void send(NodeCore.Host<C> host, int self, int leaderHint) {
        byClient.forEach((client, byId) -> byId.forEach((clientId, outcomes) ->
                host.reply(client, new ClientReply(self, leaderHint, clientId, outcomes))));
    }
}
