package io.shardbank.harness.script;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.shardbank.model.NodeId;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Script files are UTF-8: a UTF-8 byte order mark at the start is accepted silently (spreadsheets
 * write one), and text in another encoding is refused with the line of its first foreign byte.
 */
class CsvScriptFileEncodingTest {

    private static final String SCRIPT = "Set Number,Transactions,Live Nodes\r\n1,\"(1, 2, 3)\",\"[n1, n2]\"\r\n,(7),\r\n";
    private static final String SAVE_AS_UTF8 = "save the file as UTF-8 (CSV UTF-8 in a spreadsheet)";

    @TempDir
    Path directory;

    private Path write(byte[] bytes) throws Exception {
        Path file = directory.resolve("sets.csv");
        Files.write(file, bytes);
        return file;
    }

    private static byte[] encode(String text, Charset charset) {
        return text.getBytes(charset);
    }

    @Test
    void aUtf8ByteOrderMarkAtTheStartIsAcceptedSilently() throws Exception {
        List<TestSet> withMark = CsvScriptParser.parse(write(encode("\uFEFF" + SCRIPT, StandardCharsets.UTF_8)));
        List<TestSet> without = CsvScriptParser.parse(write(encode(SCRIPT, StandardCharsets.UTF_8)));

        assertThat(withMark).isEqualTo(without);
        assertThat(withMark.get(0).liveNodes()).containsExactly(new NodeId(1), new NodeId(2));
        assertThat(withMark.get(0).commands()).hasSize(2);
    }

    @Test
    void utf16WithAByteOrderMarkIsRefusedAtLineOne() throws Exception {
        for (Charset utf16 : List.of(StandardCharsets.UTF_16LE, StandardCharsets.UTF_16BE)) {
            Path file = write(encode("\uFEFF" + SCRIPT, utf16));
            assertThatThrownBy(() -> CsvScriptParser.parse(file)).as(utf16.name())
                    .isInstanceOfSatisfying(ScriptFormatException.class, e -> assertThat(e.getMessage()).isEqualTo(
                            "sets.csv:1: the file is UTF-16 (it starts with a UTF-16 byte order mark): " + SAVE_AS_UTF8));
        }
    }

    @Test
    void utf16WithoutAByteOrderMarkIsRefusedAtLineOne() throws Exception {
        Path file = write(encode(SCRIPT, StandardCharsets.UTF_16LE));
        assertThatThrownBy(() -> CsvScriptParser.parse(file))
                .isInstanceOfSatisfying(ScriptFormatException.class, e -> assertThat(e.getMessage()).isEqualTo(
                        "sets.csv:1: control character U+0000: not CSV text (a UTF-16 file? " + SAVE_AS_UTF8 + ")"));
    }

    @Test
    void aLatin1ByteIsRefusedAtItsLine() throws Exception {
        Path file = write(encode(SCRIPT + ",\"(4, 5, 6)\",\r\n,(\u00e47),\r\n", StandardCharsets.ISO_8859_1));
        assertThatThrownBy(() -> CsvScriptParser.parse(file))
                .isInstanceOfSatisfying(ScriptFormatException.class, e -> {
                    assertThat(e.line()).isEqualTo(5);
                    assertThat(e.getMessage()).isEqualTo("sets.csv:5: byte 0xE4 is not UTF-8 text: " + SAVE_AS_UTF8);
                });
    }

    @Test
    void aTruncatedUtf8SequenceAtTheEndIsRefusedAtTheLastLine() throws Exception {
        byte[] text = encode(SCRIPT + ",(8),\n,(9", StandardCharsets.UTF_8);
        byte[] truncated = java.util.Arrays.copyOf(text, text.length + 1);
        truncated[text.length] = (byte) 0xC3; // the first byte of a two-byte sequence, and nothing after it
        Path file = write(truncated);
        assertThatThrownBy(() -> CsvScriptParser.parse(file))
                .isInstanceOfSatisfying(ScriptFormatException.class, e -> assertThat(e.line()).isEqualTo(5));
    }
}
