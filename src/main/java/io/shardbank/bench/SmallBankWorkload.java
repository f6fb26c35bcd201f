package io.shardbank.bench;

import io.shardbank.model.ShardMap;
import io.shardbank.shard.ItemDelta;
import io.shardbank.shard.Operation;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The SmallBank mix (Alomari et al., as in H-Store and OLTPBench) over customers that each own two
 * neighbouring items of one cluster, a checking and a savings account:
 * <pre>
 *   Amalgamate       15%  customer 1's checking and savings -1 each, customer 2's checking +2
 *   Balance          15%  read customer's checking and savings
 *   DepositChecking  15%  checking +1
 *   SendPayment      25%  checking 1 -> checking 2, amount 1
 *   TransactSavings  15%  savings +1 or -1
 *   WriteCheck       15%  checking -1
 * </pre>
 * Amounts are fixed units, so each transaction is one round whatever the balances: one that would
 * take a balance below zero aborts, as SmallBank's do. The read ratio sets Balance's share (the
 * other five keep their proportions); the cross ratio is the chance that customer 2 of Amalgamate
 * and SendPayment lives in another cluster; skew makes low-numbered customers hot. Defaults: read
 * ratio 0.15, cross ratio 0, uniform customers. With affinity groups (over customers), the two
 * customers of Amalgamate and SendPayment come from one hidden group with the affinity's
 * probability, else from anywhere.
 */
final class SmallBankWorkload implements Workload {

    private static final String[] WRITE_TYPES = {"Amalgamate", "DepositChecking", "SendPayment", "TransactSavings",
        "WriteCheck"};
    private static final double[] WRITE_WEIGHTS = {15, 15, 25, 15, 15};

    private final ItemPicker items;
    private final double readRatio;
    private final double crossRatio;
    private final double skew;
    private final double[] cumulativeWriteWeights = new double[WRITE_WEIGHTS.length];
    private final SplittableRandom random;
    /** Every customer by number, for affinity groups: units are indexes into this array. */
    private final Customer[] customers;
    /** Null unless the options ask for affinity groups. */
    private final AffinityGroups groups;
    private final double affinity;

    /** A customer's two accounts. */
    private record Customer(int cluster, int checking, int savings) {
    }

    SmallBankWorkload(Options options, ShardMap shardMap, int clusterCount) {
        this.readRatio = options.readRatioOr(0.15);
        this.crossRatio = clusterCount > 1 ? options.crossRatioOr(0) : 0;
        this.skew = options.skewOr(0);
        this.items = new ItemPicker(shardMap, clusterCount, skew);
        for (int c = 0; c < clusterCount; c++) {
            if (items.size(c) < 4) {
                throw new IllegalArgumentException("smallbank needs two customers (four items) per cluster at least");
            }
        }
        double sum = 0;
        for (int i = 0; i < WRITE_WEIGHTS.length; i++) {
            sum += WRITE_WEIGHTS[i];
            cumulativeWriteWeights[i] = sum;
        }
        this.random = new SplittableRandom(options.seed());
        List<Customer> all = new java.util.ArrayList<>();
        for (int c = 0; c < clusterCount; c++) {
            for (int index = 0; index < items.size(c) / 2; index++) {
                all.add(new Customer(c, items.item(c, 2 * index), items.item(c, 2 * index + 1)));
            }
        }
        this.customers = all.toArray(Customer[]::new);
        this.groups = options.groupsOver(customers.length);
        this.affinity = options.affinityOrDefault();
    }

    @Override
    public Step next() {
        Customer first = customer(random.nextInt(items.clusterCount()));
        if (random.nextDouble() < readRatio) {
            return new Step("Balance", true, false,
                    List.of(new Operation.BalanceRead(0, first.checking()), new Operation.BalanceRead(0, first.savings())));
        }
        String type = writeType();
        return switch (type) {
            case "Amalgamate" -> {
                Customer[] pair = groups == null ? new Customer[] {first, secondCustomer(first)} : groupedPair();
                first = pair[0];
                Customer second = pair[1];
                yield new Step(type, false, second.cluster() != first.cluster(), List.of(transaction(
                        new ItemDelta(first.checking(), -1), new ItemDelta(first.savings(), -1),
                        new ItemDelta(second.checking(), 2))));
            }
            case "DepositChecking" -> single(type, first.checking(), 1);
            case "SendPayment" -> {
                Customer[] pair = groups == null ? new Customer[] {first, secondCustomer(first)} : groupedPair();
                first = pair[0];
                Customer second = pair[1];
                yield new Step(type, false, second.cluster() != first.cluster(),
                        List.of(new Operation.Transfer(0, first.checking(), second.checking(), 1)));
            }
            case "TransactSavings" -> single(type, first.savings(), random.nextBoolean() ? 1 : -1);
            default -> single(type, first.checking(), -1);
        };
    }

    private String writeType() {
        double u = random.nextDouble() * cumulativeWriteWeights[cumulativeWriteWeights.length - 1];
        for (int i = 0; i < cumulativeWriteWeights.length; i++) {
            if (u < cumulativeWriteWeights[i]) {
                return WRITE_TYPES[i];
            }
        }
        return WRITE_TYPES[WRITE_TYPES.length - 1];
    }

    private Customer customer(int cluster) {
        int customers = items.size(cluster) / 2;
        int index = items.rank(customers, random);
        return new Customer(cluster, items.item(cluster, 2 * index), items.item(cluster, 2 * index + 1));
    }

    /** Customer 2 of a two-customer transaction: another cluster's with the cross ratio, never customer 1. */
    private Customer secondCustomer(Customer first) {
        int cluster = random.nextDouble() < crossRatio ? items.otherCluster(first.cluster(), random) : first.cluster();
        Customer second = customer(cluster);
        while (second.checking() == first.checking()) {
            second = customer(cluster);
        }
        return second;
    }

    /** Two customers of one affinity group with the affinity's probability, else any two. */
    private Customer[] groupedPair() {
        int[] pair = random.nextDouble() < affinity ? groups.pairInGroup(random) : groups.pairAnywhere(random);
        return new Customer[] {customers[pair[0]], customers[pair[1]]};
    }

    private static Step single(String type, int item, long delta) {
        return new Step(type, false, false, List.of(transaction(new ItemDelta(item, delta))));
    }

    private static Operation transaction(ItemDelta... deltas) {
        return new Operation.Transaction(0, List.of(deltas));
    }

    @Override
    public String describe() {
        if (groups != null) {
            return String.format(Locale.ROOT, "smallbank: read-ratio=%.2f (Balance) affinity-groups=%d affinity=%.2f",
                    readRatio, groups.groupCount(), affinity);
        }
        return String.format(Locale.ROOT, "smallbank: read-ratio=%.2f (Balance) cross-ratio=%.2f skew=%.2f",
                readRatio, crossRatio, skew);
    }

    @Override
    public java.util.Map<String, Object> knobs() {
        java.util.Map<String, Object> knobs = new java.util.LinkedHashMap<>();
        knobs.put("read_ratio", readRatio);
        if (groups != null) {
            knobs.put("affinity_groups", groups.groupCount());
            knobs.put("affinity", affinity);
        } else {
            knobs.put("cross_shard_ratio", crossRatio);
            knobs.put("skew", skew);
        }
        return knobs;
    }
}
