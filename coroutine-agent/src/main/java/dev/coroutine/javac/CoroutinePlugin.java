package dev.coroutine.javac;

import com.sun.source.util.JavacTask;
import com.sun.source.util.Plugin;

/**
 * The javac plugin {@code -Xplugin:Coroutine}: rewrites the {@code @Async} methods of every class
 * javac compiles, right after javac writes the class file, with the same transformer as the Maven
 * plugin and the agent (byte-identical output). Put the agent jar on the processor path:
 *
 * <pre>{@code
 * javac -processorpath coroutine-agent.jar -Xplugin:Coroutine -cp coroutine-runtime.jar ...
 * }</pre>
 *
 * <p>Misuse ({@code await} outside an {@code @Async} method, ...) is a javac error at the source
 * line, so IDEs that build with javac underline it. The plugin needs javac's annotation processing
 * to be on (the default with a processor path; not with {@code -proc:none}): {@link
 * ClassOutputProcessor}, in the same jar, is how it reaches the class output.
 */
public final class CoroutinePlugin implements Plugin {
  /** The name given to {@code -Xplugin:}. */
  public static final String NAME = "Coroutine";

  /** Creates the plugin; javac does, through {@link java.util.ServiceLoader}. */
  public CoroutinePlugin() {}

  @Override
  public String getName() {
    return NAME;
  }

  @Override
  public void init(JavacTask task, String... args) {
    if (args.length > 0) {
      throw new IllegalArgumentException(
          "-Xplugin:" + NAME + " takes no arguments, got: " + String.join(" ", args));
    }
    ClassOutputProcessor.expect(task);
    task.addTaskListener(new ClassFileRewriter(task));
  }
}
