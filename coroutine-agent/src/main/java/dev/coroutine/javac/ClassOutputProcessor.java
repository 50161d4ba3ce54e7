package dev.coroutine.javac;

import com.sun.source.util.JavacTask;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import javax.annotation.processing.AbstractProcessor;
import javax.annotation.processing.Filer;
import javax.annotation.processing.ProcessingEnvironment;
import javax.annotation.processing.RoundEnvironment;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.TypeElement;

/**
 * Hands the javac plugin the compilation's {@link Filer}: javac's public API gives a plugin no way
 * to the class output, an annotation processor gets one. Processes nothing and claims no
 * annotation; keeps nothing for a compilation without {@code -Xplugin:Coroutine}.
 *
 * <p>Invariant: a compilation is in {@link #FILERS} from the plugin's start ({@link #expect}) to
 * its end ({@link #forget}), with its filer once javac initialized the processors: nothing outlives
 * the compilation, also in a long-lived JVM (a build daemon, an IDE).
 */
public final class ClassOutputProcessor extends AbstractProcessor {
  /** The running compilations with the plugin on, and each one's filer (null until known). */
  private static final Map<JavacTask, Filer> FILERS = new HashMap<>();

  /** Creates the processor; javac does, through {@link java.util.ServiceLoader}. */
  public ClassOutputProcessor() {}

  @Override
  public synchronized void init(ProcessingEnvironment env) {
    super.init(env);
    JavacTask task = JavacTask.instance(env);
    synchronized (FILERS) {
      if (FILERS.containsKey(task)) {
        FILERS.put(task, env.getFiler());
      }
    }
  }

  /**
   * Marks a compilation as one whose filer the plugin will ask for.
   *
   * @param task the compilation, as the plugin received it
   */
  static void expect(JavacTask task) {
    synchronized (FILERS) {
      FILERS.put(task, null);
    }
  }

  /**
   * The filer of a compilation.
   *
   * @param task the compilation, as the plugin received it
   * @return its filer, or null if annotation processing is off
   */
  static Filer filerOf(JavacTask task) {
    synchronized (FILERS) {
      return FILERS.get(task);
    }
  }

  /**
   * Drops what was kept for a compilation that ended.
   *
   * @param task the compilation, as the plugin received it
   */
  static void forget(JavacTask task) {
    synchronized (FILERS) {
      FILERS.remove(task);
    }
  }

  @Override
  public Set<String> getSupportedAnnotationTypes() {
    return Set.of("*");
  }

  @Override
  public SourceVersion getSupportedSourceVersion() {
    return SourceVersion.latestSupported();
  }

  @Override
  public boolean process(Set<? extends TypeElement> annotations, RoundEnvironment round) {
    return false; // claims nothing: other processors see every annotation
  }
}
