package io.shardbank.shard;

import java.util.Locale;

/** How fresh a balance read must be. */
public enum ReadConsistency {
    /** Through the log, answered by the leader when the read's slot is applied: never stale. */
    LINEARIZABLE,
    /**
     * Answered by the leader from its applied state while a majority has heard from it within half
     * an election timeout (followers refuse to elect another leader for a full one), after every
     * entry of its own NEW-VIEW is chosen; otherwise through the log. Relies on bounded clock drift.
     */
    LEASE,
    /** Answered by any node from its own applied state: may miss the latest commits. */
    ANY;

    /** Parses {@code linearizable}, {@code lease} or {@code any}, case-insensitive. */
    public static ReadConsistency parse(String text) {
        try {
            return valueOf(text.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown read consistency '" + text
                    + "' (expected linearizable, lease or any)");
        }
    }
}
