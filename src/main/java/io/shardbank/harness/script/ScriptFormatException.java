package io.shardbank.harness.script;

/**
 * A CSV test script that cannot be read, pointing at the offending line. The message has the
 * compiler-like form {@code source:line: problem} so editors and terminals can jump to it.
 */
public final class ScriptFormatException extends RuntimeException {

    private final String source;
    private final int line;
    private final String problem;

    public ScriptFormatException(String source, int line, String problem) {
        super(source + ":" + line + ": " + problem);
        this.source = source;
        this.line = line;
        this.problem = problem;
    }

    /** The name of the script, usually its file name. */
    public String source() {
        return source;
    }

    /** The 1-based line the problem is on. */
    public int line() {
        return line;
    }

    /** What is wrong, without the location prefix. */
    public String problem() {
        return problem;
    }
}
