package io.steep.repl.bench;

import java.util.Arrays;

/** Percentiles of a set of samples, printed in one line. */
record Stats(String name, String unit, double[] sorted) {

    static Stats of(String name, String unit, double[] samples) {
        double[] copy = samples.clone();
        Arrays.sort(copy);
        return new Stats(name, unit, copy);
    }

    double percentile(double p) {
        int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    @Override
    public String toString() {
        return String.format(java.util.Locale.ROOT, "%-40s n=%-5d min=%9.3f p50=%9.3f p95=%9.3f max=%9.3f %s",
                name, sorted.length, sorted[0], percentile(50), percentile(95), sorted[sorted.length - 1], unit);
    }
}
