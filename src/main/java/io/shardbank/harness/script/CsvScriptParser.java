package io.shardbank.harness.script;

import io.shardbank.model.NodeId;
import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads a CSV test script in the course format into test sets.
 *
 * <pre>
 * Set Number,Transactions,Live Nodes
 * 1,"(21, 700, 2)","[n1, n2, n3, n4, n5, n7, n9]"
 * ,"(100, 501, 8)",
 * ,F(n3),
 * ,(7800),
 * </pre>
 *
 * <p>A set's first row carries its number and live-node list; later rows of the set leave those
 * columns empty. Commands are transfers {@code (s, r, amt)}, balance reads {@code (s)} or
 * {@code -s}, {@code F(nK)} and {@code R(nK)}. Quotes are optional, line endings may be LF or
 * CRLF, a UTF-8 byte order mark at the very start of the file is ignored (spreadsheets write one),
 * and rows whose columns are all empty are skipped. Anything else that does not fit the format is
 * an error naming its line: a script that runs something other than what its author wrote is worse
 * than one that stops. That includes text that is not UTF-8 (a UTF-16 or Latin-1 export), a byte
 * order mark anywhere else (a second file pasted in) and control characters, which would otherwise
 * surface as invisible characters inside some later error.
 *
 * <p>Checks that need a topology (node and item ranges) belong to {@link ScriptValidator}; amounts
 * and sender-equals-receiver are left for the running system to reject.
 */
public final class CsvScriptParser {

    private static final List<String> HEADER = List.of("set number", "transactions", "live nodes");
    private static final int COLUMN_COUNT = HEADER.size();

    private final String source;
    private final List<TestSet> sets = new ArrayList<>();
    /** Set number to the line it was first given on, to report repeats. */
    private final Map<Integer, Integer> setLines = new HashMap<>();
    private SetBuilder current;

    private CsvScriptParser(String source) {
        this.source = source;
    }

    /**
     * Parses a script file (UTF-8), naming it by its file name in errors.
     *
     * @throws ScriptFormatException if the file does not follow the format
     * @throws UncheckedIOException if the file cannot be read
     */
    public static List<TestSet> parse(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read test script " + file, e);
        }
        String sourceName = file.getFileName().toString();
        return parseText(sourceName, ScriptText.decodeUtf8(sourceName, bytes));
    }

    /**
     * Parses a script read from {@code reader}; {@code sourceName} prefixes every error message.
     *
     * @throws ScriptFormatException if the text does not follow the format
     * @throws UncheckedIOException if the reader fails
     */
    public static List<TestSet> parse(String sourceName, Reader reader) {
        return parseText(sourceName, readAll(reader));
    }

    private static List<TestSet> parseText(String sourceName, String text) {
        String body = ScriptText.withoutByteOrderMark(text);
        ScriptText.checkCharacters(sourceName, body);
        return new CsvScriptParser(sourceName).parseRecords(CsvTokenizer.records(sourceName, body));
    }

    private List<TestSet> parseRecords(List<CsvRecord> records) {
        int index = skipBlank(records, 0);
        if (index == records.size()) {
            throw new ScriptLocation(source, lastLine(records)).error("no test sets");
        }
        checkHeader(records.get(index));
        for (CsvRecord record : records.subList(index + 1, records.size())) {
            onRow(record);
        }
        finishSet();
        if (sets.isEmpty()) {
            throw new ScriptLocation(source, lastLine(records)).error("no test sets");
        }
        return List.copyOf(sets);
    }

    private void checkHeader(CsvRecord record) {
        List<String> names = record.fields().stream()
                .map(f -> f.replaceAll("\\s+", " ").toLowerCase(Locale.ROOT))
                .toList();
        if (!names.equals(HEADER)) {
            throw at(record).error("expected header \"Set Number,Transactions,Live Nodes\", got \""
                    + record.joined() + "\"");
        }
    }

    private void onRow(CsvRecord record) {
        if (record.isBlank()) {
            return;
        }
        List<String> columns = columns(record);
        String setNumber = columns.get(0);
        String command = columns.get(1);
        String liveNodes = columns.get(2);
        if (!setNumber.isEmpty()) {
            startSet(at(record), setNumber, liveNodes);
        } else if (!liveNodes.isEmpty()) {
            throw at(record).error("live-node list \"" + liveNodes
                    + "\" on a row that does not start a set (column 1 is empty)");
        } else if (current == null) {
            throw at(record).error("command \"" + command + "\" comes before any set number");
        }
        if (!command.isEmpty()) {
            current.commands.add(CommandParser.parse(at(record), command));
        }
    }

    /** The three columns of a row; trailing empty columns (a spreadsheet habit) are allowed. */
    private List<String> columns(CsvRecord record) {
        List<String> fields = record.fields();
        boolean extraColumnsEmpty = fields.stream().skip(COLUMN_COUNT).allMatch(String::isEmpty);
        if (fields.size() < COLUMN_COUNT || !extraColumnsEmpty) {
            throw at(record).error("expected " + COLUMN_COUNT
                    + " columns (Set Number, Transactions, Live Nodes), got " + fields.size()
                    + ": \"" + record.joined() + "\"");
        }
        return fields.subList(0, COLUMN_COUNT);
    }

    private void startSet(ScriptLocation at, String numberText, String liveNodesText) {
        finishSet();
        int number = parseSetNumber(at, numberText);
        Integer firstLine = setLines.putIfAbsent(number, at.line());
        if (firstLine != null) {
            throw at.error("set number " + number + " repeats (first given on line " + firstLine + ")");
        }
        List<NodeId> liveNodes = LiveNodeListParser.parse(at, number, liveNodesText);
        current = new SetBuilder(number, at.line(), liveNodes);
    }

    private static int parseSetNumber(ScriptLocation at, String text) {
        if (!text.matches("\\d+")) {
            throw at.error("set number must be a positive whole number, got \"" + text + "\"");
        }
        try {
            int number = Integer.parseInt(text);
            if (number >= 1) {
                return number;
            }
        } catch (NumberFormatException tooLarge) {
            // Digits only, so the number overflowed: reported below together with zero.
        }
        throw at.error("set number must be between 1 and " + Integer.MAX_VALUE + ", got " + text);
    }

    private void finishSet() {
        if (current == null) {
            return;
        }
        if (current.commands.isEmpty()) {
            throw new ScriptLocation(source, current.line).error("set " + current.number + " has no commands");
        }
        sets.add(new TestSet(current.number, current.line, current.liveNodes, current.commands));
        current = null;
    }

    private ScriptLocation at(CsvRecord record) {
        return new ScriptLocation(source, record.line());
    }

    private static int skipBlank(List<CsvRecord> records, int from) {
        int index = from;
        while (index < records.size() && records.get(index).isBlank()) {
            index++;
        }
        return index;
    }

    private static int lastLine(List<CsvRecord> records) {
        return records.isEmpty() ? 1 : records.get(records.size() - 1).line();
    }

    private static String readAll(Reader reader) {
        StringWriter text = new StringWriter();
        try {
            reader.transferTo(text);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read test script", e);
        }
        return text.toString();
    }

    /** A set whose rows are still being read. */
    private static final class SetBuilder {
        final int number;
        final int line;
        final List<NodeId> liveNodes;
        final List<ScriptCommand> commands = new ArrayList<>();

        SetBuilder(int number, int line, List<NodeId> liveNodes) {
            this.number = number;
            this.line = line;
            this.liveNodes = liveNodes;
        }
    }
}
