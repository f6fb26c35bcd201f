package io.shardbank.sim;

import io.shardbank.sim.SimMessage.ClientApplied;
import io.shardbank.sim.SimMessage.ClientRequest;
import io.shardbank.sim.SimMessage.NotLeader;
import io.shardbank.sim.SimMessage.Overloaded;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A client of one cluster: it sends its commands one at a time to the node it believes leads,
 * follows leader hints, and after a timeout retries the SAME (clientId, seq) at the next node.
 */
final class SimClient extends OneAtATimeClient {

    static final int PAYLOAD_BYTES = 8;

    final int clientId;
    private final List<Integer> members;
    private final SimConfig config;
    private final ClusterChecker checker;

    private int target;
    private long seq;
    private Command current;

    SimClient(int clientId, List<Integer> members, SimConfig config, EventQueue queue, SimNetwork network,
            SplittableRandom random, Trace trace, SimStats stats, ClusterChecker checker) {
        super(clientId, config.commandsPerClient(), config.clientThinkMaxMs(), queue, network, random, trace, stats);
        this.clientId = clientId;
        this.members = members;
        this.config = config;
        this.checker = checker;
        this.target = members.get(0);
    }

    @Override
    boolean isWaiting() {
        return current != null;
    }

    /** The command still waiting for an answer, or null. */
    Command outstanding() {
        return current;
    }

    @Override
    void startNext() {
        byte[] payload = new byte[PAYLOAD_BYTES];
        random.nextBytes(payload);
        current = new Command(clientId, ++seq, payload);
        send();
    }

    private void send() {
        network.send(address, target, new ClientRequest(current));
        retryAfter(config.clientTimeoutMs(), () -> {
            stats.retries++;
            target = nextMember(target);
            send();
        });
    }

    @Override
    public void receive(int from, Object message) {
        if (message instanceof ClientApplied applied && isCurrent(applied.id())) {
            onApplied();
        } else if (message instanceof NotLeader notLeader && isCurrent(notLeader.id())) {
            target = notLeader.leaderHint() != 0 && notLeader.leaderHint() != from
                    ? notLeader.leaderHint() : nextMember(from);
            retrySoon();
        } else if (message instanceof Overloaded overloaded && isCurrent(overloaded.id())) {
            retrySoon();
        }
    }

    private void onApplied() {
        trace.record(queue.now(), "ack", 0, address, current);
        checker.acknowledged(current.id());
        stats.operations++;
        current = null;
        answered();
    }

    private void retrySoon() {
        retryAfter(10 + random.nextLong(20), this::send);
    }

    private boolean isCurrent(Command.Id id) {
        return current != null && current.id().equals(id);
    }

    private int nextMember(int after) {
        int i = members.indexOf(after);
        return members.get((i + 1) % members.size());
    }
}
