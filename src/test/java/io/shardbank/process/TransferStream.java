package io.shardbank.process;

import static org.assertj.core.api.Assertions.assertThat;

import io.shardbank.client.ShardbankClient;
import io.shardbank.shard.Outcome;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.EnumMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A stream of transfers sent from a background thread, at most a fixed number in flight, until it
 * is stopped; it keeps account of what each outcome implies for the balances.
 *
 * <p>Items are grouped in disjoint pairs, and each pair has one transfer in flight at a time,
 * moving its amount back and forth (a to b, then b to a, and so on), or one way only (a to b) until
 * a limit has moved. Each pair's balances therefore follow from the outcomes alone: a committed
 * transfer is applied, an aborted or rejected one is not. An unavailable outcome is unknown (applied
 * or not); a pair that gets one sends nothing more, so at most its last transfer is in doubt.
 */
final class TransferStream {

    private final ShardbankClient client;
    private final int inFlightMax;
    private final Semaphore inFlight;
    private final ConcurrentLinkedQueue<Pair> idle = new ConcurrentLinkedQueue<>();
    private final List<Pair> pairs = new ArrayList<>();
    private final Map<Outcome.Status, AtomicInteger> counts = new EnumMap<>(Outcome.Status.class);
    /** How often each answer other than committed came, for the report. */
    private final Map<String, Integer> reasons = new ConcurrentHashMap<>();
    private final Thread sender;
    private volatile boolean stopping;

    private TransferStream(ShardbankClient client, List<Pair> pairs, int inFlightMax) {
        this.client = client;
        this.inFlightMax = inFlightMax;
        this.inFlight = new Semaphore(inFlightMax);
        this.pairs.addAll(pairs);
        this.idle.addAll(pairs);
        for (Outcome.Status status : Outcome.Status.values()) {
            counts.put(status, new AtomicInteger());
        }
        this.sender = new Thread(this::sendUntilStopped, "transfer-stream");
        this.sender.setDaemon(true);
    }

    /**
     * Starts transfers over the pairs (first, first+1), (first+2, first+3), ... up to item
     * {@code last}, each pair with an amount of 1..4, below the initial balance of every item.
     */
    static TransferStream start(ShardbankClient client, int first, int last, int inFlightMax) {
        List<Pair> pairs = new ArrayList<>();
        for (int item = first; item + 1 <= last; item += 2) {
            pairs.add(Pair.alternating(item, item + 1, 1 + (item / 2) % 4));
        }
        return start(client, pairs, inFlightMax);
    }

    /** Starts transfers over the given pairs. */
    static TransferStream start(ShardbankClient client, List<Pair> pairs, int inFlightMax) {
        TransferStream stream = new TransferStream(client, pairs, inFlightMax);
        stream.sender.start();
        return stream;
    }

    private void sendUntilStopped() {
        try {
            while (true) {
                inFlight.acquire();
                Pair pair = idle.poll();
                if (stopping || pair == null) { // no pair can send: all but those in flight are in doubt or done
                    inFlight.release();
                    return;
                }
                send(pair);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void send(Pair pair) {
        int from = pair.forward ? pair.first : pair.second;
        int to = pair.forward ? pair.second : pair.first;
        client.transfer(from, to, pair.amount).whenComplete((outcome, error) -> {
            Outcome.Status status = error == null ? outcome.status() : Outcome.Status.UNAVAILABLE;
            counts.get(status).incrementAndGet();
            if (status != Outcome.Status.COMMITTED) {
                reasons.merge(error == null ? outcome.toString() : error.toString(), 1, Integer::sum);
            }
            if (pair.settle(status)) {
                idle.add(pair);
            }
            inFlight.release();
        });
    }

    int committed() {
        return count(Outcome.Status.COMMITTED);
    }

    int count(Outcome.Status status) {
        return counts.get(status).get();
    }

    /** Whether the stream stopped sending on its own (its pairs ended in doubt or moved their limit). */
    boolean exhausted() {
        return !sender.isAlive();
    }

    /** Sends no more transfers and waits until every one sent has its outcome. */
    void stop() throws InterruptedException {
        stopping = true;
        sender.join(TimeUnit.SECONDS.toMillis(30));
        if (!inFlight.tryAcquire(inFlightMax, 60, TimeUnit.SECONDS)) {
            throw new IllegalStateException("transfers still without an outcome after 60 s");
        }
        inFlight.release(inFlightMax);
    }

    /** Every pair, with what its outcomes imply (complete once {@link #stop} returned). */
    List<Pair> pairs() {
        return List.copyOf(pairs);
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder();
        counts.forEach((status, count) -> {
            if (count.get() > 0) {
                text.append(text.length() == 0 ? "" : ", ").append(count.get()).append(' ')
                        .append(status.name().toLowerCase());
            }
        });
        return text.length() == 0 ? "nothing sent" : text + (reasons.isEmpty() ? "" : " " + reasons);
    }

    /**
     * Two items and the account of the transfers between them. {@code moved} is what the
     * committed transfers moved from the first item to the second; {@code inDoubt}, if not zero,
     * what the last transfer (of unknown outcome) would move on top.
     */
    static final class Pair {
        final int first;
        final int second;
        final long amount;
        /** For a one-way pair, the most it moves in all; zero for a pair that alternates. */
        private final long oneWayLimit;
        private boolean forward = true;
        private long moved;
        private long inDoubt;

        private Pair(int first, int second, long amount, long oneWayLimit) {
            this.first = first;
            this.second = second;
            this.amount = amount;
            this.oneWayLimit = oneWayLimit;
        }

        /** Moves {@code amount} from first to second, then back, and so on. */
        static Pair alternating(int first, int second, long amount) {
            return new Pair(first, second, amount, 0);
        }

        /** Moves {@code amount} from first to second, again and again until {@code limit} has moved. */
        static Pair oneWay(int first, int second, long amount, long limit) {
            return new Pair(first, second, amount, limit);
        }

        /** Accounts for the outcome of the transfer in flight; returns whether the pair may send again. */
        synchronized boolean settle(Outcome.Status status) {
            long delta = forward ? amount : -amount;
            switch (status) {
                case COMMITTED -> {
                    moved += delta;
                    if (oneWayLimit > 0) {
                        return moved + amount <= oneWayLimit;
                    }
                    forward = !forward;
                }
                case UNAVAILABLE -> {
                    inDoubt = delta;
                    return false;
                }
                default -> {
                    // aborted or rejected: not applied; try the same direction again
                }
            }
            return true;
        }

        synchronized long moved() {
            return moved;
        }

        synchronized long inDoubt() {
            return inDoubt;
        }

        /**
         * The pair's balances show every committed transfer, and its last one only if that is in
         * doubt (once the stream stopped).
         */
        void check(Map<Integer, Long> balances, long initial) {
            long first = balances.get(this.first);
            long second = balances.get(this.second);
            boolean asCommitted = first == initial - moved() && second == initial + moved();
            long withDoubt = moved() + inDoubt();
            boolean withLastInDoubt = inDoubt() != 0 && first == initial - withDoubt && second == initial + withDoubt;
            assertThat(asCommitted || withLastInDoubt).as("%s: balances %d and %d", this, first, second).isTrue();
        }

        @Override
        public synchronized String toString() {
            return "items " + first + " and " + second + " (moved " + moved + ", in doubt " + inDoubt + ")";
        }
    }
}
