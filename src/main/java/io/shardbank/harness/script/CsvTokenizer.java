package io.shardbank.harness.script;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits CSV text into records (RFC 4180 style): fields separated by commas, quoted fields may
 * hold commas, line breaks and {@code ""} for a quote; records end with LF, CRLF or CR. Blanks
 * around a field are dropped because spreadsheets and hand edits add them freely.
 */
final class CsvTokenizer {

    private final String source;
    private final String text;
    private int position;
    private int line = 1;

    CsvTokenizer(String source, String text) {
        this.source = source;
        this.text = text;
    }

    /** Every record of the text, in order. */
    static List<CsvRecord> records(String source, String text) {
        CsvTokenizer tokenizer = new CsvTokenizer(source, text);
        List<CsvRecord> records = new ArrayList<>();
        for (CsvRecord r = tokenizer.next(); r != null; r = tokenizer.next()) {
            records.add(r);
        }
        return records;
    }

    /** The next record, or null at the end of the text. */
    CsvRecord next() {
        if (atEnd()) {
            return null;
        }
        int startLine = line;
        List<String> fields = new ArrayList<>();
        fields.add(readField(startLine, 1));
        while (!atEnd() && peek() == ',') {
            position++;
            fields.add(readField(startLine, fields.size() + 1));
        }
        consumeLineEnd();
        return new CsvRecord(startLine, fields);
    }

    private String readField(int recordLine, int column) {
        skipBlanks();
        if (!atEnd() && peek() == '"') {
            String value = readQuoted(recordLine, column);
            skipBlanks();
            if (!atEnd() && peek() != ',' && !isLineBreak(peek())) {
                throw new ScriptFormatException(source, line,
                        "unexpected text after the closing quote of column " + column);
            }
            return value.strip();
        }
        return readUnquoted();
    }

    private String readQuoted(int recordLine, int column) {
        position++;
        StringBuilder value = new StringBuilder();
        while (!atEnd()) {
            char c = text.charAt(position++);
            if (c != '"') {
                countLineBreak(c);
                value.append(c);
            } else if (!atEnd() && peek() == '"') {
                position++;
                value.append('"');
            } else {
                return value.toString();
            }
        }
        throw new ScriptFormatException(source, recordLine,
                "column " + column + " opens a quote that is never closed");
    }

    private String readUnquoted() {
        int start = position;
        while (!atEnd() && peek() != ',' && !isLineBreak(peek())) {
            position++;
        }
        return text.substring(start, position).strip();
    }

    /** Counts a line break inside a quoted field; CRLF counts once, at its LF. */
    private void countLineBreak(char c) {
        boolean crBeforeLf = c == '\r' && !atEnd() && peek() == '\n';
        if (isLineBreak(c) && !crBeforeLf) {
            line++;
        }
    }

    private void consumeLineEnd() {
        if (atEnd()) {
            return;
        }
        if (peek() == '\r') {
            position++;
        }
        if (!atEnd() && peek() == '\n') {
            position++;
        }
        line++;
    }

    private void skipBlanks() {
        while (!atEnd() && (peek() == ' ' || peek() == '\t')) {
            position++;
        }
    }

    private static boolean isLineBreak(char c) {
        return c == '\n' || c == '\r';
    }

    private boolean atEnd() {
        return position >= text.length();
    }

    private char peek() {
        return text.charAt(position);
    }
}
