package io.shardbank.bench;

import io.shardbank.model.ShardMap;
import io.shardbank.shard.ItemDelta;
import io.shardbank.shard.Operation;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * TPC-C's transaction shapes and mix over bank items, one warehouse per cluster. A cluster's first
 * {@value #DISTRICTS} items are its districts (hot, as in TPC-C), the first half of the rest its
 * customers, the other half its stock.
 * <pre>
 *   NewOrder     45%  a district (D_NEXT_O_ID) and 5..15 stock items (S_ORDER_CNT); with the NewOrder
 *                     cross ratio (default 0.10, about TPC-C's 1% remote chance per item) one
 *                     stock item is another warehouse's
 *   Payment      43%  a district (D_YTD) and a customer (C_YTD_PAYMENT); the customer is another
 *                     warehouse's with the Payment cross ratio (default 0.15, as in TPC-C)
 *   OrderStatus   4%  read a customer
 *   Delivery      4%  10 customers of the warehouse (C_DELIVERY_CNT)
 *   StockLevel    4%  read a district and 10 stock items
 * </pre>
 * Every write adds 1 to each item it touches, as TPC-C's counters and year-to-date totals grow,
 * so no step aborts for want of funds: what aborts met a lock, mostly on the ten hot districts of a
 * warehouse held by a cross-cluster transaction. The read ratio sets the share of OrderStatus and
 * StockLevel (default 0.08; the three write types keep their proportions); a cross ratio, when
 * given, replaces both defaults above; skew makes low-numbered customers and stock items hot.
 */
final class TpccWorkload implements Workload {

    static final int DISTRICTS = 10;
    private static final int STOCK_LEVEL_ITEMS = 10;

    private final ItemPicker items;
    /** Skewed ranks for customers and stock (the districts are few and all hot anyway). */
    private final ItemPicker ranks;
    private final double readRatio;
    private final double newOrderCrossRatio;
    private final double paymentCrossRatio;
    private final double skew;
    private final SplittableRandom random;

    TpccWorkload(Options options, ShardMap shardMap, int clusterCount) {
        this.readRatio = options.readRatioOr(0.08);
        this.newOrderCrossRatio = clusterCount > 1 ? options.crossRatioOr(0.10) : 0;
        this.paymentCrossRatio = clusterCount > 1 ? options.crossRatioOr(0.15) : 0;
        this.skew = options.skewOr(0);
        this.items = new ItemPicker(shardMap, clusterCount, 0);
        for (int c = 0; c < clusterCount; c++) {
            if (items.size(c) < DISTRICTS + 2 * 15) {
                throw new IllegalArgumentException("tpcc needs " + (DISTRICTS + 2 * 15) + " items per cluster at least");
            }
        }
        this.ranks = new ItemPicker(shardMap, clusterCount, skew);
        this.random = new SplittableRandom(options.seed());
    }

    @Override
    public Step next() {
        int warehouse = random.nextInt(items.clusterCount());
        if (random.nextDouble() < readRatio) {
            return random.nextBoolean() ? orderStatus(warehouse) : stockLevel(warehouse);
        }
        double u = random.nextDouble() * (45 + 43 + 4);
        if (u < 45) {
            return newOrder(warehouse);
        }
        return u < 45 + 43 ? payment(warehouse) : delivery(warehouse);
    }

    private Step newOrder(int warehouse) {
        int lines = 5 + random.nextInt(11);
        boolean remote = random.nextDouble() < newOrderCrossRatio;
        int remoteLine = remote ? random.nextInt(lines) : -1;
        Set<Integer> stock = new LinkedHashSet<>();
        while (stock.size() < lines) {
            int supplier = stock.size() == remoteLine ? items.otherCluster(warehouse, random) : warehouse;
            stock.add(stockItem(supplier));
        }
        List<Integer> touched = new ArrayList<>();
        touched.add(district(warehouse));
        touched.addAll(stock);
        return new Step("NewOrder", false, remote, List.of(increments(touched)));
    }

    private Step payment(int warehouse) {
        boolean remote = random.nextDouble() < paymentCrossRatio;
        int customer = customer(remote ? items.otherCluster(warehouse, random) : warehouse);
        return new Step("Payment", false, remote, List.of(increments(List.of(district(warehouse), customer))));
    }

    private Step delivery(int warehouse) {
        Set<Integer> customers = new LinkedHashSet<>();
        while (customers.size() < DISTRICTS) {
            customers.add(customer(warehouse));
        }
        return new Step("Delivery", false, false, List.of(increments(new ArrayList<>(customers))));
    }

    private Step orderStatus(int warehouse) {
        return new Step("OrderStatus", true, false, List.of(new Operation.BalanceRead(0, customer(warehouse))));
    }

    private Step stockLevel(int warehouse) {
        List<Operation> reads = new ArrayList<>();
        reads.add(new Operation.BalanceRead(0, district(warehouse)));
        for (int i = 0; i < STOCK_LEVEL_ITEMS; i++) {
            reads.add(new Operation.BalanceRead(0, stockItem(warehouse)));
        }
        return new Step("StockLevel", true, false, reads);
    }

    private static Operation increments(List<Integer> touched) {
        return new Operation.Transaction(0, touched.stream().map(item -> new ItemDelta(item, 1)).toList());
    }

    private int district(int warehouse) {
        return items.item(warehouse, random.nextInt(DISTRICTS));
    }

    /** Customers are ranks DISTRICTS .. DISTRICTS + half of the rest. */
    private int customer(int warehouse) {
        int customers = (items.size(warehouse) - DISTRICTS) / 2;
        return items.item(warehouse, DISTRICTS + ranks.rank(customers, random));
    }

    /** Stock items are the ranks after the customers. */
    private int stockItem(int warehouse) {
        int customers = (items.size(warehouse) - DISTRICTS) / 2;
        int stock = items.size(warehouse) - DISTRICTS - customers;
        return items.item(warehouse, DISTRICTS + customers + ranks.rank(stock, random));
    }

    @Override
    public String describe() {
        return String.format(Locale.ROOT,
                "tpcc: read-ratio=%.2f cross-ratio NewOrder=%.2f Payment=%.2f skew=%.2f", readRatio,
                newOrderCrossRatio, paymentCrossRatio, skew);
    }

    @Override
    public java.util.Map<String, Object> knobs() {
        java.util.Map<String, Object> knobs = new java.util.LinkedHashMap<>();
        knobs.put("read_ratio", readRatio);
        knobs.put("cross_shard_ratio_new_order", newOrderCrossRatio);
        knobs.put("cross_shard_ratio_payment", paymentCrossRatio);
        knobs.put("skew", skew);
        return knobs;
    }
}
