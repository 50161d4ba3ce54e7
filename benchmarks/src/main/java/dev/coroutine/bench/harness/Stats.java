package dev.coroutine.bench.harness;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Median and range of some samples (a child's runs, an echo's points). Hand-rolled on purpose: JMH
 * summarizes its own rows with its {@code Statistics}, and for a sort and three picks no library
 * (commons-math3 comes only transitively, with JMH) earns a declared dependency.
 */
record Stats(double median, double min, double max, int n) {
  static Stats of(List<Double> samples) {
    if (samples.isEmpty()) {
      return null;
    }
    List<Double> s = new ArrayList<>(samples);
    Collections.sort(s);
    int k = s.size();
    double median = k % 2 == 1 ? s.get(k / 2) : (s.get(k / 2 - 1) + s.get(k / 2)) / 2;
    return new Stats(median, s.get(0), s.get(k - 1), k);
  }

  /** The half-range as a percentage of the median. */
  double spreadPercent() {
    return median == 0 ? 0 : (max - min) / 2 / median * 100;
  }
}
