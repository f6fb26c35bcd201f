package io.shardbank.process;

import io.shardbank.client.ShardbankClient;
import io.shardbank.model.NodeId;
import io.shardbank.testing.Eventually;
import java.io.File;
import java.io.IOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * One JVM per node, started, killed and restarted through the scripts in {@code scripts/}, with
 * their logs and pid files in a run directory. The node JVMs run the classes this build compiled.
 */
final class ProcessCluster implements AutoCloseable {

    /**
     * Small heaps and the quick compiler, as six node JVMs share the machine with the test; the
     * larger first metaspace threshold spares each node two full collections while it loads its
     * classes, pauses that on a busy machine outlast a leader's contact window.
     */
    private static final String NODE_JAVA_OPTIONS =
            "-Xmx192m -Xss1m -XX:MetaspaceSize=96m -XX:+UseSerialGC -XX:TieredStopAtLevel=1";
    /** Starting six node JVMs on two cores that other work also uses can take minutes. */
    private static final long SCRIPT_TIMEOUT_SECONDS = 300;

    private final Path runDirectory;
    private final List<String> options;
    private final String nodeJavaOptions;
    /** Stops the nodes should this JVM end before {@link #close} ran. */
    private final Thread stopOnExit;

    /** A cluster to run in {@code runDirectory} with these shardbank options; {@link #start} starts it. */
    ProcessCluster(Path runDirectory, List<String> options) {
        this(runDirectory, options, List.of());
    }

    /**
     * A cluster whose node JVMs also get {@code javaOptions} (such as the system property that
     * arms fail points); {@link #start} starts it.
     */
    ProcessCluster(Path runDirectory, List<String> options, List<String> javaOptions) {
        this.runDirectory = runDirectory;
        this.options = List.copyOf(options);
        this.nodeJavaOptions = String.join(" ", NODE_JAVA_OPTIONS, String.join(" ", javaOptions)).strip();
        this.stopOnExit = new Thread(this::stopAll, "stop-node-processes");
    }

    /** Where the nodes keep their SQLite files (the scripts' default). */
    Path dataDirectory() {
        return runDirectory.resolve("data");
    }

    /** The node's log, every incarnation of it. */
    Path logOf(NodeId node) {
        return runDirectory.resolve(node + ".log");
    }

    /**
     * Starts every node with {@code scripts/start-cluster.sh RUN_DIR OPTIONS} and waits until all
     * listen. From here on, {@link #close} (or the end of this JVM) stops them, whatever happens.
     */
    void start() {
        Runtime.getRuntime().addShutdownHook(stopOnExit);
        List<String> arguments = new ArrayList<>();
        arguments.add(runDirectory.toString());
        arguments.addAll(options);
        runScript("start-cluster.sh", arguments);
    }

    /**
     * Flushes every node, which makes the first node of each cluster lead, and waits until
     * {@code leaders} do. On a starved machine a follower that misses a new leader's first heartbeats
     * may elect another at once; tests that need particular leaders (a node armed with a fail point,
     * the target of an attack) then flush again, three times at most.
     */
    static void flushUntilLeading(ShardbankClient client, Duration patience, List<NodeId> leaders) {
        for (int attempt = 1; ; attempt++) {
            client.flushAll();
            try {
                Eventually.await(patience, leaders + " lead", () -> leaders.stream()
                        .allMatch(node -> client.status(node).role().equals("LEADER")));
                return;
            } catch (AssertionError e) {
                if (attempt == 3) {
                    throw e;
                }
                System.out.println("flush " + attempt + " left another leader (" + e.getMessage() + "): flushing again");
            }
        }
    }

    /** Kills the node's JVM with SIGKILL and waits until it is gone. */
    void kill(NodeId node) throws IOException {
        long pid = pidOf(node);
        ProcessHandle process = ProcessHandle.of(pid)
                .orElseThrow(() -> new IllegalStateException(node + " (pid " + pid + ") is not running"));
        process.destroyForcibly();
        Eventually.await(Duration.ofSeconds(30), node + " (pid " + pid + ") is gone", () -> !process.isAlive());
    }

    /** Whether the node's current JVM (the one its pid file names) runs. */
    boolean isRunning(NodeId node) throws IOException {
        return ProcessHandle.of(pidOf(node)).map(ProcessHandle::isAlive).orElse(false);
    }

    /** Stops the node's JVM with SIGSTOP: it keeps its sockets and memory, and does nothing. */
    void pause(NodeId node) throws IOException {
        signal(node, "-STOP");
    }

    /** Lets a paused node's JVM run on with SIGCONT. */
    void resume(NodeId node) throws IOException {
        signal(node, "-CONT");
    }

    private void signal(NodeId node, String signal) throws IOException {
        long pid = pidOf(node);
        try {
            Process kill = new ProcessBuilder("kill", signal, Long.toString(pid)).redirectErrorStream(true).start();
            if (!kill.waitFor(SCRIPT_TIMEOUT_SECONDS, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new IllegalStateException("kill " + signal + " " + pid + " (" + node + ") failed: "
                        + new String(kill.getInputStream().readAllBytes()));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted signalling " + node, e);
        }
    }

    private long pidOf(NodeId node) throws IOException {
        return Long.parseLong(Files.readString(runDirectory.resolve(node + ".pid")).strip());
    }

    /** Starts the node again, with the command line it first had, and waits until it listens. */
    void restart(NodeId node) {
        List<String> arguments = new ArrayList<>();
        arguments.add(runDirectory.toString());
        arguments.add(node.toString());
        arguments.addAll(options);
        runScript("start-node.sh", arguments);
    }

    /** Stops every node process of the run directory (the ones still running) with {@code stop-cluster.sh}. */
    @Override
    public void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(stopOnExit);
        } catch (IllegalStateException e) {
            return; // this JVM is exiting, and the hook stops the nodes
        }
        stopAll();
    }

    private void stopAll() {
        runScript("stop-cluster.sh", List.of(runDirectory.toString()));
    }

    private void runScript(String script, List<String> arguments) {
        List<String> command = new ArrayList<>();
        command.add(Path.of("scripts", script).toAbsolutePath().toString());
        command.addAll(arguments);
        Path output = runDirectory.resolve("scripts.out");
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(Redirect.appendTo(output.toFile()));
        builder.environment().put("SHARDBANK_CLASSPATH", mainClassPath());
        builder.environment().put("SHARDBANK_NODE_JAVA_OPTS", nodeJavaOptions);
        try {
            Files.createDirectories(runDirectory);
            Process process = builder.start();
            if (!process.waitFor(SCRIPT_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(script + " did not finish within " + SCRIPT_TIMEOUT_SECONDS + " s");
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException(script + " failed (exit " + process.exitValue() + "): "
                        + Files.readString(output));
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + script, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted running " + script, e);
        }
    }

    /** This JVM's class path without the test classes: the compiled main classes and the libraries. */
    private static String mainClassPath() {
        return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(entry -> !entry.endsWith("test-classes"))
                .collect(Collectors.joining(File.pathSeparator));
    }
}
