package io.shardbank.node;

import io.shardbank.model.NodeId;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fail points: named steps of a node's work at which a test can make the node's process die with
 * SIGKILL, exactly there, to check recovery from a crash at that step with real processes, disks
 * and sockets (as FoundationDB's and TiKV's fail points do). They are off unless the node's JVM is
 * started with the system property {@value #PROPERTY}, a comma-separated list of
 * {@code node=point} pairs, e.g.
 * {@code -Dshardbank.failpoints=n1=coordinator-before-decision,n2=participant-prepared}. Off, a
 * point costs the check of an empty set. Only tests arm them; they are not settings.
 *
 * <p>A point fires once per data directory: the first node to reach it creates the marker file
 * {@code <data-dir>/failpoint-<point>}, which names the node and what it was doing, then sends its
 * own process SIGKILL and blocks until the signal ends it. Nodes started while the marker exists,
 * such as the victim restarted with its old command line, leave that point disarmed. An embedded
 * cluster runs every node in one JVM, which a fired point kills whole.
 *
 * <p>Used by one node's actor only.
 */
public final class Failpoints {

    public static final String PROPERTY = "shardbank.failpoints";

    private static final Logger LOG = LoggerFactory.getLogger(Failpoints.class);
    private static final Failpoints NONE = new Failpoints(null, null, EnumSet.noneOf(FailPoint.class));

    private final NodeId node;
    private final Path dataDirectory;
    private final Set<FailPoint> armed;

    private Failpoints(NodeId node, Path dataDirectory, Set<FailPoint> armed) {
        this.node = node;
        this.dataDirectory = dataDirectory;
        this.armed = armed;
    }

    /** No point armed. */
    public static Failpoints none() {
        return NONE;
    }

    /** The points {@value #PROPERTY} arms for this node, minus those whose marker exists. */
    public static Failpoints fromSystemProperty(NodeId node, Path dataDirectory) {
        return parse(System.getProperty(PROPERTY, ""), node, dataDirectory);
    }

    /** The points {@code spec} ({@code node=point,...}) arms for {@code node}, minus those whose marker exists. */
    static Failpoints parse(String spec, NodeId node, Path dataDirectory) {
        Set<FailPoint> armed = EnumSet.noneOf(FailPoint.class);
        for (String pair : spec.split(",")) {
            if (pair.isBlank()) {
                continue;
            }
            String[] parts = pair.split("=", -1);
            if (parts.length != 2) {
                throw new IllegalArgumentException("-D" + PROPERTY + " takes node=point pairs, got '" + pair + "'");
            }
            FailPoint point;
            try {
                point = FailPoint.parse(parts[1].strip());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(e.getMessage() + " in -D" + PROPERTY, e);
            }
            if (NodeId.parse(parts[0]).equals(node) && !Files.exists(marker(dataDirectory, point))) {
                armed.add(point);
            }
        }
        return armed.isEmpty() ? NONE : new Failpoints(node, dataDirectory, armed);
    }

    /** The file a fired point leaves behind: the node that died there, and what it was doing. */
    public static Path marker(Path dataDirectory, FailPoint point) {
        return dataDirectory.resolve("failpoint-" + point.label());
    }

    /** Whether no point is armed. */
    public boolean isEmpty() {
        return armed.isEmpty();
    }

    public boolean isArmed(FailPoint point) {
        return !armed.isEmpty() && armed.contains(point);
    }

    /**
     * The node reached {@code point} doing {@code what}: if the point is armed and has not fired in
     * this data directory, records that in the marker and dies by SIGKILL; this call then never
     * returns.
     */
    public void reach(FailPoint point, String what) {
        if (!isArmed(point)) {
            return;
        }
        armed.remove(point);
        String event = node + " at " + point.label() + ": " + what;
        try {
            Files.writeString(marker(dataDirectory, point), event + "\n", StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE, StandardOpenOption.SYNC);
        } catch (FileAlreadyExistsException e) {
            return; // another node of this data directory fired it first
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the marker of fail point " + point.label(), e);
        }
        LOG.warn("fail point {}; killing this process with SIGKILL", event);
        killThisProcess();
    }

    private static void killThisProcess() {
        String pid = Long.toString(ProcessHandle.current().pid());
        try {
            if (new ProcessBuilder("kill", "-KILL", pid).inheritIO().start().waitFor() == 0) {
                while (true) {
                    LockSupport.park(); // the signal is on its way; nothing more may happen here
                }
            }
        } catch (IOException e) {
            // no kill command: end as abruptly as Java allows, below
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Runtime.getRuntime().halt(137);
    }
}
