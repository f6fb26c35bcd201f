package io.shardbank.reshard;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeSet;

/**
 * The moves open to the items not yet moved in one refinement pass, best first, with the balance
 * rule applied when one is picked. Candidates sit in one ordered set per (from part, to part), so
 * the best allowed move is found by looking at one head per pair of parts, whatever the loads.
 *
 * <p>Balance rule: while every part is within capacity, any move is allowed, even one that puts its
 * target one item over (refinement may climb through an unbalanced state, which is what lets it
 * swap two items when no part has room); while a part is over capacity, only moves out of such a
 * part into one below capacity are. Items no transaction touched are offered only then: moving
 * them cannot change the cut, only restore the balance.
 */
final class MoveQueue {

    /** One possible move; {@code rank} is the item's place in the seeded tie-break order. */
    record Candidate(int item, int target, Gain gain, int rank) {
    }

    private static final Comparator<Candidate> BEST_FIRST = Comparator.comparing(Candidate::gain).reversed()
            .thenComparingInt(Candidate::rank).thenComparingInt(Candidate::target);

    private final PartitionState state;
    private final int parts;
    private final int[] rank;
    private final List<TreeSet<Candidate>> touched;
    private final List<TreeSet<Candidate>> untouched;
    private final Candidate[] entries;
    /** The part each item was in when its candidates were queued: the sets they sit in. */
    private final int[] queuedFrom;
    private final boolean[] locked;
    /** Whether the untouched items are queued: only once a part is over capacity, as only then are they offered. */
    private boolean untouchedQueued;

    /** Offers the moves of every item a transaction touched; {@code rank[item]} orders ties between equal gains. */
    MoveQueue(PartitionState state, int[] rank) {
        this.state = state;
        this.parts = state.parts();
        this.rank = rank;
        this.touched = emptySets(parts);
        this.untouched = emptySets(parts);
        int itemCount = state.graph().itemCount();
        this.entries = new Candidate[(itemCount + 1) * parts];
        this.queuedFrom = new int[itemCount + 1];
        this.locked = new boolean[itemCount + 1];
        for (int item = 1; item <= itemCount; item++) {
            if (state.graph().degree(item) > 0) {
                add(item);
            }
        }
    }

    private static List<TreeSet<Candidate>> emptySets(int parts) {
        List<TreeSet<Candidate>> sets = new ArrayList<>(parts * parts);
        for (int i = 0; i < parts * parts; i++) {
            sets.add(new TreeSet<>(BEST_FIRST));
        }
        return sets;
    }

    /**
     * The best move the balance rule allows now, or null if there is none. A move into a full part
     * forces a second move out of it, so it ranks as if it moved one more item; the candidate
     * returned carries that ranking gain.
     */
    Candidate best() {
        boolean overloaded = !state.isBalanced();
        if (overloaded && !untouchedQueued) {
            queueUntouched();
        }
        Candidate best = null;
        for (int from = 0; from < parts; from++) {
            for (int to = 0; to < parts; to++) {
                if (from != to && allowed(overloaded, from, to)) {
                    best = better(best, ranked(head(touched, from, to)));
                    best = overloaded ? better(best, head(untouched, from, to)) : best;
                }
            }
        }
        return best;
    }

    /** The candidate with the cost of the move it forces when its target is full. */
    private Candidate ranked(Candidate candidate) {
        if (candidate == null || state.load(candidate.target()) < state.capacity()) {
            return candidate;
        }
        Gain gain = candidate.gain();
        return new Candidate(candidate.item(), candidate.target(),
                new Gain(gain.cut(), gain.connectivity(), gain.homeward() - 1), candidate.rank());
    }

    private void queueUntouched() {
        for (int item = 1; item <= state.graph().itemCount(); item++) {
            if (state.graph().degree(item) == 0 && !locked[item]) {
                add(item);
            }
        }
        untouchedQueued = true;
    }

    private boolean allowed(boolean overloaded, int from, int to) {
        return !overloaded || (state.isOverloaded(from) && state.load(to) < state.capacity());
    }

    private Candidate head(List<TreeSet<Candidate>> sets, int from, int to) {
        TreeSet<Candidate> set = sets.get(from * parts + to);
        return set.isEmpty() ? null : set.first();
    }

    private static Candidate better(Candidate a, Candidate b) {
        if (a == null) {
            return b;
        }
        return b == null || BEST_FIRST.compare(a, b) <= 0 ? a : b;
    }

    /** Takes the item out of the pass: it has moved and stays put until the next pass. */
    void lock(int item) {
        remove(item);
        locked[item] = true;
    }

    boolean isLocked(int item) {
        return locked[item];
    }

    /** Recomputes the item's gains after a neighbour moved. */
    void refresh(int item) {
        if (!locked[item]) {
            remove(item);
            add(item);
        }
    }

    private void add(int item) {
        int from = state.partOf(item);
        List<TreeSet<Candidate>> sets = state.graph().degree(item) > 0 ? touched : untouched;
        Gain[] gains = state.gains(item);
        queuedFrom[item] = from;
        for (int to = 0; to < parts; to++) {
            if (to != from) {
                Candidate candidate = new Candidate(item, to, gains[to], rank[item]);
                entries[item * parts + to] = candidate;
                sets.get(from * parts + to).add(candidate);
            }
        }
    }

    private void remove(int item) {
        int from = queuedFrom[item];
        List<TreeSet<Candidate>> sets = state.graph().degree(item) > 0 ? touched : untouched;
        for (int to = 0; to < parts; to++) {
            Candidate candidate = entries[item * parts + to];
            if (candidate != null) {
                sets.get(from * parts + to).remove(candidate);
                entries[item * parts + to] = null;
            }
        }
    }
}
