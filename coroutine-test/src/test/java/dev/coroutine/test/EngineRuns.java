package dev.coroutine.test;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder.request;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.platform.engine.DiscoverySelector;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.EngineFilter;
import org.junit.platform.launcher.PostDiscoveryFilter;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * Runs fixture classes through the JUnit Platform launcher, with only the kit's engine, and records
 * what the engine reported: each test's result (by display name) and the skipped ones.
 */
final class EngineRuns {
  /** Results of the tests, by display name, in the order they finished. */
  final Map<String, TestExecutionResult> results = new LinkedHashMap<>();

  /** Display names of the skipped tests and containers, with the reason. */
  final Map<String, String> skipped = new LinkedHashMap<>();

  /** Unique ids of the tests that ran. */
  final List<String> ids = new ArrayList<>();

  static EngineRuns of(Class<?> fixture) {
    return of(selectClass(fixture));
  }

  static EngineRuns of(DiscoverySelector... selectors) {
    return filtered(List.of(), selectors);
  }

  /** The run of {@code selectors} through {@code filters} too (a build's tag filters, say). */
  static EngineRuns filtered(List<PostDiscoveryFilter> filters, DiscoverySelector... selectors) {
    return configured(Map.of(), filters, selectors);
  }

  /** The run of {@code selectors} with configuration parameters and filters. */
  static EngineRuns configured(
      Map<String, String> parameters,
      List<PostDiscoveryFilter> filters,
      DiscoverySelector... selectors) {
    EngineRuns runs = new EngineRuns();
    LauncherFactory.create()
        .execute(
            request()
                .selectors(selectors)
                .configurationParameters(parameters)
                .filters(EngineFilter.includeEngines(AsyncTestEngine.ENGINE_ID))
                .filters(filters.toArray(new PostDiscoveryFilter[0]))
                .build(),
            new TestExecutionListener() {
              @Override
              public void executionFinished(TestIdentifier id, TestExecutionResult result) {
                if (id.isTest()) {
                  runs.results.put(id.getDisplayName(), result);
                  runs.ids.add(id.getUniqueId());
                }
              }

              @Override
              public void executionSkipped(TestIdentifier id, String reason) {
                runs.skipped.put(id.getDisplayName(), reason);
              }
            });
    return runs;
  }

  /** The failure of test {@code name}; AssertionError if it did not fail. */
  Throwable failure(String name) {
    TestExecutionResult r = results.get(name);
    if (r == null || r.getStatus() != TestExecutionResult.Status.FAILED) {
      throw new AssertionError(name + " did not fail: " + r + " (results: " + results + ")");
    }
    return r.getThrowable().orElseThrow();
  }

  /** The status of test {@code name}. */
  TestExecutionResult.Status status(String name) {
    TestExecutionResult r = results.get(name);
    if (r == null) {
      throw new AssertionError(name + " did not run (results: " + results + ")");
    }
    return r.getStatus();
  }
}
