package io.shardbank.harness.script;

import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;
import java.util.List;

/** Loads the course CSV files from the test resources. */
final class CourseScripts {

    static final String TESTCASES = "course-f25-testcases.csv";
    static final String NEW_TESTCASES = "course-f25-new-testcases.csv";
    static final String DEMO = "course-f25-demo.csv";
    static final String SPEC_EXAMPLE = "course-f25-spec-example.csv";

    private CourseScripts() {}

    static Path path(String fileName) {
        URL url = CourseScripts.class.getResource("/testdata/" + fileName);
        if (url == null) {
            throw new IllegalStateException("missing test resource testdata/" + fileName);
        }
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static List<TestSet> parse(String fileName) {
        return CsvScriptParser.parse(path(fileName));
    }

    static TestSet set(List<TestSet> sets, int number) {
        return sets.stream().filter(s -> s.number() == number).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no set " + number));
    }
}
