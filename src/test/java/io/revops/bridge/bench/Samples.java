package io.revops.bridge.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Measurements of one quantity: min / median / max over repetitions, or percentiles over latencies. */
final class Samples {
    private final List<Double> values = new ArrayList<>();

    void add(double value) {
        values.add(value);
    }

    void addAll(Samples other) {
        values.addAll(other.values);
    }

    boolean isEmpty() {
        return values.isEmpty();
    }

    int count() {
        return values.size();
    }

    /** Nearest-rank percentile (0 < p <= 100). */
    double percentile(double p) {
        List<Double> sorted = sorted();
        int rank = (int) Math.ceil(p / 100.0 * sorted.size());
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1)));
    }

    double min() {
        return sorted().get(0);
    }

    double median() {
        return percentile(50);
    }

    double max() {
        List<Double> sorted = sorted();
        return sorted.get(sorted.size() - 1);
    }

    /** "min / median / max" with the given format per value. */
    String summary(String format) {
        if (values.isEmpty()) {
            return "n/a";
        }
        return String.format(format, min()) + " / " + String.format(format, median()) + " / " + String.format(format, max());
    }

    /** Each repetition's ratio this[i] / baseline[i] (the runs are interleaved pairwise). */
    Samples ratioTo(Samples baseline) {
        Samples ratios = new Samples();
        for (int i = 0; i < Math.min(values.size(), baseline.values.size()); i++) {
            ratios.add(values.get(i) / baseline.values.get(i));
        }
        return ratios;
    }

    private List<Double> sorted() {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted;
    }
}
