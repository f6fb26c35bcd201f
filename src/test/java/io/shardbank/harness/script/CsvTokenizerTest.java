package io.shardbank.harness.script;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The CSV layer on its own: quoting, escapes and line counting. */
class CsvTokenizerTest {

    @Test
    void quotedFieldsKeepCommasAndEscapedQuotes() {
        List<CsvRecord> records = CsvTokenizer.records("t.csv", "a,\"b, c\",\"say \"\"hi\"\"\"\n");

        assertThat(records).containsExactly(new CsvRecord(1, List.of("a", "b, c", "say \"hi\"")));
    }

    @Test
    void lineBreaksInsideQuotesAdvanceTheLineCount() {
        List<CsvRecord> records = CsvTokenizer.records("t.csv", "\"x\r\ny\",z\r\nlast\n");

        assertThat(records).containsExactly(
                new CsvRecord(1, List.of("x\r\ny", "z")),
                new CsvRecord(3, List.of("last")));
    }

    @Test
    void lfCrlfAndLoneCrAllEndARecord() {
        List<CsvRecord> records = CsvTokenizer.records("t.csv", "a\nb\r\nc\rd");

        assertThat(records).extracting(CsvRecord::line).containsExactly(1, 2, 3, 4);
        assertThat(records).extracting(r -> r.fields().get(0)).containsExactly("a", "b", "c", "d");
    }

    @Test
    void emptyLinesAndEmptyFieldsAreBlankRecords() {
        List<CsvRecord> records = CsvTokenizer.records("t.csv", "\n,,\n,\"\",\n");

        assertThat(records).hasSize(3).allMatch(CsvRecord::isBlank);
        assertThat(records.get(1).fields()).hasSize(3);
    }
}
