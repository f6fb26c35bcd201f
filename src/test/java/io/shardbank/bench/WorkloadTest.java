package io.shardbank.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.shardbank.model.ClusterId;
import io.shardbank.model.ShardMap;
import io.shardbank.shard.Operation;
import io.shardbank.shard.ShardStateMachine;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The workloads generate valid steps in the mix, ratios and skew they promise, repeatably. */
class WorkloadTest {

    private static final int CLUSTERS = 3;
    private static final ShardMap SHARD_MAP = ShardMap.evenRanges(CLUSTERS, 9000);
    private static final int STEPS = 60_000;
    private static final double TOLERANCE = 0.012;

    private static Workload workload(Workload.Kind kind, Double readRatio, Double crossRatio, Double skew) {
        return Workload.create(new Workload.Options(kind, readRatio, crossRatio, skew, 7), SHARD_MAP, CLUSTERS);
    }

    private static List<Step> steps(Workload workload) {
        return java.util.stream.Stream.generate(workload::next).limit(STEPS).toList();
    }

    private static double share(List<Step> steps, java.util.function.Predicate<Step> which) {
        return steps.stream().filter(which).count() / (double) steps.size();
    }

    @ParameterizedTest
    @EnumSource(Workload.Kind.class)
    void everyStepIsValidAndSaysTruthfullyWhetherItReadsAndCrossesClusters(Workload.Kind kind) {
        Map<Integer, ShardStateMachine> validators = new HashMap<>();
        for (int c = 1; c <= CLUSTERS; c++) {
            validators.put(c, new ShardStateMachine(new ClusterId(c), SHARD_MAP, 10, 16));
        }
        for (Step step : steps(workload(kind, null, null, null))) {
            Set<Integer> clusters = new HashSet<>();
            for (Operation operation : step.operations()) {
                ShardStateMachine validator =
                        validators.get(SHARD_MAP.clusterOf(Operation.routingItem(operation)).index());
                assertThat(validator.validate(operation)).as("%s in %s", operation, step).isNull();
                Operation.deltasOf(operation).forEach(d -> clusters.add(SHARD_MAP.clusterOf(d.item()).index()));
                if (operation instanceof Operation.BalanceRead read) {
                    clusters.add(SHARD_MAP.clusterOf(read.item()).index());
                }
                assertThat(Operation.deltasOf(operation).isEmpty()).as("%s", step).isEqualTo(step.read());
            }
            assertThat(step.crossCluster()).as("%s", step).isEqualTo(!step.read() && clusters.size() > 1);
        }
    }

    @ParameterizedTest
    @EnumSource(Workload.Kind.class)
    void theSameSeedGivesTheSameStream(Workload.Kind kind) {
        assertThat(steps(workload(kind, null, null, null))).isEqualTo(steps(workload(kind, null, null, null)));
    }

    @Test
    void transfersHonourTheReadAndCrossRatios() {
        List<Step> steps = steps(workload(Workload.Kind.TRANSFER, 0.2, 0.3, null));
        assertThat(share(steps, Step::read)).isCloseTo(0.2, within(TOLERANCE));
        List<Step> writes = steps.stream().filter(s -> !s.read()).toList();
        assertThat(share(writes, Step::crossCluster)).isCloseTo(0.3, within(TOLERANCE));
    }

    @Test
    void smallBankRunsItsMixWithBalanceAsTheReadShare() {
        List<Step> steps = steps(workload(Workload.Kind.SMALLBANK, null, 0.5, null));
        Map<String, Double> mix = typeShares(steps);
        assertThat(mix.get("Balance")).isCloseTo(0.15, within(TOLERANCE));
        assertThat(mix.get("SendPayment")).isCloseTo(0.25, within(TOLERANCE));
        for (String type : List.of("Amalgamate", "DepositChecking", "TransactSavings", "WriteCheck")) {
            assertThat(mix.get(type)).as(type).isCloseTo(0.15, within(TOLERANCE));
        }
        List<Step> twoCustomers = steps.stream()
                .filter(s -> s.type().equals("SendPayment") || s.type().equals("Amalgamate")).toList();
        assertThat(share(twoCustomers, Step::crossCluster)).isCloseTo(0.5, within(2 * TOLERANCE));

        Map<String, Double> readHeavy = typeShares(steps(workload(Workload.Kind.SMALLBANK, 0.6, null, null)));
        assertThat(readHeavy.get("Balance")).isCloseTo(0.6, within(TOLERANCE));
        assertThat(readHeavy.get("SendPayment")).isCloseTo(0.4 * 25 / 85, within(TOLERANCE));
    }

    @Test
    void ycsbDefaultsToWorkloadAWithZipfKeys() {
        List<Step> steps = steps(workload(Workload.Kind.YCSB, null, null, null));
        assertThat(share(steps, Step::read)).isCloseTo(0.5, within(TOLERANCE));
        // With exponent 0.99 over 3,000 keys a cluster, its 30 hottest keys take about half the load.
        Set<Integer> hottest = new HashSet<>();
        for (int c = 1; c <= CLUSTERS; c++) {
            int first = (c - 1) * 3000 + 1;
            for (int item = first; item < first + 30; item++) {
                hottest.add(item);
            }
        }
        assertThat(share(steps, s -> hottest.contains(itemOf(s)))).isBetween(0.4, 0.6);
        List<Step> uniform = steps(workload(Workload.Kind.YCSB, 1.0, null, 0.0));
        assertThat(share(uniform, Step::read)).isEqualTo(1.0);
        assertThat(share(uniform, s -> hottest.contains(itemOf(s)))).isCloseTo(0.01, within(0.005));
    }

    @Test
    void tpccRunsItsMixWithCountersThatOnlyGrow() {
        List<Step> steps = steps(workload(Workload.Kind.TPCC, null, null, null));
        Map<String, Double> mix = typeShares(steps);
        assertThat(mix.get("NewOrder")).isCloseTo(0.92 * 45 / 92, within(TOLERANCE));
        assertThat(mix.get("Payment")).isCloseTo(0.92 * 43 / 92, within(TOLERANCE));
        for (String type : List.of("OrderStatus", "StockLevel", "Delivery")) {
            assertThat(mix.get(type)).as(type).isCloseTo(0.04, within(TOLERANCE / 2));
        }
        assertThat(share(ofType(steps, "NewOrder"), Step::crossCluster)).isCloseTo(0.10, within(2 * TOLERANCE));
        assertThat(share(ofType(steps, "Payment"), Step::crossCluster)).isCloseTo(0.15, within(2 * TOLERANCE));
        for (Step step : steps) {
            for (Operation operation : step.operations()) {
                assertThat(Operation.deltasOf(operation)).as("%s", step).allMatch(d -> d.delta() == 1);
            }
        }
        List<Step> allCross = steps(workload(Workload.Kind.TPCC, null, 1.0, null));
        assertThat(share(ofType(allCross, "Payment"), Step::crossCluster)).isEqualTo(1.0);
        assertThat(share(ofType(allCross, "NewOrder"), Step::crossCluster)).isEqualTo(1.0);
    }

    @Test
    void badOptionsAreRefusedWithTheirReason() {
        assertThatThrownBy(() -> Workload.Kind.parse("tpc-h")).hasMessageContaining("unknown workload 'tpc-h'");
        assertThatThrownBy(() -> workload(Workload.Kind.YCSB, null, 0.1, null))
                .hasMessageContaining("--cross-ratio does not apply");
        assertThatThrownBy(() -> workload(Workload.Kind.TRANSFER, 1.5, null, null))
                .hasMessageContaining("read ratio must be in 0..1, got 1.5");
        assertThatThrownBy(() -> Workload.create(new Workload.Options(Workload.Kind.TRANSFER, null, 0.5, null, 1),
                ShardMap.evenRanges(1, 100), 1)).hasMessageContaining("needs two clusters");
        assertThatThrownBy(() -> Workload.create(new Workload.Options(Workload.Kind.TPCC, null, null, null, 1),
                ShardMap.evenRanges(3, 60), 3)).hasMessageContaining("tpcc needs 40 items per cluster");
    }

    private static int itemOf(Step step) {
        Operation operation = step.operations().get(0);
        return operation instanceof Operation.BalanceRead read ? read.item()
                : Operation.deltasOf(operation).get(0).item();
    }

    private static List<Step> ofType(List<Step> steps, String type) {
        return steps.stream().filter(s -> s.type().equals(type)).toList();
    }

    private static Map<String, Double> typeShares(List<Step> steps) {
        Map<String, Long> counts = steps.stream().collect(Collectors.groupingBy(Step::type, Collectors.counting()));
        Map<String, Double> shares = new HashMap<>();
        counts.forEach((type, count) -> shares.put(type, count / (double) steps.size()));
        return shares;
    }

    @Test
    void affinityGroupsAreEqualScatteredAndFixedBySeed() {
        AffinityGroups groups = new AffinityGroups(9000, 900, 3);
        Set<Integer> seen = new HashSet<>();
        Set<Integer> clustersOfFirstGroup = new HashSet<>();
        for (int group = 0; group < 900; group++) {
            assertThat(groups.size(group)).isEqualTo(10);
            for (int index = 0; index < 10; index++) {
                seen.add(groups.member(group, index));
                if (group == 0) {
                    clustersOfFirstGroup.add(SHARD_MAP.clusterOf(groups.member(group, index) + 1).index());
                }
            }
        }
        assertThat(seen).hasSize(9000).allMatch(unit -> unit >= 0 && unit < 9000);
        assertThat(clustersOfFirstGroup).as("a group is scattered over the ranges").hasSizeGreaterThan(1);
        AffinityGroups uneven = new AffinityGroups(10, 3, 3);
        assertThat(List.of(uneven.size(0), uneven.size(1), uneven.size(2))).containsExactly(4, 3, 3);
        AffinityGroups same = new AffinityGroups(9000, 900, 3);
        AffinityGroups other = new AffinityGroups(9000, 900, 4);
        List<Integer> first = java.util.stream.IntStream.range(0, 10).mapToObj(i -> groups.member(7, i)).toList();
        assertThat(java.util.stream.IntStream.range(0, 10).mapToObj(i -> same.member(7, i)).toList())
                .isEqualTo(first);
        assertThat(java.util.stream.IntStream.range(0, 10).mapToObj(i -> other.member(7, i)).toList())
                .isNotEqualTo(first);
    }

    @ParameterizedTest
    @EnumSource(value = Workload.Kind.class, names = {"TRANSFER", "SMALLBANK"})
    void affinityKeepsThatShareOfMultiItemStepsInsideOneGroupAndMostOthersCrossClusters(Workload.Kind kind) {
        Workload.Options options = new Workload.Options(kind, null, null, null, 11, 900, 0.8);
        Workload workload = Workload.create(options, SHARD_MAP, CLUSTERS);
        // Units are items for transfer, customers (two neighbouring items each) for smallbank.
        int units = kind == Workload.Kind.TRANSFER ? 9000 : 4500;
        AffinityGroups groups = options.groupsOver(units);
        Map<Integer, Integer> groupOfItem = new HashMap<>();
        for (int group = 0; group < groups.groupCount(); group++) {
            for (int index = 0; index < groups.size(group); index++) {
                int unit = groups.member(group, index);
                if (kind == Workload.Kind.TRANSFER) {
                    groupOfItem.put(unit + 1, group);
                } else {
                    groupOfItem.put(2 * unit + 1, group);
                    groupOfItem.put(2 * unit + 2, group);
                }
            }
        }
        List<Step> multi = steps(workload).stream()
                .filter(s -> s.type().equals("transfer") || s.type().equals("SendPayment")
                        || s.type().equals("Amalgamate"))
                .toList();
        double inGroup = share(multi, s -> Operation.deltasOf(s.operations().get(0)).stream()
                .map(d -> groupOfItem.get(d.item())).distinct().count() == 1);
        // A step outside the groups lands in one group by chance about once in 900.
        assertThat(inGroup).isCloseTo(0.8, within(2 * TOLERANCE));
        assertThat(share(multi, Step::crossCluster)).as("with the range map most cross clusters")
                .isGreaterThan(0.6);
        assertThat(steps(Workload.create(options, SHARD_MAP, CLUSTERS))).isEqualTo(steps(workload(options)));
    }

    private static Workload workload(Workload.Options options) {
        return Workload.create(options, SHARD_MAP, CLUSTERS);
    }
}
