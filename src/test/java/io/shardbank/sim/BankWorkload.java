package io.shardbank.sim;

import io.shardbank.model.ShardMap;
import io.shardbank.shard.ItemDelta;
import io.shardbank.shard.Operation;
import io.shardbank.shard.ReadConsistency;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Draws client operations: transfers inside one cluster, transfers between two clusters,
 * zero-sum multi-item transactions over two or three clusters, balance reads (through the log, under
 * a leader's lease, or from any replica), and now and then an
 * invalid operation. Items come from a few hot ones per cluster so that operations conflict.
 */
final class BankWorkload {

    private BankWorkload() {
    }

    static Operation next(long sequence, BankConfig config, ShardMap shardMap, SplittableRandom random) {
        double pick = random.nextDouble();
        if (pick < config.invalidShare()) {
            return invalid(sequence, config, random);
        }
        pick -= config.invalidShare();
        if (pick < config.readShare()) {
            int item = item(random.nextInt(config.clusters()) + 1, config, random);
            return switch (random.nextInt(3)) {
                case 0 -> new Operation.BalanceRead(sequence, item);
                case 1 -> new Operation.LocalRead(sequence, item, ReadConsistency.LEASE);
                default -> new Operation.LocalRead(sequence, item, ReadConsistency.ANY);
            };
        }
        pick -= config.readShare();
        long amount = 1 + random.nextLong(config.amountMax());
        if (pick < config.crossShare()) {
            int from = 1 + random.nextInt(config.clusters());
            int to = other(from, config, random);
            return new Operation.Transfer(sequence, item(from, config, random), item(to, config, random), amount);
        }
        pick -= config.crossShare();
        if (pick < config.multiShare()) {
            return transaction(sequence, config, random);
        }
        int cluster = 1 + random.nextInt(config.clusters());
        int from = item(cluster, config, random);
        int to = item(cluster, config, random);
        if (to == from) {
            to = from == first(cluster, config) ? from + 1 : from - 1;
        }
        return new Operation.Transfer(sequence, from, to, amount);
    }

    /** Two or three items in at least two clusters; one or two are debited, the rest credited, summing to zero. */
    private static Operation transaction(long sequence, BankConfig config, SplittableRandom random) {
        int clusters = Math.min(config.clusters(), 2 + random.nextInt(2));
        List<Integer> chosen = new ArrayList<>();
        int start = 1 + random.nextInt(config.clusters());
        for (int i = 0; i < clusters; i++) {
            chosen.add(((start - 1 + i) % config.clusters()) + 1);
        }
        List<Integer> items = new ArrayList<>();
        for (int cluster : chosen) {
            items.add(item(cluster, config, random));
        }
        if (items.size() == 2 && random.nextBoolean()) {
            int cluster = chosen.get(random.nextInt(2));
            int extra = item(cluster, config, random);
            if (!items.contains(extra)) {
                items.add(extra);
            }
        }
        List<ItemDelta> deltas = new ArrayList<>();
        long first = 2 + random.nextLong(config.amountMax());
        if (items.size() == 2) {
            deltas.add(new ItemDelta(items.get(0), -first));
            deltas.add(new ItemDelta(items.get(1), first));
        } else if (random.nextBoolean()) {
            long part = 1 + random.nextLong(first - 1);
            deltas.add(new ItemDelta(items.get(0), -first));
            deltas.add(new ItemDelta(items.get(1), part));
            deltas.add(new ItemDelta(items.get(2), first - part));
        } else {
            long second = 1 + random.nextLong(config.amountMax());
            deltas.add(new ItemDelta(items.get(0), -first));
            deltas.add(new ItemDelta(items.get(1), -second));
            deltas.add(new ItemDelta(items.get(2), first + second));
        }
        return new Operation.Transaction(sequence, deltas);
    }

    private static Operation invalid(long sequence, BankConfig config, SplittableRandom random) {
        int item = item(1 + random.nextInt(config.clusters()), config, random);
        return switch (random.nextInt(3)) {
            case 0 -> new Operation.Transfer(sequence, item, item, 1);
            case 1 -> new Operation.Transfer(sequence, item, config.items() + 1, 1);
            default -> new Operation.Transaction(sequence, List.of(new ItemDelta(item, 0)));
        };
    }

    private static int item(int cluster, BankConfig config, SplittableRandom random) {
        return first(cluster, config) + random.nextInt(config.hotItemsPerCluster());
    }

    private static int first(int cluster, BankConfig config) {
        return (cluster - 1) * config.itemsPerCluster() + 1;
    }

    private static int other(int cluster, BankConfig config, SplittableRandom random) {
        int other = 1 + random.nextInt(config.clusters() - 1);
        return other >= cluster ? other + 1 : other;
    }
}
