package dev.coroutine.javac;

import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.LineMap;
import com.sun.source.tree.Tree;
import com.sun.source.util.JavacTask;
import com.sun.source.util.SourcePositions;
import com.sun.source.util.TaskEvent;
import com.sun.source.util.TaskListener;
import com.sun.source.util.TreeScanner;
import com.sun.source.util.Trees;
import dev.coroutine.transform.ClassFileLocator;
import dev.coroutine.transform.CoroutineTransformer;
import dev.coroutine.transform.Diagnostic;
import dev.coroutine.transform.TransformResult;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.annotation.processing.Filer;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.TypeElement;
import javax.tools.FileObject;
import javax.tools.StandardLocation;

/**
 * Rewrites each class file right after javac writes it (the end of its {@code GENERATE} event):
 * reads it back from the class output, runs the transformer, and writes the result in its place. A
 * refused class is reported as javac errors at its source lines and left as javac wrote it (the
 * compilation fails, as the Maven plugin fails the build).
 *
 * <p>Supertypes for the stack-map frames come from javac's own model ({@link ModelClassLocator}),
 * so classes of the same compilation that javac has not written yet are known correctly; nothing is
 * loaded.
 */
final class ClassFileRewriter implements TaskListener {
  /** The compilation this listener belongs to. */
  private final JavacTask task;

  /** Reports diagnostics at source positions. */
  private final Trees trees;

  /** The transformer, created at the first class (the filer exists only once processing ran). */
  private CoroutineTransformer transformer;

  /** Reaches the class output; null until found. */
  private Filer filer;

  /** Whether the missing class output was reported (once per compilation, not per class). */
  private boolean reportedNoFiler;

  /** Per compilation unit, the first tree starting on each line (for error positions). */
  private final Map<CompilationUnitTree, Map<Long, Tree>> lines = new HashMap<>();

  /**
   * Errors and warnings found while classes are generated, reported when the compilation ends:
   * javac generates no further class once an error is reported (a warning too, with {@code
   * -Werror}), so reporting each at once showed only the first refused class's, one class per
   * compile-and-fix cycle (found from outside). Each refused class's file is removed when it is
   * found.
   */
  private final List<Runnable> reportsAtEnd = new ArrayList<>();

  /**
   * Whether the compilation announced its start, so its end will be announced too: a whole
   * compilation ({@code javac}, {@code JavacTask.call()}) does; an IDE's {@code parse()}, {@code
   * analyze()}, {@code generate()} announces neither, and there each report is made at once (held
   * reports would be lost with the refused class's file already removed: found from outside).
   */
  private boolean endAnnounced;

  @Override
  public void started(TaskEvent e) {
    if (e.getKind() == TaskEvent.Kind.COMPILATION) {
      endAnnounced = true;
    } else if (e.getKind() == TaskEvent.Kind.ANALYZE && filer == null && !reportedNoFiler) {
      // annotation processing ran (or was turned off) before analysis: say so now, before
      // javac writes a class (found from outside: the first class was left unrewritten)
      if (ClassOutputProcessor.filerOf(task) == null) {
        reportedNoFiler = true;
        CompilationUnitTree unit = e.getCompilationUnit();
        error(unit, treeAtLine(unit, -1), noFilerMessage());
      }
    }
  }

  /** Makes {@code report} at the end of the compilation if that end is announced, else now. */
  private void atEnd(Runnable report) {
    if (endAnnounced) {
      reportsAtEnd.add(report);
    } else {
      report.run();
    }
  }

  ClassFileRewriter(JavacTask task) {
    this.task = task;
    this.trees = Trees.instance(task);
  }

  @Override
  public void finished(TaskEvent e) {
    if (e.getKind() == TaskEvent.Kind.COMPILATION) {
      reportsAtEnd.forEach(Runnable::run); // before javac counts errors for its exit status
      reportsAtEnd.clear();
      endAnnounced = false;
      ClassOutputProcessor.forget(task);
      lines.clear();
      return;
    }
    if (e.getKind() == TaskEvent.Kind.ANALYZE && e.getCompilationUnit() != null) {
      linesOf(e.getCompilationUnit()); // while the trees are as written: lowering rewrites them
      return;
    }
    if (e.getKind() != TaskEvent.Kind.GENERATE || e.getTypeElement() == null) {
      return;
    }
    TypeElement type = e.getTypeElement();
    if (type.getEnclosingElement().getKind() == ElementKind.MODULE) {
      return; // module-info: no code; javac names it after its module, not a package
    }
    String binaryName = task.getElements().getBinaryName(type).toString();
    if (filer == null) {
      filer = ClassOutputProcessor.filerOf(task);
      if (filer == null) {
        if (!reportedNoFiler) {
          reportedNoFiler = true;
          error(e.getCompilationUnit(), treeAtLine(e.getCompilationUnit(), -1), noFilerMessage());
        }
        return;
      }
      transformer =
          new CoroutineTransformer(
              new ModelClassLocator(task.getElements())
                  .orElse(classFile(StandardLocation.CLASS_OUTPUT))
                  .orElse(classFile(StandardLocation.CLASS_PATH)));
    }
    try {
      rewrite(e.getCompilationUnit(), binaryName);
    } catch (IOException | RuntimeException x) {
      CompilationUnitTree unit = e.getCompilationUnit();
      Tree at = treeAtLine(unit, -1);
      atEnd(() -> error(unit, at, "coroutine: cannot rewrite " + binaryName + ": " + x));
    }
  }

  private void rewrite(CompilationUnitTree unit, String binaryName) throws IOException {
    FileObject file = classOutput(binaryName);
    byte[] bytes;
    try (InputStream in = file.openInputStream()) {
      bytes = in.readAllBytes();
    } catch (java.nio.file.NoSuchFileException | java.io.FileNotFoundException notWritten) {
      return; // javac wrote no class file (it stops writing once an error was reported)
    }
    if (!CoroutineTransformer.mightNeedTransform(bytes)) {
      return;
    }
    TransformResult result = transformer.transform(bytes);
    for (Diagnostic w : result.warnings()) {
      Tree at = treeAtLine(unit, w.line());
      atEnd(() -> report(javax.tools.Diagnostic.Kind.WARNING, unit, at, messageOf(w)));
    }
    if (result.failed()) {
      for (Diagnostic d : result.diagnostics()) {
        Tree at = treeAtLine(unit, d.line());
        atEnd(() -> error(unit, at, messageOf(d)));
      }
      // as javac writes no class file for a class with errors: an unrewritten one left behind
      // would be picked up by an incremental or IDE build and fail at run time instead
      remove(file);
      return;
    }
    if (result.changed()) {
      write(file, binaryName, result.bytes());
    }
  }

  /**
   * Deletes the class file javac wrote (a folder's file directly, any other through its object).
   */
  private static void remove(FileObject file) throws IOException {
    URI uri = file.toUri();
    if ("file".equals(uri.getScheme())) {
      Files.deleteIfExists(Path.of(uri));
    } else {
      file.delete();
    }
  }

  /**
   * Replaces the class file. The filer hands out class-output files for reading only; the usual
   * output is a folder ({@code file:} URI, as with javac's {@code -d}, Maven, Gradle and IDEs),
   * written directly; any other file manager gets the bytes through the filer.
   */
  private void write(FileObject file, String binaryName, byte[] bytes) throws IOException {
    URI uri = file.toUri();
    if ("file".equals(uri.getScheme())) {
      Files.write(Path.of(uri), bytes);
      return;
    }
    int dot = binaryName.lastIndexOf('.');
    String pkg = dot < 0 ? "" : binaryName.substring(0, dot);
    try (OutputStream out =
        filer
            .createResource(
                StandardLocation.CLASS_OUTPUT, pkg, binaryName.substring(dot + 1) + ".class")
            .openOutputStream()) {
      out.write(bytes);
    }
  }

  private FileObject classOutput(String binaryName) throws IOException {
    int dot = binaryName.lastIndexOf('.');
    String pkg = dot < 0 ? "" : binaryName.substring(0, dot);
    return filer.getResource(
        StandardLocation.CLASS_OUTPUT, pkg, binaryName.substring(dot + 1) + ".class");
  }

  /** Class files read through the filer from {@code location}, for types the model lacks. */
  private ClassFileLocator classFile(StandardLocation location) {
    return internalName -> {
      int slash = internalName.lastIndexOf('/');
      String pkg = slash < 0 ? "" : internalName.substring(0, slash).replace('/', '.');
      try (InputStream in =
          filer
              .getResource(location, pkg, internalName.substring(slash + 1) + ".class")
              .openInputStream()) {
        return in.readAllBytes();
      } catch (IOException | RuntimeException notThere) {
        return null;
      }
    };
  }

  /**
   * The first tree of {@code unit} that starts on {@code line} (as written, before lowering); the
   * unit's first class if there is none.
   */
  private Tree treeAtLine(CompilationUnitTree unit, long line) {
    if (unit == null) {
      return null;
    }
    Tree t = linesOf(unit).get(line);
    if (t != null) {
      return t;
    }
    return unit.getTypeDecls().isEmpty() ? unit : unit.getTypeDecls().get(0);
  }

  /** The first tree starting on each line of {@code unit}, computed once per unit. */
  private Map<Long, Tree> linesOf(CompilationUnitTree unit) {
    return lines.computeIfAbsent(
        unit,
        u -> {
          SourcePositions positions = trees.getSourcePositions();
          LineMap map = u.getLineMap();
          Map<Long, Tree> first = new HashMap<>();
          if (map == null) {
            // javac keeps no line map without line numbers (-g:none, -g:vars, -g:source), and
            // then the class files have none for diagnostics to name: errors go to the class
            return first;
          }
          new TreeScanner<Void, Void>() {
            @Override
            public Void scan(Tree tree, Void unused) {
              if (tree == null) {
                return null;
              }
              long start = positions.getStartPosition(u, tree);
              if (start >= 0) {
                first.putIfAbsent(map.getLineNumber(start), tree);
              }
              return super.scan(tree, unused);
            }
          }.scan(u, null);
          return first;
        });
  }

  private void error(CompilationUnitTree unit, Tree tree, String message) {
    report(javax.tools.Diagnostic.Kind.ERROR, unit, tree, message);
  }

  private void report(
      javax.tools.Diagnostic.Kind kind, CompilationUnitTree unit, Tree tree, String message) {
    if (unit != null && tree != null) {
      trees.printMessage(kind, message, tree, unit);
    } else {
      throw new IllegalStateException(message);
    }
  }

  /** The diagnostic without its {@code File.java:line} prefix: javac's own message has it. */
  private static String messageOf(Diagnostic d) {
    return d.message()
        + " (in "
        + d.className()
        + (d.methodName() != null ? "." + d.methodName() : "")
        + ")";
  }

  private static String noFilerMessage() {
    return "-Xplugin:"
        + CoroutinePlugin.NAME
        + " found no class output: it needs annotation processing (it reaches javac's class"
        + " output through its processor dev.coroutine.javac.ClassOutputProcessor). Put the"
        + " coroutine-agent jar on the processor path and do not pass -proc:none; with an"
        + " explicit -processor list, add dev.coroutine.javac.ClassOutputProcessor to it";
  }
}
