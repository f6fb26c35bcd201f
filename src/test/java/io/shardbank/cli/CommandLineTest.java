package io.shardbank.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Bad command lines get a one-line error that names the problem, and a non-zero exit code. */
class CommandLineTest {

    private record Run(int exitCode, String out, String err) {
    }

    private static Run run(String... args) {
        CommandLine line = Main.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        line.setOut(new PrintWriter(out, true));
        line.setErr(new PrintWriter(err, true));
        int exitCode = line.execute(args);
        return new Run(exitCode, out.toString(), err.toString());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "node n99                        | unknown node n99: this topology has n1..n9",
        "node x4                         | not a node id (expected n<number>): 'x4'",
        "client --fail n12               | unknown node n12: this topology has n1..n9",
        "embedded (1, 2)                 | operation '(1, 2)': expected (sender, receiver, amount) or (item), got 2 fields",
        "embedded (1, two, 3)            | operation '(1, two, 3)': receiver is not a number: \"two\"",
        "embedded (1, 2, 1.5)            | operation '(1, 2, 1.5)': amount is not a number: \"1.5\"",
        "embedded (1, 2, 99999999999999999999) | amount 99999999999999999999 is out of range (at most 9223372036854775807)",
        "embedded (1, 3000000000, 5)     | receiver 3000000000 is out of range (at most 2147483647)",
        "embedded (0, 5, 1)              | operation '(0, 5, 1)': item 0 is not in this topology (items 1..9000)",
        "client (9001)                   | operation '(9001)': item 9001 is not in this topology (items 1..9000)",
        "client (-3, 4, 1)               | item -3 is not in this topology (items 1..9000)",
        "client (1,2,3,4)                | expected (sender, receiver, amount) or (item), got 4 fields",
        "embedded --clusters 0           | clusterCount must be >= 1, got 0",
        "embedded --config /no/such.conf | configuration file not found: /no/such.conf",
        "bench --read-ratio 2            | read ratio must be in 0..1, got 2.0",
        "bench --cross-ratio -0.5        | cross ratio must be in 0..1, got -0.5",
        "bench --skew -1                 | skew must be >= 0, got -1.0",
        "bench --workload tpc-h          | unknown workload 'tpc-h': expected one of transfer, smallbank, ycsb, tpcc",
        "bench --workload ycsb --cross-ratio 0.2 | ycsb steps touch one item each: --cross-ratio does not apply",
        "bench -n 0                      | a counted run needs >= 1 step, got 0",
        "bench --affinity 0.5            | --affinity needs --affinity-groups",
        "bench --workload ycsb --affinity-groups 10 | --affinity-groups applies to transfer and smallbank only",
        "bench --affinity-groups 10 --cross-shard-ratio 0.2 | --cross-ratio and --skew do not apply",
        "bench --affinity-groups 5000    | 5000 affinity groups over 9000 units leave fewer than 2 in a group",
        "bench-compare /no/a.json /no/b.json | no such file: /no/a.json",
        "frobnicate                      | Unmatched argument at index 0: 'frobnicate'",
        "embedded --seconds 3            | Unknown option: '--seconds'",
    })
    void badInputGetsAOneLineErrorNamingTheProblem(String arguments, String expected) {
        Run run = run(arguments.split(" (?![^(]*\\))"));
        assertThat(run.exitCode()).isNotZero();
        assertThat(run.err()).contains(expected);
        assertThat(run.err().lines().filter(l -> l.startsWith("error:")).count()).isEqualTo(1);
    }

    /**
     * Amounts that are not positive and transfers from an item to itself are well-formed: the
     * running system refuses them with a reason, next to the operations that commit, and the exit
     * status says that not every operation succeeded.
     */
    @Test
    void invalidTransfersAreRejectedByTheSystemWithAReasonAndTheRestCommits() {
        Run run = run("embedded", "(1, 1, 5)", "(1, 2, 0)", "(1, 2, -3)", "(1, 2, 3)", "(2)", "(1)");

        assertThat(run.exitCode()).as(run.err()).isEqualTo(3);
        assertThat(run.out()).contains(
                "(1, 1, 5) -> rejected (sender and receiver are the same item 1)",
                "(1, 2, 0) -> rejected (amount must be positive, got 0)",
                "(1, 2, -3) -> rejected (amount must be positive, got -3)",
                "(1, 2, 3) -> committed",
                "(2) -> balance 13",
                "(1) -> balance 7");
    }

    @Test
    void helpListsEveryCommand() {
        Run run = run("--help");
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("embedded", "node", "client", "nodes", "bench");
    }

    @Test
    void nodesPrintsTheTopology() {
        assertThat(run("nodes", "--clusters", "2", "--nodes-per-cluster", "2").out().strip()).isEqualTo("n1 n2 n3 n4");
    }
}
