package io.shardbank.shard;

import io.shardbank.model.ShardMap;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** The checks every client operation passes before it may enter a log, whatever cluster gets it. */
final class Validation {

    private Validation() {
    }

    /** Why the operation is invalid, or null when it is valid. */
    static String problem(Operation operation, ShardMap shardMap) {
        if (operation instanceof Operation.Transfer t) {
            if (t.amount() <= 0) {
                return "amount must be positive, got " + t.amount();
            }
            if (t.from() == t.to()) {
                return "sender and receiver are the same item " + t.from();
            }
            String problem = itemProblem(t.from(), shardMap);
            return problem != null ? problem : itemProblem(t.to(), shardMap);
        }
        if (operation instanceof Operation.BalanceRead read) {
            return itemProblem(read.item(), shardMap);
        }
        if (operation instanceof Operation.LocalRead read) {
            return itemProblem(read.item(), shardMap);
        }
        if (operation instanceof Operation.Migrate migrate) {
            return migrationProblem(migrate, shardMap);
        }
        return transactionProblem((Operation.Transaction) operation, shardMap);
    }

    private static String migrationProblem(Operation.Migrate migrate, ShardMap shardMap) {
        if (migrate.items().isEmpty()) {
            return "a migration needs at least one item";
        }
        int clusters = shardMap.clusterCount();
        for (int cluster : List.of(migrate.fromCluster(), migrate.toCluster())) {
            if (cluster < 1 || cluster > clusters) {
                return "unknown cluster c" + cluster + " (clusters are c1..c" + clusters + ")";
            }
        }
        if (migrate.fromCluster() == migrate.toCluster()) {
            return "a migration from c" + migrate.fromCluster() + " to itself";
        }
        Set<Integer> seen = new HashSet<>();
        for (int item : migrate.items()) {
            String problem = itemProblem(item, shardMap);
            if (problem != null) {
                return problem;
            }
            if (!seen.add(item)) {
                return "item " + item + " appears twice in one migration";
            }
        }
        return null;
    }

    private static String transactionProblem(Operation.Transaction txn, ShardMap shardMap) {
        if (txn.deltas() == null || txn.deltas().isEmpty()) {
            return "a transaction needs at least one (item, delta)";
        }
        Set<Integer> seen = new HashSet<>();
        for (ItemDelta delta : txn.deltas()) {
            String problem = itemProblem(delta.item(), shardMap);
            if (problem != null) {
                return problem;
            }
            if (delta.delta() == 0) {
                return "delta of item " + delta.item() + " is zero";
            }
            if (!seen.add(delta.item())) {
                return "item " + delta.item() + " appears twice in one transaction";
            }
        }
        return null;
    }

    private static String itemProblem(int item, ShardMap shardMap) {
        if (!shardMap.hasItem(item)) {
            return "unknown item " + item + " (items are 1.." + shardMap.itemCount() + ")";
        }
        return null;
    }
}
