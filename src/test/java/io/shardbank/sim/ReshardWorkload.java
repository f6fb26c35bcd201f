package io.shardbank.sim;

import io.shardbank.shard.Operation;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.function.IntUnaryOperator;

/**
 * Draws migrations as a reshard coordinator would send them: one to three items that a source
 * cluster owns (mostly among the items clients use, so that migrations meet transfers and
 * transactions on the way), to another cluster, each under the next shard map version.
 */
final class ReshardWorkload implements BankClient.OperationSource {

    private final BankConfig config;
    private final IntUnaryOperator ownerOf;
    private long version = 1;

    /** @param ownerOf each item's owner as decided so far (a migration committed moves it at once) */
    ReshardWorkload(BankConfig config, IntUnaryOperator ownerOf) {
        this.config = config;
        this.ownerOf = ownerOf;
    }

    @Override
    public Operation next(long sequence, SplittableRandom random) {
        int from = 1 + random.nextInt(config.clusters());
        int to = 1 + random.nextInt(config.clusters() - 1);
        to = to >= from ? to + 1 : to;
        List<Integer> owned = owned(from, random.nextInt(4) != 0);
        if (owned.isEmpty()) {
            owned = owned(from, false);
        }
        TreeSet<Integer> items = new TreeSet<>();
        int count = 1 + random.nextInt(3);
        for (int i = 0; i < count && !owned.isEmpty(); i++) {
            items.add(owned.remove(random.nextInt(owned.size())));
        }
        if (items.isEmpty()) {
            items.add(1 + random.nextInt(config.items())); // the source owns nothing: it will say so
        }
        return new Operation.Migrate(sequence, new ArrayList<>(items), from, to, ++version);
    }

    private List<Integer> owned(int cluster, boolean hotOnly) {
        List<Integer> owned = new ArrayList<>();
        for (int item = 1; item <= config.items(); item++) {
            boolean hot = (item - 1) % config.itemsPerCluster() < config.hotItemsPerCluster();
            if (ownerOf.applyAsInt(item) == cluster && (hot || !hotOnly)) {
                owned.add(item);
            }
        }
        return owned;
    }
}
