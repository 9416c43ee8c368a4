package io.sitewire.bench;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One scenario at one client count: its figures (name → number or text) and, where the issue sets one, the goal
 * and whether the measurement meets it (reported, never asserted).
 */
final class Result {

    final String scenario;
    final int clients;
    final Map<String, Object> figures = new LinkedHashMap<>();
    String goal;
    Double measured;
    Boolean goalMet;
    String note;

    Result(final String scenario, final int clients) {
        this.scenario = scenario;
        this.clients = clients;
    }

    /** A figure; NaN (not measured: the scenario ran out of time) is kept as null, which JSON can carry. */
    Result put(final String name, final Object value) {
        figures.put(name, value instanceof Double d && d.isNaN() ? null : value);
        return this;
    }

    /** Records the goal; {@code atLeast} says whether bigger is better. */
    void goal(final String text, final double value, final double target, final boolean atLeast) {
        goal = text;
        measured = value;
        goalMet = atLeast ? value >= target : value <= target;
    }
}
