package io.shardbank.harness.script;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The text of a script before it is split into records: decoded as strict UTF-8, with at most one
 * byte order mark at the very start and no control characters. Every problem names its line, counted
 * as the tokenizer counts them (LF, CRLF or CR ends a line).
 */
final class ScriptText {

    static final char BYTE_ORDER_MARK = '\uFEFF';
    private static final String SAVE_AS_UTF8 = "save the file as UTF-8 (CSV UTF-8 in a spreadsheet)";

    private ScriptText() {}

    /** Decodes the bytes as UTF-8; bytes that are not UTF-8 are an error at their line. */
    static String decodeUtf8(String source, byte[] bytes) {
        if (startsWithUtf16ByteOrderMark(bytes)) {
            throw new ScriptFormatException(source, 1, "the file is UTF-16 (it starts with a UTF-16 byte order mark): "
                    + SAVE_AS_UTF8);
        }
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length);
        CoderResult result = decoder.decode(in, out, true);
        if (result.isError()) {
            int offset = in.position();
            throw new ScriptFormatException(source, lineOfByte(bytes, offset), String.format(Locale.ROOT,
                    "byte 0x%02X is not UTF-8 text: %s", bytes[offset] & 0xFF, SAVE_AS_UTF8));
        }
        decoder.flush(out);
        return out.flip().toString();
    }

    static String withoutByteOrderMark(String text) {
        return !text.isEmpty() && text.charAt(0) == BYTE_ORDER_MARK ? text.substring(1) : text;
    }

    /**
     * Rejects a byte order mark (only one, at the very start, is allowed and already removed) and
     * control characters other than tab and line breaks.
     */
    static void checkCharacters(String source, String text) {
        for (int index = 0; index < text.length(); index++) {
            char c = text.charAt(index);
            if (c == BYTE_ORDER_MARK) {
                throw new ScriptFormatException(source, lineOfChar(text, index), "a byte order mark (U+FEFF) inside"
                        + " the file: only one, at its very start, is allowed (was another file pasted in?)");
            }
            boolean control = (c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7F;
            if (control) {
                throw new ScriptFormatException(source, lineOfChar(text, index), String.format(Locale.ROOT,
                        "control character U+%04X: not CSV text (a UTF-16 file? %s)", (int) c, SAVE_AS_UTF8));
            }
        }
    }

    private static boolean startsWithUtf16ByteOrderMark(byte[] bytes) {
        return bytes.length >= 2 && ((bytes[0] == (byte) 0xFF && bytes[1] == (byte) 0xFE)
                || (bytes[0] == (byte) 0xFE && bytes[1] == (byte) 0xFF));
    }

    private static int lineOfByte(byte[] bytes, int offset) {
        int line = 1;
        for (int i = 0; i < offset; i++) {
            if (bytes[i] == '\n' || (bytes[i] == '\r' && (i + 1 >= bytes.length || bytes[i + 1] != '\n'))) {
                line++;
            }
        }
        return line;
    }

    private static int lineOfChar(String text, int index) {
        int line = 1;
        for (int i = 0; i < index; i++) {
            char c = text.charAt(i);
            if (c == '\n' || (c == '\r' && (i + 1 >= text.length() || text.charAt(i + 1) != '\n'))) {
                line++;
            }
        }
        return line;
    }
}
