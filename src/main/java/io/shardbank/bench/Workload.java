package io.shardbank.bench;

import io.shardbank.model.ShardMap;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * A seeded stream of steps for the load driver. Four kinds, chosen by name:
 * <ul>
 *   <li>{@code transfer}: bank transfers of 1 between two items, a share across clusters;
 *   <li>{@code smallbank}: the SmallBank mix over customers with a checking and a savings item;
 *   <li>{@code ycsb}: single-item reads and updates on Zipf-skewed keys (YCSB workloads A to C);
 *   <li>{@code tpcc}: TPC-C's transaction shapes and mix, one warehouse per cluster.
 * </ul>
 * Every kind takes the same three knobs (read ratio, cross-cluster ratio, skew); a knob left unset
 * takes the kind's own default. {@code transfer} and {@code smallbank} also take affinity groups:
 * hidden groups of items (customers) that multi-item steps mostly stay within.
 */
public interface Workload {

    /** The next step of the stream. */
    Step next();

    /** One line naming the kind and the knobs in force. */
    String describe();

    /** The knobs in force by name (snake_case), kind defaults filled in, for results files. */
    java.util.Map<String, Object> knobs();

    /** The workload kinds by command-line name. */
    enum Kind {
        TRANSFER, SMALLBANK, YCSB, TPCC;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Kind parse(String name) {
            for (Kind kind : values()) {
                if (kind.label().equals(name.toLowerCase(Locale.ROOT))) {
                    return kind;
                }
            }
            throw new IllegalArgumentException("unknown workload '" + name + "': expected one of "
                    + Arrays.stream(values()).map(Kind::label).collect(Collectors.joining(", ")));
        }
    }

    /**
     * What to generate.
     *
     * @param readRatio share of read-only steps, 0..1; null for the kind's default
     * @param crossRatio share of multi-item steps that span clusters, 0..1; null for the kind's default
     * @param skew Zipf exponent of item popularity, >= 0 (0 = uniform); null for the kind's default
     * @param affinityGroups how many hidden groups multi-item steps keep to; null for none
     * @param affinity share of multi-item steps that keep to one group, 0..1; null for {@value #AFFINITY_DEFAULT}
     */
    record Options(Kind kind, Double readRatio, Double crossRatio, Double skew, long seed, Integer affinityGroups,
            Double affinity) {

        public static final double AFFINITY_DEFAULT = 0.9;

        public Options {
            check("read ratio", readRatio);
            check("cross ratio", crossRatio);
            check("affinity", affinity);
            if (skew != null && skew < 0) {
                throw new IllegalArgumentException("skew must be >= 0, got " + skew);
            }
            if (affinity != null && affinityGroups == null) {
                throw new IllegalArgumentException("--affinity needs --affinity-groups");
            }
            if (affinityGroups != null) {
                if (kind != Kind.TRANSFER && kind != Kind.SMALLBANK) {
                    throw new IllegalArgumentException("--affinity-groups applies to transfer and smallbank only");
                }
                if (crossRatio != null || skew != null) {
                    throw new IllegalArgumentException(
                            "--affinity-groups decides which items go together: --cross-ratio and --skew do not apply");
                }
            }
        }

        /** Options without affinity groups. */
        public Options(Kind kind, Double readRatio, Double crossRatio, Double skew, long seed) {
            this(kind, readRatio, crossRatio, skew, seed, null, null);
        }

        private static void check(String name, Double ratio) {
            if (ratio != null && (ratio < 0 || ratio > 1)) {
                throw new IllegalArgumentException(name + " must be in 0..1, got " + ratio);
            }
        }

        double readRatioOr(double fallback) {
            return readRatio == null ? fallback : readRatio;
        }

        double crossRatioOr(double fallback) {
            return crossRatio == null ? fallback : crossRatio;
        }

        double skewOr(double fallback) {
            return skew == null ? fallback : skew;
        }

        double affinityOrDefault() {
            return affinity == null ? AFFINITY_DEFAULT : affinity;
        }

        /** The affinity groups over {@code units} units, or null when none were asked for. */
        AffinityGroups groupsOver(int units) {
            // The groups depend on the seed only, not on how the stream draws from it.
            return affinityGroups == null ? null : new AffinityGroups(units, affinityGroups, seed ^ 0x5DEECE66DL);
        }
    }

    /** The workload {@code options} ask for, over the items of {@code shardMap}. */
    static Workload create(Options options, ShardMap shardMap, int clusterCount) {
        if (clusterCount < 2 && options.crossRatio() != null && options.crossRatio() > 0) {
            throw new IllegalArgumentException("a cross-cluster ratio needs two clusters at least");
        }
        return switch (options.kind()) {
            case TRANSFER -> new TransferWorkload(options, shardMap, clusterCount);
            case SMALLBANK -> new SmallBankWorkload(options, shardMap, clusterCount);
            case YCSB -> new YcsbWorkload(options, shardMap, clusterCount);
            case TPCC -> new TpccWorkload(options, shardMap, clusterCount);
        };
    }
}
