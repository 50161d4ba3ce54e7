package dev.coroutine.maven;

import java.io.File;
import java.util.List;
import org.apache.maven.artifact.DependencyResolutionRequiredException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.plugins.annotations.ResolutionScope;

/**
 * Rewrites every {@code @Async} method (and async lambda) in {@code target/classes} into a
 * resumable state machine, right after compilation. Supertypes needed for stack-map frames are read
 * from the compile class path, never loaded. Classes already rewritten, and classes unchanged since
 * the last run, are left alone.
 */
@Mojo(
    name = "instrument",
    defaultPhase = LifecyclePhase.PROCESS_CLASSES,
    requiresDependencyResolution = ResolutionScope.COMPILE,
    threadSafe = true)
public class InstrumentMojo extends AbstractInstrumentMojo {

  /** The folder of compiled main classes to rewrite. */
  @Parameter(defaultValue = "${project.build.outputDirectory}", required = true, readonly = true)
  private File classesDirectory;

  @Override
  protected File classesDirectory() {
    return classesDirectory;
  }

  @Override
  protected List<String> classPathElements() throws DependencyResolutionRequiredException {
    return project.getCompileClasspathElements();
  }

  @Override
  protected String goalName() {
    return "instrument";
  }
}
