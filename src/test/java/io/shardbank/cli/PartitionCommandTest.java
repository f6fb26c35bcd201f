package io.shardbank.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The offline partition command: its output files and line, and its answers to bad input. */
class PartitionCommandTest {

    @TempDir
    Path dir;

    private record Run(int status, String out, String err) {
    }

    private Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        picocli.CommandLine line = Main.commandLine();
        line.setOut(new PrintWriter(out));
        line.setErr(new PrintWriter(err));
        int status = line.execute(args);
        return new Run(status, out.toString(), err.toString());
    }

    @Test
    void pairsAcrossTheRangesAreJoinedAndThePartitionFileHasOneLinePerItem() throws IOException {
        Path txns = dir.resolve("t.txns");
        Files.writeString(txns, "1 4\n1 4\n1 4\n2 5\n2 5\n2 5\n3\n");
        Path out = dir.resolve("out.part");

        Run run = run("partition", "--txns", txns.toString(), "--items", "6", "--clusters", "2", "--tolerance",
                "0.34", "--out", out.toString());

        assertThat(run.status()).as(run.err()).isZero();
        assertThat(run.out()).matches("partition-ms=\\d+ cut=0 moved=2\\s*");
        List<String> parts = Files.readAllLines(out);
        assertThat(parts).hasSize(6);
        assertThat(parts.get(0)).isEqualTo(parts.get(3));
        assertThat(parts.get(1)).isEqualTo(parts.get(4));
    }

    @Test
    void aGoodCurrentMapMovesNothing() throws IOException {
        Path txns = dir.resolve("t.txns");
        Files.writeString(txns, "1 2\n1 2 3\n4 5 6\n5 6\n");
        Path current = dir.resolve("current.part");
        Files.writeString(current, "1\n1\n1\n0\n0\n0\n");
        Path out = dir.resolve("out.part");

        Run run = run("partition", "--txns", txns.toString(), "--items", "6", "--clusters", "2", "--current",
                current.toString(), "--out", out.toString());

        assertThat(run.out()).matches("partition-ms=\\d+ cut=0 moved=0\\s*");
        assertThat(Files.readAllLines(out)).containsExactly("1", "1", "1", "0", "0", "0");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "1 2\\n1 x\\n | 2 | t.txns:2: 'x' is not an item id",
        "1 2\\n1 7\\n | 2 | t.txns:2: item 7 is outside 1..6",
        "1 2\\n0 3\\n | 2 | t.txns:2: item 0 is outside 1..6",
        "1 2\\n | 0 | --clusters must be at least 1, got 0"})
    void badInputEndsWithOneLineNamingFileAndLine(String trace, int clusters, String message) throws IOException {
        Path txns = dir.resolve("t.txns");
        Files.writeString(txns, trace.replace("\\n", "\n"));

        Run run = run("partition", "--txns", txns.toString(), "--items", "6", "--clusters", String.valueOf(clusters),
                "--out", dir.resolve("out.part").toString());

        assertThat(run.status()).isEqualTo(2);
        assertThat(run.err().lines().toList()).hasSize(1);
        assertThat(run.err()).contains(message);
    }

    @Test
    void aMissingFileOrAShortCurrentMapIsNamed() throws IOException {
        Run missing = run("partition", "--txns", dir.resolve("none.txns").toString(), "--items", "6", "--clusters",
                "2", "--out", dir.resolve("out.part").toString());
        Path txns = dir.resolve("t.txns");
        Files.writeString(txns, "1 2\n");
        Path current = dir.resolve("current.part");
        Files.writeString(current, "0\n1\n2\n");
        Run shortMap = run("partition", "--txns", txns.toString(), "--items", "6", "--clusters", "2", "--current",
                current.toString(), "--out", dir.resolve("out.part").toString());

        assertThat(missing.status()).isEqualTo(2);
        assertThat(missing.err()).contains("none.txns: no such file");
        assertThat(shortMap.status()).isEqualTo(2);
        assertThat(shortMap.err()).contains("current.part:3: cluster 2 is outside 0..1");
    }
}
