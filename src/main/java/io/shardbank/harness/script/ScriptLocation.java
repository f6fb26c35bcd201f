package io.shardbank.harness.script;

/** A line of a named script; the place every parse error points at. */
record ScriptLocation(String source, int line) {

    ScriptFormatException error(String problem) {
        return new ScriptFormatException(source, line, problem);
    }
}
