package io.shardbank.cli;

import io.shardbank.client.ShardbankClient;
import io.shardbank.config.Settings;
import io.shardbank.client.ReshardCoordinator;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;

/** Runs one reshard round against running node processes. */
@Command(name = "reshard", mixinStandardHelpOptions = true,
        description = {"Connect to running node processes (started with scripts/start-cluster.sh) and reshard:",
            "plan from the multi-item transactions their leaders committed recently, move the items the plan",
            "moves (each batch a transaction over the logs of its source and target clusters) and print each",
            "move made as (item, from, to), then a summary. Exit status 0 when every planned move was made,",
            "3 when some were given up, 1 when the round could not start (for example a cluster without a",
            "leader)."})
final class ReshardCommand implements Callable<Integer> {

    @Mixin
    CommonOptions common;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Settings settings = common.settings();
        PrintWriter out = spec.commandLine().getOut();
        try (ShardbankClient client = ShardbankClient.connect(settings, settings.network().host())) {
            ReshardCoordinator.Report report = client.reshard().toCompletableFuture()
                    .get(settings.migration().roundTimeoutMs() + 5_000, TimeUnit.MILLISECONDS);
            if (!report.ok()) {
                spec.commandLine().getErr().println("error: " + report.summary());
                return 1;
            }
            report.moved().forEach(move -> out.println(move));
            report.reasons().forEach(reason -> out.println("given up: " + reason));
            out.println("summary: " + report.summary() + " in " + report.elapsedMs() + " ms");
            out.flush();
            return report.givenUp().isEmpty() ? 0 : 3;
        }
    }
}
