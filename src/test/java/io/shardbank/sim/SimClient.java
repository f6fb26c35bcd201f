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
final class SimClient implements SimNetwork.Endpoint {

    /** Client addresses start here; node addresses are below. */
    static final int ADDRESS_BASE = 10_000;
    static final int PAYLOAD_BYTES = 8;

    final int clientId;
    final int address;
    private final List<Integer> members;
    private final SimConfig config;
    private final EventQueue queue;
    private final SimNetwork network;
    private final SplittableRandom random;
    private final Trace trace;
    private final SimStats stats;
    private final ClusterChecker checker;

    private int target;
    private long seq;
    private Command current;
    private int timer;
    private int acknowledged;

    SimClient(int clientId, List<Integer> members, SimConfig config, EventQueue queue, SimNetwork network,
            SplittableRandom random, Trace trace, SimStats stats, ClusterChecker checker) {
        this.clientId = clientId;
        this.address = ADDRESS_BASE + clientId;
        this.members = members;
        this.config = config;
        this.queue = queue;
        this.network = network;
        this.random = random;
        this.trace = trace;
        this.stats = stats;
        this.checker = checker;
        this.target = members.get(0);
    }

    void start() {
        queue.after(1 + random.nextLong(config.clientThinkMaxMs()), this::next);
    }

    boolean isDone() {
        return acknowledged == config.commandsPerClient();
    }

    /** The command still waiting for an answer, or null. */
    Command outstanding() {
        return current;
    }

    private void next() {
        if (isDone()) {
            return;
        }
        byte[] payload = new byte[PAYLOAD_BYTES];
        random.nextBytes(payload);
        current = new Command(clientId, ++seq, payload);
        send();
    }

    private void send() {
        network.send(address, target, new ClientRequest(current));
        int sentWith = ++timer;
        queue.after(config.clientTimeoutMs(), () -> {
            if (sentWith == timer && current != null) {
                stats.retries++;
                target = nextMember(target);
                send();
            }
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
        acknowledged++;
        current = null;
        timer++;
        queue.after(random.nextLong(config.clientThinkMaxMs() + 1), this::next);
    }

    private void retrySoon() {
        int sentWith = ++timer;
        queue.after(10 + random.nextLong(20), () -> {
            if (sentWith == timer && current != null) {
                send();
            }
        });
    }

    private boolean isCurrent(Command.Id id) {
        return current != null && current.id().equals(id);
    }

    private int nextMember(int after) {
        int i = members.indexOf(after);
        return members.get((i + 1) % members.size());
    }
}
