package dev.coroutine.javac;

import com.sun.source.util.JavacTask;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import javax.annotation.processing.AbstractProcessor;
import javax.annotation.processing.Filer;
import javax.annotation.processing.ProcessingEnvironment;
import javax.annotation.processing.RoundEnvironment;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.TypeElement;

/**
 * Hands the javac plugin the compilation's {@link Filer}: javac's public API gives a plugin no
 * way to the class output, an annotation processor gets one. Processes nothing and claims no
 * annotation; does nothing at all unless {@code -Xplugin:Coroutine} is on.
 *
 * <p>Invariant: {@link #filerOf} returns the filer of the task's own processing environment, or
 * null before javac initialized the processors (or when annotation processing is off).
 */
public final class ClassOutputProcessor extends AbstractProcessor {
  /** Each running compilation's filer, by its task; weak, so finished compilations go away. */
  private static final Map<JavacTask, Filer> FILERS = new WeakHashMap<>();

  /** Creates the processor; javac does, through {@link java.util.ServiceLoader}. */
  public ClassOutputProcessor() {}

  @Override
  public synchronized void init(ProcessingEnvironment env) {
    super.init(env);
    JavacTask task = JavacTask.instance(env);
    synchronized (FILERS) {
      FILERS.put(task, env.getFiler());
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
