package io.shardbank.harness.script;

import io.shardbank.model.NodeId;
import io.shardbank.shard.ReadConsistency;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the command column of a script row. Only syntax is checked: values that need a topology
 * to judge (item ranges, amounts, sender equal to receiver) pass through unchanged.
 */
final class CommandParser {

    private static final Pattern PARENTHESES = Pattern.compile("\\((.*)\\)", Pattern.DOTALL);
    /** A spreadsheet turns {@code (1002)} into the negative number {@code -1002}. */
    private static final Pattern MANGLED_READ = Pattern.compile("-\\s*(\\S.*)", Pattern.DOTALL);
    private static final Pattern NODE_COMMAND = Pattern.compile("([FfRr])\\s*\\((.*)\\)", Pattern.DOTALL);
    private static final Pattern WHOLE_NUMBER = Pattern.compile("[+-]?\\d+");
    private static final String EXPECTED_FORMS =
            "expected \"(sender, receiver, amount)\", \"(item)\", \"-item\", \"F(nK)\" or \"R(nK)\"";

    private CommandParser() {}

    static ScriptCommand parse(ScriptLocation at, String text) {
        Matcher node = NODE_COMMAND.matcher(text);
        if (node.matches()) {
            return nodeCommand(at, text, node.group(1), node.group(2));
        }
        Matcher parentheses = PARENTHESES.matcher(text);
        if (parentheses.matches()) {
            return tuple(at, text, parentheses.group(1));
        }
        Matcher mangled = MANGLED_READ.matcher(text);
        if (mangled.matches()) {
            return new ScriptCommand.BalanceRead(at.line(), text, parseInt(at, "item", mangled.group(1), text));
        }
        throw at.error("unrecognized command \"" + text + "\": " + EXPECTED_FORMS);
    }

    private static ScriptCommand nodeCommand(ScriptLocation at, String text, String letter, String node) {
        NodeId id = parseNode(at, node, "in \"" + text + "\"");
        return letter.equalsIgnoreCase("F")
                ? new ScriptCommand.Fail(at.line(), text, id)
                : new ScriptCommand.Recover(at.line(), text, id);
    }

    private static ScriptCommand tuple(ScriptLocation at, String text, String inside) {
        if (inside.isBlank()) {
            throw at.error("empty parentheses \"" + text + "\": " + EXPECTED_FORMS);
        }
        List<String> fields = Arrays.stream(inside.split(",", -1)).map(String::strip).toList();
        if (fields.size() == 1) {
            return new ScriptCommand.BalanceRead(at.line(), text, parseInt(at, "item", fields.get(0), text));
        }
        if (fields.size() == 2 && CONSISTENCY_WORD.matcher(fields.get(1)).matches()) {
            return new ScriptCommand.BalanceRead(at.line(), text, parseInt(at, "item", fields.get(0), text),
                    consistency(at, fields.get(1), text));
        }
        if (fields.size() != 3) {
            throw at.error("transfer needs 3 fields (sender, receiver, amount), got "
                    + fields.size() + ": \"" + text + "\"");
        }
        int from = parseInt(at, "sender", fields.get(0), text);
        int to = parseInt(at, "receiver", fields.get(1), text);
        long amount = parseLong(at, "amount", fields.get(2), text);
        return new ScriptCommand.Transfer(at.line(), text, from, to, amount);
    }

    private static final Pattern CONSISTENCY_WORD = Pattern.compile("[A-Za-z]+");

    private static ReadConsistency consistency(ScriptLocation at, String word, String text) {
        try {
            return ReadConsistency.parse(word);
        } catch (IllegalArgumentException e) {
            throw at.error(e.getMessage() + " in \"" + text + "\"");
        }
    }

    /** Parses a node id such as {@code n4}; {@code context} says where it was written. */
    static NodeId parseNode(ScriptLocation at, String value, String context) {
        try {
            return NodeId.parse(value);
        } catch (IllegalArgumentException e) {
            throw at.error("\"" + value.strip() + "\" " + context
                    + " is not a node id (expected n1, n2, ...)");
        }
    }

    static int parseInt(ScriptLocation at, String what, String value, String text) {
        long number = parseLong(at, what, value, text);
        if (number < Integer.MIN_VALUE || number > Integer.MAX_VALUE) {
            throw at.error(what + " " + value + " is out of range (at most "
                    + Integer.MAX_VALUE + ") in \"" + text + "\"");
        }
        return (int) number;
    }

    static long parseLong(ScriptLocation at, String what, String value, String text) {
        if (!WHOLE_NUMBER.matcher(value).matches()) {
            throw at.error(what + " is not a whole number: \"" + value + "\" in \"" + text + "\"");
        }
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw at.error(what + " " + value + " is out of range (at most "
                    + Long.MAX_VALUE + ") in \"" + text + "\"");
        }
    }
}
