package io.shardbank.sim;

import io.shardbank.paxos.PaxosMessage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The last events of a run, kept cheaply (no formatting) in a ring and turned into text only when
 * the run fails.
 */
final class Trace {

    static final int EVENTS_KEPT = 30;

    /** {@code -Dsim.traceAll=true} prints every event as it happens (for replaying one seed). */
    private static final boolean PRINT_ALL = Boolean.getBoolean("sim.traceAll");

    private final long[] times = new long[EVENTS_KEPT];
    private final String[] kinds = new String[EVENTS_KEPT];
    private final int[] froms = new int[EVENTS_KEPT];
    private final int[] tos = new int[EVENTS_KEPT];
    private final Object[] details = new Object[EVENTS_KEPT];
    private long recorded;

    void record(long time, String kind, int from, int to, Object detail) {
        int i = (int) (recorded++ % EVENTS_KEPT);
        times[i] = time;
        kinds[i] = kind;
        froms[i] = from;
        tos[i] = to;
        details[i] = detail;
        if (PRINT_ALL) {
            System.out.println(line(time, kind, from, to, detail));
        }
    }

    private static String line(long time, String kind, int from, int to, Object detail) {
        return String.format("t=%6d %-10s %5s -> %-5s %s", time, kind, name(from), name(to), describe(detail));
    }

    List<String> lastEvents() {
        List<String> lines = new ArrayList<>();
        long first = Math.max(0, recorded - EVENTS_KEPT);
        for (long n = first; n < recorded; n++) {
            int i = (int) (n % EVENTS_KEPT);
            lines.add(line(times[i], kinds[i], froms[i], tos[i], details[i]));
        }
        return lines;
    }

    private static String name(int address) {
        if (address == 0) {
            return "-";
        }
        int clientBase = OneAtATimeClient.ADDRESS_BASE;
        return address >= clientBase ? "c" + (address - clientBase) : "n" + address;
    }

    private static String describe(Object detail) {
        if (detail instanceof PaxosMessage.Accepted accepted) {
            return "Accepted[from=" + accepted.from() + ", ballot=" + accepted.ballot() + ", slots="
                    + Arrays.toString(accepted.slots()) + "]";
        }
        return String.valueOf(detail);
    }
}
