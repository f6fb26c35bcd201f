package io.shardbank.bench;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * The PNG charts of a run, drawn without a display: {@value #THROUGHPUT} (steps per second over
 * the measured time, with a marker at every recorded event) and {@value #LATENCY} (latency
 * percentiles of intra-cluster, cross-cluster and read steps).
 */
public final class Charts {

    public static final String THROUGHPUT = "throughput.png";
    public static final String LATENCY = "latency.png";

    private static final int WIDTH = 900;
    private static final int HEIGHT = 450;

    private Charts() {
    }

    static List<Path> write(Path directory, RunResult result) throws IOException {
        System.setProperty("java.awt.headless", "true");
        Path throughput = directory.resolve(THROUGHPUT);
        ChartUtils.saveChartAsPNG(throughput.toFile(), throughput(result), WIDTH, HEIGHT);
        Path latency = directory.resolve(LATENCY);
        ChartUtils.saveChartAsPNG(latency.toFile(), latency(result), WIDTH, HEIGHT);
        return List.of(throughput, latency);
    }

    static JFreeChart throughput(RunResult result) {
        XYSeries ended = new XYSeries("all steps");
        XYSeries committed = new XYSeries("committed");
        XYSeries aborted = new XYSeries("aborted");
        XYSeries unavailable = new XYSeries("unavailable");
        for (RunResult.Second second : result.timeline()) {
            // A point per second, placed at the end of the second it counts.
            ended.add(second.second() + 1, second.ended());
            committed.add(second.second() + 1, second.committed());
            aborted.add(second.second() + 1, second.aborted());
            unavailable.add(second.second() + 1, second.unavailable());
        }
        XYSeriesCollection data = new XYSeriesCollection();
        data.addSeries(ended);
        data.addSeries(committed);
        data.addSeries(aborted);
        data.addSeries(unavailable);
        JFreeChart chart = ChartFactory.createXYLineChart("Throughput", "seconds", "steps per second", data,
                PlotOrientation.VERTICAL, true, false, false);
        XYPlot plot = chart.getXYPlot();
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        for (RunResult.Event event : result.events()) {
            ValueMarker marker = new ValueMarker(event.atSeconds(), Color.DARK_GRAY, new BasicStroke(1.5f,
                    BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f));
            marker.setLabel(event.name());
            marker.setLabelAnchor(RectangleAnchor.TOP_RIGHT);
            marker.setLabelTextAnchor(TextAnchor.TOP_LEFT);
            plot.addDomainMarker(marker);
        }
        return chart;
    }

    static JFreeChart latency(RunResult result) {
        DefaultCategoryDataset data = new DefaultCategoryDataset();
        add(data, "intra-cluster", result.intra());
        add(data, "cross-cluster", result.cross());
        add(data, "reads", result.reads());
        JFreeChart chart = ChartFactory.createBarChart("Latency percentiles", "percentile", "milliseconds", data,
                PlotOrientation.VERTICAL, true, false, false);
        chart.getCategoryPlot().setBackgroundPaint(Color.WHITE);
        chart.getCategoryPlot().setRangeGridlinePaint(Color.LIGHT_GRAY);
        return chart;
    }

    private static void add(DefaultCategoryDataset data, String kind, Latency latency) {
        if (latency.count() == 0) {
            return;
        }
        data.addValue(latency.p50Ms(), kind, "p50");
        data.addValue(latency.p95Ms(), kind, "p95");
        data.addValue(latency.p99Ms(), kind, "p99");
        data.addValue(latency.p999Ms(), kind, "p99.9");
    }
}
