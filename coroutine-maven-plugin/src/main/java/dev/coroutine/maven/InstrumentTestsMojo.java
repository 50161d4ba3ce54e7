package dev.coroutine.maven;

import java.io.File;
import java.util.List;
import org.apache.maven.artifact.DependencyResolutionRequiredException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.plugins.annotations.ResolutionScope;

/**
 * Rewrites every {@code @Async} method (and async lambda) in {@code target/test-classes}, right
 * after test compilation, so tests can define and await coroutines of their own. Supertypes are
 * read from the test class path (main classes included), never loaded.
 */
@Mojo(
    name = "instrument-tests",
    defaultPhase = LifecyclePhase.PROCESS_TEST_CLASSES,
    requiresDependencyResolution = ResolutionScope.TEST,
    threadSafe = true)
public class InstrumentTestsMojo extends AbstractInstrumentMojo {

  /** The folder of compiled test classes to rewrite. */
  @Parameter(
      defaultValue = "${project.build.testOutputDirectory}",
      required = true,
      readonly = true)
  private File testClassesDirectory;

  @Override
  protected File classesDirectory() {
    return testClassesDirectory;
  }

  @Override
  protected List<String> classPathElements() throws DependencyResolutionRequiredException {
    return project.getTestClasspathElements();
  }

  @Override
  protected String goalName() {
    return "instrument-tests";
  }
}
