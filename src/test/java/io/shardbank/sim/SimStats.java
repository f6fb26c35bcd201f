package io.shardbank.sim;

/** Counters of one run, and of many runs added together. */
final class SimStats {

    long seeds;
    long operations;
    long proposals;
    long drops;
    long duplicates;
    long partitions;
    long crashes;
    long elections;
    long recoveries;
    long snapshotsInstalled;
    long retries;
    long events;
    long anomalies;
    long transactionsCommitted;
    long transactionsAborted;
    long crashPoints;
    long unavailableButApplied;
    long noMajorityAnswers;
    /** Cross-cluster commits and the virtual time from their first send to their answer, added up. */
    long crossCommitsAnswered;
    long crossCommitAnswerMsTotal;
    long migrationsCommitted;
    long migrationsAborted;
    long itemsMoved;
    long movedAnswers;

    void add(SimStats other) {
        seeds += other.seeds;
        operations += other.operations;
        proposals += other.proposals;
        drops += other.drops;
        duplicates += other.duplicates;
        partitions += other.partitions;
        crashes += other.crashes;
        elections += other.elections;
        recoveries += other.recoveries;
        snapshotsInstalled += other.snapshotsInstalled;
        retries += other.retries;
        events += other.events;
        anomalies += other.anomalies;
        transactionsCommitted += other.transactionsCommitted;
        transactionsAborted += other.transactionsAborted;
        crashPoints += other.crashPoints;
        unavailableButApplied += other.unavailableButApplied;
        noMajorityAnswers += other.noMajorityAnswers;
        crossCommitsAnswered += other.crossCommitsAnswered;
        crossCommitAnswerMsTotal += other.crossCommitAnswerMsTotal;
        migrationsCommitted += other.migrationsCommitted;
        migrationsAborted += other.migrationsAborted;
        itemsMoved += other.itemsMoved;
        movedAnswers += other.movedAnswers;
    }

    String summary() {
        return String.format("simulation: seeds=%d operations=%d faults=drop:%d,dup:%d,partition:%d,crash:%d"
                        + " elections=%d recoveries=%d snapshots=%d retries=%d events=%d anomalies=%d",
                seeds, operations, drops, duplicates, partitions, crashes, elections, recoveries,
                snapshotsInstalled, retries, events, anomalies);
    }

    /** The summary line of the full-stack simulation. */
    String bankSummary() {
        return String.format("simulation: seeds=%d operations=%d faults=drop:%d,dup:%d,partition:%d,crash:%d"
                        + " elections=%d recoveries=%d transactions=committed:%d,aborted:%d anomalies=%d",
                seeds, operations, drops, duplicates, partitions, crashes, elections, recoveries,
                transactionsCommitted, transactionsAborted, anomalies);
    }

    /** What the summary line leaves out. */
    String bankDetails() {
        return String.format("details: crash-points=%d snapshots=%d retries=%d slots-chosen-by-leaders=%d events=%d"
                        + " unavailable-but-applied=%d no-majority-answers=%d cross-commit-answer-ms-mean=%.1f"
                        + " migrations=committed:%d,aborted:%d items-moved=%d moved-answers=%d",
                crashPoints, snapshotsInstalled, retries, proposals, events, unavailableButApplied, noMajorityAnswers,
                crossCommitsAnswered == 0 ? 0.0 : (double) crossCommitAnswerMsTotal / crossCommitsAnswered,
                migrationsCommitted, migrationsAborted, itemsMoved, movedAnswers);
    }
}
