package io.shardbank.harness;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.shardbank.harness.script.OracleAssertions;
import io.shardbank.harness.script.TestSet;
import io.shardbank.model.Topology;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs a course file with {@code scripts/run-csv.sh}: one JVM per node started by
 * {@code scripts/start-cluster.sh}, the run connected to them in batch mode, the nodes stopped at
 * the end. The report must match the oracle and no node process may be left.
 *
 * <p>The scripts start the jar under {@code target/}, which {@code mvn verify} builds only after
 * the tests. So the test lays out a small project root of its own: the real scripts (linked), and
 * a launcher jar whose manifest puts the classes under test and their dependencies on the class
 * path. The scripts then run exactly the code this build compiled, without a nested build.
 */
@Tag("process")
class RunCsvScriptProcessTest {

    private static final String FILE = "course-f25-testcases.csv";
    private static final Topology TOPOLOGY = Topology.defaults();
    /** The scripts look for the jar under this name. */
    private static final String JAR_NAME = "shardbank-0.1.0-SNAPSHOT-all.jar";
    /** Nine JVMs start on a shared machine: C1 only and a small heap keep their start cheap. */
    private static final String NODE_JAVA_OPTS = "-Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1";
    private static final long RUN_LIMIT_MINUTES = 8;

    @TempDir
    Path root;
    @TempDir
    Path temporary;

    @Test
    void aCourseFileRunsAgainstNodeProcessesAndTheNodesAreStoppedAfterwards() throws Exception {
        List<TestSet> sets = OracleAssertions.courseSets(FILE).stream()
                .filter(set -> CourseFilesBatchTest.CROSS_CLUSTER_AVAILABLE
                        || !OracleAssertions.hasCrossClusterTransfer(set, TOPOLOGY))
                .toList();
        layOutProjectRoot();
        Path report = temporary.resolve("report.json");
        Path log = temporary.resolve("run-csv.log");

        int status = runCsv(sets, report, log);

        assertThat(status).as("scripts/run-csv.sh exit status; its output:%n%s", Files.readString(log)).isZero();
        JsonNode json = new ObjectMapper().readTree(report.toFile());
        assertThat(json.get("sets")).hasSize(sets.size());
        for (int i = 0; i < sets.size(); i++) {
            OracleAssertions.assertMatchesOracle(json.get("sets").get(i), sets.get(i), TOPOLOGY);
        }
        assertThat(runDirectories()).as("run directories left behind").isEmpty();
    }

    private int runCsv(List<TestSet> sets, Path report, Path log) throws Exception {
        String setNumbers = sets.stream().map(s -> Integer.toString(s.number())).collect(Collectors.joining(","));
        ProcessBuilder builder = new ProcessBuilder("bash", root.resolve("scripts/run-csv.sh").toString(),
                OracleAssertions.courseFile(FILE).toString(), "--base-port", Integer.toString(freeBasePort()),
                "--sets", setNumbers, "--report", report.toString())
                .directory(root.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("TMPDIR", temporary.toString());
        builder.environment().put("SHARDBANK_NODE_JAVA_OPTS", NODE_JAVA_OPTS);
        builder.environment().put("SHARDBANK_JAVA_OPTS", "-XX:TieredStopAtLevel=1");
        Process process = builder.start();
        if (!process.waitFor(RUN_LIMIT_MINUTES, TimeUnit.MINUTES)) {
            process.destroy(); // the script's trap stops the nodes on TERM
            process.waitFor(1, TimeUnit.MINUTES);
            throw new AssertionError("scripts/run-csv.sh did not finish within " + RUN_LIMIT_MINUTES + " minutes");
        }
        return process.exitValue();
    }

    /** The real scripts, and a launcher jar newer than the (empty) sources the scripts check it against. */
    private void layOutProjectRoot() throws IOException {
        Path project = Path.of("").toAbsolutePath();
        Files.createSymbolicLink(root.resolve("scripts"), project.resolve("scripts"));
        Files.createDirectories(root.resolve("src/main"));
        Files.createDirectories(root.resolve("conf"));
        Files.writeString(root.resolve("pom.xml"), "");
        Path target = Files.createDirectories(root.resolve("target"));
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, "io.shardbank.cli.Main");
        manifest.getMainAttributes().put(Attributes.Name.CLASS_PATH, mainClassPath());
        try (OutputStream out = Files.newOutputStream(target.resolve(JAR_NAME));
                JarOutputStream jar = new JarOutputStream(out, manifest)) {
            jar.flush();
        }
    }

    /** This test's class path without the test classes, as manifest URLs. */
    private static String mainClassPath() {
        return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(entry -> !entry.isBlank() && !entry.endsWith("test-classes"))
                .map(entry -> Path.of(entry).toAbsolutePath().toUri().toString())
                .collect(Collectors.joining(" "));
    }

    private List<Path> runDirectories() throws IOException {
        try (Stream<Path> entries = Files.list(temporary)) {
            return entries.filter(p -> p.getFileName().toString().startsWith("shardbank-run.")).toList();
        }
    }

    /** Stops node processes a failed run may have left (by their pid files), and only those. */
    @AfterEach
    void stopLeftoverNodes() throws IOException {
        for (Path runDirectory : runDirectories()) {
            try (Stream<Path> files = Files.list(runDirectory)) {
                for (Path pidFile : files.filter(f -> f.toString().endsWith(".pid")).toList()) {
                    long pid = Long.parseLong(Files.readString(pidFile).strip());
                    ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
                }
            }
        }
    }

    /** A base port such that the ports of every node above it are free on loopback now. */
    private static int freeBasePort() throws IOException {
        List<Integer> tried = new ArrayList<>();
        for (int base = 32000; base < 60000; base += 97) {
            if (allFree(base + 1, TOPOLOGY.nodeCount())) {
                return base;
            }
            tried.add(base);
        }
        throw new IOException("no free block of ports; tried bases " + tried);
    }

    private static boolean allFree(int first, int count) {
        for (int port = first; port < first + count; port++) {
            try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
                socket.setReuseAddress(true);
            } catch (IOException e) {
                return false;
            }
        }
        return true;
    }
}
