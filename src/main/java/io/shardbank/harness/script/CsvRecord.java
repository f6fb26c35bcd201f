package io.shardbank.harness.script;

import java.util.List;

/** One CSV record: its fields (unquoted, trimmed) and the 1-based line it starts on. */
record CsvRecord(int line, List<String> fields) {

    CsvRecord {
        fields = List.copyOf(fields);
    }

    boolean isBlank() {
        return fields.stream().allMatch(String::isEmpty);
    }

    /** The record written back as one CSV-like line, for error messages. */
    String joined() {
        return String.join(",", fields);
    }
}
