package io.shardbank.harness;

import io.shardbank.harness.script.TestSet;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The interactive console: before each set it asks whether to run it, skip it or quit; after a set
 * it takes print commands until {@code next} or {@code quit}. It reads lines from a reader and
 * writes to a writer, so it runs the same on a terminal and in a test. The end of the input quits.
 */
public final class Console {

    private static final Pattern PRINT_BALANCE =
            Pattern.compile("printbalance\\s*(?:\\(\\s*(-?\\d+)\\s*\\)|\\s(\\s*-?\\d+))\\s*");
    private static final List<String> SET_HELP = List.of(
            "  run (or Enter)   run this set",
            "  skip             skip this set",
            "  quit             stop here");
    private static final List<String> PRINT_HELP = List.of(
            "  PrintBalance <item>   every node's own balance of the item: PrintBalance 4005 or PrintBalance(4005)",
            "  PrintDB               every node's balances of the items this set modified",
            "  PrintView             every NEW-VIEW message of this set",
            "  Performance           throughput and latency of this set's transactions",
            "  PrintReshard          reshard: plan from this set's transactions, move the items, print each move",
            "                        as (item, from, to) and a summary",
            "  next (or Enter)       go on to the next set",
            "  quit                  stop here");

    private final Harness harness;
    private final List<TestSet> sets;
    private final BufferedReader in;
    private final PrintWriter out;

    /** What the user chose at a prompt. */
    private enum Choice { RUN, SKIP, NEXT, QUIT }

    public Console(Harness harness, List<TestSet> sets, BufferedReader in, PrintWriter out) {
        this.harness = harness;
        this.sets = List.copyOf(sets);
        this.in = in;
        this.out = out;
    }

    /** Runs the session; returns how many sets were run. */
    public int run() {
        out.println(sets.size() + " set" + (sets.size() == 1 ? "" : "s") + " to go. Type help at any prompt.");
        int ran = 0;
        for (TestSet set : sets) {
            Choice choice = askBeforeSet(set);
            if (choice == Choice.QUIT) {
                break;
            }
            if (choice == Choice.SKIP) {
                out.println("skipped set " + set.number());
                continue;
            }
            ran++;
            if (runSet(set) == Choice.QUIT) {
                break;
            }
        }
        out.println("bye");
        out.flush();
        return ran;
    }

    private Choice askBeforeSet(TestSet set) {
        out.println(Printouts.heading(set, harness.settings().topology()));
        while (true) {
            String answer = prompt("run, skip or quit? ");
            if (answer == null || answer.equals("quit") || answer.equals("q")) {
                return Choice.QUIT;
            }
            switch (answer) {
                case "", "run", "r" -> {
                    return Choice.RUN;
                }
                case "skip", "s" -> {
                    return Choice.SKIP;
                }
                case "help", "?" -> SET_HELP.forEach(out::println);
                default -> out.println("unknown answer '" + answer + "': run, skip or quit (help lists them)");
            }
        }
    }

    /** Runs a set, then serves print commands; returns NEXT or QUIT. */
    private Choice runSet(TestSet set) {
        SetResult result;
        try {
            result = harness.run(set);
        } catch (HarnessException e) {
            out.println("error: set " + set.number() + " could not run: " + e.getMessage());
            return Choice.NEXT;
        }
        Printouts.results(result, harness.control().failureMode()).forEach(out::println);
        out.println("set " + set.number() + " done. PrintBalance <item>, PrintDB, PrintView, Performance, "
                + "PrintReshard, next, quit, help");
        while (true) {
            String command = prompt("set " + set.number() + "> ");
            Choice choice = command == null ? Choice.QUIT : afterSet(command, result);
            if (choice != null) {
                return choice;
            }
        }
    }

    /** Carries out one print command; returns the choice that ends the set's prompt, or null to stay. */
    private Choice afterSet(String command, SetResult result) {
        Matcher balance = PRINT_BALANCE.matcher(command);
        try {
            if (balance.matches()) {
                String item = balance.group(1) != null ? balance.group(1) : balance.group(2).strip();
                out.println(harness.printBalance(Integer.parseInt(item)).describe());
                return null;
            }
            return simpleCommand(command, result);
        } catch (HarnessException | NumberFormatException e) {
            out.println("error: " + e.getMessage());
            return null;
        }
    }

    private Choice simpleCommand(String command, SetResult result) {
        switch (command) {
            case "printdb" -> harness.printDb(result.modifiedItems()).describe().forEach(out::println);
            case "printview" -> harness.printView().describe().forEach(out::println);
            case "performance" -> out.println(Printouts.performance(result.performance()));
            case "printreshard" -> Printouts.reshard(harness.printReshard()).forEach(out::println);
            case "", "next", "n" -> {
                return Choice.NEXT;
            }
            case "quit", "q", "exit" -> {
                return Choice.QUIT;
            }
            case "help", "?" -> PRINT_HELP.forEach(out::println);
            default -> out.println("unknown command '" + command + "' (help lists the commands)");
        }
        return null;
    }

    /** Prints the prompt and reads an answer, lower-cased and trimmed; null at the end of the input. */
    private String prompt(String text) {
        out.print(text);
        out.flush();
        try {
            String line = in.readLine();
            return line == null ? null : line.strip().toLowerCase(Locale.ROOT);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the console input", e);
        }
    }
}
