package io.shardbank.harness.script;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.io.StringReader;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every malformed input names its line and says what is wrong, in exact words. */
class CsvScriptParserMalformedTest {

    private static final String HEADER = "Set Number,Transactions,Live Nodes\n";
    private static final String SET_ONE = "1,\"(1, 2, 3)\",\"[n1]\"\n";
    private static final String BOM_INSIDE = "a byte order mark (U+FEFF) inside the file: only one, at its very start,"
            + " is allowed (was another file pasted in?)";
    private static final String SAVE_AS_UTF8 = "save the file as UTF-8 (CSV UTF-8 in a spreadsheet)";

    static Stream<Arguments> malformedScripts() {
        return Stream.of(
                arguments("empty file", "", 1, "no test sets"),
                arguments("header only", HEADER, 1, "no test sets"),
                arguments("header and blank rows", HEADER + "\r\n,,\r\n", 3, "no test sets"),
                arguments("wrong header", "Set,Transactions,Live Nodes\n" + SET_ONE, 1,
                        "expected header \"Set Number,Transactions,Live Nodes\", got \"Set,Transactions,Live Nodes\""),
                arguments("two columns", HEADER + "1,\"(1, 2, 3)\"\n", 2,
                        "expected 3 columns (Set Number, Transactions, Live Nodes), got 2: \"1,(1, 2, 3)\""),
                arguments("extra column with text", HEADER + "1,\"(1, 2, 3)\",\"[n1]\",x\n", 2,
                        "expected 3 columns (Set Number, Transactions, Live Nodes), got 4: \"1,(1, 2, 3),[n1],x\""),
                arguments("unquoted transfer", HEADER + "1,(1, 2, 3),[n1]\n", 2,
                        "expected 3 columns (Set Number, Transactions, Live Nodes), got 5: \"1,(1,2,3),[n1]\""),
                arguments("command before any set", HEADER + ",\"(1, 2, 3)\",\n", 2,
                        "command \"(1, 2, 3)\" comes before any set number"),
                arguments("non-numeric set number", HEADER + "one,\"(1, 2, 3)\",\"[n1]\"\n", 2,
                        "set number must be a positive whole number, got \"one\""),
                arguments("set number zero", HEADER + "0,\"(1, 2, 3)\",\"[n1]\"\n", 2,
                        "set number must be between 1 and 2147483647, got 0"),
                arguments("set number overflows", HEADER + "99999999999,\"(1, 2, 3)\",\"[n1]\"\n", 2,
                        "set number must be between 1 and 2147483647, got 99999999999"),
                arguments("set number repeats", HEADER + SET_ONE + "1,\"(4, 5, 6)\",\"[n1]\"\n", 3,
                        "set number 1 repeats (first given on line 2)"),
                arguments("unrecognized command", HEADER + SET_ONE + ",hello,\n", 3,
                        "unrecognized command \"hello\": expected \"(sender, receiver, amount)\", \"(item)\", "
                                + "\"-item\", \"F(nK)\" or \"R(nK)\""),
                arguments("empty parentheses", HEADER + SET_ONE + ",(),\n", 3,
                        "empty parentheses \"()\": expected \"(sender, receiver, amount)\", \"(item)\", "
                                + "\"-item\", \"F(nK)\" or \"R(nK)\""),
                arguments("transfer with 2 fields", HEADER + SET_ONE + ",\"(5, 6)\",\n", 3,
                        "transfer needs 3 fields (sender, receiver, amount), got 2: \"(5, 6)\""),
                arguments("transfer with 4 fields", HEADER + SET_ONE + ",\"(5, 6, 7, 8)\",\n", 3,
                        "transfer needs 3 fields (sender, receiver, amount), got 4: \"(5, 6, 7, 8)\""),
                arguments("sender not a number", HEADER + SET_ONE + ",\"(a, 2, 3)\",\n", 3,
                        "sender is not a whole number: \"a\" in \"(a, 2, 3)\""),
                arguments("receiver empty", HEADER + SET_ONE + ",\"(1, , 3)\",\n", 3,
                        "receiver is not a whole number: \"\" in \"(1, , 3)\""),
                arguments("fractional amount", HEADER + SET_ONE + ",\"(1, 2, 1.5)\",\n", 3,
                        "amount is not a whole number: \"1.5\" in \"(1, 2, 1.5)\""),
                arguments("read item not a number", HEADER + SET_ONE + ",(x7),\n", 3,
                        "item is not a whole number: \"x7\" in \"(x7)\""),
                arguments("mangled read not a number", HEADER + SET_ONE + ",-abc,\n", 3,
                        "item is not a whole number: \"abc\" in \"-abc\""),
                arguments("item overflows", HEADER + SET_ONE + ",\"(1, 3000000000, 1)\",\n", 3,
                        "receiver 3000000000 is out of range (at most 2147483647) in \"(1, 3000000000, 1)\""),
                arguments("amount overflows", HEADER + SET_ONE + ",\"(1, 2, 99999999999999999999)\",\n", 3,
                        "amount 99999999999999999999 is out of range (at most 9223372036854775807) "
                                + "in \"(1, 2, 99999999999999999999)\""),
                arguments("fail of a non-node", HEADER + SET_ONE + ",F(x3),\n", 3,
                        "\"x3\" in \"F(x3)\" is not a node id (expected n1, n2, ...)"),
                arguments("recover of node zero", HEADER + SET_ONE + ",R(n0),\n", 3,
                        "\"n0\" in \"R(n0)\" is not a node id (expected n1, n2, ...)"),
                arguments("live list without brackets", HEADER + "1,\"(1, 2, 3)\",\"n1, n2\"\n", 2,
                        "live-node list must look like \"[n1, n2, n3]\", got \"n1, n2\""),
                arguments("empty live list", HEADER + "1,\"(1, 2, 3)\",[]\n", 2,
                        "empty live-node list \"[]\": a set needs at least one live node"),
                arguments("missing live list", HEADER + "1,\"(1, 2, 3)\",\n", 2,
                        "set 1 has no live-node list in column 3 (expected e.g. \"[n1, n2, n3]\")"),
                arguments("live list with empty entry", HEADER + "1,\"(1, 2, 3)\",\"[n1, , n2]\"\n", 2,
                        "live-node list \"[n1, , n2]\" has an empty entry"),
                arguments("live list with a non-node", HEADER + "1,\"(1, 2, 3)\",\"[n1, m2]\"\n", 2,
                        "\"m2\" in live-node list \"[n1, m2]\" is not a node id (expected n1, n2, ...)"),
                arguments("duplicate live node", HEADER + "1,\"(1, 2, 3)\",\"[n1, n2, n1]\"\n", 2,
                        "node n1 appears twice in live-node list \"[n1, n2, n1]\""),
                arguments("duplicate live node written two ways", HEADER + "1,\"(1, 2, 3)\",\"[N1, n2, n01]\"\n", 2,
                        "node n1 appears twice in live-node list \"[N1, n2, n01]\""),
                arguments("live list on a later row", HEADER + SET_ONE + ",\"(4, 5, 6)\",\"[n2]\"\n", 3,
                        "live-node list \"[n2]\" on a row that does not start a set (column 1 is empty)"),
                arguments("set without commands before another set", HEADER + "1,,\"[n1]\"\n" + "2,(7),\"[n1]\"\n",
                        2, "set 1 has no commands"),
                arguments("last set without commands", HEADER + SET_ONE + "2,,\"[n1]\"\n", 3,
                        "set 2 has no commands"),
                arguments("unterminated quote", HEADER + SET_ONE + ",\"(4, 5, 6),\n,(7),\n", 3,
                        "column 2 opens a quote that is never closed"),
                arguments("text after closing quote", HEADER + "1,\"(1, 2, 3)\"x,\"[n1]\"\n", 2,
                        "unexpected text after the closing quote of column 2"),
                arguments("blank lines only", " \n\n", 2, "no test sets"),
                arguments("byte order mark only", "\uFEFF", 1, "no test sets"),
                arguments("semicolon-separated export", "Set Number;Transactions;Live Nodes\n1;(1);[n1]\n", 1,
                        "expected header \"Set Number,Transactions,Live Nodes\", got \"Set Number;Transactions;Live Nodes\""),
                arguments("negative set number", HEADER + "-1,\"(1, 2, 3)\",\"[n1]\"\n", 2,
                        "set number must be a positive whole number, got \"-1\""),
                arguments("byte order mark inside the file", HEADER + SET_ONE + "\uFEFF2,(7),[n1]\n", 3,
                        BOM_INSIDE),
                arguments("two byte order marks", "\uFEFF\uFEFF" + HEADER + SET_ONE, 1, BOM_INSIDE),
                arguments("byte order mark before a command", HEADER + "1,\uFEFF(1),[n1]\n", 2, BOM_INSIDE),
                arguments("NUL bytes", HEADER + SET_ONE + "\0\0\r\n", 3,
                        "control character U+0000: not CSV text (a UTF-16 file? " + SAVE_AS_UTF8 + ")"),
                arguments("escape character in a command", HEADER + "1,\"(1, 2,\u001b 3)\",[n1]\n", 2,
                        "control character U+001B: not CSV text (a UTF-16 file? " + SAVE_AS_UTF8 + ")"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedScripts")
    void reportsLineAndProblem(String name, String script, int line, String problem) {
        assertThatThrownBy(() -> CsvScriptParser.parse("sets.csv", new StringReader(script)))
                .isInstanceOfSatisfying(ScriptFormatException.class, e -> {
                    assertThat(e.problem()).isEqualTo(problem);
                    assertThat(e.line()).isEqualTo(line);
                    assertThat(e.getMessage())
                            .isEqualTo("sets.csv:" + line + ": " + problem);
                });
    }
}
