package io.shardbank.sim;

import io.shardbank.model.ShardMap;
import io.shardbank.node.NodeProtocol.ClientReply;
import io.shardbank.shard.Operation;
import io.shardbank.shard.Outcome;
import io.shardbank.sim.SimMessage.BankRequest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.IntFunction;

/**
 * A bank client as ClientActor behaves, one operation at a time: it routes each operation to the
 * believed leader of the cluster that owns its routing item in its own copy of the shard map,
 * follows leader hints, moves on to the next node when one does not answer in time or knows it
 * cannot reach a majority, and retries with the same request id until the answer is final. A MOVED
 * answer is final for its request id: the client corrects its map and sends the operation again
 * under a new one (a migration that meets a moved item ends there). Unlike ClientActor it never
 * gives up (not even when every node says NO_MAJORITY), so at the end every operation has the
 * system's own final answer.
 */
final class BankClient extends OneAtATimeClient {

    /** Where a client's operations come from. */
    interface OperationSource {
        Operation next(long sequence, SplittableRandom random);
    }

    /** Pause before asking another node when the answering one knows no leader (ClientActor's backoff). */
    private static final long RETRY_BACKOFF_MS = 25;

    final long clientId;
    private final BankConfig config;
    private final OperationSource source;
    /** The owner of every item as this client believes (index 0 unused). */
    private final int[] owners;
    private final IntFunction<List<Integer>> nodesOfCluster;
    private final BankChecker checker;
    private final Map<Integer, Integer> leaderOf = new HashMap<>();

    private long sequence;
    private Operation current;
    private int cluster;
    private int node;
    private int sends;

    BankClient(long clientId, BankConfig config, ShardMap shardMap, OperationSource source, int operations,
            long thinkMaxMs, IntFunction<List<Integer>> nodesOfCluster, EventQueue queue, SimNetwork network,
            SplittableRandom random, Trace trace, SimStats stats, BankChecker checker) {
        super(clientId, operations, thinkMaxMs, queue, network, random, trace, stats);
        this.clientId = clientId;
        this.config = config;
        this.source = source;
        this.owners = shardMap.owners();
        this.nodesOfCluster = nodesOfCluster;
        this.checker = checker;
    }

    @Override
    boolean isWaiting() {
        return current != null;
    }

    /** The operation still waiting for its answer, or null. */
    Operation outstanding() {
        return current;
    }

    @Override
    void startNext() {
        issue(source.next(++sequence, random));
        send();
    }

    private void issue(Operation operation) {
        current = operation;
        checker.issued(clientId, current);
        int routingItem = Operation.routingItem(current);
        cluster = routingItem >= 1 && routingItem < owners.length ? owners[routingItem] : 1;
        node = leaderOf.computeIfAbsent(cluster, c -> nodesOfCluster.apply(c).get(0));
        sends = 0;
        trace.record(queue.now(), "submit", address, node, current);
    }

    private void send() {
        sends++;
        network.send(address, node, new BankRequest(clientId, List.of(current)));
        retryAfter(config.clientTimeoutMs(), () -> {
            stats.retries++;
            node = nextNode(node);
            send();
        });
    }

    @Override
    public void receive(int from, Object message) {
        if (!(message instanceof ClientReply reply) || current == null) {
            return;
        }
        for (Outcome outcome : reply.outcomes()) {
            if (outcome.sequence() != current.sequence()) {
                continue; // answered already (a duplicate reply after a retry)
            }
            if (outcome.status().isFinal()) {
                finish(outcome);
                return;
            }
            if (outcome.status() == Outcome.Status.MOVED) {
                sendElsewhere(outcome);
                return;
            }
            if (outcome.status() == Outcome.Status.NO_MAJORITY) {
                stats.noMajorityAnswers++;
                tryNextNodeShortly(); // the other side of a partition may have one
            } else {
                redirect(reply.leaderHint());
            }
        }
    }

    private void redirect(int hint) {
        if (nodesOfCluster.apply(cluster).contains(hint) && hint != node) {
            node = hint;
            leaderOf.put(cluster, hint);
            send();
        } else {
            tryNextNodeShortly(); // the node knows no leader yet (an election is under way)
        }
    }

    private void tryNextNodeShortly() {
        retryAfter(RETRY_BACKOFF_MS, () -> {
            node = nextNode(node);
            send();
        });
    }

    /**
     * MOVED: this request id is over and never applies. Correct the map and send the operation
     * again under a new id, after a pause (the item may still be on its way); a migration ends.
     */
    private void sendElsewhere(Outcome outcome) {
        stats.movedAnswers++;
        if (outcome.redirect() != null) {
            owners[outcome.redirect().item()] = outcome.redirect().owner();
        }
        if (current instanceof Operation.Migrate) {
            finish(outcome);
            return;
        }
        trace.record(queue.now(), "moved", 0, address, current.sequence() + " " + outcome);
        checker.answered(clientId, current, outcome, sends);
        issue(Operation.renumbered(current, ++sequence));
        retryAfter(RETRY_BACKOFF_MS, this::send);
    }

    private void finish(Outcome outcome) {
        trace.record(queue.now(), "answer", 0, address, current.sequence() + " " + outcome);
        checker.answered(clientId, current, outcome, sends);
        stats.operations++;
        current = null;
        answered();
    }

    private int nextNode(int after) {
        List<Integer> nodes = nodesOfCluster.apply(cluster);
        return nodes.get((nodes.indexOf(after) + 1) % nodes.size());
    }

    /** Kept for the trace: what the client is doing. */
    @Override
    public String toString() {
        List<String> parts = new ArrayList<>();
        parts.add("client " + clientId);
        if (current != null) {
            parts.add("waits for " + current + " (sent " + sends + " times, now to n" + node + ")");
        }
        return String.join(" ", parts);
    }
}
