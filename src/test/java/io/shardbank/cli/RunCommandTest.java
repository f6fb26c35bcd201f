package io.shardbank.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.shardbank.harness.script.OracleAssertions;
import io.shardbank.harness.script.ScriptCommand;
import io.shardbank.harness.script.TestSet;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The {@code run} command: what it refuses before starting anything, and a batch run with a report. */
class RunCommandTest {

    @TempDir
    Path directory;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine line = Main.commandLine();
        line.setOut(new PrintWriter(out, true));
        line.setErr(new PrintWriter(err, true));
        List<String> all = new ArrayList<>(List.of("run"));
        all.addAll(List.of(args));
        return line.execute(all.toArray(String[]::new));
    }

    @Test
    void aMalformedFileIsRefusedWithItsLineNumber() throws Exception {
        Path file = directory.resolve("bad.csv");
        Files.writeString(file, "Set Number,Transactions,Live Nodes\n1,\"(1, 2, 1)\",\"[n1, n2, n3]\"\n,\"(1, 2)\",\n");

        int status = run(file.toString(), "--batch");

        assertThat(status).isEqualTo(2);
        assertThat(err.toString()).startsWith("error: bad.csv:3: ").contains("3 fields");
        assertThat(out.toString()).doesNotContain("starting");
    }

    @Test
    void aFileThatIsNotUtf8IsRefusedWithItsLineNumber() throws Exception {
        Path file = directory.resolve("export.csv");
        Files.write(file, "\uFEFFSet Number,Transactions,Live Nodes\n1,(1),[n1]\n"
                .getBytes(java.nio.charset.StandardCharsets.UTF_16LE));

        int status = run(file.toString(), "--batch");

        assertThat(status).isEqualTo(2);
        assertThat(err.toString()).startsWith("error: export.csv:1: the file is UTF-16");
        assertThat(out.toString()).doesNotContain("starting");
    }

    @Test
    void itemsOutsideTheTopologyAreRefusedWithTheirLines() throws Exception {
        Path file = directory.resolve("items.csv");
        Files.writeString(file, "Set Number,Transactions,Live Nodes\n1,\"(1, 9001, 2)\",\"[n1, n2, n3]\"\n"
                + ",(0),\n,\"(5, 6, 1)\",\n");

        int status = run(file.toString(), "--batch");

        assertThat(status).isEqualTo(2);
        assertThat(err.toString()).contains("items.csv:2: item 9001 is not in this topology (items 1..9000)")
                .contains("items.csv:3: item 0 is not in this topology (items 1..9000)");
        assertThat(out.toString()).doesNotContain("starting");
    }

    @Test
    void setsThatNeedMoreNodesThanTheTopologyHasAreRefused() {
        Path file = OracleAssertions.courseFile("course-f25-new-testcases.csv");

        int wholeFile = run(file.toString(), "--batch");
        int setFifteen = run(file.toString(), "--batch", "--sets", "15");

        assertThat(wholeFile).isEqualTo(2);
        assertThat(setFifteen).isEqualTo(2);
        assertThat(err.toString()).contains("course-f25-new-testcases.csv:393: ").contains("not in this topology")
                .contains("--clusters/--nodes-per-cluster");
        assertThat(out.toString()).doesNotContain("starting");
    }

    @Test
    void optionsThatCannotWorkAreRefused() {
        String file = OracleAssertions.courseFile("course-f25-spec-example.csv").toString();

        assertThat(run(file, "--sets", "1,99", "--batch")).isEqualTo(2);
        assertThat(run(file, "--report", directory.resolve("r.json").toString())).isEqualTo(2);
        assertThat(run(file, "--connect", "--crash-mode", "--batch")).isEqualTo(2);
        assertThat(run(directory.resolve("missing.csv").toString(), "--batch")).isEqualTo(2);

        assertThat(err.toString()).contains("has no set [99]").contains("--report needs --batch")
                .contains("--crash-mode needs the embedded cluster").contains("no such file");
    }

    @Test
    void aBatchRunPrintsEachSetAndWritesTheReport() throws Exception {
        Path file = OracleAssertions.courseFile("course-f25-spec-example.csv");
        Path report = directory.resolve("reports/report.json");
        TestSet set = OracleAssertions.courseSets("course-f25-spec-example.csv").get(0);

        int status = run(file.toString(), "--batch", "--sets", Integer.toString(set.number()), "--report",
                report.toString(), "--data-dir", directory.resolve("data").toString());

        assertThat(status).as(err.toString()).isZero();
        assertThat(out.toString()).contains("Input: PrintDB; Output:").contains("Input: Performance; Output: ")
                .contains("report written to " + report);
        JsonNode json = new ObjectMapper().readTree(report.toFile());
        assertThat(json.get("file").asText()).isEqualTo("course-f25-spec-example.csv");
        assertThat(json.get("sets")).hasSize(1);
        JsonNode reported = json.get("sets").get(0);
        assertThat(reported.get("set").asInt()).isEqualTo(set.number());
        assertThat(reported.get("live")).extracting(JsonNode::asText)
                .containsExactlyElementsOf(set.liveNodes().stream().map(Object::toString).toList());
        assertThat(reported.get("commands")).extracting(c -> c.get("row").asInt())
                .containsExactlyElementsOf(set.commands().stream().map(ScriptCommand::line).toList());
        assertThat(reported.get("db").size()).isEqualTo(9);
        assertThat(reported.get("views")).isNotEmpty();
        assertThat(reported.get("performance").get("throughput_tps").asDouble()).isPositive();
    }
}
