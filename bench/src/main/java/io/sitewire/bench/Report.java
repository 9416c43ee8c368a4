package io.sitewire.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.data.category.DefaultCategoryDataset;

/** Writes a run's results: {@code results.json}, {@code results.md} and {@code latency.png}. */
final class Report {

    private Report() {
    }

    static void write(final Path out, final Map<String, Object> machine, final List<Result> results,
                      final List<String> hotMethods) throws IOException {
        Files.createDirectories(out);
        final ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        final ObjectNode root = json.createObjectNode();
        root.set("machine", json.valueToTree(machine));
        final ArrayNode list = root.putArray("results");
        for (final Result r : results) {
            final ObjectNode node = list.addObject();
            node.put("scenario", r.scenario);
            node.put("clients", r.clients);
            node.set("figures", json.valueToTree(r.figures));
            if (r.goal != null) {
                node.put("goal", r.goal);
                node.put("measured", r.measured);
                node.put("goalMet", r.goalMet);
            }
            if (r.note != null) {
                node.put("note", r.note);
            }
        }
        root.set("gatewayHotMethods", json.valueToTree(hotMethods));
        json.writeValue(out.resolve("results.json").toFile(), root);
        Files.writeString(out.resolve("results.md"), markdown(machine, results, hotMethods));
        plot(out.resolve("latency.png"), results);
    }

    static String markdown(final Map<String, Object> machine, final List<Result> results, final List<String> hot) {
        final StringBuilder md = new StringBuilder("# Sitewire benchmark results\n\n");
        machine.forEach((k, v) -> md.append("- ").append(k).append(": ").append(v).append('\n'));
        md.append("\n| scenario | clients | figures |\n|---|---:|---|\n");
        for (final Result r : results) {
            md.append("| ").append(r.scenario).append(" | ").append(String.format(Locale.ROOT, "%,d", r.clients)).append(" | ");
            r.figures.forEach((k, v) -> md.append(k).append(" ").append(v).append("; "));
            md.append("|\n");
        }
        md.append("\n## Goals\n\n| goal | clients | measured | met |\n|---|---:|---:|---|\n");
        for (final Result r : results) {
            if (r.goal != null) {
                md.append(String.format(Locale.ROOT, "| %s | %,d | %.2f | %s |%n", r.goal, r.clients, r.measured,
                        r.goalMet ? "yes" : "no"));
            }
        }
        if (!hot.isEmpty()) {
            md.append("\n## Gateway hot methods (JFR execution samples, top frames)\n\n```\n");
            hot.forEach(h -> md.append(h).append('\n'));
            md.append("```\n");
        }
        return md.toString();
    }

    private static void plot(final Path file, final List<Result> results) throws IOException {
        final DefaultCategoryDataset data = new DefaultCategoryDataset();
        for (final Result r : results) {
            final String column = r.scenario + " @" + r.clients;
            for (final String p : List.of("latency_p50_ms", "latency_p99_ms", "latency_max_ms")) {
                final Object v = r.figures.get(p);
                if (v instanceof Number number) {
                    data.addValue(Math.max(0.5, number.doubleValue()), p.replace("latency_", "").replace("_ms", ""), column);
                }
            }
        }
        final JFreeChart chart = ChartFactory.createBarChart("Delivery latency per scenario (ms, log scale)", "scenario @ clients",
                "ms", data, PlotOrientation.VERTICAL, true, false, false);
        final CategoryPlot plot = chart.getCategoryPlot();
        final LogAxis axis = new LogAxis("ms");
        axis.setSmallestValue(0.5);
        plot.setRangeAxis(axis);
        plot.getDomainAxis().setCategoryLabelPositions(org.jfree.chart.axis.CategoryLabelPositions.UP_45);
        ChartUtils.saveChartAsPNG(file.toFile(), chart, Math.max(900, 70 * data.getColumnCount()), 600);
    }
}
