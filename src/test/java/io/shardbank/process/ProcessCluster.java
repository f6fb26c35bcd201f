package io.shardbank.process;

import io.shardbank.client.ShardbankClient;
import io.shardbank.cluster.EmbeddedCluster;
import io.shardbank.config.Settings;
import io.shardbank.model.NodeId;
import io.shardbank.model.Topology;
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
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * The fixture of the process tests: one JVM per node, started, killed and restarted through the
 * scripts in {@code scripts/}, with their logs, pid files and SQLite files in a run directory, and a
 * client connected to them. The node JVMs run the classes this build compiled. {@link #close} stops
 * the client and every node, also when the test failed half-way.
 */
final class ProcessCluster implements AutoCloseable {

    /** Nodes and the client listen here. */
    static final String HOST = "127.0.0.1";

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
    /** What the client knows of the nodes: the topology, their ports, its own timeouts. */
    private final Settings settings;
    /** Stops the nodes should this JVM end before {@link #close} ran. */
    private final Thread stopOnExit;
    private ShardbankClient client;

    private ProcessCluster(Path runDirectory, List<String> options, List<String> javaOptions, Settings settings) {
        this.runDirectory = runDirectory;
        this.options = List.copyOf(options);
        this.nodeJavaOptions = String.join(" ", NODE_JAVA_OPTIONS, String.join(" ", javaOptions)).strip();
        this.settings = settings;
        this.stopOnExit = new Thread(this::stopAll, "stop-node-processes");
    }

    /**
     * Starts {@code clusters} clusters of node processes on a free block of ports, configured by
     * {@code configFile} (the defaults when null; the topology's other dimensions come from it), each
     * node JVM with {@code javaOptions} too (such as the system property that arms fail points), and
     * connects a client. The client's long deadline lets it ride out an election with the same
     * request id. The nodes have not been flushed: see {@link #flushUntilLeading}.
     */
    static ProcessCluster start(Path runDirectory, int clusters, Path configFile, List<String> javaOptions) {
        Settings configured = configFile == null ? Settings.defaults() : Settings.load(configFile);
        Topology shape = configured.topology();
        Topology topology = new Topology(clusters, shape.nodesPerCluster(), shape.itemCount(), shape.initialBalance());
        int basePort = EmbeddedCluster.freePortBlock(HOST, topology.nodeCount());
        Settings settings = configured.withTopology(topology)
                .withNetwork(new Settings.Network(HOST, basePort, Map.of()))
                .withClient(configured.client().withTimeouts(300, 1200, 10_000));
        List<String> options = new ArrayList<>();
        if (configFile != null) {
            options.addAll(List.of("--config", configFile.toString()));
        }
        options.addAll(List.of("--clusters", Integer.toString(clusters), "--base-port", Integer.toString(basePort)));
        ProcessCluster cluster = new ProcessCluster(runDirectory, options, javaOptions, settings);
        try {
            cluster.startNodes();
            cluster.client = ShardbankClient.connect(settings, HOST);
        } catch (RuntimeException e) {
            cluster.close();
            throw e;
        }
        return cluster;
    }

    Settings settings() {
        return settings;
    }

    Topology topology() {
        return settings.topology();
    }

    ShardbankClient client() {
        return client;
    }

    /** The port of {@code node}'s cluster connections. */
    int portOf(NodeId node) {
        return settings.network().portOf(node);
    }

    /** What {@code node}'s SQLite file holds now (the node may be running, stopped or killed). */
    ReplicaFile replicaFile(NodeId node) {
        return ReplicaFile.read(dataDirectory(), node, settings);
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
    private void startNodes() {
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
    void flushUntilLeading(Duration patience, List<NodeId> leaders) {
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

    /**
     * Closes the client, then stops every node process of the run directory (the ones still running)
     * with {@code stop-cluster.sh}.
     */
    @Override
    public void close() {
        try {
            if (client != null) {
                client.close();
            }
        } finally {
            stopNodes();
        }
    }

    /** Stops every node process of the run directory that still runs; the client stays. */
    void stopNodes() {
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
